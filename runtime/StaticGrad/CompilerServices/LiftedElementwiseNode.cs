using System.Numerics;

namespace StaticGrad.CompilerServices;

/// <summary>
/// The one node of a lifted elementwise call: its backward runs the generated scalar backward once per output
/// element and adds each element's adjoints into the gradient of the input element it read, which sums broadcast
/// inputs back to their own shapes without an intermediate tensor of the output's shape.
/// </summary>
internal sealed class LiftedElementwiseNode<T> : CustomFunction
    where T : unmanaged, INumber<T>
{
    private readonly int[] _shape;
    private readonly LiftedBackward<T> _backward;

    public LiftedElementwiseNode(string name, Tensor[] inputs, int[] shape, LiftedBackward<T> backward)
        : base(name, inputs)
    {
        _shape = shape;
        _backward = backward;
        SaveForBackward(inputs);
    }

    protected override void Backward(Tensor gradOutput, Tensor?[] gradInputs)
    {
        var dtype = Lifted.DTypeOf<T>();
        var inputs = new Tensor[InputCount];
        for (int i = 0; i < inputs.Length; i++)
        {
            inputs[i] = Saved(i);
        }

        var gather = new BroadcastGather<T>(inputs, _shape, dtype);
        var seeds = gradOutput.DType == dtype ? gradOutput.ContiguousData() : gradOutput.ToDTypeData(dtype);
        var seedBuffer = seeds.Buffer<T>();
        int seedOffset = seeds._offset;
        var grads = new T[]?[inputs.Length];
        for (int i = 0; i < inputs.Length; i++)
        {
            if (NeedsInputGrad(i))
            {
                grads[i] = new T[inputs[i].NumElements];
            }
        }

        Span<T> args = inputs.Length <= 16 ? stackalloc T[inputs.Length] : new T[inputs.Length];
        Span<T> adjoints = inputs.Length <= 16 ? stackalloc T[inputs.Length] : new T[inputs.Length];
        for (int e = 0; e < gather.Count; e++)
        {
            gather.Load(e, args);
            adjoints.Clear();
            _backward(args, adjoints, seedBuffer[seedOffset + e]);
            for (int i = 0; i < grads.Length; i++)
            {
                if (grads[i] is { } g)
                {
                    g[gather.Index(i, e)] += adjoints[i];
                }
            }
        }

        for (int i = 0; i < grads.Length; i++)
        {
            if (grads[i] is { } g)
            {
                gradInputs[i] = DelayedError.Wrap(new Tensor(new Storage(g, dtype), inputs[i].Shape), gradOutput);
            }
        }
    }
}

using System.Numerics;

namespace StaticGrad.CompilerServices;

/// <summary>The one node of a lifted call of a method over spans: its backward runs the generated backward once.</summary>
internal sealed class LiftedSpanNode<T> : CustomFunction
    where T : unmanaged, INumber<T>
{
    private readonly LiftedSpanBackward<T> _backward;

    public LiftedSpanNode(string name, Tensor[] inputs, LiftedSpanBackward<T> backward)
        : base(name, inputs)
    {
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

        var args = Lifted.Arguments<T>(inputs);
        var adjoints = new T[inputs.Length][];
        for (int i = 0; i < adjoints.Length; i++)
        {
            adjoints[i] = new T[args[i].Length];
        }

        _backward(args, adjoints, gradOutput.ToArray<T>()[0]);
        for (int i = 0; i < inputs.Length; i++)
        {
            if (NeedsInputGrad(i))
            {
                gradInputs[i] = DelayedError.Wrap(new Tensor(new Storage(adjoints[i], dtype), inputs[i].Shape), gradOutput);
            }
        }
    }
}

using System.ComponentModel;
using System.Globalization;
using System.Numerics;

namespace StaticGrad.CompilerServices;

/// <summary>
/// Runs a scalar <c>[Differentiable]</c> method on tensors: the <c>Tensor</c> overloads the generator emits next to each
/// such method call these (generated code, not for users). One call records at most ONE graph node, named
/// <c>{Name}Backward</c>, whose backward calls the generated <c>{Name}Backward</c> per element.
/// </summary>
/// <remarks>
/// As for a built-in op: nothing is recorded under <see cref="Autograd.NoGrad"/> or when no differentiable input
/// requires grad (the result is then an untracked leaf), gradients of broadcast inputs are summed back to their
/// shapes, and the inputs are saved with their versions so that an in-place change before backward is reported.
/// </remarks>
[EditorBrowsable(EditorBrowsableState.Never)]
public static class Lifted
{
    /// <summary>Applies a method whose parameters are all scalars to broadcast tensors, element by element.</summary>
    /// <typeparam name="T">The method's floating type: <see cref="double"/> (float64 result) or <see cref="float"/> (float32).</typeparam>
    /// <param name="name">The method's name; the node is <c>{name}Backward</c>.</param>
    /// <param name="inputs">One tensor per parameter (any dtype; converted to <typeparamref name="T"/>), broadcast together as in PyTorch.</param>
    /// <param name="differentiable">Per parameter: false for a [NoGrad] parameter, which gets no gradient.</param>
    /// <param name="forward">The method on one element's arguments.</param>
    /// <param name="backward">The generated backward on one element's arguments.</param>
    /// <returns>The result, of the broadcast shape.</returns>
    /// <exception cref="ArgumentException">The shapes do not broadcast.</exception>
    public static Tensor Elementwise<T>(string name, Tensor[] inputs, bool[] differentiable, LiftedForward<T> forward, LiftedBackward<T> backward)
        where T : unmanaged, INumber<T>
    {
        ArgumentNullException.ThrowIfNull(name);
        ArgumentNullException.ThrowIfNull(forward);
        ArgumentNullException.ThrowIfNull(backward);
        CheckArity(inputs, differentiable);
        var dtype = DTypeOf<T>();
        var shape = inputs[0]._shape;
        for (int i = 1; i < inputs.Length; i++)
        {
            shape = ShapeUtil.Broadcast(shape, inputs[i]._shape);
        }

        shape = (int[])shape.Clone();
        var gather = new BroadcastGather<T>(inputs, shape, dtype);
        var values = new T[gather.Count];
        Span<T> args = inputs.Length <= 16 ? stackalloc T[inputs.Length] : new T[inputs.Length];
        for (int e = 0; e < values.Length; e++)
        {
            gather.Load(e, args);
            values[e] = forward(args);
        }

        var output = new Tensor(new Storage(values, dtype), shape);
        if (!Records(inputs, differentiable))
        {
            return output;
        }

        var node = new LiftedElementwiseNode<T>(name + "Backward", NodeInputs(inputs, differentiable), shape, backward);
        return node.Record(output);
    }

    /// <summary>Applies a method over spans: each span parameter takes a 1-D tensor, each scalar a one-element tensor.</summary>
    /// <typeparam name="T">The method's floating type: <see cref="double"/> (float64 result) or <see cref="float"/> (float32).</typeparam>
    /// <param name="name">The method's name; the node is <c>{name}Backward</c>.</param>
    /// <param name="parameterNames">The parameters' names, for error messages.</param>
    /// <param name="inputs">One tensor per parameter (any dtype; converted to <typeparamref name="T"/>).</param>
    /// <param name="isSpan">Per parameter: whether it is a span or array (a 1-D tensor) rather than a scalar.</param>
    /// <param name="differentiable">Per parameter: false for a [NoGrad] parameter, which gets no gradient.</param>
    /// <param name="forward">The method on the whole arguments.</param>
    /// <param name="backward">The generated backward on the whole arguments.</param>
    /// <returns>The result, a 0-d tensor.</returns>
    /// <exception cref="ArgumentException">A span argument is not 1-D, or a scalar argument does not have exactly one element.</exception>
    public static Tensor OverSpans<T>(
        string name, string[] parameterNames, Tensor[] inputs, bool[] isSpan, bool[] differentiable, LiftedSpanForward<T> forward, LiftedSpanBackward<T> backward)
        where T : unmanaged, INumber<T>
    {
        ArgumentNullException.ThrowIfNull(name);
        ArgumentNullException.ThrowIfNull(parameterNames);
        ArgumentNullException.ThrowIfNull(isSpan);
        ArgumentNullException.ThrowIfNull(forward);
        ArgumentNullException.ThrowIfNull(backward);
        CheckArity(inputs, differentiable);
        for (int i = 0; i < inputs.Length; i++)
        {
            var t = inputs[i];
            if (isSpan[i] && t.Dim != 1)
            {
                throw new ArgumentException(string.Create(CultureInfo.InvariantCulture,
                    $"{name}: parameter '{parameterNames[i]}' takes a 1-D tensor, got shape {ShapeUtil.Bracketed(t._shape)}"), nameof(inputs));
            }

            if (!isSpan[i] && t.NumElements != 1)
            {
                throw new ArgumentException(string.Create(CultureInfo.InvariantCulture,
                    $"{name}: parameter '{parameterNames[i]}' is a scalar and takes a one-element tensor, got shape {ShapeUtil.Bracketed(t._shape)}"), nameof(inputs));
            }
        }

        var dtype = DTypeOf<T>();
        var value = forward(Arguments<T>(inputs));
        var output = new Tensor(new Storage(new[] { value }, dtype), Array.Empty<int>());
        if (!Records(inputs, differentiable))
        {
            return output;
        }

        var node = new LiftedSpanNode<T>(name + "Backward", NodeInputs(inputs, differentiable), backward);
        return node.Record(output);
    }

    /// <summary>Each input's elements as a new array of <typeparamref name="T"/> (the method may read them freely).</summary>
    internal static T[][] Arguments<T>(IReadOnlyList<Tensor> inputs)
        where T : unmanaged
    {
        var args = new T[inputs.Count][];
        for (int i = 0; i < args.Length; i++)
        {
            args[i] = inputs[i].ToArray<T>();
        }

        return args;
    }

    internal static DType DTypeOf<T>() =>
        typeof(T) == typeof(double) ? DType.Float64
        : typeof(T) == typeof(float) ? DType.Float32
        : throw new NotSupportedException("lifted methods compute in double or float, not " + typeof(T).Name);

    /// <summary>Grad mode is on and a differentiable input requires grad: a [NoGrad] input alone records nothing.</summary>
    private static bool Records(Tensor[] inputs, bool[] differentiable)
    {
        if (!Autograd.IsGradEnabled)
        {
            return false;
        }

        for (int i = 0; i < inputs.Length; i++)
        {
            if (differentiable[i] && inputs[i].RequiresGrad)
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>The node's inputs: a [NoGrad] input is detached, so that its edge is empty but its version is still checked.</summary>
    private static Tensor[] NodeInputs(Tensor[] inputs, bool[] differentiable)
    {
        var result = new Tensor[inputs.Length];
        for (int i = 0; i < inputs.Length; i++)
        {
            result[i] = differentiable[i] ? inputs[i] : inputs[i].Detach();
        }

        return result;
    }

    private static void CheckArity(Tensor[] inputs, bool[] differentiable)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        ArgumentNullException.ThrowIfNull(differentiable);
        if (inputs.Length == 0 || differentiable.Length != inputs.Length)
        {
            throw new ArgumentException("one tensor and one differentiability flag per parameter are expected", nameof(inputs));
        }

        for (int i = 0; i < inputs.Length; i++)
        {
            if (inputs[i] is null)
            {
                throw new ArgumentNullException(nameof(inputs), string.Create(CultureInfo.InvariantCulture, $"input {i} is null"));
            }
        }
    }
}

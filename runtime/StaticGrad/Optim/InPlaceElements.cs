namespace StaticGrad.Optim;

/// <summary>
/// Runs an update rule over a parameter's elements in place: over its own storage when it is contiguous (always, for
/// parameters the runtime creates), otherwise over a contiguous copy written back once. The rule sees the gradient in
/// the parameter's dtype (float32 math for float32 parameters, as PyTorch's kernels do) without a copy when the dtypes
/// and layout already agree.
/// </summary>
internal static class InPlaceElements
{
    /// <summary>The writable elements of <paramref name="parameter"/> (or of a copy that <see cref="Finish"/> writes back).</summary>
    public static Tensor Target(Tensor parameter)
    {
        if (!parameter.DType.IsFloatingPoint())
        {
            throw new ArgumentException($"optimizers update floating point tensors, not {parameter.DType.TorchName()}");
        }

        return parameter._contiguous ? parameter : parameter.CloneData();
    }

    /// <summary>The gradient's elements in the parameter's dtype (a converted gradient is a plain array: only the span refers to it).</summary>
    public static ReadOnlySpan<T> Gradient<T>(Tensor grad, DType dtype) =>
        grad.DType == dtype ? grad.ContiguousSpan<T>() : grad.ToDTypeData(dtype).ContiguousSpan<T>().ToArray();

    /// <summary>Writes a copy back if there was one and bumps the parameter's version once (one in-place update, as <c>add_</c>).</summary>
    public static void Finish(Tensor parameter, Tensor target)
    {
        if (!ReferenceEquals(parameter, target))
        {
            parameter.CopyDataFrom(target);
        }

        parameter.BumpVersion();
    }

    /// <summary>A new zero state tensor shaped and typed like <paramref name="parameter"/>.</summary>
    public static Tensor ZeroState(Tensor parameter) => Tensor.Zeros(parameter._shape, parameter.DType);
}

namespace StaticGrad.Nn;

/// <summary>The initialisation PyTorch's layers share.</summary>
internal static class ParameterInit
{
    /// <summary>
    /// A parameter of <paramref name="shape"/> drawn uniformly from <c>±bound</c> and written in place, so the version
    /// counter reads 1 as after PyTorch's <c>kaiming_uniform_</c> / <c>uniform_</c>.
    /// </summary>
    public static Parameter Uniform(int[] shape, double bound, DType dtype, RandomGenerator generator)
    {
        var parameter = new Parameter(Tensor.Zeros(shape, dtype));
        using (Autograd.NoGrad())
        {
            parameter.CopyFrom((Tensor.Rand(shape, generator, dtype) * (2 * bound)) - bound);
        }

        return parameter;
    }

    /// <summary>Rejects integer and bool parameter dtypes.</summary>
    public static void RequireFloating(DType dtype, string layer)
    {
        if (!dtype.IsFloatingPoint())
        {
            throw new ArgumentOutOfRangeException(nameof(dtype), dtype, layer + " parameters must have a floating point dtype.");
        }
    }
}

namespace StaticGrad.Nn;

/// <summary>
/// A fully connected layer <c>y = x·Wᵀ + b</c> (PyTorch's <c>nn.Linear</c>), with <see cref="Weight"/> of shape
/// <c>[out, in]</c> and <see cref="Bias"/> of shape <c>[out]</c>, both initialised like PyTorch: uniform in
/// <c>±1/√in</c> (the bound <c>kaiming_uniform_(a=√5)</c> gives).
/// </summary>
public sealed class Linear : Module
{
    /// <summary>Creates the layer with freshly initialised parameters that require grad.</summary>
    /// <param name="inFeatures">The size of each input sample.</param>
    /// <param name="outFeatures">The size of each output sample.</param>
    /// <param name="bias">Whether the layer learns an additive bias.</param>
    /// <param name="dtype">
    /// The parameters' dtype. <see cref="DType.Float64"/> by default, the dtype <see cref="Tensor.FromArray(double[], int[], bool)"/>
    /// gives (PyTorch defaults to float32; pass <see cref="DType.Float32"/> for that).
    /// </param>
    /// <param name="generator">
    /// The random source of the initial values; <see cref="RandomGenerator.Default"/> when null. Pass <c>new RandomGenerator(seed)</c>
    /// for weights that are the same on every run.
    /// </param>
    /// <exception cref="ArgumentOutOfRangeException">A feature count is negative, or the dtype is not floating point.</exception>
    public Linear(int inFeatures, int outFeatures, bool bias = true, DType dtype = DType.Float64, RandomGenerator? generator = null)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(inFeatures);
        ArgumentOutOfRangeException.ThrowIfNegative(outFeatures);
        ParameterInit.RequireFloating(dtype, "Linear");

        InFeatures = inFeatures;
        OutFeatures = outFeatures;
        generator ??= RandomGenerator.Default;
        var bound = inFeatures > 0 ? 1.0 / Math.Sqrt(inFeatures) : 0.0;
        Weight = ParameterInit.Uniform(new[] { outFeatures, inFeatures }, bound, dtype, generator);
        Bias = bias ? ParameterInit.Uniform(new[] { outFeatures }, bound, dtype, generator) : null;
    }

    /// <summary>The size of each input sample.</summary>
    public int InFeatures { get; }

    /// <summary>The size of each output sample.</summary>
    public int OutFeatures { get; }

    /// <summary>The weight, shape <c>[out, in]</c>. Assigning replaces the registered parameter.</summary>
    public Parameter Weight
    {
        get => GetParameter("weight")!;
        set => RegisterParameter("weight", value ?? throw new ArgumentNullException(nameof(value)));
    }

    /// <summary>The bias, shape <c>[out]</c>, or null for a layer without one. Assigning replaces the registered parameter.</summary>
    public Parameter? Bias
    {
        get => GetParameter("bias");
        set => RegisterParameter("bias", value);
    }

    /// <inheritdoc/>
    /// <remarks>
    /// A 2-D input with a bias runs as one fused <c>addmm</c> (grad_fn <c>AddmmBackward0</c>), as PyTorch's
    /// <c>F.linear</c> does; other ranks broadcast a matrix product and an addition.
    /// </remarks>
    public override Tensor Forward(Tensor input)
    {
        ArgumentNullException.ThrowIfNull(input);
        var weight = Weight;
        var bias = Bias;
        if (input.Dim == 2 && bias is not null)
        {
            return Tensor.Addmm(bias, input, weight.T);
        }

        var output = input.MatMul(weight.T);
        return bias is null ? output : output + bias;
    }
}

namespace StaticGrad.Nn;

/// <summary>
/// A 2-D convolution layer over NCHW images (PyTorch's <c>nn.Conv2d</c> with zero padding): <see cref="Weight"/>
/// <c>[out, in/groups, kh, kw]</c> and an optional <see cref="Bias"/> <c>[out]</c>, both initialised like PyTorch,
/// uniform in <c>±1/√fanIn</c> with <c>fanIn = in/groups·kh·kw</c>.
/// </summary>
public sealed class Conv2d : Module
{
    /// <summary>Creates the layer with a square kernel and the same stride, padding and dilation in both dimensions.</summary>
    /// <param name="inChannels">The input's channels.</param>
    /// <param name="outChannels">The output's channels.</param>
    /// <param name="kernelSize">The kernel's height and width.</param>
    /// <param name="stride">The step between windows.</param>
    /// <param name="padding">Zeros added on every side.</param>
    /// <param name="dilation">The spacing of the kernel taps.</param>
    /// <param name="groups">Channel groups convolved separately; both channel counts must be multiples.</param>
    /// <param name="bias">Whether the layer learns a bias per output channel.</param>
    /// <param name="dtype">The parameters' dtype (float64 by default, as <see cref="Linear"/>).</param>
    /// <param name="generator">The random source of the initial values; <see cref="RandomGenerator.Default"/> when null.</param>
    /// <exception cref="ArgumentException">A size is not positive or a channel count is not a multiple of <paramref name="groups"/>.</exception>
    public Conv2d(int inChannels, int outChannels, int kernelSize, int stride = 1, int padding = 0, int dilation = 1, int groups = 1, bool bias = true, DType dtype = DType.Float64, RandomGenerator? generator = null)
        : this(inChannels, outChannels, (kernelSize, kernelSize), (stride, stride), (padding, padding), (dilation, dilation), groups, bias, dtype, generator)
    {
    }

    /// <summary>Creates the layer with the kernel, stride, padding and dilation given per dimension (height, width).</summary>
    /// <param name="inChannels">The input's channels.</param>
    /// <param name="outChannels">The output's channels.</param>
    /// <param name="kernelSize">The kernel's height and width.</param>
    /// <param name="stride">The step between windows.</param>
    /// <param name="padding">Zeros added on both sides of each dimension.</param>
    /// <param name="dilation">The spacing of the kernel taps.</param>
    /// <param name="groups">Channel groups convolved separately.</param>
    /// <param name="bias">Whether the layer learns a bias per output channel.</param>
    /// <param name="dtype">The parameters' dtype.</param>
    /// <param name="generator">The random source of the initial values.</param>
    /// <exception cref="ArgumentException">A size is not positive or a channel count is not a multiple of <paramref name="groups"/>.</exception>
    public Conv2d(int inChannels, int outChannels, (int H, int W) kernelSize, (int H, int W) stride, (int H, int W) padding, (int H, int W) dilation, int groups = 1, bool bias = true, DType dtype = DType.Float64, RandomGenerator? generator = null)
    {
        if (groups <= 0)
        {
            throw new ArgumentException("groups must be a positive integer", nameof(groups));
        }

        if (inChannels <= 0 || outChannels <= 0)
        {
            throw new ArgumentException($"in_channels and out_channels must be positive, got {inChannels} and {outChannels}", nameof(inChannels));
        }

        if (inChannels % groups != 0)
        {
            throw new ArgumentException("in_channels must be divisible by groups", nameof(inChannels));
        }

        if (outChannels % groups != 0)
        {
            throw new ArgumentException("out_channels must be divisible by groups", nameof(outChannels));
        }

        new SlidingWindow2d(kernelSize.H, kernelSize.W, stride.H, stride.W, padding.H, padding.W, dilation.H, dilation.W).Validate("Conv2d");
        ParameterInit.RequireFloating(dtype, "Conv2d");
        InChannels = inChannels;
        OutChannels = outChannels;
        KernelSize = kernelSize;
        Stride = stride;
        Padding = padding;
        Dilation = dilation;
        Groups = groups;
        generator ??= RandomGenerator.Default;
        int fanIn = inChannels / groups * kernelSize.H * kernelSize.W;
        var bound = 1.0 / Math.Sqrt(fanIn);
        Weight = ParameterInit.Uniform(new[] { outChannels, inChannels / groups, kernelSize.H, kernelSize.W }, bound, dtype, generator);
        Bias = bias ? ParameterInit.Uniform(new[] { outChannels }, bound, dtype, generator) : null;
    }

    /// <summary>The input's channels.</summary>
    public int InChannels { get; }

    /// <summary>The output's channels.</summary>
    public int OutChannels { get; }

    /// <summary>The kernel's height and width.</summary>
    public (int H, int W) KernelSize { get; }

    /// <summary>The step between windows.</summary>
    public (int H, int W) Stride { get; }

    /// <summary>The zero padding on both sides of each dimension.</summary>
    public (int H, int W) Padding { get; }

    /// <summary>The spacing of the kernel taps.</summary>
    public (int H, int W) Dilation { get; }

    /// <summary>The number of channel groups.</summary>
    public int Groups { get; }

    /// <summary>The filters, <c>[out, in/groups, kh, kw]</c>. Assigning replaces the registered parameter.</summary>
    public Parameter Weight
    {
        get => GetParameter("weight")!;
        set => RegisterParameter("weight", value ?? throw new ArgumentNullException(nameof(value)));
    }

    /// <summary>The bias <c>[out]</c>, or null. Assigning replaces the registered parameter.</summary>
    public Parameter? Bias
    {
        get => GetParameter("bias");
        set => RegisterParameter("bias", value);
    }

    /// <inheritdoc/>
    public override Tensor Forward(Tensor input) => Functional.Conv2d(input, Weight, Bias, Stride, Padding, Dilation, Groups);
}

namespace StaticGrad.Nn;

/// <summary>
/// ResNet's residual block (torchvision's <c>BasicBlock</c>, expansion 1):
/// <c>relu(bn2(conv2(relu(bn1(conv1(x))))) + downsample(x))</c> with 3×3 convolutions without bias, the first
/// with the block's stride. <see cref="Downsample"/> (a 1×1 convolution with the stride and a batch norm, named
/// <c>downsample.0</c> and <c>downsample.1</c> as in torchvision) matches the shortcut to the output when the stride
/// or the channel count changes, and is null otherwise.
/// </summary>
public sealed class BasicBlock : Module
{
    /// <summary>Creates the block.</summary>
    /// <param name="inPlanes">The input's channels.</param>
    /// <param name="planes">The output's channels.</param>
    /// <param name="stride">The stride of the first convolution (2 halves the resolution).</param>
    /// <param name="dtype">The parameters' dtype.</param>
    /// <param name="generator">The random source of the initial convolution weights.</param>
    public BasicBlock(int inPlanes, int planes, int stride = 1, DType dtype = DType.Float64, RandomGenerator? generator = null)
    {
        RegisterModule("conv1", new Conv2d(inPlanes, planes, 3, stride, padding: 1, bias: false, dtype: dtype, generator: generator));
        RegisterModule("bn1", new BatchNorm2d(planes, dtype: dtype));
        RegisterModule("relu", new ReLU());
        RegisterModule("conv2", new Conv2d(planes, planes, 3, 1, padding: 1, bias: false, dtype: dtype, generator: generator));
        RegisterModule("bn2", new BatchNorm2d(planes, dtype: dtype));
        if (stride != 1 || inPlanes != planes)
        {
            RegisterModule("downsample", new Sequential(
                new Conv2d(inPlanes, planes, 1, stride, bias: false, dtype: dtype, generator: generator),
                new BatchNorm2d(planes, dtype: dtype)));
        }
    }

    /// <summary>The first 3×3 convolution, with the block's stride.</summary>
    public Conv2d Conv1 => GetModule<Conv2d>("conv1");

    /// <summary>The batch norm after <see cref="Conv1"/>.</summary>
    public BatchNorm2d Bn1 => GetModule<BatchNorm2d>("bn1");

    /// <summary>The second 3×3 convolution.</summary>
    public Conv2d Conv2 => GetModule<Conv2d>("conv2");

    /// <summary>The batch norm after <see cref="Conv2"/>.</summary>
    public BatchNorm2d Bn2 => GetModule<BatchNorm2d>("bn2");

    /// <summary>The shortcut's 1×1 convolution and batch norm, or null for the identity shortcut.</summary>
    public Sequential? Downsample => HasModule("downsample") ? GetModule<Sequential>("downsample") : null;

    /// <inheritdoc/>
    public override Tensor Forward(Tensor input)
    {
        var output = Bn1.Forward(Conv1.Forward(input)).Relu();
        output = Bn2.Forward(Conv2.Forward(output));
        var identity = Downsample?.Forward(input) ?? input;
        return (output + identity).Relu();
    }
}

namespace StaticGrad.Nn;

/// <summary>Max pooling over NCHW images (PyTorch's <c>nn.MaxPool2d</c>); see <see cref="Functional.MaxPool2d(Tensor, int, int?, int, int, bool)"/>.</summary>
public sealed class MaxPool2d : Module
{
    /// <summary>Creates the layer with a square window.</summary>
    /// <param name="kernelSize">The window size.</param>
    /// <param name="stride">The step between windows; the kernel size when null.</param>
    /// <param name="padding">The −∞ padding on every side.</param>
    /// <param name="dilation">The spacing of the window's elements.</param>
    /// <param name="ceilMode">Round the output size up.</param>
    public MaxPool2d(int kernelSize, int? stride = null, int padding = 0, int dilation = 1, bool ceilMode = false)
        : this((kernelSize, kernelSize), stride is { } s ? (s, s) : null, (padding, padding), (dilation, dilation), ceilMode)
    {
    }

    /// <summary>Creates the layer with the window given per dimension (height, width).</summary>
    /// <param name="kernelSize">The window size.</param>
    /// <param name="stride">The step between windows; the kernel size when null.</param>
    /// <param name="padding">The −∞ padding on both sides of each dimension.</param>
    /// <param name="dilation">The spacing of the window's elements.</param>
    /// <param name="ceilMode">Round the output size up.</param>
    public MaxPool2d((int H, int W) kernelSize, (int H, int W)? stride, (int H, int W) padding, (int H, int W) dilation, bool ceilMode = false)
    {
        KernelSize = kernelSize;
        Stride = stride ?? kernelSize;
        Padding = padding;
        Dilation = dilation;
        CeilMode = ceilMode;
    }

    /// <summary>The window size.</summary>
    public (int H, int W) KernelSize { get; }

    /// <summary>The step between windows.</summary>
    public (int H, int W) Stride { get; }

    /// <summary>The −∞ padding on both sides of each dimension.</summary>
    public (int H, int W) Padding { get; }

    /// <summary>The spacing of the window's elements.</summary>
    public (int H, int W) Dilation { get; }

    /// <summary>Whether the output size is rounded up.</summary>
    public bool CeilMode { get; }

    /// <inheritdoc/>
    public override Tensor Forward(Tensor input) => Functional.MaxPool2d(input, KernelSize, Stride, Padding, Dilation, CeilMode);
}

using System.Numerics;

namespace StaticGrad.Nn;

public static partial class Functional
{
    /// <summary>
    /// The maximum over square windows of an NCHW batch (PyTorch's <c>F.max_pool2d</c>, node
    /// <c>MaxPool2DWithIndicesBackward0</c>): padding counts as −∞, ties take the first maximum, NaN propagates.
    /// </summary>
    /// <param name="input">The images, <c>[N, C, H, W]</c> or <c>[C, H, W]</c>.</param>
    /// <param name="kernelSize">The window size.</param>
    /// <param name="stride">The step between windows; the kernel size when null (PyTorch's default).</param>
    /// <param name="padding">The −∞ padding on every side, at most half the kernel size.</param>
    /// <param name="dilation">The spacing of the window's elements.</param>
    /// <param name="ceilMode">Round the output size up, so that a partial last window counts.</param>
    /// <returns>The pooled images.</returns>
    /// <exception cref="ArgumentException">The input or window does not fit (PyTorch's messages).</exception>
    public static Tensor MaxPool2d(Tensor input, int kernelSize, int? stride = null, int padding = 0, int dilation = 1, bool ceilMode = false) =>
        MaxPool2d(input, (kernelSize, kernelSize), stride is { } s ? (s, s) : null, (padding, padding), (dilation, dilation), ceilMode);

    /// <summary>Max pooling with the window given per dimension (height, width).</summary>
    /// <param name="input">The images, <c>[N, C, H, W]</c> or <c>[C, H, W]</c>.</param>
    /// <param name="kernelSize">The window size.</param>
    /// <param name="stride">The step between windows; the kernel size when null.</param>
    /// <param name="padding">The −∞ padding on both sides of each dimension.</param>
    /// <param name="dilation">The spacing of the window's elements.</param>
    /// <param name="ceilMode">Round the output size up.</param>
    /// <returns>The pooled images.</returns>
    /// <exception cref="ArgumentException">The input or window does not fit (PyTorch's messages).</exception>
    /// <remarks>The backward is first order (a <c>createGraph</c> pass through it throws <see cref="NotSupportedException"/>).</remarks>
    public static Tensor MaxPool2d(Tensor input, (int H, int W) kernelSize, (int H, int W)? stride, (int H, int W) padding, (int H, int W) dilation, bool ceilMode = false)
    {
        ArgumentNullException.ThrowIfNull(input);
        if (input.Dim is not (3 or 4) || input._numel == 0)
        {
            throw new ArgumentException(Invariant($"non-empty 3D or 4D (batch mode) tensor expected for input, but got: {Dims(input)}"), nameof(input));
        }

        RequireFloating(input, "max_pool2d");
        var (strideH, strideW) = stride ?? kernelSize;
        var window = new SlidingWindow2d(kernelSize.H, kernelSize.W, strideH, strideW, padding.H, padding.W, dilation.H, dilation.W);
        window.Validate("max_pool2d");
        if (padding.H > kernelSize.H / 2 || padding.W > kernelSize.W / 2)
        {
            throw new ArgumentException(Invariant(
                $"pad should be smaller than or equal to half of kernel size, but got padW = {padding.W}, padH = {padding.H}, kW = {kernelSize.W}, kH = {kernelSize.H}"), nameof(padding));
        }

        var (planes, height, width, outShape) = PoolShape(input, window.OutputHeight(input._shape[^2], ceilMode), window.OutputWidth(input._shape[^1], ceilMode));
        if (outShape[^2] <= 0 || outShape[^1] <= 0)
        {
            throw new ArgumentException(Invariant(
                $"Given input size: ({input._shape[^3]}x{height}x{width}). Calculated output size: ({input._shape[^3]}x{outShape[^2]}x{outShape[^1]}). Output size is too small"), nameof(input));
        }

        var x = input.ContiguousData();
        var output = Tensor.Empty(outShape, input.DType);
        var indices = new int[output._numel];
        if (input.DType == DType.Float64)
        {
            PoolingKernels.MaxForward(x.ContiguousSpan<double>(), output.MutableSpan<double>(), indices, planes, height, width, window, outShape[^2], outShape[^1]);
        }
        else
        {
            PoolingKernels.MaxForward(x.ContiguousSpan<float>(), output.MutableSpan<float>(), indices, planes, height, width, window, outShape[^2], outShape[^1]);
        }

        // The kernels read pooled arrays through spans: a contiguous copy must stay leased until they return.
        GC.KeepAlive(x);

        if (Tensor.Tracks(input))
        {
            output.SetGradFn(new OpNode("MaxPool2DWithIndicesBackward0", static (n, g, gi) =>
            {
                RequireFirstOrder(n);
                var shape = n.InputShape(0);
                int plane = shape[^2] * shape[^1];
                int planes = ShapeUtil.NumElements(shape) / plane;
                var gradInput = Tensor.Zeros(shape, g.DType);
                var grad = g.ContiguousData();
                if (g.DType == DType.Float64)
                {
                    PoolingKernels.MaxBackward(grad.ContiguousSpan<double>(), n.Ints, gradInput.MutableSpan<double>(), planes, plane, n.Ints!.Length / planes);
                }
                else
                {
                    PoolingKernels.MaxBackward(grad.ContiguousSpan<float>(), n.Ints, gradInput.MutableSpan<float>(), planes, plane, n.Ints!.Length / planes);
                }

                GC.KeepAlive(grad);
                gi[0] = gradInput;
            }, input) { Ints = indices });
        }

        return output;
    }

    /// <summary>
    /// The mean over adaptive windows that divide each image into an <paramref name="outputSize"/> grid (PyTorch's
    /// <c>F.adaptive_avg_pool2d</c>): window i of a dimension covers <c>[⌊i·in/out⌋, ⌈(i+1)·in/out⌉)</c>. A 1×1 output
    /// is the spatial mean, node <c>MeanBackward1</c> as in PyTorch; other sizes <c>AdaptiveAvgPool2DBackward0</c>.
    /// </summary>
    /// <param name="input">The images, <c>[N, C, H, W]</c> or <c>[C, H, W]</c>.</param>
    /// <param name="outputSize">The output's height and width.</param>
    /// <returns>The pooled images, <c>[N, C, outH, outW]</c>.</returns>
    /// <exception cref="ArgumentException">The input is not 3-D or 4-D, is empty, or a size is not positive.</exception>
    /// <remarks>The backward is first order (a <c>createGraph</c> pass through it throws <see cref="NotSupportedException"/>).</remarks>
    public static Tensor AdaptiveAvgPool2d(Tensor input, (int H, int W) outputSize)
    {
        ArgumentNullException.ThrowIfNull(input);
        if (input.Dim is not (3 or 4) || input._numel == 0)
        {
            throw new ArgumentException(Invariant($"adaptive_avg_pool2d(): Expected 3D or 4D tensor, but got {Dims(input)}"), nameof(input));
        }

        if (outputSize.H <= 0 || outputSize.W <= 0)
        {
            throw new ArgumentException(Invariant($"adaptive_avg_pool2d: elements of output_size must be greater than or equal to 1 but received {{{outputSize.H}, {outputSize.W}}}"), nameof(outputSize));
        }

        RequireFloating(input, "adaptive_avg_pool2d");
        var (planes, height, width, outShape) = PoolShape(input, outputSize.H, outputSize.W);
        var x = input.ContiguousData();
        var output = Tensor.Empty(outShape, input.DType);
        if (input.DType == DType.Float64)
        {
            PoolingKernels.AdaptiveAverageForward(x.ContiguousSpan<double>(), output.MutableSpan<double>(), planes, height, width, outputSize.H, outputSize.W);
        }
        else
        {
            PoolingKernels.AdaptiveAverageForward(x.ContiguousSpan<float>(), output.MutableSpan<float>(), planes, height, width, outputSize.H, outputSize.W);
        }

        GC.KeepAlive(x);

        if (Tensor.Tracks(input))
        {
            var name = outputSize == (1, 1) ? "MeanBackward1" : "AdaptiveAvgPool2DBackward0";
            output.SetGradFn(new OpNode(name, AdaptiveAveragePoolBackward, input));
        }

        return output;
    }

    /// <summary>The adaptive average pooling to a square <paramref name="outputSize"/> grid.</summary>
    /// <param name="input">The images, <c>[N, C, H, W]</c> or <c>[C, H, W]</c>.</param>
    /// <param name="outputSize">The output's height and width.</param>
    /// <returns>The pooled images.</returns>
    public static Tensor AdaptiveAvgPool2d(Tensor input, int outputSize) => AdaptiveAvgPool2d(input, (outputSize, outputSize));

    private static void AdaptiveAveragePoolBackward(OpNode node, Tensor grad, Tensor?[] gradInputs)
    {
        RequireFirstOrder(node);
        var shape = node.InputShape(0);
        int height = shape[^2], width = shape[^1];
        int planes = ShapeUtil.NumElements(shape) / (height * width);
        int outH = grad._shape[^2], outW = grad._shape[^1];
        var gradInput = Tensor.Zeros(shape, grad.DType);
        var g = grad.ContiguousData();
        if (g.DType == DType.Float64)
        {
            PoolingKernels.AdaptiveAverageBackward(g.ContiguousSpan<double>(), gradInput.MutableSpan<double>(), planes, height, width, outH, outW);
        }
        else
        {
            PoolingKernels.AdaptiveAverageBackward(g.ContiguousSpan<float>(), gradInput.MutableSpan<float>(), planes, height, width, outH, outW);
        }

        GC.KeepAlive(g);

        gradInputs[0] = gradInput;
    }

    /// <summary>The number of planes, the plane size and the output shape of a pooling of the last two dimensions.</summary>
    private static (int Planes, int Height, int Width, int[] OutShape) PoolShape(Tensor input, int outH, int outW)
    {
        int height = input._shape[^2], width = input._shape[^1];
        var outShape = (int[])input._shape.Clone();
        outShape[^2] = outH;
        outShape[^1] = outW;
        return (input._numel / (height * width), height, width, outShape);
    }
}

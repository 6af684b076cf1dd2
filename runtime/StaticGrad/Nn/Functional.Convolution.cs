using System.Numerics;

namespace StaticGrad.Nn;

public static partial class Functional
{
    /// <summary>
    /// The 2-D convolution (cross-correlation, as in PyTorch) of an NCHW batch with square stride, padding and
    /// dilation (PyTorch's <c>F.conv2d</c>, node <c>ConvolutionBackward0</c>).
    /// </summary>
    /// <param name="input">The images, <c>[N, C, H, W]</c>, or one image <c>[C, H, W]</c>.</param>
    /// <param name="weight">The filters, <c>[O, C/groups, kh, kw]</c>.</param>
    /// <param name="bias">One value per output channel <c>[O]</c>, or null.</param>
    /// <param name="stride">The step between windows.</param>
    /// <param name="padding">Zeros added on every side.</param>
    /// <param name="dilation">The spacing of the kernel taps.</param>
    /// <param name="groups">The number of channel groups convolved separately.</param>
    /// <returns>The output <c>[N, O, outH, outW]</c>.</returns>
    /// <exception cref="ArgumentException">The shapes, dtypes or window do not fit (PyTorch's messages).</exception>
    public static Tensor Conv2d(Tensor input, Tensor weight, Tensor? bias = null, int stride = 1, int padding = 0, int dilation = 1, int groups = 1) =>
        Conv2d(input, weight, bias, (stride, stride), (padding, padding), (dilation, dilation), groups);

    /// <summary>The 2-D convolution with stride, padding and dilation given per dimension (height, width).</summary>
    /// <param name="input">The images, <c>[N, C, H, W]</c>, or one image <c>[C, H, W]</c>.</param>
    /// <param name="weight">The filters, <c>[O, C/groups, kh, kw]</c>.</param>
    /// <param name="bias">One value per output channel <c>[O]</c>, or null.</param>
    /// <param name="stride">The step between windows.</param>
    /// <param name="padding">Zeros added on both sides of each dimension.</param>
    /// <param name="dilation">The spacing of the kernel taps.</param>
    /// <param name="groups">The number of channel groups convolved separately.</param>
    /// <returns>The output <c>[N, O, outH, outW]</c>.</returns>
    /// <exception cref="ArgumentException">The shapes, dtypes or window do not fit (PyTorch's messages).</exception>
    /// <remarks>
    /// The whole batch of one group is a single matrix product on <see cref="Tensor.Mm"/> over an im2col matrix rented
    /// from a pool; the backward recomputes that matrix instead of keeping it. The backward is first order: a
    /// <c>createGraph</c> pass through it throws <see cref="NotSupportedException"/>.
    /// </remarks>
    public static Tensor Conv2d(Tensor input, Tensor weight, Tensor? bias, (int H, int W) stride, (int H, int W) padding, (int H, int W) dilation, int groups = 1)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(weight);
        if (input.Dim == 3)
        {
            return Conv2d(input.Unsqueeze(0), weight, bias, stride, padding, dilation, groups).Squeeze(0);
        }

        if (input.Dim != 4)
        {
            throw new ArgumentException(Invariant($"Expected 3D (unbatched) or 4D (batched) input to conv2d, but got input of size: {Dims(input)}"), nameof(input));
        }

        if (weight.Dim != 4)
        {
            throw new ArgumentException(Invariant($"Expected 4-dimensional weight for 4-dimensional input {Dims(input)}, but got {weight.Dim}-dimensional weight of size {Dims(weight)} instead"), nameof(weight));
        }

        if (groups <= 0)
        {
            throw new ArgumentException("non-positive groups is not supported", nameof(groups));
        }

        RequireFloating(input, "conv2d");
        RequireDType(weight, input.DType, "weight");
        RequireDType(bias, input.DType, "bias");
        int n = input._shape[0], c = input._shape[1], h = input._shape[2], w = input._shape[3];
        int o = weight._shape[0];
        if (o % groups != 0)
        {
            throw new ArgumentException(Invariant($"Given groups={groups}, expected weight to be divisible by {groups} at dimension 0, but got weight of size {Dims(weight)} instead"), nameof(weight));
        }

        if (weight._shape[1] * groups != c)
        {
            throw new ArgumentException(Invariant($"Given groups={groups}, weight of size {Dims(weight)}, expected input{Dims(input)} to have {weight._shape[1] * groups} channels, but got {c} channels instead"), nameof(input));
        }

        if (bias is not null && (bias.Dim != 1 || bias._shape[0] != o))
        {
            throw new ArgumentException(Invariant($"Given weight of size {Dims(weight)}, expected bias to be 1-dimensional with {o} elements, but got bias of size {Dims(bias)} instead"), nameof(bias));
        }

        var window = new SlidingWindow2d(weight._shape[2], weight._shape[3], stride.H, stride.W, padding.H, padding.W, dilation.H, dilation.W);
        window.Validate("conv2d");
        int outH = window.OutputHeight(h), outW = window.OutputWidth(w);
        if (outH <= 0 || outW <= 0)
        {
            throw new ArgumentException(Invariant(
                $"Calculated padded input size per channel: ({h + (2 * padding.H)} x {w + (2 * padding.W)}). Kernel size: ({(dilation.H * (window.KernelH - 1)) + 1} x {(dilation.W * (window.KernelW - 1)) + 1}). Kernel size can't be greater than actual input size"), nameof(input));
        }

        var geometry = new ConvolutionShape(n, c, h, w, o, groups, window, outH, outW);
        var output = Tensor.Empty(new[] { n, o, outH, outW }, input.DType);
        var x = input.ContiguousData();
        var filters = weight.ContiguousData();
        if (input.DType == DType.Float64)
        {
            ConvolutionForward<double>(x, filters, bias?.ContiguousData(), output, geometry);
        }
        else
        {
            ConvolutionForward<float>(x, filters, bias?.ContiguousData(), output, geometry);
        }

        bool tracks = Autograd.IsGradEnabled && (input.RequiresGrad || weight.RequiresGrad || (bias?.RequiresGrad ?? false));
        if (tracks)
        {
            var node = bias is null
                ? new OpNode("ConvolutionBackward0", ConvolutionBackward, input, weight)
                : new OpNode("ConvolutionBackward0", ConvolutionBackward, input, weight, bias);
            node.Ints = new[] { window.StrideH, window.StrideW, window.PadH, window.PadW, window.DilationH, window.DilationW, groups };
            if (node.NeedsGrad(1))
            {
                node.Save0(input);
            }

            if (node.NeedsGrad(0))
            {
                node.Save1(weight);
            }

            output.SetGradFn(node);
        }

        return output;
    }

    private static void ConvolutionForward<T>(Tensor input, Tensor weight, Tensor? bias, Tensor output, in ConvolutionShape s)
        where T : unmanaged, INumber<T>
    {
        int rows = s.GroupChannels * s.Window.KernelH * s.Window.KernelW;
        var filters = weight.Detach().View(s.OutChannels, rows);
        var x = input.ContiguousSpan<T>();
        var y = output.MutableSpan<T>();
        var b = bias is null ? ReadOnlySpan<T>.Empty : bias.ContiguousSpan<T>();
        using var cols = ScratchTensor.Rent(new[] { rows, s.N * s.OutH * s.OutW }, input.DType);
        using (Autograd.NoGrad())
        {
            for (int g = 0; g < s.Groups; g++)
            {
                ConvolutionKernels.Im2Col(x, cols.Tensor.MutableSpan<T>(), s.N, s.C, s.H, s.W, g, s.GroupChannels, s.Window, s.OutH, s.OutW);
                var product = GroupRows(filters, g, s.GroupOut, s.Groups).Mm(cols.Tensor);
                ConvolutionKernels.ScatterOutput(product.ContiguousSpan<T>(), y, b, s.N, s.OutChannels, g, s.GroupOut, s.OutH * s.OutW);
                GC.KeepAlive(product);
            }
        }

        // x, y and b are spans over pooled arrays: their tensors stay reachable until the last kernel returns (the
        // products above allocate, so a collection can run meanwhile).
        GC.KeepAlive(input);
        GC.KeepAlive(output);
        GC.KeepAlive(bias);
    }

    private static void ConvolutionBackward(OpNode node, Tensor grad, Tensor?[] gradInputs)
    {
        RequireFirstOrder(node);
        var p = node.Ints!;
        int[] inputShape = node.InputShape(0), weightShape = node.InputShape(1);
        var window = new SlidingWindow2d(weightShape[2], weightShape[3], p[0], p[1], p[2], p[3], p[4], p[5]);
        int outH = grad._shape[2], outW = grad._shape[3];
        var s = new ConvolutionShape(inputShape[0], inputShape[1], inputShape[2], inputShape[3], weightShape[0], p[6], window, outH, outW);
        var input = node.NeedsGrad(1) ? node.Saved0.ContiguousData() : null;
        var weight = node.NeedsGrad(0) ? node.Saved1.ContiguousData() : null;
        var g = grad.ContiguousData();
        using (Autograd.NoGrad())
        {
            if (g.DType == DType.Float64)
            {
                ConvolutionGradients<double>(g, input, weight, s, gradInputs);
            }
            else
            {
                ConvolutionGradients<float>(g, input, weight, s, gradInputs);
            }
        }

        if (gradInputs.Length > 2 && node.NeedsGrad(2))
        {
            var gradBias = Tensor.Empty(new[] { s.OutChannels }, g.DType);
            if (g.DType == DType.Float64)
            {
                ConvolutionKernels.SumPerChannel(g.ContiguousSpan<double>(), gradBias.MutableSpan<double>(), s.N, s.OutChannels, outH * outW);
            }
            else
            {
                ConvolutionKernels.SumPerChannel(g.ContiguousSpan<float>(), gradBias.MutableSpan<float>(), s.N, s.OutChannels, outH * outW);
            }

            gradInputs[2] = gradBias;
        }

        GC.KeepAlive(g);
    }

    /// <summary>The input gradient <c>col2im(Wᵀ·g)</c> when <paramref name="weight"/> is given, the weight gradient <c>g·colsᵀ</c> when <paramref name="input"/> is.</summary>
    private static void ConvolutionGradients<T>(Tensor grad, Tensor? input, Tensor? weight, in ConvolutionShape s, Tensor?[] gradInputs)
        where T : unmanaged, INumber<T>
    {
        int rows = s.GroupChannels * s.Window.KernelH * s.Window.KernelW;
        int positions = s.OutH * s.OutW, columns = s.N * positions;
        var dtype = grad.DType;
        using var gradRows = ScratchTensor.Rent(new[] { s.GroupOut, columns }, dtype);
        using var cols = input is null ? default : ScratchTensor.Rent(new[] { rows, columns }, dtype);
        var filters = weight?.Detach().View(s.OutChannels, rows);
        var gradInput = weight is null ? null : Tensor.Zeros(new[] { s.N, s.C, s.H, s.W }, dtype);
        var gradWeight = input is null ? null : Tensor.Empty(new[] { s.OutChannels, s.GroupChannels, s.Window.KernelH, s.Window.KernelW }, dtype);
        for (int g = 0; g < s.Groups; g++)
        {
            ConvolutionKernels.GatherOutput(grad.ContiguousSpan<T>(), gradRows.Tensor.MutableSpan<T>(), s.N, s.OutChannels, g, s.GroupOut, positions);
            if (filters is not null)
            {
                var gradCols = GroupRows(filters, g, s.GroupOut, s.Groups).T.Mm(gradRows.Tensor);
                ConvolutionKernels.Col2Im(gradCols.ContiguousSpan<T>(), gradInput!.MutableSpan<T>(), s.N, s.C, s.H, s.W, g, s.GroupChannels, s.Window, s.OutH, s.OutW);
                GC.KeepAlive(gradCols);
            }

            if (input is not null)
            {
                ConvolutionKernels.Im2Col(input.ContiguousSpan<T>(), cols.Tensor.MutableSpan<T>(), s.N, s.C, s.H, s.W, g, s.GroupChannels, s.Window, s.OutH, s.OutW);
                var groupGrad = gradRows.Tensor.Mm(cols.Tensor.T);
                groupGrad.ContiguousSpan<T>().CopyTo(gradWeight!.MutableSpan<T>().Slice(g * s.GroupOut * rows, s.GroupOut * rows));
                GC.KeepAlive(groupGrad);
            }
        }

        // The kernels above read grad's and input's pooled arrays through spans while the products allocate.
        GC.KeepAlive(grad);
        GC.KeepAlive(input);

        gradInputs[0] = gradInput;
        gradInputs[1] = gradWeight;
    }

    private static Tensor GroupRows(Tensor matrix, int group, int groupRows, int groups) =>
        groups == 1 ? matrix : matrix.Narrow(0, group * groupRows, groupRows);

    /// <summary>The sizes of one convolution call.</summary>
    private readonly record struct ConvolutionShape(int N, int C, int H, int W, int OutChannels, int Groups, SlidingWindow2d Window, int OutH, int OutW)
    {
        public int GroupChannels => C / Groups;

        public int GroupOut => OutChannels / Groups;
    }
}

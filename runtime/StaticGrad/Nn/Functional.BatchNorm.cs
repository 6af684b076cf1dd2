using System.Numerics;

namespace StaticGrad.Nn;

public static partial class Functional
{
    /// <summary>
    /// Batch normalisation over the channel dimension 1 of <c>[N, C, …]</c> (PyTorch's <c>F.batch_norm</c>, node
    /// <c>NativeBatchNormBackward0</c>). In training the batch's mean and biased variance normalise, and the running
    /// statistics, when given, move towards the batch's: <c>r ← (1 − momentum)·r + momentum·batch</c>, with the
    /// unbiased variance for <paramref name="runningVar"/>, as PyTorch does. Otherwise the running statistics
    /// normalise and are left alone.
    /// </summary>
    /// <param name="input">The batch, at least 2-D, channels in dimension 1.</param>
    /// <param name="runningMean">The running mean <c>[C]</c>, updated in place in training; required in evaluation.</param>
    /// <param name="runningVar">The running variance <c>[C]</c>, updated in place in training; required in evaluation.</param>
    /// <param name="weight">The scale <c>γ</c> <c>[C]</c>, or null for 1.</param>
    /// <param name="bias">The shift <c>β</c> <c>[C]</c>, or null for 0.</param>
    /// <param name="training">Normalise with the batch's statistics (and update the running ones).</param>
    /// <param name="momentum">The weight of the batch's statistics in the running update.</param>
    /// <param name="eps">Added to the variance before the square root.</param>
    /// <returns>The normalised batch, the shape of <paramref name="input"/>.</returns>
    /// <exception cref="ArgumentException">The shapes or dtypes do not fit, or a channel has a single value in training.</exception>
    /// <remarks>
    /// Gradients flow to the input whenever it requires grad, also when the weight and bias are frozen: a frozen
    /// backbone still passes gradients through. In evaluation the input gradient is <c>g·γ/√(var + eps)</c>.
    /// The backward is first order (a <c>createGraph</c> pass through it throws <see cref="NotSupportedException"/>).
    /// </remarks>
    public static Tensor BatchNorm(Tensor input, Tensor? runningMean, Tensor? runningVar, Tensor? weight = null, Tensor? bias = null, bool training = false, double momentum = 0.1, double eps = 1e-5)
    {
        ArgumentNullException.ThrowIfNull(input);
        if (input.Dim < 2)
        {
            throw new ArgumentException(Invariant($"batch_norm expects an input with at least 2 dimensions (batch and channels), got size {Dims(input)}"), nameof(input));
        }

        RequireFloating(input, "batch_norm");
        int n = input._shape[0], channels = input._shape[1];
        int spatial = input._numel / Math.Max(1, n * channels);
        foreach (var (t, name) in new[] { (runningMean, "running_mean"), (runningVar, "running_var"), (weight, "weight"), (bias, "bias") })
        {
            if (t is not null && t._numel != channels)
            {
                throw new ArgumentException(Invariant($"{name} should contain {channels} elements not {t._numel}"));
            }
        }

        RequireDType(weight, input.DType, "weight");
        RequireDType(bias, input.DType, "bias");
        if (!training && (runningMean is null || runningVar is null))
        {
            throw new ArgumentException((runningMean is null ? "running_mean" : "running_var") + " must be defined in evaluation mode");
        }

        long count = (long)n * spatial;
        if (training && count <= 1)
        {
            throw new ArgumentException("Expected more than 1 value per channel when training, got input size " + ShapeUtil.TorchSize(input._shape), nameof(input));
        }

        var x = input.ContiguousData();
        var stats = new double[2 * channels];
        var mean = stats.AsSpan(0, channels);
        var invStd = stats.AsSpan(channels, channels);
        if (training)
        {
            var variance = new double[channels];
            if (input.DType == DType.Float64)
            {
                BatchNormKernels.Statistics(x.ContiguousSpan<double>(), n, channels, spatial, mean, variance);
            }
            else
            {
                BatchNormKernels.Statistics(x.ContiguousSpan<float>(), n, channels, spatial, mean, variance);
            }

            UpdateRunning(runningMean, runningVar, mean.ToArray(), variance, momentum, count);
            for (int c = 0; c < channels; c++)
            {
                invStd[c] = 1.0 / Math.Sqrt(variance[c] + eps);
            }
        }
        else
        {
            runningMean!.ToArray().CopyTo(mean);
            var variance = runningVar!.ToArray();
            for (int c = 0; c < channels; c++)
            {
                invStd[c] = 1.0 / Math.Sqrt(variance[c] + eps);
            }
        }

        var gamma = weight?.ToArray();
        var beta = bias?.ToArray();
        var scale = new double[channels];
        var shift = new double[channels];
        for (int c = 0; c < channels; c++)
        {
            scale[c] = (gamma?[c] ?? 1.0) * invStd[c];
            shift[c] = (beta?[c] ?? 0.0) - (mean[c] * scale[c]);
        }

        var output = Tensor.Empty(input._shape, input.DType);
        if (input.DType == DType.Float64)
        {
            BatchNormKernels.Affine(x.ContiguousSpan<double>(), output.MutableSpan<double>(), n, channels, spatial, scale, shift);
        }
        else
        {
            BatchNormKernels.Affine(x.ContiguousSpan<float>(), output.MutableSpan<float>(), n, channels, spatial, scale, shift);
        }

        // The kernels read x's pooled array through spans: a contiguous copy must stay leased until they return.
        GC.KeepAlive(x);

        bool tracks = Autograd.IsGradEnabled && (input.RequiresGrad || (weight?.RequiresGrad ?? false) || (bias?.RequiresGrad ?? false));
        if (tracks)
        {
            // Absent affine parameters take an edge-less placeholder, so that the node always has PyTorch's three inputs.
            var node = new OpNode("NativeBatchNormBackward0", BatchNormBackward, input, weight ?? Tensor.Scalar(1.0), bias ?? Tensor.Scalar(0.0))
            {
                Flag = training,
                Int0 = weight is null ? 0 : 1,
                Constant = Tensor.FromArray(stats),
            };
            if ((training && node.NeedsGrad(0)) || node.NeedsGrad(1))
            {
                node.Save0(input);
            }

            if (weight is not null && node.NeedsGrad(0))
            {
                node.Save1(weight);
            }

            output.SetGradFn(node);
        }

        return output;
    }

    private static void UpdateRunning(Tensor? runningMean, Tensor? runningVar, double[] mean, double[] variance, double momentum, long count)
    {
        using (Autograd.NoGrad())
        {
            if (runningMean is not null)
            {
                runningMean.MulInPlace(1 - momentum).AddInPlace(Tensor.FromArray(mean).ToDType(runningMean.DType), momentum);
            }

            if (runningVar is not null)
            {
                var unbiased = new double[variance.Length];
                for (int c = 0; c < unbiased.Length; c++)
                {
                    unbiased[c] = variance[c] * count / (count - 1);
                }

                runningVar.MulInPlace(1 - momentum).AddInPlace(Tensor.FromArray(unbiased).ToDType(runningVar.DType), momentum);
            }
        }
    }

    private static void BatchNormBackward(OpNode node, Tensor grad, Tensor?[] gradInputs)
    {
        RequireFirstOrder(node);
        var shape = node.InputShape(0);
        int n = shape[0], channels = shape[1];
        int spatial = ShapeUtil.NumElements(shape) / Math.Max(1, n * channels);
        var stats = node.Constant!.ToArray();
        var mean = stats.AsSpan(0, channels);
        var invStd = stats.AsSpan(channels, channels);
        var gamma = node.NeedsGrad(0) && node.Int0 == 1 ? node.Saved1.ToArray() : null;
        var g = grad.ContiguousData();
        bool needSums = (node.Flag && node.NeedsGrad(0)) || node.NeedsGrad(1) || node.NeedsGrad(2);
        var sumG = new double[channels];
        var sumGCentred = new double[channels];
        Tensor? x = needSums && (node.Flag || node.NeedsGrad(1)) ? node.Saved0.ContiguousData() : null;
        if (needSums)
        {
            if (g.DType == DType.Float64)
            {
                BatchNormSums<double>(g, x, n, channels, spatial, mean, sumG, sumGCentred);
            }
            else
            {
                BatchNormSums<float>(g, x, n, channels, spatial, mean, sumG, sumGCentred);
            }
        }

        if (node.NeedsGrad(0))
        {
            var a = new double[channels];
            var b = new double[channels];
            var k = new double[channels];
            double count = (double)n * spatial;
            for (int c = 0; c < channels; c++)
            {
                a[c] = (gamma?[c] ?? 1.0) * invStd[c];
                if (node.Flag)
                {
                    b[c] = -a[c] * invStd[c] * invStd[c] * sumGCentred[c] / count;
                    k[c] = (-a[c] * sumG[c] / count) - (b[c] * mean[c]);
                }
            }

            var dx = Tensor.Empty(shape, g.DType);
            if (g.DType == DType.Float64)
            {
                BatchNormKernels.InputGradient(g.ContiguousSpan<double>(), x is null ? default : x.ContiguousSpan<double>(), dx.MutableSpan<double>(), n, channels, spatial, a, b, k);
            }
            else
            {
                BatchNormKernels.InputGradient(g.ContiguousSpan<float>(), x is null ? default : x.ContiguousSpan<float>(), dx.MutableSpan<float>(), n, channels, spatial, a, b, k);
            }

            GC.KeepAlive(x);

            gradInputs[0] = dx;
        }

        if (node.NeedsGrad(1))
        {
            var dw = new double[channels];
            for (int c = 0; c < channels; c++)
            {
                dw[c] = sumGCentred[c] * invStd[c];
            }

            gradInputs[1] = Tensor.FromArray(dw).ToDType(g.DType);
        }

        if (node.NeedsGrad(2))
        {
            gradInputs[2] = Tensor.FromArray(sumG).ToDType(g.DType);
        }

        GC.KeepAlive(g);
    }

    private static void BatchNormSums<T>(Tensor g, Tensor? x, int n, int channels, int spatial, ReadOnlySpan<double> mean, Span<double> sumG, Span<double> sumGCentred)
        where T : unmanaged, INumber<T>
    {
        // Without the input (evaluation, bias gradient only) Σg is all that is needed; the centred sum stays zero.
        BatchNormKernels.GradientSums(g.ContiguousSpan<T>(), x is null ? default : x.ContiguousSpan<T>(), n, channels, spatial, mean, sumG, sumGCentred);
        GC.KeepAlive(g);
        GC.KeepAlive(x);
    }
}

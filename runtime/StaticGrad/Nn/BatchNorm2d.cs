namespace StaticGrad.Nn;

/// <summary>
/// Batch normalisation of NCHW images per channel (PyTorch's <c>nn.BatchNorm2d</c>): the learnable scale
/// <see cref="Weight"/> (ones) and shift <see cref="Bias"/> (zeros), and the buffers <see cref="RunningMean"/>,
/// <see cref="RunningVar"/> and <see cref="NumBatchesTracked"/>, saved in the <see cref="Module.StateDict"/>.
/// </summary>
/// <remarks>
/// In training mode a batch is normalised with its own statistics and the running statistics are updated (also when
/// the parameters are frozen, as in PyTorch); in evaluation mode (<see cref="Module.Eval"/>) the running statistics
/// normalise and nothing changes. Fine-tuning a frozen backbone therefore needs both <c>SetRequiresGrad(false)</c>
/// and <c>Eval()</c>, as in PyTorch. Gradients still flow through to the input either way.
/// </remarks>
public sealed class BatchNorm2d : Module
{
    /// <summary>Creates the layer.</summary>
    /// <param name="numFeatures">The channels C of the <c>[N, C, H, W]</c> input.</param>
    /// <param name="eps">Added to the variance before the square root.</param>
    /// <param name="momentum">
    /// The weight of a batch's statistics in the running update; null for the cumulative average over all batches
    /// (PyTorch's <c>momentum=None</c>).
    /// </param>
    /// <param name="affine">Whether the layer learns <see cref="Weight"/> and <see cref="Bias"/>.</param>
    /// <param name="trackRunningStats">Whether the layer keeps running statistics; without them it always normalises with the batch's.</param>
    /// <param name="dtype">The parameters' and running statistics' dtype.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="numFeatures"/> is not positive or the dtype is not floating point.</exception>
    public BatchNorm2d(int numFeatures, double eps = 1e-5, double? momentum = 0.1, bool affine = true, bool trackRunningStats = true, DType dtype = DType.Float64)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(numFeatures);
        ParameterInit.RequireFloating(dtype, "BatchNorm2d");
        NumFeatures = numFeatures;
        Eps = eps;
        Momentum = momentum;
        RegisterParameter("weight", affine ? new Parameter(Tensor.Ones(new[] { numFeatures }, dtype)) : null);
        RegisterParameter("bias", affine ? new Parameter(Tensor.Zeros(new[] { numFeatures }, dtype)) : null);
        RegisterBuffer("running_mean", trackRunningStats ? Tensor.Zeros(new[] { numFeatures }, dtype) : null);
        RegisterBuffer("running_var", trackRunningStats ? Tensor.Ones(new[] { numFeatures }, dtype) : null);
        RegisterBuffer("num_batches_tracked", trackRunningStats ? Tensor.Zeros(Array.Empty<int>(), DType.Int64) : null);
    }

    /// <summary>The number of channels.</summary>
    public int NumFeatures { get; }

    /// <summary>Added to the variance before the square root.</summary>
    public double Eps { get; }

    /// <summary>The weight of a batch in the running update, or null for the cumulative average.</summary>
    public double? Momentum { get; }

    /// <summary>The scale γ <c>[C]</c>, or null when not affine.</summary>
    public Parameter? Weight => GetParameter("weight");

    /// <summary>The shift β <c>[C]</c>, or null when not affine.</summary>
    public Parameter? Bias => GetParameter("bias");

    /// <summary>The running mean <c>[C]</c> (a buffer), or null without running statistics.</summary>
    public Tensor? RunningMean => GetBuffer("running_mean");

    /// <summary>The running unbiased variance <c>[C]</c> (a buffer), or null without running statistics.</summary>
    public Tensor? RunningVar => GetBuffer("running_var");

    /// <summary>The number of training batches seen, an int64 scalar (a buffer), or null without running statistics.</summary>
    public Tensor? NumBatchesTracked => GetBuffer("num_batches_tracked");

    /// <inheritdoc/>
    /// <exception cref="ArgumentException">The input is not 4-D.</exception>
    public override Tensor Forward(Tensor input)
    {
        ArgumentNullException.ThrowIfNull(input);
        if (input.Dim != 4)
        {
            throw new ArgumentException($"expected 4D input (got {input.Dim}D input)", nameof(input));
        }

        var runningMean = RunningMean;
        var runningVar = RunningVar;
        double factor = Momentum ?? 0.0;
        if (Training && NumBatchesTracked is { } tracked)
        {
            using (Autograd.NoGrad())
            {
                tracked.AddInPlace(1);
            }

            if (Momentum is null)
            {
                factor = 1.0 / tracked.Item();
            }
        }

        bool useBatchStatistics = Training || (runningMean is null && runningVar is null);
        return Functional.BatchNorm(input, runningMean, runningVar, Weight, Bias, useBatchStatistics, factor, Eps);
    }
}

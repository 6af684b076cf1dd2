namespace StaticGrad.Nn;

/// <summary>
/// Average pooling to a fixed output grid whatever the input size (PyTorch's <c>nn.AdaptiveAvgPool2d</c>); with a
/// 1×1 output it is ResNet's global average pool. See <see cref="Functional.AdaptiveAvgPool2d(Tensor, ValueTuple{int, int})"/>.
/// </summary>
public sealed class AdaptiveAvgPool2d : Module
{
    /// <summary>Creates the layer with a square output grid.</summary>
    /// <param name="outputSize">The output's height and width.</param>
    public AdaptiveAvgPool2d(int outputSize)
        : this((outputSize, outputSize))
    {
    }

    /// <summary>Creates the layer.</summary>
    /// <param name="outputSize">The output's height and width.</param>
    /// <exception cref="ArgumentOutOfRangeException">A size is not positive.</exception>
    public AdaptiveAvgPool2d((int H, int W) outputSize)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(outputSize.H, nameof(outputSize));
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(outputSize.W, nameof(outputSize));
        OutputSize = outputSize;
    }

    /// <summary>The output's height and width.</summary>
    public (int H, int W) OutputSize { get; }

    /// <inheritdoc/>
    public override Tensor Forward(Tensor input) => Functional.AdaptiveAvgPool2d(input, OutputSize);
}

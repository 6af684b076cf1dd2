using System.Globalization;

namespace StaticGrad.Nn;

/// <summary>The squared error <c>(input − target)²</c>, averaged by default (PyTorch's <c>nn.MSELoss</c>).</summary>
public sealed class MseLoss : Loss
{
    /// <summary>Creates the loss.</summary>
    /// <param name="reduction">How the squared errors are combined.</param>
    public MseLoss(Reduction reduction = Reduction.Mean)
        : base(reduction)
    {
    }

    /// <inheritdoc/>
    /// <exception cref="ArgumentException">The shapes differ (PyTorch broadcasts with a warning; a silent broadcast here is a classic bug).</exception>
    public override Tensor Forward(Tensor input, Tensor target)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(target);
        if (!input.Shape.AsSpan().SequenceEqual(target.Shape))
        {
            throw new ArgumentException(string.Create(CultureInfo.InvariantCulture,
                $"MseLoss: the target's shape [{string.Join(", ", target.Shape)}] differs from the input's shape [{string.Join(", ", input.Shape)}]."), nameof(target));
        }

        var diff = input - target;
        return Reduce(diff * diff);
    }
}

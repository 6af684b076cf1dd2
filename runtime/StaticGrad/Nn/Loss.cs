namespace StaticGrad.Nn;

/// <summary>
/// A loss function of a prediction and a target (PyTorch's <c>nn.*Loss</c> modules). Unlike a <see cref="Module"/> it
/// takes two inputs and owns no parameters, so it is not one.
/// </summary>
public abstract class Loss
{
    /// <summary>Creates the loss with the given reduction.</summary>
    /// <param name="reduction">How the per-element losses are combined.</param>
    protected Loss(Reduction reduction)
    {
        if (!Enum.IsDefined(reduction))
        {
            throw new ArgumentOutOfRangeException(nameof(reduction), reduction, "unknown reduction");
        }

        Reduction = reduction;
    }

    /// <summary>How the per-element losses are combined.</summary>
    public Reduction Reduction { get; }

    /// <summary>Computes the loss of <paramref name="input"/> against <paramref name="target"/>.</summary>
    /// <param name="input">The prediction.</param>
    /// <param name="target">The target.</param>
    /// <returns>A scalar, or the per-element losses for <see cref="Reduction.None"/>.</returns>
    public abstract Tensor Forward(Tensor input, Tensor target);

    /// <summary>Applies <see cref="Reduction"/> to per-element losses.</summary>
    /// <param name="losses">The per-element losses.</param>
    /// <returns>The reduced loss.</returns>
    protected Tensor Reduce(Tensor losses)
    {
        ArgumentNullException.ThrowIfNull(losses);
        return Reduction switch
        {
            Reduction.Mean => losses.Mean(),
            Reduction.Sum => losses.Sum(),
            _ => losses,
        };
    }
}

namespace StaticGrad.Nn;

/// <summary>
/// Dropout (PyTorch's <c>nn.Dropout</c>): in training mode each element is zeroed with probability <see cref="P"/>
/// and the others scaled by <c>1/(1 − p)</c>; in evaluation mode the input passes unchanged. The mask comes from the
/// layer's own <see cref="RandomGenerator"/>, so a seeded layer drops the same elements on every run.
/// </summary>
public sealed class Dropout : Module
{
    private readonly RandomGenerator _generator;

    /// <summary>Creates the layer.</summary>
    /// <param name="p">The probability of zeroing an element, in [0, 1].</param>
    /// <param name="generator">The random source of the masks; <see cref="RandomGenerator.Default"/> when null.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="p"/> is outside [0, 1].</exception>
    public Dropout(double p = 0.5, RandomGenerator? generator = null)
    {
        if (!(p >= 0 && p <= 1))
        {
            throw new ArgumentOutOfRangeException(nameof(p), p, $"dropout probability has to be between 0 and 1, but got {p}");
        }

        P = p;
        _generator = generator ?? RandomGenerator.Default;
    }

    /// <summary>The probability of zeroing an element.</summary>
    public double P { get; }

    /// <inheritdoc/>
    public override Tensor Forward(Tensor input) => Functional.Dropout(input, P, Training, _generator);
}

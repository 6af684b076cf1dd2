namespace StaticGrad.Generator.Tests.RandomPrograms;

public sealed partial class ProgramGenerator
{
    /// <summary>
    /// The constants whose folded coefficients (2c and 3c: 1.75, 2.625, 1.25, 1.875) appear in no other production,
    /// so that <see cref="OptimisationShareTests"/> finds the one-term partial by its text.
    /// </summary>
    public static readonly double[] PowerProductConstants = [0.875, 0.625];

    /// <summary>
    /// Rosenbrock's <c>100·valley·valley</c> (session 19): in a for loop, a local set to the tanh of a constant times
    /// its own square or cube, the constant first, last or between the reads, so the reverse writes one term (k·c)·v^(k−1)·g
    /// (<c>Derivatives/PowerProductRule.cs</c>). Tanh keeps the local in range. Drawn from a stream of its own, so every
    /// other program's text is unchanged.
    /// </summary>
    private void PowerProduct()
    {
        if (_powerProducts.NextDouble() >= 0.3 || !Allowed(Production.PowerProduct) || _assignable.Count == 0)
        {
            return;
        }

        Use(Production.PowerProduct);
        var target = _assignable[_powerProducts.Next(_assignable.Count)];
        var c = Literal(PowerProductConstants[_powerProducts.Next(PowerProductConstants.Length)]);
        var product = _powerProducts.Next(4) switch
        {
            0 => c + " * {0} * {0}",
            1 => "{0} * " + c + " * {0}",
            2 => "{0} * {0} * {0} * " + c,
            _ => c + " * {0} * {0} * {0}",
        };
        Assign(target, "=", Fragment.Combine(M + ".Tanh(" + product + " + {1})", Fragment.Variable(target), Expression(1)));
    }
}

namespace StaticGrad.Generator.Tests.RandomPrograms;

/// <summary>
/// Session 18 (issue 18): a reduction loop over neighbouring elements of the array parameter,
/// <c>for (int i = 0; i &lt; a.Length - 1; i++) { …; T v = a[i + 1] - a[i] * e; r += v * v; }</c> (Rosenbrock's valley),
/// the shape whose fused iteration carries the adjoint of <c>a[i + 1]</c> to the next iteration in a register. Whether
/// a reduction gets it is drawn from a stream of its own, so the programs without it are the same as before.
/// </summary>
public sealed partial class ProgramGenerator
{
    /// <summary>The bound <c>a.Length - 1</c> of a reduction loop that reads neighbours, or null for the loop's usual bound.</summary>
    private string? NeighbourBound()
    {
        if (!Allowed(Production.NeighbourReads) || _arrayParameter is null || _neighbourReads.NextDouble() >= 0.5)
        {
            return null;
        }

        Use(Production.NeighbourReads);
        return _arrayParameter + ".Length - 1";
    }

    /// <summary>At the top of the reduction's body: a value from <c>a[i + 1]</c> and <c>a[i]</c> added into the accumulator.</summary>
    private void NeighbourTerm(string accumulator, string i)
    {
        var array = _arrayParameter!;
        var valley = Fresh("nb");
        Declare(valley, Fragment.Combine("{0} - {1} * {2}", Element(array, i + " + 1"), Element(array, i), Expression(1)), T);
        Assign(accumulator, _neighbourReads.NextDouble() < 0.6 ? "+=" : "-=", Fragment.Combine("{0} * {0}", Fragment.Variable(valley)));
    }
}

using System.Globalization;

namespace StaticGrad.Generator.Tests.RandomPrograms;

/// <summary>
/// Session 18: the adjoint of <c>a[i + 1]</c> carried to the next fused iteration in a register
/// (<see cref="Production.NeighbourReads"/>, Rosenbrock's valley): one update of the array's adjoint per iteration.
/// </summary>
public sealed partial class OptimisationShareTests
{
    /// <summary>
    /// Minimum share in percent of the programs: 0.8 % measured on these 500 (4 of the 35 with a reduction over
    /// neighbours; in the others the reduction loop is not fused, or the array is written or passed whole in it). Session
    /// 19: 0.4 % (2 of 32) after that session's productions, drawn in the same loops, changed the bodies (not traced
    /// program by program); the minimum went from 0.5 % to 0.3 %. Session 20: 3.2 % (16 of 500; 29 draw
    /// <see cref="Production.CarriedNeighbours"/>, and every one of them that is fused carries) with the carried shapes,
    /// which read the array only in their own term, add no random statements to the loop and keep the result linear in
    /// the accumulator; the 13 others are not fused (an early return before the loop, a later write of a local the loop
    /// reads, a nonlinear coefficient). Minimum 2.5 %.
    /// </summary>
    private const double MinCarriedElementShare = 2.5;

    [Fact]
    public void Random_programs_carry_adjoint_elements_across_fused_iterations()
    {
        var (programs, withNeighbours, carried) = CountPrograms(Production.NeighbourReads, "per iteration: the share of [i + 1] waits");
        var share = 100.0 * carried / programs;
        _output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{programs} programs: a reduction over neighbours in {withNeighbours}, an adjoint element carried across fused iterations in {carried} ({share:F1} %)."));
        Assert.True(share >= MinCarriedElementShare, string.Create(CultureInfo.InvariantCulture, $"Only {share:F1} % of the random programs carry an adjoint element across fused iterations (minimum {MinCarriedElementShare} %)."));
    }

    /// <summary>Over the shared batches: the programs, those drawing <paramref name="production"/>, and those whose backward contains <paramref name="marker"/>.</summary>
    private static (int Programs, int Drawing, int Taking) CountPrograms(Production production, string marker) =>
        CountPrograms(production, backward => backward.Contains(marker, StringComparison.Ordinal));

    /// <summary>Over the shared batches: the programs, those drawing <paramref name="production"/>, and those whose backward <paramref name="takes"/> the path.</summary>
    private static (int Programs, int Drawing, int Taking) CountPrograms(Production production, Func<string, bool> takes)
    {
        int programs = 0, drawing = 0, taking = 0;
        for (var b = 0; b < Batches; b++)
        {
            var (batch, output) = GeneratedBatches.Get(FirstSeed + b, BatchSize);
            foreach (var program in batch.Programs)
            {
                programs++;
                drawing += program.Uses.Contains(production) ? 1 : 0;
                var backward = output.Sources.Where(s => s.HintName.EndsWith(".Programs." + program.Name + ".g.cs", StringComparison.Ordinal)).Select(s => s.Source).SingleOrDefault() ?? string.Empty;
                taking += takes(backward) ? 1 : 0;
            }
        }

        return (programs, drawing, taking);
    }
}

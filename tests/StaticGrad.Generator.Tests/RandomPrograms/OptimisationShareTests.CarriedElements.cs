using System.Globalization;

namespace StaticGrad.Generator.Tests.RandomPrograms;

/// <summary>
/// Session 18: the adjoint of <c>a[i + 1]</c> carried to the next fused iteration in a register
/// (<see cref="Production.NeighbourReads"/>, Rosenbrock's valley): one update of the array's adjoint per iteration.
/// </summary>
public sealed partial class OptimisationShareTests
{
    /// <summary>Minimum share in percent of the programs: MEASURED_SHARE.</summary>
    private const double MinCarriedElementShare = 1.0;

    [Fact]
    public void Random_programs_carry_adjoint_elements_across_fused_iterations()
    {
        int programs = 0, withNeighbours = 0, carried = 0;
        for (var b = 0; b < Batches; b++)
        {
            var (batch, output) = GeneratedBatches.Get(FirstSeed + b, BatchSize);
            foreach (var program in batch.Programs)
            {
                programs++;
                withNeighbours += program.Uses.Contains(Production.NeighbourReads) ? 1 : 0;
                var backward = output.Sources.Where(s => s.HintName.EndsWith(".Programs." + program.Name + ".g.cs", StringComparison.Ordinal)).Select(s => s.Source).SingleOrDefault() ?? string.Empty;
                carried += backward.Contains("per iteration: the share of [i + 1] waits", StringComparison.Ordinal) ? 1 : 0;
            }
        }

        var share = 100.0 * carried / programs;
        _output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{programs} programs: a reduction over neighbours in {withNeighbours}, an adjoint element carried across fused iterations in {carried} ({share:F1} %)."));
        Assert.True(share >= MinCarriedElementShare, string.Create(CultureInfo.InvariantCulture, $"Only {share:F1} % of the random programs carry an adjoint element across fused iterations (minimum {MinCarriedElementShare} %)."));
    }
}

using System.Globalization;
using Xunit.Abstractions;

namespace StaticGrad.Generator.Tests.RandomPrograms;

/// <summary>
/// Session 20 (mlp20): the share of the random programs (the batches of <see cref="OptimisationShareTests"/>,
/// generator only) whose forward sweep runs an inner loop over row spans behind its guard, with the indexed loop as
/// the fallback (<c>ReverseModeTransformer.ForwardRowSpans.cs</c>), and the share drawn by <see cref="Production.MlpRowTail"/>,
/// whose row ends at the array's end in the first outer iteration and runs past it in later ones, so that both copies
/// run. Measured on these seeds when the path was added; the minima are below it so that a change of the random
/// stream does not fail the test while the path is still exercised (measured 105 of 500, 21.0 %, and 13, 2.6 %).
/// </summary>
public sealed class ForwardRowSpansShareTests
{
    private const int Batches = 2;
    private const int BatchSize = 250;
    private const int FirstSeed = 20261123;
    private const double MinForwardRowsShare = 10.0;
    private const double MinTailShare = 1.5;

    private readonly ITestOutputHelper _output;

    public ForwardRowSpansShareTests(ITestOutputHelper output) => _output = output;

    [Fact]
    public void Random_programs_run_forward_loops_over_guarded_row_spans()
    {
        var programs = Enumerable.Range(FirstSeed, Batches).SelectMany(seed => GeneratedBatches.Get(seed, BatchSize).Batch.Programs).ToList();
        var backwards = GeneratedBatches.Backwards(FirstSeed, Batches, BatchSize).ToList();
        const string Marker = "// Over row spans where every row is in range";
        var rows = backwards.Count(b => b.Contains(Marker, StringComparison.Ordinal));
        var tails = programs.Zip(backwards).Count(p => p.First.Uses.Contains(Production.MlpRowTail) && p.Second.Contains(Marker, StringComparison.Ordinal));

        double share = 100.0 * rows / programs.Count, tailShare = 100.0 * tails / programs.Count;
        _output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{programs.Count} programs: a forward loop over guarded row spans in {rows} ({share:F1} %), {tails} of them drawn by MlpRowTail ({tailShare:F1} %)."));
        Assert.True(share >= MinForwardRowsShare, string.Create(CultureInfo.InvariantCulture, $"Only {share:F1} % of the random programs run a forward loop over row spans (minimum {MinForwardRowsShare} %)."));
        Assert.True(tailShare >= MinTailShare, string.Create(CultureInfo.InvariantCulture, $"Only {tailShare:F1} % of the random programs run MlpRowTail's span copy and fallback (minimum {MinTailShare} %)."));
    }
}

using System.Globalization;
using Xunit.Abstractions;

namespace StaticGrad.Generator.Tests.RandomPrograms;

/// <summary>
/// Session 19 (mlp19b): the share of the random programs (the batches of <see cref="OptimisationShareTests"/>,
/// generator only) whose backward reverses an inner loop upwards over row spans (<c>ReverseModeTransformer.RowSpans.cs</c>).
/// Drawn by the existing productions (a counted loop from 0 reading an array at its index); measured on these seeds when
/// the path was added; the minimum is below it so that a change of the random stream does not fail the test while the
/// path is still exercised.
/// </summary>
public sealed class RowSpansShareTests
{
    private const int Batches = 2;
    private const int BatchSize = 250;
    private const int FirstSeed = 20261123;
    private const double MinRowSpansShare = 1.0;

    private readonly ITestOutputHelper _output;

    public RowSpansShareTests(ITestOutputHelper output) => _output = output;

    [Fact]
    public void Random_programs_reverse_loops_over_row_spans()
    {
        var backwards = GeneratedBatches.Backwards(FirstSeed, Batches, BatchSize).ToList();
        int programs = backwards.Count, rows = backwards.Count(b => b.Contains("// Reversed in forward order over row spans", StringComparison.Ordinal));

        var share = 100.0 * rows / programs;
        _output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{programs} programs: an inner loop reversed over row spans in {rows} ({share:F1} %)."));
        Assert.True(share >= MinRowSpansShare, string.Create(CultureInfo.InvariantCulture, $"Only {share:F1} % of the random programs reverse an inner loop over row spans (minimum {MinRowSpansShare} %)."));
    }
}

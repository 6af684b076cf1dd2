using System.Globalization;
using Xunit.Abstractions;

namespace StaticGrad.Generator.Tests.RandomPrograms;

/// <summary>
/// Session 23 (gmm23c): the share of the random programs (the batches of <see cref="ForwardRowSpansShareTests"/>,
/// generator only) whose forward sweep runs a triangle nest's rows four, two and one at a time
/// (<c>ReverseModeTransformer.ForwardTriangleRows.cs</c>), mostly from <see cref="Production.TriangleRowsJammed"/>. The
/// minimum sits below the share measured on these seeds when the rule was added (see the output), so that a change of
/// the random stream does not fail the test while the path is still exercised.
/// </summary>
public sealed class ForwardTriangleShareTests
{
    private const int Batches = 2;
    private const int BatchSize = 250;
    private const int FirstSeed = 20261123;
    private const double MinJammedShare = 1.5;

    private readonly ITestOutputHelper _output;

    public ForwardTriangleShareTests(ITestOutputHelper output) => _output = output;

    [Fact]
    public void Random_programs_have_jammed_triangle_rows()
    {
        var programs = Enumerable.Range(FirstSeed, Batches).SelectMany(seed => GeneratedBatches.Get(seed, BatchSize).Batch.Programs).ToList();
        var backwards = GeneratedBatches.Backwards(FirstSeed, Batches, BatchSize).ToList();
        var jammed = backwards.Count(b => b.Contains("// Rows four, then two, then one at a time", StringComparison.Ordinal));
        var drawn = programs.Count(p => p.Uses.Contains(Production.TriangleRowsJammed));
        var share = 100.0 * jammed / backwards.Count;
        _output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{backwards.Count} programs: a jammed triangle in {jammed} ({share:F1} %); TriangleRowsJammed drawn in {drawn}."));
        Assert.True(share >= MinJammedShare, string.Create(CultureInfo.InvariantCulture, $"Only {share:F1} % of the random programs run a jammed triangle (minimum {MinJammedShare} %)."));
    }
}

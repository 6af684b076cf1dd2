using System.Globalization;
using System.Text.RegularExpressions;
using Xunit.Abstractions;

namespace StaticGrad.Generator.Tests.RandomPrograms;

/// <summary>
/// Session 21 (gmm21): the share of the random programs (the batches of <see cref="ForwardRowSpansShareTests"/>,
/// generator only) whose forward sweep has a row loop whose bound an enclosing loop writes, so its guard asks for at
/// least 8 iterations (<c>if (8 &lt;= n &amp;&amp; …)</c>, <c>ReverseModeTransformer.ForwardRowSpans.cs</c>), and the share with
/// a plain guard (a bound no enclosing loop writes), and the share drawn by <see cref="Production.TriangleRowsLong"/>,
/// whose rows 8–11 take the span copy and rows 0–7 the indexed loop. Measured on these seeds when the rule was added
/// (18 of 500, 3.6 %; 111, 22.2 %; 13, 2.6 %); the minima sit below so that a change of the random stream does not
/// fail the test while the paths are still exercised.
/// </summary>
public sealed class ShortRowsShareTests
{
    private const int Batches = 2;
    private const int BatchSize = 250;
    private const int FirstSeed = 20261123;
    private const double MinLoopDependentShare = 2.0;
    private const double MinPlainShare = 10.0;
    private const double MinLongTriangleShare = 1.5;

    private static readonly Regex s_loopDependent = new(@"if \(8 <= \w+ && ", RegexOptions.Compiled);
    private static readonly Regex s_plain = new(@"// Over row spans where every row is in range[^\n]*\n\s*\w+ = 0;\n\s*if \(\w+ < ", RegexOptions.Compiled);

    private readonly ITestOutputHelper _output;

    public ShortRowsShareTests(ITestOutputHelper output) => _output = output;

    [Fact]
    public void Random_programs_have_row_loops_with_loop_dependent_and_invariant_bounds()
    {
        var programs = Enumerable.Range(FirstSeed, Batches).SelectMany(seed => GeneratedBatches.Get(seed, BatchSize).Batch.Programs).ToList();
        var backwards = GeneratedBatches.Backwards(FirstSeed, Batches, BatchSize).ToList();
        var dependent = backwards.Count(b => s_loopDependent.IsMatch(b));
        var longTriangles = programs.Zip(backwards).Count(p => p.First.Uses.Contains(Production.TriangleRowsLong) && s_loopDependent.IsMatch(p.Second));
        var plain = backwards.Count(b => s_plain.IsMatch(b));

        double dependentShare = 100.0 * dependent / backwards.Count, plainShare = 100.0 * plain / backwards.Count, longShare = 100.0 * longTriangles / backwards.Count;
        _output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{backwards.Count} programs: a row loop whose bound an enclosing loop writes in {dependent} ({dependentShare:F1} %), one with a plain guard in {plain} ({plainShare:F1} %), a TriangleRowsLong triangle in {longTriangles} ({longShare:F1} %)."));
        Assert.True(longShare >= MinLongTriangleShare, string.Create(CultureInfo.InvariantCulture, $"Only {longShare:F1} % of the random programs run TriangleRowsLong's span copy and indexed rows (minimum {MinLongTriangleShare} %)."));
        Assert.True(dependentShare >= MinLoopDependentShare, string.Create(CultureInfo.InvariantCulture, $"Only {dependentShare:F1} % of the random programs have a row loop with a loop-dependent bound (minimum {MinLoopDependentShare} %)."));
        Assert.True(plainShare >= MinPlainShare, string.Create(CultureInfo.InvariantCulture, $"Only {plainShare:F1} % of the random programs have a row loop with a plain guard (minimum {MinPlainShare} %)."));
    }
}

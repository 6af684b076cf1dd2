using System.Globalization;
using Xunit.Abstractions;

namespace StaticGrad.Generator.Tests.RandomPrograms;

/// <summary>
/// Session 20: the share of the random programs (the batches of <see cref="OptimisationShareTests"/>, generator only)
/// whose backward interchanges a reversed row loop and its column loop (<c>ReverseModeTransformer.LoopInterchange.cs</c>),
/// drawn by the <see cref="Production.InterchangedRows"/> production; which side of the run-time guard a program
/// runs on is the production's row count (<see cref="Production.InterchangedRowsAtGuard"/>, counted by
/// <see cref="ProgramGeneratorTests"/>). The minimum is below the share measured on these seeds when the path was
/// added (1.4 %, 7 of 500; 1.0 %, 5 of 500, after session 21's table draws from the production's stream), so that a change
/// of the random stream does not fail the test while the path is still exercised.
/// </summary>
public sealed class InterchangeShareTests
{
    private const int Batches = 2;
    private const int BatchSize = 250;
    private const int FirstSeed = 20261123;
    private const double MinInterchangeShare = 0.8;

    /// <summary>Session 21: the share whose interchanged sweep runs over spans (<see cref="Production.InterchangedRowSpans"/>); measured 0.4 % (2 of 500) when added.</summary>
    private const double MinSpanShare = 0.2;

    /// <summary>
    /// Session 22: the share whose old order is in a function of its own (<c>ReverseModeTransformer.OldOrderSweep.cs</c>), and
    /// the share where it runs: a constant row count of 4 to 11 (no interchange emitted, the function alone); measured
    /// 2.4 % (12 of 500) and 1.4 % (7 of 500) when added; the minimums are a third of that.
    /// </summary>
    private const double MinOldOrderFunctionShare = 0.8;

    private const double MinOldOrderFunctionRunShare = 0.4;

    /// <summary>
    /// Session 22 (gmm22d): the share whose old-order function reads its column terms from buffers filled once per column
    /// (<c>ReverseModeTransformer.OldOrderColumnTerms.cs</c>, the production's <c>x[col] − mu[col]</c>); the minimum is set
    /// at a third of the share measured on these seeds when the path was added: 2.4 % (12 of 500, every old-order function;
    /// the same after session 23's condition on jagged, two-dimensional and struct adjoints).
    /// </summary>
    private const double MinColumnTermsShare = 0.8;

    private readonly ITestOutputHelper _output;

    public InterchangeShareTests(ITestOutputHelper output) => _output = output;

    [Fact]
    public void Random_programs_interchange_row_and_column_loops()
    {
        var backwards = GeneratedBatches.Backwards(FirstSeed, Batches, BatchSize).ToList();
        int programs = backwards.Count, nests = backwards.Count(b => b.Contains("the row and column loops interchanged", StringComparison.Ordinal));

        var spans = backwards.Count(b => b.Contains("Over the column's runs", StringComparison.Ordinal));
        var spanShare = 100.0 * spans / programs;
        _output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{programs} programs: the interchanged sweep over spans in {spans} ({spanShare:F1} %)."));
        Assert.True(spanShare >= MinSpanShare, string.Create(CultureInfo.InvariantCulture, $"Only {spanShare:F1} % of the random programs run the interchanged sweep over spans (minimum {MinSpanShare} %)."));

        var functions = backwards.Count(b => b.Contains("// The old order in a function of its own", StringComparison.Ordinal));
        var runs = backwards.Count(b => b.Contains("// The old order in a function of its own", StringComparison.Ordinal) && !b.Contains("the row and column loops interchanged", StringComparison.Ordinal));
        var (functionShare, runShare) = (100.0 * functions / programs, 100.0 * runs / programs);
        _output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{programs} programs: the old order in a function in {functions} ({functionShare:F1} %), the function alone (constant rows 4 to 11) in {runs} ({runShare:F1} %)."));
        Assert.True(functionShare >= MinOldOrderFunctionShare, string.Create(CultureInfo.InvariantCulture, $"Only {functionShare:F1} % of the random programs write the old order in a function (minimum {MinOldOrderFunctionShare} %)."));
        Assert.True(runShare >= MinOldOrderFunctionRunShare, string.Create(CultureInfo.InvariantCulture, $"Only {runShare:F1} % of the random programs run the old order's function alone (minimum {MinOldOrderFunctionRunShare} %)."));

        var buffered = backwards.Count(b => b.Contains("// The column terms of the columns the forward read, once per column.", StringComparison.Ordinal));
        var bufferedShare = 100.0 * buffered / programs;
        _output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{programs} programs: the old order's column terms buffered in {buffered} ({bufferedShare:F1} %)."));
        Assert.True(bufferedShare >= MinColumnTermsShare, string.Create(CultureInfo.InvariantCulture, $"Only {bufferedShare:F1} % of the random programs buffer the old order's column terms (minimum {MinColumnTermsShare} %)."));

        var share = 100.0 * nests / programs;
        _output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{programs} programs: a row and a column loop interchanged in {nests} ({share:F1} %)."));
        Assert.True(share >= MinInterchangeShare, string.Create(CultureInfo.InvariantCulture, $"Only {share:F1} % of the random programs interchange a row and a column loop (minimum {MinInterchangeShare} %)."));
    }
}

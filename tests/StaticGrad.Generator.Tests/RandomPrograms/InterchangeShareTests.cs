using System.Globalization;
using Xunit.Abstractions;

namespace StaticGrad.Generator.Tests.RandomPrograms;

/// <summary>
/// Session 20: the share of the random programs (the batches of <see cref="OptimisationShareTests"/>, generator only)
/// whose backward interchanges a reversed row loop and its column loop (<c>ReverseModeTransformer.LoopInterchange.cs</c>),
/// drawn by the <see cref="Production.InterchangedRows"/> production; which side of the run-time guard a program
/// runs on is the production's row count (<see cref="Production.InterchangedRowsAtGuard"/>, counted by
/// <see cref="ProgramGeneratorTests"/>). The minimum is below the share measured on these seeds when the path was
/// added (1.4 %, 7 of 500), so that a change of the random stream does not fail the test while the path is still exercised.
/// </summary>
public sealed class InterchangeShareTests
{
    private const int Batches = 2;
    private const int BatchSize = 250;
    private const int FirstSeed = 20261123;
    private const double MinInterchangeShare = 1.0;

    private readonly ITestOutputHelper _output;

    public InterchangeShareTests(ITestOutputHelper output) => _output = output;

    [Fact]
    public void Random_programs_interchange_row_and_column_loops()
    {
        var backwards = GeneratedBatches.Backwards(FirstSeed, Batches, BatchSize).ToList();
        int programs = backwards.Count, nests = backwards.Count(b => b.Contains("the row and column loops interchanged", StringComparison.Ordinal));

        var share = 100.0 * nests / programs;
        _output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{programs} programs: a row and a column loop interchanged in {nests} ({share:F1} %)."));
        Assert.True(share >= MinInterchangeShare, string.Create(CultureInfo.InvariantCulture, $"Only {share:F1} % of the random programs interchange a row and a column loop (minimum {MinInterchangeShare} %)."));
    }
}

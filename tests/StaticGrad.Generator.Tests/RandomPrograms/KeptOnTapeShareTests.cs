using System.Globalization;
using System.Text.RegularExpressions;
using Xunit.Abstractions;

namespace StaticGrad.Generator.Tests.RandomPrograms;

/// <summary>
/// Session 18: the share of the random programs (the batches of <see cref="OptimisationShareTests"/>, generator only)
/// whose backward keeps a library call's value inside a loop on the tape (pushed after the statement, popped into its
/// local at the start of the statement's reverse) instead of calling again; <see cref="Production.KeptFactor"/> draws
/// the shape. The random-program test checks those programs' gradients against finite differences. The minimum is
/// below the measured share, so that a change of the random stream does not fail the test while the path is still
/// exercised.
/// </summary>
public sealed partial class KeptOnTapeShareTests
{
    private const int Batches = 2;
    private const int BatchSize = 250;
    private const int FirstSeed = 20261123;
    private const double MinKeptOnTapeShare = 20.0;

    private readonly ITestOutputHelper _output;

    public KeptOnTapeShareTests(ITestOutputHelper output) => _output = output;

    [GeneratedRegex(@"_m\d+(?:_\d+)? = \w+\.Pop(?:Double|Single)\(\);")]
    private static partial Regex KeptPop();

    [Fact]
    public void Random_programs_keep_call_values_on_the_tape()
    {
        var backwards = GeneratedBatches.Backwards(FirstSeed, Batches, BatchSize).ToList();
        int programs = backwards.Count, kept = backwards.Count(b => KeptPop().IsMatch(b));

        var share = 100.0 * kept / programs;
        _output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{programs} programs: a call's value kept on the tape in a loop in {kept} ({share:F1} %)."));
        Assert.True(share >= MinKeptOnTapeShare, string.Create(CultureInfo.InvariantCulture, $"Only {share:F1} % of the random programs keep a call's value on the tape in a loop (minimum {MinKeptOnTapeShare} %)."));
    }
}

using System.Globalization;
using System.Text.RegularExpressions;

namespace StaticGrad.Generator.Tests.RandomPrograms;

/// <summary>
/// Session 16: a call of the logistic helper (<see cref="Production.LogisticCall"/>) differentiated from its value,
/// σ·(1 − σ), instead of through its backward. Outside loops and in fused loops the forward sweep saves the callee's
/// partial instead (CalleePartials), so only calls in the other loops take this path.
/// </summary>
public sealed partial class OptimisationShareTests
{
    /// <summary>Minimum share in percent of the programs: 2.0 % measured on these 500 (10 programs; 84 call the logistic).</summary>
    private const double MinResultFormShare = 1.0;

    /// <summary>The logistic's partial written from a bound value: <c>g * _s3 * (1.0 - _s3)</c>.</summary>
    [GeneratedRegex(@" \* (_s\d+(?:_\d+)?) \* \(1(?:\.0)? - \1\)")]
    private static partial Regex ResultFormPartial();

    [Fact]
    public void Random_programs_differentiate_the_logistic_from_its_value()
    {
        int programs = 0, withCall = 0, resultForms = 0;
        for (var b = 0; b < Batches; b++)
        {
            var (batch, output) = GeneratedBatches.Get(FirstSeed + b, BatchSize);
            foreach (var program in batch.Programs)
            {
                programs++;
                withCall += program.Uses.Contains(Production.LogisticCall) ? 1 : 0;
                var backward = output.Sources.Where(s => s.HintName.EndsWith(".Programs." + program.Name + ".g.cs", StringComparison.Ordinal)).Select(s => s.Source).SingleOrDefault() ?? string.Empty;
                resultForms += ResultFormPartial().IsMatch(backward) ? 1 : 0;
            }
        }

        var share = 100.0 * resultForms / programs;
        _output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{programs} programs: a logistic call in {withCall}, differentiated from its value in {resultForms} ({share:F1} %)."));
        Assert.True(share >= MinResultFormShare, string.Create(CultureInfo.InvariantCulture, $"Only {share:F1} % of the random programs differentiate the logistic from its value (minimum {MinResultFormShare} %)."));
    }
}

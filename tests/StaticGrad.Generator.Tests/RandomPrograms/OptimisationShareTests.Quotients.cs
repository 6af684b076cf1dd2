using System.Globalization;
using System.Text.RegularExpressions;

namespace StaticGrad.Generator.Tests.RandomPrograms;

/// <summary>
/// Session 17: the quotient rule from the saved quotient (<c>Derivatives/QuotientRule.cs</c>): the denominator's
/// partial −(g / v)·q written from the numerator's bound partial and the statement's target.
/// </summary>
public sealed partial class OptimisationShareTests
{
    /// <summary>Minimum share in percent of the programs: 10.0 % measured on these 500 (50 programs).</summary>
    private const double MinSavedQuotientShare = 5.0;

    /// <summary>The numerator's partial bound, <c>double _t5 = g / v;</c>, then the denominator's <c>-_t5 * q;</c>.</summary>
    [GeneratedRegex(@"(?:double|float) (_t\d+(?:_\d+)?) = [^;\n]+ / [^;\n]+;\n(?:[^\n]*\n){0,3}?[^\n]*-\1 \* [\w.]+;")]
    private static partial Regex SavedQuotientPartial();

    [Fact]
    public void Random_programs_take_the_quotient_rule_from_the_saved_quotient()
    {
        var (programs, quotients) = CountBackwards(backward => SavedQuotientPartial().IsMatch(backward));
        var share = 100.0 * quotients / programs;
        _output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{programs} programs: the quotient rule from the saved quotient in {quotients} ({share:F1} %)."));
        Assert.True(share >= MinSavedQuotientShare, string.Create(CultureInfo.InvariantCulture, $"Only {share:F1} % of the random programs take the quotient rule from the saved quotient (minimum {MinSavedQuotientShare} %)."));
    }

    /// <summary>Over the first <see cref="Batches"/> batches: how many programs there are and how many backwards match.</summary>
    private static (int Programs, int Matching) CountBackwards(Func<string, bool> matches)
    {
        int programs = 0, matching = 0;
        for (var b = 0; b < Batches; b++)
        {
            var (batch, output) = GeneratedBatches.Get(FirstSeed + b, BatchSize);
            foreach (var program in batch.Programs)
            {
                programs++;
                var backward = output.Sources.Where(s => s.HintName.EndsWith(".Programs." + program.Name + ".g.cs", StringComparison.Ordinal)).Select(s => s.Source).SingleOrDefault() ?? string.Empty;
                matching += matches(backward) ? 1 : 0;
            }
        }

        return (programs, matching);
    }
}

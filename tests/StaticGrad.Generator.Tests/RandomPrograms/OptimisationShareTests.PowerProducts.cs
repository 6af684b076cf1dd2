using System.Globalization;
using System.Text.RegularExpressions;

namespace StaticGrad.Generator.Tests.RandomPrograms;

/// <summary>
/// Session 19: products of one value with itself and constants differentiated as one term with the constants folded
/// (<see cref="Production.PowerProduct"/>, Rosenbrock's <c>100·v·v</c> → <c>200·v·g</c>).
/// </summary>
public sealed partial class OptimisationShareTests
{
    /// <summary>
    /// Minimum share in percent of the programs whose backward has a folded coefficient of the production's constants:
    /// 6.4 % measured on these 500 (32 of the 42 drawing it; in the others the local is inactive or the statement is dead).
    /// </summary>
    private const double MinPowerProductShare = 2.0;

    /// <summary>2c and 3c of <see cref="ProgramGenerator.PowerProductConstants"/>, as the generated code prints them.</summary>
    private static readonly Regex s_foldedCoefficient = new(@"(?<![\w.])(1\.75|2\.625|1\.25|1\.875)f? \* ", RegexOptions.CultureInvariant);

    [Fact]
    public void Random_programs_fold_constants_of_products_of_one_value()
    {
        var (programs, drawing, folded) = CountPrograms(Production.PowerProduct, s_foldedCoefficient.IsMatch);
        var share = 100.0 * folded / programs;
        _output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{programs} programs: a product of one value with constants drawn in {drawing}, its constants folded into one term in {folded} ({share:F1} %)."));
        Assert.True(share >= MinPowerProductShare, string.Create(CultureInfo.InvariantCulture, $"Only {share:F1} % of the random programs fold a product of one value into one term (minimum {MinPowerProductShare} %)."));
    }
}

using StaticGrad.Compiler.Derivatives;

namespace StaticGrad.Compiler.Tests.Derivatives;

/// <summary>
/// The text of <see cref="PowerProductRule"/>: k reads of one value and numeric constants become one term with the
/// constants folded in the product's precision; a coefficient that is not finite and normal, or a constant that is not
/// a numeric literal, gives null (the product rule stays). The values are checked against finite differences in the
/// generator's <c>PowerProductAdversarialTests</c>.
/// </summary>
public sealed class PowerProductRuleTests
{
    [Theory]
    [InlineData("v", 2, new string[0], false, "2.0 * v * g")]
    [InlineData("v", 2, new[] { "100.0" }, false, "200.0 * v * g")]
    [InlineData("v", 3, new string[0], false, "3.0 * v * v * g")]
    [InlineData("v", 2, new[] { "0.5" }, false, "v * g")]
    [InlineData("v", 2, new[] { "(-0.5)" }, false, "-v * g")]
    [InlineData("v", 3, new[] { "0.044715" }, false, "0.134145 * v * v * g")]
    [InlineData("v", 2, new[] { "1E+308", "1E-300" }, false, "200000000.0 * v * g")]
    [InlineData("v", 2, new[] { "100f" }, true, "200f * v * g")]
    [InlineData("(a * b)", 2, new string[0], false, "2.0 * (a * b) * g")]
    [InlineData("v", 4, new[] { "0.25f", "3f" }, true, "3f * v * v * v * g")]

    // Folded exactly and rounded once (ExactProduct; the binary values of the literals, so 2e-23 within one ulp): in
    // order, 1e-200·1e-200 is zero and 1e-200·1e-123 a subnormal.
    [InlineData("v", 2, new[] { "1E-200", "1E-200", "1E+300" }, false, "2E-100 * v * g")]
    [InlineData("u", 2, new[] { "1E-200", "1E-123", "1E+300" }, false, "2.0000000000000002E-23 * u * g")]
    [InlineData("u", 2, new[] { "1E-20f", "1E-25f", "1E+38f" }, true, "1.9999999E-07f * u * g")]
    public void Folds_the_constants_into_one_term(string value, int reads, string[] constants, bool isFloat, string expected) =>
        Assert.Equal(expected, PowerProductRule.Partial(value, reads, constants, "g", isFloat));

    [Theory]
    [InlineData(new[] { "1E+308", "4.0" }, false)]
    [InlineData(new[] { "1E-200", "1E-200" }, false)]
    [InlineData(new[] { "1E-30f", "1E-30f" }, true)]
    [InlineData(new[] { "0.0" }, false)]
    [InlineData(new[] { "1E+38f", "4f" }, true)]
    [InlineData(new[] { "double.PositiveInfinity" }, false)]
    [InlineData(new[] { "global::N.C.Scale" }, false)]
    public void Keeps_the_product_rule_out_of_range_or_for_named_constants(string[] constants, bool isFloat) =>
        Assert.Null(PowerProductRule.Partial("v", 2, constants, "g", isFloat));
}

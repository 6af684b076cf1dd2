using StaticGrad.Generator.Tests.Correctness.Harness;

namespace StaticGrad.Generator.Tests.RandomPrograms;

/// <summary>
/// <see cref="TieReference"/>'s Clamp and CopySign, double and float: at a tie of the base point (an argument on a
/// clamp bound, a zero of either CopySign argument, made exact with <c>Detach</c>) the rule takes one side or freezes a
/// sign, which central differences of the plain function do not see (they average both sides, or jump). The rule's
/// reference spelling makes central differences equal Backward, without the one-sided fallback. Tolerances as stated
/// at each assertion.
/// </summary>
public sealed class ClampCopySignTieTests
{
    // ClampTie: the first clamp sits on its upper bound, the second on its lower bound. Rule: -1 + 0.25 + 0.5.
    // Right of the point both are inside (-0.25), left both clamp (0.5): plain central differences give 0.125.
    // CopySignA: the first argument is +0. Rule: sign(+0)·sign(1.5) + 0.5 = 1.5; plain: |h| + 0.5x, central 0.5.
    // CopySignB: the second argument is +0. Rule: sign(x)·sign(+0) + 0.5; plain: the sign flips with the step (a jump).
    private const string Source = """
        using System;
        using StaticGrad;

        namespace ClampCopySignTies;

        public static partial class Programs
        {
            // domain: x=-2..2
            [Differentiable]
            public static double ClampTie(double x) => Math.Clamp(Autograd.Detach(x) - x + 1.0, -1.0, 1.0) + 0.25 * Math.Clamp(x - Autograd.Detach(x) - 1.0, -1.0, 1.0) + 0.5 * x;

            public static double ClampTie_FdReference(double x, double x_0) => Math.Clamp(x_0 - x + 1.0, -1.0, 1.0) + 0.25 * Math.Clamp(x - x_0 - 1.0, -1.0, 1.0) + 0.5 * x;

            // domain: x=-2..2
            [Differentiable]
            public static double ClampTieRule(double x) => Math.Clamp(Autograd.Detach(x) - x + 1.0, -1.0, 1.0) + 0.25 * Math.Clamp(x - Autograd.Detach(x) - 1.0, -1.0, 1.0) + 0.5 * x;

            public static double ClampTieRule_FdReference(double x, double x_0) =>
                TieReference.Clamp(x_0 - x + 1.0, -1.0, 1.0, x_0 - x_0 + 1.0, -1.0, 1.0) + 0.25 * TieReference.Clamp(x - x_0 - 1.0, -1.0, 1.0, x_0 - x_0 - 1.0, -1.0, 1.0) + 0.5 * x;

            // domain: x=-2..2
            [Differentiable]
            public static double CopySignA(double x) => Math.CopySign(x - Autograd.Detach(x), 1.5) + 0.5 * x;

            public static double CopySignA_FdReference(double x, double x_0) => Math.CopySign(x - x_0, 1.5) + 0.5 * x;

            // domain: x=-2..2
            [Differentiable]
            public static double CopySignARule(double x) => Math.CopySign(x - Autograd.Detach(x), 1.5) + 0.5 * x;

            public static double CopySignARule_FdReference(double x, double x_0) => TieReference.CopySign(x - x_0, 1.5, x_0 - x_0, 1.5) + 0.5 * x;

            // domain: x=-2..2
            [Differentiable]
            public static double CopySignB(double x) => Math.CopySign(x, Autograd.Detach(x) - x) + 0.5 * x;

            public static double CopySignB_FdReference(double x, double x_0) => Math.CopySign(x, x_0 - x) + 0.5 * x;

            // domain: x=-2..2
            [Differentiable]
            public static double CopySignBRule(double x) => Math.CopySign(x, Autograd.Detach(x) - x) + 0.5 * x;

            public static double CopySignBRule_FdReference(double x, double x_0) => TieReference.CopySign(x, x_0 - x, x_0, x_0 - x_0) + 0.5 * x;

            // domain: x=-2..2
            [Differentiable]
            public static float ClampTieF(float x) => Math.Clamp(Autograd.Detach(x) - x + 1f, -1f, 1f) + 0.5f * x;

            public static float ClampTieF_FdReference(float x, float x_0) => TieReference.Clamp(x_0 - x + 1f, -1f, 1f, x_0 - x_0 + 1f, -1f, 1f) + 0.5f * x;

            // domain: x=-2..2
            [Differentiable]
            public static float CopySignF(float x) => MathF.CopySign(x - Autograd.Detach(x), 1.5f) + MathF.CopySign(x, Autograd.Detach(x) - x) * 0.25f + 0.5f * x;

            public static float CopySignF_FdReference(float x, float x_0) =>
                TieReference.CopySign(x - x_0, 1.5f, x_0 - x_0, 1.5f) + TieReference.CopySign(x, x_0 - x, x_0, x_0 - x_0) * 0.25f + 0.5f * x;
        }
        """;

    private static readonly Lazy<CompiledBatch> s_compiled = new(() =>
    {
        var source = Source + "\n" + TieReference.Source;
        var methods = MethodUnderTest.ReadAll(source).Where(m => m.TypeName == "Programs").ToList();
        return CompiledBatch.Compile(new[] { source }, methods);
    });

    private static readonly double[] s_points = { -1.3, 0.4, 1.7 };

    private static (double Backward, double Central) At(string name, double x, double step = 1e-6)
    {
        var compiled = s_compiled.Value;
        Assert.True(compiled.Failures.Count == 0, string.Join("\n", compiled.Failures.Values));
        var check = new FiniteDifferenceCheck(compiled.Loaded["Programs." + name]);
        var point = new[] { new[] { x } };
        var single = check.Tolerance == FiniteDifferenceCheck.Single;
        return (check.Gradient(FiniteDifferenceCheck.Copy(point))[0][0], check.CentralDifference(check.Function(point), point, 0, 0, step, single).Value);
    }

    /// <summary>
    /// The same body with the rule's reference: the same Backward (1e-12), central differences equal to it (1e-8, the
    /// step's rounding), and the harness's own check passes by central differences alone.
    /// </summary>
    private static void AssertRuleReferenceMatches(string name, double x, double backward)
    {
        var (ruleBackward, rule) = At(name, x);
        Assert.Equal(backward, ruleBackward, 12);
        Assert.Equal(backward, rule, 8);
        AssertRuleReferencePasses(name, x);
    }

    private static void AssertRuleReferencePasses(string name, double x)
    {
        var check = new TwoStepCheck();
        check.Check(s_compiled.Value.Loaded["Programs." + name], new[] { new[] { x } });
        Assert.True(check.Problems.Count == 0, string.Join("\n", check.Problems));
        Assert.Equal(1, check.Compared);
        Assert.Equal(0, check.OneSided);
    }

    [Fact]
    public void Clamp_on_a_bound_follows_the_closed_interval_in_the_rule_reference()
    {
        foreach (var x in s_points)
        {
            var (backward, plain) = At("ClampTie", x);
            Assert.Equal(-1 + 0.25 + 0.5, backward, 12);

            // Plain central differences: the mean of the right slope (-0.25) and the left one (0.5), 1e-8 (rounding).
            Assert.Equal((-0.25 + 0.5) / 2, plain, 8);
            AssertRuleReferenceMatches("ClampTieRule", x, backward);
        }
    }

    [Fact]
    public void CopySign_at_a_zero_keeps_the_signs_of_the_point_in_the_rule_reference()
    {
        foreach (var x in s_points)
        {
            var (backward, plain) = At("CopySignA", x);
            Assert.Equal(1.5, backward, 12);
            Assert.Equal(0.5, plain, 8);
            AssertRuleReferenceMatches("CopySignARule", x, backward);

            // A zero second argument: the plain function jumps by 2|x| across the point (central differences of
            // order |x| / step); the rule keeps the sign of +0.
            var (jumpBackward, jump) = At("CopySignB", x);
            Assert.Equal(Math.Sign(x) + 0.5, jumpBackward, 12);
            Assert.True(Math.Abs(jump) > 1e4, $"central differences across the jump gave {jump}");
            AssertRuleReferenceMatches("CopySignBRule", x, jumpBackward);
        }
    }

    [Fact]
    public void Float_Clamp_and_MathF_CopySign_ties_use_the_float_overloads()
    {
        foreach (var x in s_points)
        {
            // Float steps of 3e-3: the reference is linear near the point, so only float rounding remains (1e-3).
            var (clamp, clampCentral) = At("ClampTieF", x, 3e-3);
            Assert.Equal(-1 + 0.5, clamp, 6);
            Assert.Equal(clamp, clampCentral, 3);
            AssertRuleReferencePasses("ClampTieF", x);
            var (copySign, copySignCentral) = At("CopySignF", x, 3e-3);
            Assert.Equal(1 + 0.25 * Math.Sign(x) + 0.5, copySign, 6);
            Assert.Equal(copySign, copySignCentral, 3);
            AssertRuleReferencePasses("CopySignF", x);
        }
    }

    [Fact]
    public void Random_programs_spell_Clamp_and_CopySign_through_the_tie_reference()
    {
        var batch = RandomBatch.Create(20261123, 250);
        Assert.Contains("TieReference.Clamp(", batch.Source, StringComparison.Ordinal);
        Assert.Contains("TieReference.CopySign(", batch.Source, StringComparison.Ordinal);
    }
}

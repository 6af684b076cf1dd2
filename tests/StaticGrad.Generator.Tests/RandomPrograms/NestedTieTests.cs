using StaticGrad.Generator.Tests.Correctness.Harness;

namespace StaticGrad.Generator.Tests.RandomPrograms;

/// <summary>
/// Ties composed along one path (batch 20261212 P189, the one unexplained failure of session 7's 100 000 programs):
/// not a compiler bug but a finite-difference artefact. <c>Max(Detach(u), u)</c> ties at every point; the rule gives
/// each tie 0.5, and the chain rule composes them. In the lockstep reference every tie goes right for a positive
/// step and left for a negative one, so central differences average only those two branch combinations. These tests
/// show both numbers on a three-line program and on P189 itself, and that <see cref="TieReference"/> makes the
/// reference's central differences equal to the rule's composition. Tolerances as stated at each assertion.
/// </summary>
public sealed class NestedTieTests
{
    private const double C = 0.25;
    private const double D = 0.5;

    // f(x) = Tie(Tie(x) + C·x) + D·x. Rule: 0.5·(0.5 + C) + D. Right slope (1 + C) + D, left slope D (the inner tie
    // stays at its base value, the outer one sees C·h < 0).
    private const string Nested = """
        using System;
        using StaticGrad;

        namespace NestedTies;

        public static partial class Helpers
        {
            [Differentiable]
            public static double Tie(double u) => Math.Max(Autograd.Detach(u), u);
        }

        public static partial class Programs
        {
            // domain: x=-2..2
            [Differentiable]
            public static double Plain(double x) => Helpers.Tie(Helpers.Tie(x) + 0.25 * x) + 0.5 * x;

            public static double Plain_FdReference(double x, double x_0)
            {
                double v = Math.Max(x_0, x) + 0.25 * x;
                double v_0 = x_0 + 0.25 * x_0;
                return Math.Max(v_0, v) + 0.5 * x;
            }

            // domain: x=-2..2
            [Differentiable]
            public static double Rule(double x) => Helpers.Tie(Helpers.Tie(x) + 0.25 * x) + 0.5 * x;

            public static double Rule_FdReference(double x, double x_0)
            {
                double v = TieReference.Max(x_0, x, x_0, x_0) + 0.25 * x;
                double v_0 = x_0 + 0.25 * x_0;
                return TieReference.Max(v_0, v, v_0, v_0) + 0.5 * x;
            }
        }
        """;

    [Fact]
    public void Central_differences_of_nested_ties_average_two_branch_combinations_and_the_rule_all_of_them()
    {
        var source = Nested + "\n" + TieReference.Source;
        var methods = MethodUnderTest.ReadAll(source).Where(m => m.TypeName == "Programs").ToList();
        var compiled = CompiledBatch.Compile(new[] { source }, methods);
        Assert.True(compiled.Failures.Count == 0, string.Join("\n", compiled.Failures.Values));
        var (plain, rule) = (compiled.Loaded["Programs.Plain"], compiled.Loaded["Programs.Rule"]);
        foreach (var x in new[] { -1.3, 0.4, 1.7 })
        {
            var point = new[] { new[] { x } };
            var backward = new FiniteDifferenceCheck(plain).Gradient(FiniteDifferenceCheck.Copy(point))[0][0];
            Assert.Equal(0.5 * (0.5 + C) + D, backward, 12);

            // The old reference: central differences give the mean of the right slope (1 + C + D) and the left (D),
            // 0.25 away from the rule: the harness reported this as a wrong gradient.
            var old = new FiniteDifferenceCheck(plain).CentralDifference(new FiniteDifferenceCheck(plain).Function(point), point, 0, 0, 1e-6, single: false).Value;
            Assert.Equal(((1 + C + D) + D) / 2, old, 8);
            var oldCheck = new TwoStepCheck();
            oldCheck.Check(plain, point);
            Assert.Single(oldCheck.Problems);

            // The rule's reference: central differences equal Backward (1e-8, the step's rounding).
            var ruleCheck = new FiniteDifferenceCheck(rule);
            Assert.Equal(backward, ruleCheck.CentralDifference(ruleCheck.Function(point), point, 0, 0, 1e-6, single: false).Value, 8);
            var check = new TwoStepCheck();
            check.Check(rule, point);
            Assert.Empty(check.Problems);
            Assert.Equal(1, check.Compared);
        }
    }

    [Fact]
    public void Batch_20261212_P189_is_right_against_the_rule_reference_and_was_reported_against_the_old_one()
    {
        var parts = Batch20261212P189.Source.Split("// helper\n");
        RandomProgram Part(string text, bool helper) => new(helper ? "H" : "P189", Batch20261212P189.ProgramSeed, text, helper, NeedsReference: true, Array.Empty<Production>());
        string Unit(string ns, Func<string, string> edit) => ProgramGenerator.CompilationUnit(ns, parts.Skip(1).Select(h => Part(edit(h), true)), new[] { Part(edit(parts[0]), false) });
        var old = Unit("P189Old", text => text);
        var rule = Unit("P189Rule", text => text.Replace("Math.Max(u1_0, u1);", "TieReference.Max(u1_0, u1, u1_0, u1_0);", StringComparison.Ordinal).Replace("P189", "P189Rule", StringComparison.Ordinal));
        Assert.Contains("TieReference.Max(u1_0, u1, u1_0, u1_0)", rule, StringComparison.Ordinal);
        var methods = MethodUnderTest.ReadAll(old).Concat(MethodUnderTest.ReadAll(rule)).Where(m => m.TypeName == "Programs").ToList();
        var compiled = CompiledBatch.Compile(new[] { old, rule }, methods);
        var tangents = Forward.TangentAdapters.CompileAgainst(compiled, methods);
        var nonFinite = 0;

        // The harness's own checks at the program's own points: two problems with the old reference (∂/∂x1 and the
        // Tangent along a direction, both finite differences), none with the rule's.
        var oldProblems = ProgramCheck.Run(compiled, tangents, methods[0], Batch20261212P189.ProgramSeed, new TwoStepCheck(), ref nonFinite);
        Assert.Contains(oldProblems, p => p.Kind == ProblemKind.WrongGradient && p.Text.StartsWith("∂/∂x1 = 0.04085864", StringComparison.Ordinal));
        Assert.All(oldProblems, p => Assert.True(ProgramCheck.ComparesWithFiniteDifferences(p), p.Text));
        var ruleProblems = ProgramCheck.Run(compiled, tangents, methods[1], Batch20261212P189.ProgramSeed, new TwoStepCheck(), ref nonFinite);
        Assert.True(ruleProblems.Count == 0, string.Join("\n", ruleProblems.Select(p => p.Text)));
    }
}

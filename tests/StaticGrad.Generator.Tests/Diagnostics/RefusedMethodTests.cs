using Microsoft.CodeAnalysis;
using StaticGrad.Generator.Tests.Correctness.Harness;
using StaticGrad.Generator.Tests.Infrastructure;

namespace StaticGrad.Generator.Tests.Diagnostics;

/// <summary>
/// A method the compiler refuses gets its diagnostic and no generated code (never wrong code, never a crash), while
/// the other methods of the same compilation still get theirs.
/// </summary>
public sealed class RefusedMethodTests
{
    public static TheoryData<string, string, string> Refusals() => new()
    {
        { "SG1002", "double v = x; goto done; done: return v;", "goto" },
        { "SG1002", "try { return x * x; } finally { }", "try" },
        { "SG1002", "System.Func<double, double> f = t => t * t; return f(x);", "lambda" },
        { "SG1002", "lock (a) { return x; }", "lock" },
        // Known refusal: the early break turns the switch into a one-pass loop, which a continue would wrongly target.
        { "SG1002", "double s = 0; for (int i = 0; i < 3; i++) { switch (i) { case 0: if (x > 0) break; s += x; continue; default: s += y; break; } s *= x; } return s;", "continue in a switch that breaks early" },
        { "SG1001", "return NotDifferentiable(x);", "call without derivative" },
        { "SG1009", "a = new double[2]; return x * y;", "a parameter array replaced" },
        { "SG1010", "double s = 0; for (int i = 0; i < 2; i++) { var t = new double[2]; t[0] = x; s += t[0]; } return s;", "array created in a loop" },
    };

    [Theory]
    [MemberData(nameof(Refusals))]
    public void Refused_method_gets_no_backward_and_its_neighbours_still_do(string id, string body, string what)
    {
        var source = $$"""
            using System;
            using StaticGrad;

            namespace Refusal;

            public static partial class Functions
            {
                public static double NotDifferentiable(double x) => x * 3;

                [Differentiable]
                public static double Before(double x, double y) => x * y + Math.Sin(x);

                [Differentiable]
                public static double Refused(double x, double y, double[] a)
                {
                    {{body}}
                }

                [Differentiable]
                public static double After(double x) => Before(x, 2) * x;
            }
            """;

        var output = GeneratorHarness.Run(source);

        var run = output.Driver.GetRunResult().Results.Single();
        Assert.Null(run.Exception);
        Assert.Empty(output.OutputCompilation.GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error));
        var generated = string.Concat(output.Sources.Select(s => s.Source));
        Assert.DoesNotContain("RefusedBackward", generated, StringComparison.Ordinal);
        Assert.Contains("BeforeBackward", generated, StringComparison.Ordinal);
        Assert.Contains("AfterBackward", generated, StringComparison.Ordinal);

        var findings = CompilerExplanation.Explain(output.OutputCompilation, new HashSet<string> { "Functions.Refused" })["Functions.Refused"];
        Assert.True(findings.Any(f => f.StartsWith(id + " (Error)", StringComparison.Ordinal)), $"{what}: expected {id}, the compiler core reports:\n{string.Join("\n", findings)}");

        var methods = MethodUnderTest.ReadAll(source).Where(m => m.Name != "Refused").ToArray();
        var batch = CompiledBatch.Compile(new[] { source }, methods);
        foreach (var m in methods)
        {
            var check = new FiniteDifferenceCheck(batch.Loaded[m.Key]);
            check.CheckAgainstFiniteDifferences(FiniteDifferenceCheck.DrawPoint(m, new Random(1)));
            Assert.True(check.Problems.Count == 0, check.Report());
        }
    }

    [Fact]
    public void Warnings_do_not_stop_generation()
    {
        const string source = """
            using System;
            using StaticGrad;

            public static partial class Warned
            {
                [Differentiable]
                public static double Stepped(double x) => Math.Floor(x) + (int)x + x * x;

                [Differentiable]
                public static double Constant(double x, [NoGrad] double k) => k * 2;
            }
            """;

        var output = GeneratorHarness.Run(source);

        GeneratorHarness.AssertClean(output);
        var generated = string.Concat(output.Sources.Select(s => s.Source));
        Assert.Contains("SteppedBackward", generated, StringComparison.Ordinal);
        Assert.Contains("ConstantBackward", generated, StringComparison.Ordinal);
        var findings = CompilerExplanation.Explain(output.OutputCompilation, new HashSet<string> { "Warned.Stepped", "Warned.Constant" });
        Assert.Contains(findings["Warned.Stepped"], f => f.StartsWith("SG1006 (Warning)", StringComparison.Ordinal));
        Assert.Contains(findings["Warned.Constant"], f => f.StartsWith("SG1005 (Warning)", StringComparison.Ordinal));
    }
}

using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using StaticGrad.Compiler.Emit;
using StaticGrad.Generator.Tests.Compiler;
using StaticGrad.Generator.Tests.Infrastructure;

namespace StaticGrad.Generator.Tests.CrossAssembly;

/// <summary>
/// [Differentiable] methods and [DerivativeOf] rules used across assembly boundaries: each library is compiled,
/// emitted and referenced as metadata by the next, and the generator and the SG1xxx analyzer of the last one must
/// agree on what they find there.
/// </summary>
public sealed class CrossAssemblyTests
{
    /// <summary>A library StaticGrad cannot read and that its author cannot change: no rule, no attribute.</summary>
    private const string ThirdParty = """
        using System;

        namespace Third
        {
            public static class Special
            {
                public static double Softplus(double v) => Math.Log(1 + Math.Exp(v));
            }
        }
        """;

    /// <summary>A library that ships a rule for the third-party method.</summary>
    private const string RulesLibrary = """
        using System;
        using StaticGrad;

        namespace RulesLib
        {
            public static class SpecialRules
            {
                [DerivativeOf(typeof(Third.Special), nameof(Third.Special.Softplus))]
                public static double SoftplusPullback(double v, ref double dv, double seed)
                {
                    dv += seed / (1 + Math.Exp(-v));
                    return Third.Special.Softplus(v);
                }
            }
        }
        """;

    private const string RuleConsumer = """
        using StaticGrad;

        namespace App
        {
            public static partial class Model
            {
                [Differentiable]
                public static double Loss(double x, double y)
                {
                    var total = 0.0;
                    for (var i = 1; i <= 3; i++)
                    {
                        total += Third.Special.Softplus(x * y * i) - x / i;
                    }

                    return total;
                }
            }
        }
        """;

    [Fact]
    public void Differentiable_methods_of_a_referenced_assembly_are_differentiated_through_their_generated_backward()
    {
        var kernels = BuiltAssembly.WithGenerator("KernelsLib", """
            using System;
            using StaticGrad;

            namespace KernelsLib
            {
                public static partial class Kernels
                {
                    [Differentiable]
                    public static double Bump(double v, double width) => Math.Exp(-v * v / width);

                    // Opted in: a caller in another assembly passes a derivative-carrying argument for k.
                    [Differentiable(IncludingNoGrad = true)]
                    public static double Scaled(double v, [NoGrad] double k) => k * v * v;
                }
            }
            """);
        var app = BuiltAssembly.WithGenerator("App", """
            using StaticGrad;

            namespace App
            {
                public static partial class Model
                {
                    [Differentiable]
                    public static double Energy(double x, double y)
                    {
                        var s = 0.0;
                        for (var i = 0; i < 3; i++)
                        {
                            s = s * 0.5 + KernelsLib.Kernels.Bump(x * i + y, 2.0);
                        }

                        // y reaches a [NoGrad] parameter: its true derivative comes from the library's IncludingNoGrad variant.
                        return s + KernelsLib.Kernels.Scaled(x, y);
                    }
                }
            }
            """, kernels);

        var generated = app.Generated!.Source("App.Model.Energy.g.cs");
        Assert.Contains("global::KernelsLib.Kernels.BumpBackward(", generated, StringComparison.Ordinal);
        Assert.Contains("global::KernelsLib.Kernels.ScaledBackward" + BackwardEmitter.IncludingNoGradSuffix + "(", generated, StringComparison.Ordinal);
        Assert.Empty(BuiltAssembly.AnalyzerDiagnostics(app.Generated.OutputCompilation));

        GradientAssert.MatchesFiniteDifferences(BuiltAssembly.LoadTogether(kernels, app), "App.Model", "Energy", new object[] { 0.4, -0.3 });
    }

    [Fact]
    public void Rule_shipped_by_a_referenced_assembly_for_a_third_library_is_used_by_generator_and_analyzer()
    {
        var third = BuiltAssembly.Plain("Third", ThirdParty);
        var rules = BuiltAssembly.WithGenerator("RulesLib", RulesLibrary, third);
        Assert.Contains(
            "[assembly: global::StaticGrad.CompilerServices.DerivativeRules(typeof(global::RulesLib.SpecialRules))]",
            rules.Generated!.Source(RuleRegistryEmitter.HintName),
            StringComparison.Ordinal);

        var app = BuiltAssembly.WithGenerator("App", RuleConsumer, third, rules);

        Assert.Contains("global::RulesLib.SpecialRules.SoftplusPullback(", app.Generated!.Source("App.Model.Loss.g.cs"), StringComparison.Ordinal);
        Assert.Empty(BuiltAssembly.AnalyzerDiagnostics(app.Generated.OutputCompilation));
        GradientAssert.MatchesFiniteDifferences(BuiltAssembly.LoadTogether(third, rules, app), "App.Model", "Loss", new object[] { 0.6, -1.2 });
    }

    [Fact]
    public void Rule_of_a_library_built_without_the_generator_is_not_found_and_the_call_gets_SG1001()
    {
        // Same rule, but its assembly carries no registry: the generator and the analyzer must both see no rule.
        var third = BuiltAssembly.Plain("Third", ThirdParty);
        var rules = BuiltAssembly.Plain("RulesLib", RulesLibrary, third);

        AssertRuleNotFound(BuiltAssembly.Compilation("App", RuleConsumer, third, rules));
    }

    [Fact]
    public void Internal_rule_of_a_referenced_assembly_is_not_used()
    {
        // The generated code of App could not call it; listing it would turn a clear SG1001 into a compile error.
        var third = BuiltAssembly.Plain("Third", ThirdParty);
        var rules = BuiltAssembly.WithGenerator("RulesLib", RulesLibrary.Replace("public static class SpecialRules", "internal static class SpecialRules", StringComparison.Ordinal), third);
        Assert.Contains("typeof(global::RulesLib.SpecialRules)", rules.Generated!.Source(RuleRegistryEmitter.HintName), StringComparison.Ordinal);

        AssertRuleNotFound(BuiltAssembly.Compilation("App", RuleConsumer, third, rules));
    }

    [Fact]
    public void Own_rule_replaces_a_referenced_rule_for_the_same_method()
    {
        var third = BuiltAssembly.Plain("Third", ThirdParty);
        var rules = BuiltAssembly.WithGenerator("RulesLib", RulesLibrary, third);
        var app = BuiltAssembly.WithGenerator("App", RuleConsumer + """

            namespace App
            {
                public static class OwnRules
                {
                    [StaticGrad.DerivativeOf(typeof(Third.Special), nameof(Third.Special.Softplus))]
                    public static double Softplus(double v, ref double dv, double seed)
                    {
                        dv += seed * System.Math.Exp(v) / (1 + System.Math.Exp(v));
                        return Third.Special.Softplus(v);
                    }
                }
            }
            """, third, rules);

        var generated = app.Generated!.Source("App.Model.Loss.g.cs");
        Assert.Contains("global::App.OwnRules.Softplus(", generated, StringComparison.Ordinal);
        Assert.DoesNotContain("SoftplusPullback", generated, StringComparison.Ordinal);
        GradientAssert.MatchesFiniteDifferences(BuiltAssembly.LoadTogether(third, rules, app), "App.Model", "Loss", new object[] { 0.6, -1.2 });
    }

    [Fact]
    public void Unrelated_edit_with_referenced_rules_is_all_cached()
    {
        var third = BuiltAssembly.Plain("Third", ThirdParty);
        var rules = BuiltAssembly.WithGenerator("RulesLib", RulesLibrary, third);
        var compilation = BuiltAssembly.Compilation("App", RuleConsumer, third, rules)
            .AddSyntaxTrees(CSharpSyntaxTree.ParseText("public class Other { public int Value => 1; }", GeneratorHarness.ParseOptions, path: "Other.cs"));

        IncrementalCaching.AssertSecondRunCached(
            compilation,
            c => c.ReplaceSyntaxTree(
                c.SyntaxTrees.Last(),
                CSharpSyntaxTree.ParseText("public class Other { public int Value => 2; public string Name => \"x\"; }", GeneratorHarness.ParseOptions, path: "Other.cs")));
    }

    [Fact]
    public void Adding_a_reference_that_ships_a_rule_regenerates_the_caller()
    {
        // The other direction of the caching test: the referenced rules are an input, not a constant.
        var third = BuiltAssembly.Plain("Third", ThirdParty);
        var rules = BuiltAssembly.WithGenerator("RulesLib", RulesLibrary, third);
        var without = BuiltAssembly.Compilation("App", RuleConsumer, third);
        var driver = GeneratorHarness.CreateDriver().RunGenerators(without);
        Assert.DoesNotContain(driver.GetRunResult().GeneratedTrees, t => t.FilePath.EndsWith("App.Model.Loss.g.cs", StringComparison.Ordinal));

        var second = driver.RunGenerators(without.AddReferences(rules.Reference)).GetRunResult();

        Assert.Contains(second.Results.Single().TrackedSteps[TrackingNames.ReferencedRules].SelectMany(r => r.Outputs), o => o.Reason == IncrementalStepRunReason.Modified);
        Assert.Contains(second.GeneratedTrees, t => t.FilePath.EndsWith("App.Model.Loss.g.cs", StringComparison.Ordinal));
    }

    private static void AssertRuleNotFound(CSharpCompilation app)
    {
        var output = GeneratorHarness.Run(app);
        Assert.DoesNotContain(output.Sources, s => s.HintName == "App.Model.Loss.g.cs");
        var diagnostic = Assert.Single(output.AnalyzerDiagnostics);
        Assert.Equal("SG1001", diagnostic.Id);
        Assert.Equal("Third.Special.Softplus(x * y * i)", diagnostic.Location.SourceTree!.GetText().ToString(diagnostic.Location.SourceSpan));
    }
}

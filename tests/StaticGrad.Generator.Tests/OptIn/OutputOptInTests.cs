using System.Reflection;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using StaticGrad.Generator.Tests.Infrastructure;

namespace StaticGrad.Generator.Tests.OptIn;

/// <summary>
/// Backward always; Tangent, Hessian, the Tensor overload and the fused node only when opted in, per method
/// (<c>[Differentiable(Forward = true, Tensor = true)]</c>) or per project (<c>StaticGradForward</c>,
/// <c>StaticGradTensor</c>), the attribute's explicit value winning.
/// </summary>
public sealed class OutputOptInTests
{
    private const string Plain = """
        using StaticGrad;
        namespace Samples;
        public static partial class Fns
        {
            [Differentiable]
            public static double Cube(double x) => x * x * x;
        }
        """;

    private static string[] HintNames(GeneratorOutput output) => output.Sources.Select(s => s.HintName).ToArray();

    [Fact]
    public void Without_opt_in_only_the_backward_is_generated()
    {
        var output = GeneratorHarness.Run(GeneratorHarness.CreateCompilation(Plain), BuildProperties.None);
        GeneratorHarness.AssertClean(output);
        Assert.Equal(new[] { "Samples.Fns.Cube.g.cs" }, HintNames(output));
    }

    [Fact]
    public void Attribute_opts_one_method_in()
    {
        var output = GeneratorHarness.Run(
            GeneratorHarness.CreateCompilation(
                Plain.Replace("[Differentiable]", "[Differentiable(Forward = true, Tensor = true)]"),
                """
                using StaticGrad;
                namespace Samples;
                public static partial class Other
                {
                    [Differentiable]
                    public static double Square(double x) => x * x;
                }
                """),
            BuildProperties.None);
        GeneratorHarness.AssertClean(output);
        Assert.Equal(
            new[] { "Samples.Fns.Cube.Tangent.g.cs", "Samples.Fns.Cube.Tensor.g.cs", "Samples.Fns.Cube.g.cs", "Samples.Other.Square.g.cs" },
            HintNames(output));
    }

    [Fact]
    public void Explicit_false_wins_over_the_project_default()
    {
        var output = GeneratorHarness.Run(
            GeneratorHarness.CreateCompilation(Plain.Replace("[Differentiable]", "[Differentiable(Forward = false, Tensor = false)]")),
            BuildProperties.AllOutputs);
        GeneratorHarness.AssertClean(output);
        Assert.Equal(new[] { "Samples.Fns.Cube.g.cs" }, HintNames(output));
    }

    [Theory]
    [InlineData("true", "false", new[] { "Samples.Fns.Cube.Tangent.g.cs", "Samples.Fns.Cube.g.cs" })]
    [InlineData("False", "True", new[] { "Samples.Fns.Cube.Tensor.g.cs", "Samples.Fns.Cube.g.cs" })]
    [InlineData("", "yes", new[] { "Samples.Fns.Cube.g.cs" })]
    public void Project_properties_set_the_default(string forward, string tensor, string[] expected)
    {
        var output = GeneratorHarness.Run(
            GeneratorHarness.CreateCompilation(Plain),
            new BuildProperties(("StaticGradForward", forward), ("StaticGradTensor", tensor)));
        GeneratorHarness.AssertClean(output);
        Assert.Equal(expected, HintNames(output));
    }

    [Fact]
    public void A_tangent_calls_a_callee_without_one_through_its_backward()
    {
        // Inner has no Tangent (no opt-in, no project default): Outer's forward mode uses Inner's backward as a
        // pullback. Checked against a central finite difference (h = 1e-6, tolerance 1e-6 relative).
        var output = GeneratorHarness.Run(
            GeneratorHarness.CreateCompilation("""
                using StaticGrad;
                namespace Samples;
                public static partial class Chain
                {
                    [Differentiable]
                    public static double Inner(double a, double b) => System.Math.Sin(a) * b;

                    [Differentiable(Forward = true)]
                    public static double Outer(double x, double y) => Inner(x * y, x) + y;
                }
                """),
            BuildProperties.None);
        GeneratorHarness.AssertClean(output);
        Assert.DoesNotContain("Samples.Chain.Inner.Tangent.g.cs", HintNames(output));

        var type = GeneratorHarness.Load(output.OutputCompilation).GetType("Samples.Chain")!;
        var outer = type.GetMethod("Outer", BindingFlags.Public | BindingFlags.Static)!;
        var tangent = type.GetMethod("OuterTangent", BindingFlags.Public | BindingFlags.Static)!;
        double F(double x, double y) => (double)outer.Invoke(null, new object[] { x, y })!;
        const double x0 = 0.7, y0 = -1.3, dx = 0.4, dy = 0.9, h = 1e-6;
        var result = ((double Value, double Tangent))tangent.Invoke(null, new object[] { x0, y0, dx, dy })!;
        var expected = (F(x0 + h * dx, y0 + h * dy) - F(x0 - h * dx, y0 - h * dy)) / (2 * h);
        Assert.Equal(F(x0, y0), result.Value, 12);
        Assert.True(Math.Abs(result.Tangent - expected) <= 1e-6 * Math.Max(1, Math.Abs(expected)), $"tangent {result.Tangent}, finite difference {expected}");
        Assert.Contains("InnerBackward", output.Source("Samples.Chain.Outer.Tangent.g.cs"), StringComparison.Ordinal);
    }

    [Fact]
    public void A_tangent_calls_the_callees_tangent_when_the_project_default_generates_it()
    {
        var output = GeneratorHarness.Run(
            GeneratorHarness.CreateCompilation("""
                using StaticGrad;
                namespace Samples;
                public static partial class Chain
                {
                    [Differentiable]
                    public static double Inner(double a) => a * a;

                    [Differentiable]
                    public static double Outer(double x) => Inner(x) + x;
                }
                """),
            new BuildProperties(("StaticGradForward", "true")));
        GeneratorHarness.AssertClean(output);
        Assert.Contains("InnerTangent(", output.Source("Samples.Chain.Outer.Tangent.g.cs"), StringComparison.Ordinal);
    }

    [Fact]
    public void Hessian_alone_generates_what_it_needs()
    {
        var output = GeneratorHarness.Run(
            GeneratorHarness.CreateCompilation("""
                using StaticGrad;
                namespace Samples;
                public static partial class Second
                {
                    [Differentiable(Hessian = true)]
                    public static double Inner(double a) => System.Math.Exp(a) * a;

                    [Differentiable(Hessian = true)]
                    public static double Outer(double x, double y) => Inner(x * y) + x * x * y;
                }
                """),
            BuildProperties.None);
        GeneratorHarness.AssertClean(output);
        Assert.Equal(
            new[] { "Samples.Second.Inner.Hessian.g.cs", "Samples.Second.Inner.g.cs", "Samples.Second.Outer.Hessian.g.cs", "Samples.Second.Outer.g.cs" },
            HintNames(output));
    }

    [Fact]
    public void Tensor_bodied_method_gets_its_fused_node_only_with_the_opt_in()
    {
        const string source = """
            using StaticGrad;
            namespace Samples;
            public static partial class Net
            {
                [Differentiable]
                public static Tensor Loss(Tensor w, Tensor x) => (w * x).Tanh().Sum();
            }
            """;
        var plain = GeneratorHarness.Run(GeneratorHarness.CreateCompilation(source), BuildProperties.None);
        GeneratorHarness.AssertClean(plain);
        var file = plain.Sources.Single(s => s.HintName.EndsWith(".Tensor.g.cs", StringComparison.Ordinal)).Source;
        Assert.Contains("LossBackward(", file, StringComparison.Ordinal);
        Assert.DoesNotContain("LossFused", file, StringComparison.Ordinal);

        var opted = GeneratorHarness.Run(GeneratorHarness.CreateCompilation(source.Replace("[Differentiable]", "[Differentiable(Tensor = true)]")), BuildProperties.None);
        GeneratorHarness.AssertClean(opted);
        Assert.Contains("LossFused(", opted.Sources.Single(s => s.HintName.EndsWith(".Tensor.g.cs", StringComparison.Ordinal)).Source, StringComparison.Ordinal);
    }

    [Fact]
    public void Unrelated_edit_with_project_defaults_is_all_cached()
    {
        // The defaults and the attribute values travel as values: the steps that read them stay cached.
        IncrementalCaching.AssertUnrelatedEditCached(Plain.Replace("[Differentiable]", "[Differentiable(Forward = true)]"));
    }

    [Fact]
    public void Opting_out_in_the_attribute_removes_the_file_and_nothing_else_reruns()
    {
        var compilation = GeneratorHarness.CreateCompilation(Plain.Replace("[Differentiable]", "[Differentiable(Forward = true, Tensor = true)]"), "public class Other { }");
        var driver = GeneratorHarness.CreateDriver(properties: BuildProperties.None).RunGenerators(compilation);
        Assert.Equal(3, driver.GetRunResult().GeneratedTrees.Length);

        var edited = compilation.ReplaceSyntaxTree(
            compilation.SyntaxTrees.First(),
            CSharpSyntaxTree.ParseText(Plain.Replace("[Differentiable]", "[Differentiable(Forward = false, Tensor = true)]"), GeneratorHarness.ParseOptions));
        var result = driver.RunGenerators(edited).GetRunResult();

        Assert.Equal(new[] { "Samples.Fns.Cube.Tensor.g.cs", "Samples.Fns.Cube.g.cs" }, result.Results.Single().GeneratedSources.Select(s => s.HintName).OrderBy(n => n, StringComparer.Ordinal).ToArray());
        AssertNotRegenerated(result.Results.Single(), TrackingNames.GeneratedSources);
        AssertNotRegenerated(result.Results.Single(), TrackingNames.LiftedSources);
    }

    [Fact]
    public void Turning_a_project_property_off_removes_the_files_and_keeps_the_backward_cached()
    {
        var compilation = GeneratorHarness.CreateCompilation(Plain);
        var driver = GeneratorHarness.CreateDriver(properties: BuildProperties.AllOutputs).RunGenerators(compilation);
        Assert.Equal(3, driver.GetRunResult().GeneratedTrees.Length);

        var result = driver
            .WithUpdatedAnalyzerConfigOptions(new BuildProperties(("StaticGradTensor", "true")))
            .RunGenerators(compilation)
            .GetRunResult();

        Assert.Equal(new[] { "Samples.Fns.Cube.Tensor.g.cs", "Samples.Fns.Cube.g.cs" }, result.Results.Single().GeneratedSources.Select(s => s.HintName).OrderBy(n => n, StringComparer.Ordinal).ToArray());
        AssertNotRegenerated(result.Results.Single(), TrackingNames.GeneratedSources);
        Assert.Contains(result.Results.Single().TrackedSteps[TrackingNames.OutputDefaults].SelectMany(r => r.Outputs), o => o.Reason == IncrementalStepRunReason.Modified);
    }

    private static void AssertNotRegenerated(GeneratorRunResult result, string step)
    {
        foreach (var (value, reason) in result.TrackedSteps[step].SelectMany(r => r.Outputs))
        {
            Assert.True(reason is IncrementalStepRunReason.Cached or IncrementalStepRunReason.Unchanged, $"Step '{step}' re-ran with reason {reason} for {value}.");
        }
    }
}

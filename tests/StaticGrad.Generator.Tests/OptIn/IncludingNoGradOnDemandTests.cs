using System.Reflection;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using StaticGrad.Generator.Tests.Compiler;
using StaticGrad.Generator.Tests.CrossAssembly;
using StaticGrad.Generator.Tests.Infrastructure;

namespace StaticGrad.Generator.Tests.OptIn;

/// <summary>
/// <c>{Name}BackwardIncludingNoGrad</c> (<c>….IncludingNoGrad.g.cs</c>) is generated only when a method of the
/// compilation passes a derivative-carrying argument to one of the callee's [NoGrad] floating parameters, or with
/// <c>[Differentiable(IncludingNoGrad = true)]</c> for callers in other assemblies; its caching follows the callers.
/// </summary>
public sealed class IncludingNoGradOnDemandTests
{
    private const string Callee = """
        using StaticGrad;
        namespace Samples;
        public static partial class Fns
        {
            [Differentiable]
            public static double Weighted(double a, [NoGrad] double w) => w * a * a + System.Math.Sin(w * a);
        }
        """;

    private const string Caller = """
        using StaticGrad;
        namespace Samples;
        public static partial class Users
        {
            [Differentiable]
            public static double Loss(double x, double y) => Fns.Weighted(x, y * y) + y;
        }
        """;

    private const string DataCaller = """
        using StaticGrad;
        namespace Samples;
        public static partial class Users
        {
            [Differentiable]
            public static double Loss(double x, [NoGrad] double k) => Fns.Weighted(x, k) + Fns.Weighted(x, 2.0) + Fns.Weighted(x, Autograd.Detach(x));
        }
        """;

    private const string Unrelated = """
        using StaticGrad;
        namespace Samples;
        public static partial class Other
        {
            [Differentiable]
            public static double Scale(double x, [NoGrad] double k) => k * System.Math.Exp(x);
        }
        """;

    private static string[] HintNames(GeneratorOutput output) => output.Sources.Select(s => s.HintName).ToArray();

    [Fact]
    public void No_caller_no_variant()
    {
        var output = GeneratorHarness.Run(GeneratorHarness.CreateCompilation(Callee), BuildProperties.None);
        GeneratorHarness.AssertClean(output);
        Assert.Equal(new[] { "Samples.Fns.Weighted.g.cs" }, HintNames(output));
        Assert.DoesNotContain("IncludingNoGrad", output.Source("Samples.Fns.Weighted.g.cs"), StringComparison.Ordinal);
    }

    [Fact]
    public void Callers_passing_data_constants_or_detached_values_need_no_variant()
    {
        var output = GeneratorHarness.Run(GeneratorHarness.CreateCompilation(Callee, DataCaller), BuildProperties.None);
        GeneratorHarness.AssertClean(output);
        Assert.Equal(new[] { "Samples.Fns.Weighted.g.cs", "Samples.Users.Loss.g.cs" }, HintNames(output));
    }

    [Fact]
    public void A_caller_passing_a_derivative_carrying_argument_gets_the_variant_and_the_derivative_through_it()
    {
        // Checked against central finite differences (GradientAssert: relative tolerance 1e-6): dLoss/dy includes
        // the path through the [NoGrad] parameter w = y².
        var output = GeneratorHarness.Run(GeneratorHarness.CreateCompilation(Callee, Caller), BuildProperties.None);
        GeneratorHarness.AssertClean(output);
        Assert.Equal(new[] { "Samples.Fns.Weighted.IncludingNoGrad.g.cs", "Samples.Fns.Weighted.g.cs", "Samples.Users.Loss.g.cs" }, HintNames(output));
        Assert.Contains("WeightedBackwardIncludingNoGrad(", output.Source("Samples.Users.Loss.g.cs"), StringComparison.Ordinal);
        GradientAssert.MatchesFiniteDifferences(GeneratorHarness.Load(output.OutputCompilation), "Samples.Users", "Loss", new object[] { 0.7, -1.1 });
    }

    [Fact]
    public void A_forward_mode_caller_falls_back_to_the_variant_of_a_callee_without_tangent()
    {
        // Loss has a Tangent, Weighted none: the tangent pulls back through WeightedBackwardIncludingNoGrad.
        // Checked against a central finite difference (h = 1e-6, tolerance 1e-6 relative).
        var output = GeneratorHarness.Run(
            GeneratorHarness.CreateCompilation(Callee, Caller.Replace("[Differentiable]", "[Differentiable(Forward = true)]")),
            BuildProperties.None);
        GeneratorHarness.AssertClean(output);
        Assert.Contains("Samples.Fns.Weighted.IncludingNoGrad.g.cs", HintNames(output));

        var type = GeneratorHarness.Load(output.OutputCompilation).GetType("Samples.Users")!;
        var loss = type.GetMethod("Loss", BindingFlags.Public | BindingFlags.Static)!;
        var tangent = type.GetMethod("LossTangent", BindingFlags.Public | BindingFlags.Static)!;
        double F(double x, double y) => (double)loss.Invoke(null, new object[] { x, y })!;
        const double x0 = 0.7, y0 = -1.1, dx = 0.3, dy = -0.8, h = 1e-6;
        var result = ((double Value, double Tangent))tangent.Invoke(null, new object[] { x0, y0, dx, dy })!;
        var expected = (F(x0 + h * dx, y0 + h * dy) - F(x0 - h * dx, y0 - h * dy)) / (2 * h);
        Assert.True(Math.Abs(result.Tangent - expected) <= 1e-6 * Math.Max(1, Math.Abs(expected)), $"tangent {result.Tangent}, finite difference {expected}");
    }

    [Fact]
    public void The_opt_in_generates_the_variant_without_a_caller()
    {
        var output = GeneratorHarness.Run(
            GeneratorHarness.CreateCompilation(Callee.Replace("[Differentiable]", "[Differentiable(IncludingNoGrad = true)]")),
            BuildProperties.None);
        GeneratorHarness.AssertClean(output);
        Assert.Equal(new[] { "Samples.Fns.Weighted.IncludingNoGrad.g.cs", "Samples.Fns.Weighted.g.cs" }, HintNames(output));
    }

    [Fact]
    public void Unrelated_edits_with_a_demanded_variant_stay_cached() =>
        IncrementalCaching.AssertUnrelatedEditCached(Callee + "\n" + Caller.Replace("using StaticGrad;\nnamespace Samples;\n", string.Empty, StringComparison.Ordinal));

    [Fact]
    public void Adding_a_caller_generates_the_variant_and_reruns_nothing_else()
    {
        var compilation = GeneratorHarness.CreateCompilation(Callee, Unrelated, DataCaller);
        var driver = GeneratorHarness.CreateDriver(properties: BuildProperties.None).RunGenerators(compilation);
        Assert.DoesNotContain(driver.GetRunResult().GeneratedTrees, t => t.FilePath.EndsWith(".IncludingNoGrad.g.cs", StringComparison.Ordinal));

        var edited = compilation.ReplaceSyntaxTree(compilation.SyntaxTrees.Last(), CSharpSyntaxTree.ParseText(Caller, GeneratorHarness.ParseOptions));
        var result = driver.RunGenerators(edited).GetRunResult().Results.Single();

        Assert.Equal(
            new[] { "Samples.Fns.Weighted.IncludingNoGrad.g.cs", "Samples.Fns.Weighted.g.cs", "Samples.Other.Scale.g.cs", "Samples.Users.Loss.g.cs" },
            result.GeneratedSources.Select(s => s.HintName).OrderBy(n => n, StringComparer.Ordinal).ToArray());
        var rerun = result.TrackedSteps[TrackingNames.IncludingNoGradSources]
            .SelectMany(r => r.Outputs)
            .Where(o => o.Reason is not (IncrementalStepRunReason.Cached or IncrementalStepRunReason.Unchanged))
            .Select(o => ((StageOutput)o.Value).HintName)
            .ToArray();
        Assert.Equal(new[] { "Samples.Fns.Weighted.IncludingNoGrad.g.cs" }, rerun);

        // The callee's and the unrelated method's backward are not emitted again.
        var backwards = result.TrackedSteps[TrackingNames.GeneratedSources].SelectMany(r => r.Outputs).ToArray();
        Assert.Equal(3, backwards.Length);
        Assert.Single(backwards, o => o.Reason is not (IncrementalStepRunReason.Cached or IncrementalStepRunReason.Unchanged));
    }

    [Fact]
    public void Across_assemblies_the_variant_needs_the_opt_in_and_without_it_SG1011_says_so()
    {
        const string library = """
            using StaticGrad;
            namespace Lib
            {
                public static partial class Kernels
                {
                    [Differentiable]
                    public static double Scaled(double v, [NoGrad] double k) => k * v * v;
                }
            }
            """;
        const string app = """
            using StaticGrad;
            namespace App
            {
                public static partial class Model
                {
                    [Differentiable]
                    public static double Energy(double x, double y) => Lib.Kernels.Scaled(x, y) + y;
                }
            }
            """;

        var plain = BuiltAssembly.WithGenerator("Lib", library);
        var dropped = BuiltAssembly.Compilation("App", app, plain);
        var warning = Assert.Single(BuiltAssembly.AnalyzerDiagnostics(dropped));
        Assert.Equal("SG1011", warning.Id);
        Assert.Contains("[Differentiable(IncludingNoGrad = true)]", warning.GetMessage(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal);

        var optedIn = BuiltAssembly.WithGenerator("Lib", library.Replace("[Differentiable]", "[Differentiable(IncludingNoGrad = true)]", StringComparison.Ordinal));
        var consumer = BuiltAssembly.WithGenerator("App", app, optedIn);
        Assert.Empty(BuiltAssembly.AnalyzerDiagnostics(consumer.Generated!.OutputCompilation));
        Assert.Contains("ScaledBackwardIncludingNoGrad(", consumer.Generated.Source("App.Model.Energy.g.cs"), StringComparison.Ordinal);
        GradientAssert.MatchesFiniteDifferences(BuiltAssembly.LoadTogether(optedIn, consumer), "App.Model", "Energy", new object[] { 0.4, -0.3 });
    }
}

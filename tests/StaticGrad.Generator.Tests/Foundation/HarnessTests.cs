using Microsoft.CodeAnalysis.CSharp;
using StaticGrad.Generator.Tests.Infrastructure;

namespace StaticGrad.Generator.Tests.Foundation;

/// <summary>The test infrastructure must itself be able to fail.</summary>
public sealed class HarnessTests
{
    [Fact]
    public void Baseline_difference_names_the_first_differing_line()
    {
        var report = Baselines.FirstDifference("a\nb\nc\n", "a\nb\nX\n");

        Assert.NotNull(report);
        Assert.Contains("line 3", report);
        Assert.Contains("- c", report);
        Assert.Contains("+ X", report);
        Assert.Null(Baselines.FirstDifference("same\n", "same\n"));
    }

    [Fact]
    public void Roslyn_objects_in_a_model_are_detected()
    {
        var tree = CSharpSyntaxTree.ParseText("class C {}");
        var model = new { Name = "ok", Nested = new object[] { 1, tree.GetRoot() } };

        Assert.ThrowsAny<Xunit.Sdk.XunitException>(() => IncrementalCaching.AssertNoRoslynObjects(model, "model"));
        IncrementalCaching.AssertNoRoslynObjects(new { Name = "ok", Values = new[] { 1.0, 2.0 } }, "model");
    }

    [Fact]
    public void Every_pipeline_step_is_tracked_by_name()
    {
        Assert.Equal(
            new[] { TrackingNames.DifferentiableMethods, TrackingNames.ParsedMethods, TrackingNames.OutputDefaults, TrackingNames.MethodOutputs, TrackingNames.Rules, TrackingNames.GeneratedSources, TrackingNames.ReferencedRules, TrackingNames.AllRules, TrackingNames.RuleRegistry, TrackingNames.LiftableMethods, TrackingNames.LiftedSources, TrackingNames.TensorMethods, TrackingNames.TensorSources, TrackingNames.TangentSources, TrackingNames.HessianSources, TrackingNames.IncludingNoGradDemand, TrackingNames.IncludingNoGradSources, TrackingNames.PairDemand, TrackingNames.PairSources }.OrderBy(s => s),
            IncrementalCaching.TrackedSteps.OrderBy(s => s));
    }
}

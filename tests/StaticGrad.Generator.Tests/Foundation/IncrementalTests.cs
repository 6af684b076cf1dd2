using Microsoft.CodeAnalysis.CSharp;
using StaticGrad.Generator.Tests.Infrastructure;

namespace StaticGrad.Generator.Tests.Foundation;

/// <summary>A second run on an unchanged or unrelatedly edited compilation must re-do nothing.</summary>
public sealed class IncrementalTests
{
    private const string Source = """
        using StaticGrad;

        public static partial class Functions
        {
            [Differentiable]
            public static double Identity(double x) => x;

            [Differentiable]
            public static float IdentityF(float y, [NoGrad] float frozen) => y;

            // Opted in to second order, so that the Hessian step has an input to cache.
            [Differentiable(Hessian = true)]
            public static double Square(double x) => x * x;
        }
        """;

    [Fact]
    public void Unchanged_compilation_is_all_cached()
    {
        IncrementalCaching.AssertSecondRunCached(GeneratorHarness.CreateCompilation(Source), c => c.Clone());
    }

    [Fact]
    public void Unrelated_edit_is_all_cached()
    {
        IncrementalCaching.AssertUnrelatedEditCached(Source);
    }

    [Fact]
    public void Editing_a_differentiable_body_reruns_its_method()
    {
        var compilation = GeneratorHarness.CreateCompilation(Source);
        var driver = GeneratorHarness.CreateDriver().RunGenerators(compilation);
        var edited = compilation.ReplaceSyntaxTree(
            compilation.SyntaxTrees.Single(),
            CSharpSyntaxTree.ParseText(Source.Replace("float y, [NoGrad] float frozen) => y", "float y, [NoGrad] float frozen) => frozen"), GeneratorHarness.ParseOptions));

        var second = driver.RunGenerators(edited).GetRunResult().Results.Single();

        Assert.Contains(
            second.TrackedSteps[TrackingNames.DifferentiableMethods].SelectMany(r => r.Outputs),
            o => o.Reason == Microsoft.CodeAnalysis.IncrementalStepRunReason.Modified);
    }
}

using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using StaticGrad.Generator.Tests.Infrastructure;

namespace StaticGrad.Generator.Tests.TensorMethods;

/// <summary>The Tensor-method steps cache like the scalar ones: an unchanged or unrelated edit re-does nothing.</summary>
public sealed class TensorIncrementalTests
{
    private const string Source = """
        using StaticGrad;

        public static partial class Layers
        {
            [Differentiable]
            public static Tensor Dense(Tensor x, Tensor w, Tensor b) => (x.MatMul(w) + b).Tanh();

            [Differentiable]
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
    public void Editing_a_tensor_body_reruns_its_method_and_rewrites_its_file()
    {
        var compilation = GeneratorHarness.CreateCompilation(Source);
        var driver = GeneratorHarness.CreateDriver().RunGenerators(compilation);
        var edited = compilation.ReplaceSyntaxTree(
            compilation.SyntaxTrees.Single(),
            CSharpSyntaxTree.ParseText(Source.Replace(".Tanh()", ".Sigmoid()"), GeneratorHarness.ParseOptions));

        var second = driver.RunGenerators(edited).GetRunResult().Results.Single();

        Assert.Contains(second.TrackedSteps[TrackingNames.TensorMethods].SelectMany(r => r.Outputs), o => o.Reason == IncrementalStepRunReason.Modified);
        Assert.Contains("Sigmoid", second.GeneratedSources.Single(s => s.HintName == "Layers.Dense.Tensor.g.cs").SourceText.ToString(), StringComparison.Ordinal);
    }
}

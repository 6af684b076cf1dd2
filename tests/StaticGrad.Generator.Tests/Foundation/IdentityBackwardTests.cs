using StaticGrad.Generator.Tests.Infrastructure;

namespace StaticGrad.Generator.Tests.Foundation;

/// <summary>The smallest end-to-end proof: a [Differentiable] identity gets a backward that compiles and is right.</summary>
public sealed class IdentityBackwardTests
{
    private const string Source = """
        using StaticGrad;

        namespace Demo;

        public static partial class Functions
        {
            [Differentiable]
            public static double Identity(double x) => x;
        }
        """;

    [Fact]
    public void Generated_code_matches_baseline_and_compiles_clean()
    {
        var output = GeneratorHarness.Run(Source);

        GeneratorHarness.AssertClean(output);
        Baselines.Verify(nameof(IdentityBackwardTests), output);
    }

    [Fact]
    public void Backward_returns_the_value_and_accumulates_seed_into_the_adjoint()
    {
        var assembly = GeneratorHarness.CompileAndLoad(Source);
        var backward = assembly.GetType("Demo.Functions")!.GetMethod("IdentityBackward")!;

        var args = new object[] { 3.5, 10.0, 2.0 };
        var value = (double)backward.Invoke(null, args)!;

        Assert.Equal(3.5, value);
        Assert.Equal(12.0, (double)args[1]); // 10 + seed·1: adjoints accumulate
    }
}

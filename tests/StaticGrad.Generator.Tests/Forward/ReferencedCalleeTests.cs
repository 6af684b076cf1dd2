using Microsoft.CodeAnalysis;
using StaticGrad.Generator.Tests.Infrastructure;

namespace StaticGrad.Generator.Tests.Forward;

/// <summary>
/// A [Differentiable] callee from a referenced assembly that ships a backward but no Tangent (built before forward
/// mode existed): the caller's Tangent calls the backward as a pullback (seed 1 gives the value and the gradient).
/// </summary>
public sealed class ReferencedCalleeTests
{
    private const string Library = """
        using System;
        using StaticGrad;

        namespace Lib;

        public static partial class Shipped
        {
            [Differentiable]
            public static double Weighted(double[] v, double x)
            {
                var s = 0.0;
                for (var i = 0; i < v.Length; i++) s += v[i] * v[i] * x;
                return s;
            }

            public static double WeightedBackward(double[] v, double x, Span<double> dV, ref double dx, double seed = 1.0)
            {
                var s = 0.0;
                for (var i = 0; i < v.Length; i++)
                {
                    s += v[i] * v[i] * x;
                    dV[i] += seed * 2 * v[i] * x;
                    dx += seed * v[i] * v[i];
                }

                return s;
            }
        }
        """;

    private const string Caller = """
        using System;
        using StaticGrad;

        namespace App;

        public static partial class Uses
        {
            [Differentiable]
            public static double F(double[] v, double x) => Lib.Shipped.Weighted(v, Math.Sin(x)) * x;
        }

        public static class Check
        {
            public static double[] Run(double[] v, double x, double[] dv, double dx)
            {
                var r = Uses.FTangent(v, x, dv, dx);
                return new[] { r.Value, r.Tangent };
            }
        }
        """;

    [Fact]
    public void Tangent_calls_the_backward_of_a_callee_without_one_and_agrees_with_the_caller_backward()
    {
        var library = GeneratorHarness.CreateCompilation(Library);
        using var image = new MemoryStream();
        Assert.True(library.Emit(image).Success);
        var output = GeneratorHarness.Run(GeneratorHarness.CreateCompilation(Caller).AddReferences(MetadataReference.CreateFromImage(image.ToArray())));
        GeneratorHarness.AssertClean(output);
        var tangentFile = output.Source("App.Uses.F.Tangent.g.cs");
        Assert.Contains("global::Lib.Shipped.WeightedBackward(", tangentFile, StringComparison.Ordinal);

        // Value and tangent by hand: F = x·sin(x)·Σv², dF = sin(x)Σv²·dx + x·cos(x)Σv²·dx + x·sin(x)·Σ2v·dv.
        var context = new System.Runtime.Loader.AssemblyLoadContext("ReferencedCallee", isCollectible: true);
        var libraryAssembly = context.LoadFromStream(new MemoryStream(image.ToArray()));
        context.Resolving += (_, name) =>
            name.Name == libraryAssembly.GetName().Name ? libraryAssembly
            : name.Name == typeof(DifferentiableAttribute).Assembly.GetName().Name ? typeof(DifferentiableAttribute).Assembly
            : null;
        using var app = new MemoryStream();
        Assert.True(output.OutputCompilation.Emit(app).Success);
        app.Position = 0;
        var check = context.LoadFromStream(app).GetType("App.Check")!;
        double[] v = { 0.5, -1.5 }, dv = { 0.25, 1.0 };
        double x = 0.7, dx = -0.4;
        var result = (double[])check.GetMethod("Run")!.Invoke(null, new object[] { v, x, dv, dx })!;
        var sum = v.Sum(e => e * e);
        var expectedTangent = (Math.Sin(x) * sum + x * Math.Cos(x) * sum) * dx + x * Math.Sin(x) * v.Zip(dv, (e, d) => 2 * e * d).Sum();
        Assert.Equal(x * Math.Sin(x) * sum, result[0], 12);
        Assert.Equal(expectedTangent, result[1], 12);
    }
}

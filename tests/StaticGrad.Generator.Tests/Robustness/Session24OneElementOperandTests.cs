using StaticGrad.Generator.Tests.Infrastructure;

namespace StaticGrad.Generator.Tests.Robustness;

/// <summary>
/// The difference of two vectors read from one array, <c>ps[i] - ps[i + 1]</c>, as a spring or a mesh edge is written:
/// the operator's expansion reads X, Y, Z with the left leaf first, and the left operand's leaves are the fields of one
/// element, so its first leaf throws exactly when the operand would; C#'s order holds without binding the left operand
/// to hidden locals first; nor are the first arguments of <c>Vector3.Distance</c> and <c>Dot</c> (which args24's argument order did for every operand that may throw, and which cost the
/// spring chain 22 %: 3.85 → 4.71 ÷ hand in session 24's quiet run). Checked: no `_left` copy in the generated code, the
/// Backward throws what the primal throws when either operand's index is out of range, its value is the primal's bit
/// for bit, and the gradient matches central differences (step 1e-3 — the vectors compute in float —, tolerance
/// 2e-3·max(1, |fd|)). A left operand that is not one element (a sum of two reads) is still bound.
/// </summary>
public sealed class Session24OneElementOperandTests
{
    private const string Source = """
        using System;
        using System.Numerics;
        using StaticGrad;

        namespace Session24OneElement;

        public static partial class E
        {
            [Differentiable]
            public static double Edge(double[] a, double x)
            {
                var ps = new Vector3[3];
                for (var k = 0; k < 3; k++)
                {
                    ps[k] = new Vector3((float)(a[k] * x), (float)a[k + 1], 1f);
                }

                var i = (int)((a[4] * 10) + 0.5) - 6;
                var d = ps[i] - ps[i + 1];
                return (d.X * d.X) + (d.Y * d.Y) + (d.Z * d.Z);
            }

            [Differentiable]
            public static double DistanceAndDot(double[] a, double x)
            {
                var ps = new Vector3[3];
                for (var k = 0; k < 3; k++)
                {
                    ps[k] = new Vector3((float)(a[k] * x), (float)a[k + 1], 1f);
                }

                var i = (int)((a[4] * 10) + 0.5) - 6;
                return Vector3.Distance(ps[i], ps[i + 1]) + Vector3.Dot(ps[i], ps[i + 1]);
            }

            [Differentiable]
            public static double SumOnTheLeft(double[] a, double x)
            {
                var ps = new Vector3[3];
                for (var k = 0; k < 3; k++)
                {
                    ps[k] = new Vector3((float)(a[k] * x), (float)a[k + 1], 1f);
                }

                var i = (int)((a[4] * 10) + 0.5) - 6;
                var d = (ps[0] + ps[i]) - ps[i + 1];
                return (d.X * d.X) + (d.Y * d.Y) + d.Z;
            }
        }
        """;

    private static readonly Lazy<(Type Type, string Generated)> s_compiled = new(() =>
    {
        var output = GeneratorHarness.Run(Source);
        GeneratorHarness.AssertClean(output);
        var generated = string.Join("\n", output.Sources.Select(s => s.Source));
        return (GeneratorHarness.Load(output.OutputCompilation).GetType("Session24OneElement.E")!, generated);
    });

    [Fact]
    public void A_left_operand_that_is_one_element_is_not_copied_first()
    {
        var generated = s_compiled.Value.Generated;
        var start = generated.IndexOf("public static double EdgeBackward", StringComparison.Ordinal);
        Assert.True(start >= 0, generated);
        var end = generated.IndexOf("public static", start + 1, StringComparison.Ordinal);
        var edge = end > start ? generated[start..end] : generated[start..];
        Assert.False(edge.Contains("_left", StringComparison.Ordinal), edge);
        var distance = generated.IndexOf("public static double DistanceAndDotBackward", StringComparison.Ordinal);
        var distanceEnd = generated.IndexOf("public static", distance + 1, StringComparison.Ordinal);
        var both = distanceEnd > distance ? generated[distance..distanceEnd] : generated[distance..];
        Assert.False(both.Contains("_value1", StringComparison.Ordinal) || both.Contains("_vector1", StringComparison.Ordinal), both);
        // The sum on the left is two elements: still copied first.
        Assert.Contains("_left", generated[generated.IndexOf("public static double SumOnTheLeftBackward", StringComparison.Ordinal)..], StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Edge", 0.75)]
    [InlineData("Edge", 0.85)]
    [InlineData("DistanceAndDot", 0.75)]
    [InlineData("DistanceAndDot", 0.85)]
    [InlineData("SumOnTheLeft", 0.75)]
    [InlineData("SumOnTheLeft", 0.85)]
    public void Backward_throws_what_the_primal_throws(string name, double index) =>
        Session23ArgumentOrderTests.AssertThrowsAsThePrimal(s_compiled.Value.Type, name, new[] { 0.1, 0.2, 0.3, 0.4, index }, 0.6, "System.IndexOutOfRangeException");

    [Theory]
    [InlineData("Edge")]
    [InlineData("DistanceAndDot")]
    [InlineData("SumOnTheLeft")]
    public void Gradient_matches_central_differences_and_value_is_the_primals(string name) =>
        Session23ArgumentOrderTests.AssertGradient(s_compiled.Value.Type, name, 1e-6, 1e-3, 2e-3);
}

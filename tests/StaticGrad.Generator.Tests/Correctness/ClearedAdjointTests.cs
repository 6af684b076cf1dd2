using System.Text.RegularExpressions;
using StaticGrad.Compiler.Reverse;
using StaticGrad.Generator.Tests.Correctness.Harness;

namespace StaticGrad.Generator.Tests.Correctness;

/// <summary>
/// An adjoint cleared and then added to becomes an assignment (issue 18, session 13): the reverse of
/// <c>v = f(v, …)</c> writes <c>dV = e</c> instead of <c>dV = 0.0; … dV += e</c> when nothing reads dV between.
/// Methods checked against central finite differences, the emitted shape counted, and the rewrite's refusals.
/// </summary>
public sealed class ClearedAdjointTests
{
    private const int PointsPerFunction = 5;

    private const string Source = """
        using System;
        using StaticGrad;

        namespace Corpus;

        public static partial class Cleared
        {
            // A Horner chain, straight-line, then in a loop.
            // domain: z=-1..1 c[4]=-1..1
            [Differentiable]
            public static double Horner(double z, double[] c)
            {
                var p = 0.3 * z + 1.5;
                p = p * z + 2.5;
                p = p * z - 0.5;
                for (var i = 0; i < c.Length; i++)
                {
                    p = p * z + c[i];
                }

                return p * Math.Exp(-0.5 * z * z);
            }

            // Subtracted and read twice: dV -= …, and v's adjoint read again by the product.
            // domain: v=-1..1 a=0.5..1.5
            [Differentiable]
            public static double Subtracted(double v, double a)
            {
                var s = v;
                s = a - s * a;
                s = s * s + a;
                s = Math.Sin(s) - s * 0.25;
                return s;
            }

            // A self-update inside a branch, in float.
            // domain: x=-1..1 a=-1..1
            [Differentiable]
            public static float Branch(float x, float a)
            {
                var y = x * a;
                if (x > 0f)
                {
                    y = y * x + a;
                }
                else
                {
                    y = a - y * 0.5f;
                }

                return y * y;
            }
        }
        """;

    private static readonly IReadOnlyList<MethodUnderTest> s_methods = MethodUnderTest.ReadAll(Source);

    private static readonly Lazy<CompiledBatch> s_batch = new(() => CompiledBatch.Compile(new[] { Source }, s_methods));

    public static TheoryData<string> Methods() => MethodUnderTest.Keys(s_methods);

    [Theory]
    [MemberData(nameof(Methods))]
    public void Gradient_matches_central_finite_differences(string key)
    {
        s_batch.Value.AssertGradientMatchesFiniteDifferences(s_methods.Single(m => m.Key == key), PointsPerFunction);
    }

    /// <summary>The Horner chain's adjoint is assigned, never cleared and added to.</summary>
    [Fact]
    public void Horner_steps_assign_the_adjoint()
    {
        var source = s_batch.Value.GeneratedSource["Cleared.Horner"];
        var body = source[source.IndexOf("// Reverse sweep", StringComparison.Ordinal)..];
        Assert.DoesNotMatch(new Regex(@"\b_?dp = 0\.0;"), body);
        Assert.True(Regex.Matches(body, @"\b_?dp = _t\d+ \* z;").Count == 3, body);
    }

    [Fact]
    public void The_rewrite_assigns_the_first_addition()
    {
        var text = "    dP = 0.0;\n    p = _s1;\n    dP += _t2 * z;\n    dz += p * _t2;\n";
        Assert.Equal("    p = _s1;\n    dP = _t2 * z;\n    dz += p * _t2;\n", ReverseModeTransformer.AssignInsteadOfClearing(text, "dP"));
        Assert.Equal("    dP = -(_t2 * z);\n", ReverseModeTransformer.AssignInsteadOfClearing("    dP = 0.0;\n    dP -= _t2 * z;\n", "dP"));
        Assert.Equal("    dP = -_t2;\n", ReverseModeTransformer.AssignInsteadOfClearing("    dP = 0.0;\n    dP -= _t2;\n", "dP"));
    }

    [Theory]
    // Read between the clear and the addition.
    [InlineData("    dP = 0.0;\n    double _t3 = dP * 2.0;\n    dP += _t2;\n")]
    // The addition reads the adjoint.
    [InlineData("    dP = 0.0;\n    dP += dP * _t2;\n")]
    // The addition is nested (runs conditionally).
    [InlineData("    dP = 0.0;\n    if (b)\n    {\n        dP += _t2;\n    }\n")]
    // A longer name sharing the prefix is not the adjoint.
    [InlineData("    dP = 0.0;\n    dP2 += _t2;\n")]
    public void The_rewrite_refuses(string text)
    {
        Assert.Equal(text, ReverseModeTransformer.AssignInsteadOfClearing(text, "dP"));
    }
}

using System.Text.RegularExpressions;
using StaticGrad.Generator.Tests.Correctness.Harness;

namespace StaticGrad.Generator.Tests.Robustness;

/// <summary>
/// Session 17 (issue 18): an inner reduction loop fused inside a fused outer iteration (n-body's pair loop), so each
/// inner iteration is reversed right after it runs. Right only when the rest of the outer iteration cannot tell that
/// the inner loop's saved variables were restored and its index never counted back; these methods break the
/// conditions one at a time (a private read after the inner loop, an index read before it, an active value the outer
/// body writes after it, break/continue/return, zero trips, three loops deep, a [NoGrad] array, an overwritten
/// argument, one array read by both loops, two accumulators, names equal to those the generator emits).
/// Compiled in one batch; each Backward compared against central finite differences (tolerances of
/// <see cref="FiniteDifferenceCheck"/>), and the loops fused inside an outer iteration counted.
/// </summary>
public sealed class InnerFusionAdversarialTests
{
    private const int PointsPerFunction = 3;

    private const string Source = """
        using System;
        using StaticGrad;

        namespace ReviewInnerFusion;

        public static partial class F
        {
            // n-body's shape on a line: kinetic per body, potential per pair.
            // domain: x[5]=-2..2 v[5]=-1..1 m[5]=0.5..2
            [Differentiable]
            public static double Pairs(double[] x, double[] v, [NoGrad] double[] m)
            {
                var kinetic = 0.0;
                var potential = 0.0;
                for (var i = 0; i < x.Length; i++)
                {
                    kinetic += 0.5 * m[i] * v[i] * v[i];
                    for (var j = i + 1; j < x.Length; j++)
                    {
                        var r = x[i] - x[j];
                        potential -= m[i] * m[j] / Math.Sqrt(r * r + 0.1);
                    }
                }

                return kinetic + potential;
            }

            // Coefficients on the accumulators, both updated in the inner loop, a branch inside it.
            // domain: p[5]=-1..1 w=0.5..2
            [Differentiable]
            public static double TwoAccumulatorsBranch(double[] p, double w)
            {
                var a = 0.0;
                var b = 0.0;
                for (var i = 0; i < p.Length; i++)
                {
                    for (var j = 0; j < p.Length; j++)
                    {
                        if (j != i)
                        {
                            var d = p[i] - p[j];
                            a += Math.Exp(-d * d * w);
                        }
                        else
                        {
                            b -= Math.Sin(p[i] * w);
                        }
                    }
                }

                return 2.0 * a - b / 3.0;
            }

            // The inner loop's private r is also the outer body's: restored to p[i] by each inner iteration's reverse.
            // domain: p[5]=-1..1
            [Differentiable]
            public static double PrivateWrittenBefore(double[] p)
            {
                var s = 0.0;
                var t = 0.0;
                for (var i = 0; i < p.Length; i++)
                {
                    var r = p[i] * p[i];
                    s += Math.Cos(r);
                    for (var j = 0; j < i; j++)
                    {
                        r = p[i] * p[j];
                        t += Math.Sin(r) * r;
                    }
                }

                return s + t;
            }

            // The inner private r is read after the inner loop: not fused.
            // domain: p[5]=-1..1
            [Differentiable]
            public static double PrivateReadAfter(double[] p)
            {
                var s = 0.0;
                for (var i = 0; i < p.Length; i++)
                {
                    var r = 0.0;
                    for (var j = i; j < p.Length; j++)
                    {
                        r = p[i] * p[j];
                        s += Math.Sin(r);
                    }

                    s += r * p[i];
                }

                return s;
            }

            // The inner index is read before the inner loop (by the statement whose reverse needs it): not fused.
            // domain: p[6]=-1..1
            [Differentiable]
            public static double IndexReadBefore(double[] p)
            {
                var s = 0.0;
                for (var i = 0; i + 2 < p.Length; i++)
                {
                    var j = i + 1;
                    s += p[j] * p[j] * p[i];
                    while (j < p.Length)
                    {
                        s += Math.Cos(p[j] * p[i]);
                        j++;
                    }
                }

                return s;
            }

            // An active value read by the inner loop and written after it in the outer body: not fused.
            // domain: p[5]=-1..1
            [Differentiable]
            public static double WrittenAfter(double[] p)
            {
                var s = 0.0;
                var k = 0.0;
                for (var i = 0; i < p.Length; i++)
                {
                    var y = p[i] * 1.5;
                    for (var j = 0; j < p.Length; j++)
                    {
                        s += y * Math.Tanh(p[j]);
                    }

                    y = y * y;
                    k += y;
                }

                return s + k;
            }

            // break, continue and an early return around and inside the inner loop.
            // domain: p[6]=-1..1 c=-0.5..0.5
            [Differentiable]
            public static double Jumps(double[] p, double c)
            {
                var s = 0.0;
                for (var i = 0; i < p.Length; i++)
                {
                    for (var j = 0; j < p.Length; j++)
                    {
                        if (j == 4)
                        {
                            break;
                        }

                        if (j == i)
                        {
                            continue;
                        }

                        s += p[i] * Math.Exp(p[j] * c);
                    }

                    if (i == 5)
                    {
                        return s;
                    }
                }

                return s * 2.0;
            }

            // Zero trips: n = 0 in the domain, and the last outer iteration's pair loop never runs.
            // domain: p[4]=-1..1 n=0..3
            [Differentiable]
            public static double ZeroTrips(double[] p, int n)
            {
                var s = 0.0;
                for (var i = 0; i < n; i++)
                {
                    s += p[i];
                    for (var j = i + 1; j < n; j++)
                    {
                        s += Math.Sqrt(p[i] * p[i] + p[j] * p[j] + 0.5);
                    }
                }

                return s;
            }

            // Three loops deep: the middle loop holds a loop (not fused), the innermost is not directly in the fused one.
            // domain: p[4]=-1..1
            [Differentiable]
            public static double ThreeDeep(double[] p)
            {
                var s = 0.0;
                for (var i = 0; i < p.Length; i++)
                {
                    for (var j = 0; j < p.Length; j++)
                    {
                        for (var k = j; k < p.Length; k++)
                        {
                            s += Math.Cos(p[i] * p[j] + p[k]);
                        }
                    }
                }

                return s;
            }

            // An argument overwritten before the loops; both loops read the same array (element i may be element j).
            // domain: p[5]=-1..1 x=0.5..1.5
            [Differentiable]
            public static double OverwrittenAliased(double[] p, double x)
            {
                x = x * x;
                var s = 0.0;
                for (var i = 0; i < p.Length; i++)
                {
                    for (var j = 0; j < p.Length; j++)
                    {
                        s += x * p[i] * Math.Log(1.0 + p[j] * p[i] * p[j]);
                    }
                }

                return -s;
            }

            // Names the generator emits, taken by the user.
            // domain: p[5]=-1..1
            [Differentiable]
            public static double HostileNames(double[] p)
            {
                var dPotential = 0.0;
                var _potential = 0.0;
                for (var _j = 0; _j < p.Length; _j++)
                {
                    for (var _r = 0; _r < p.Length; _r++)
                    {
                        var _t0 = p[_j] - p[_r];
                        var _e5 = Math.Sqrt(_t0 * _t0 + 0.2);
                        _potential += _e5;
                        dPotential -= _t0 * _e5;
                    }
                }

                return _potential + 0.5 * dPotential;
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
        var batch = s_batch.Value;
        batch.AssertAcceptedAndGradientMatches(key, s_methods, PointsPerFunction);
    }

    /// <summary>How many loops each backward fuses inside a fused outer iteration.</summary>
    [Theory]
    [InlineData("F.Pairs", 1)]
    [InlineData("F.TwoAccumulatorsBranch", 1)]
    [InlineData("F.PrivateWrittenBefore", 1)]
    [InlineData("F.PrivateReadAfter", 0)]
    [InlineData("F.IndexReadBefore", 0)]
    [InlineData("F.WrittenAfter", 0)]
    [InlineData("F.Jumps", 0)]
    [InlineData("F.ZeroTrips", 1)]
    [InlineData("F.ThreeDeep", 0)]
    [InlineData("F.OverwrittenAliased", 1)]
    [InlineData("F.HostileNames", 1)]
    public void Inner_loops_fused(string key, int fused)
    {
        var source = s_batch.Value.GeneratedSource[key];
        var count = Regex.Matches(source, @"// Fused inside the outer iteration: ").Count;
        Assert.True(fused == count, $"{key}: {count} inner loops fused (expected {fused})\n{source}");
    }
}

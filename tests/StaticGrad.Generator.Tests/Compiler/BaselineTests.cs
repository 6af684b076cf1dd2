using StaticGrad.Generator.Tests.Infrastructure;

namespace StaticGrad.Generator.Tests.Compiler;

/// <summary>
/// The generated code of a representative set of methods, checked in as baselines (the generated code is part of
/// the product: a user reads it). Each is also compiled clean and its gradient checked numerically through a small
/// <c>Check</c> class in the source: <c>F(p)</c> evaluates the method at a flat point, <c>G(p, g)</c> writes the
/// generated gradient.
/// </summary>
public sealed class BaselineTests
{
    public static TheoryData<string> Cases => new(s_cases.Keys);

    private static readonly Dictionary<string, (string Source, double[] Point)> s_cases = new()
    {
        ["Rosenbrock"] = ("""
            public static partial class Losses
            {
                [Differentiable]
                public static double Rosenbrock(double x, double y) => (1 - x) * (1 - x) + 100 * (y - x * x) * (y - x * x);
            }

            public static class Check
            {
                public static double F(double[] p) => Losses.Rosenbrock(p[0], p[1]);
                public static void G(double[] p, double[] g) => Losses.RosenbrockBackward(p[0], p[1], ref g[0], ref g[1]);
            }
            """, new[] { -1.2, 1.0 }),
        ["LoopWithOverwrites"] = ("""
            public static partial class Polynomials
            {
                /// <summary>Horner's rule: the accumulator is overwritten every iteration.</summary>
                [Differentiable]
                public static double Horner(double[] coefficients, double x)
                {
                    var acc = 0.0;
                    for (var i = coefficients.Length - 1; i >= 0; i--)
                    {
                        acc = acc * x + coefficients[i];
                    }

                    return acc;
                }
            }

            public static class Check
            {
                public static double F(double[] p) => Polynomials.Horner(p[..4], p[4]);
                public static void G(double[] p, double[] g) => Polynomials.HornerBackward(p[..4], p[4], g.AsSpan(0, 4), ref g[4]);
            }
            """, new[] { 0.5, -1.0, 2.0, 0.25, 1.3 }),
        ["CountedLoopWithoutTape"] = ("""
            public static partial class Losses
            {
                /// <summary>
                /// n-dimensional Rosenbrock: the counter is counted back down, the loop locals are recomputed and the
                /// sum is not saved, so the backward uses no tape at all.
                /// </summary>
                [Differentiable]
                public static double RosenbrockN(double[] x)
                {
                    var sum = 0.0;
                    for (var i = 0; i < x.Length - 1; i++)
                    {
                        var valley = x[i + 1] - x[i] * x[i];
                        var slope = 1.0 - x[i];
                        sum += 100.0 * valley * valley + slope * slope;
                    }

                    return sum;
                }
            }

            public static class Check
            {
                public static double F(double[] p) => Losses.RosenbrockN(p);
                public static void G(double[] p, double[] g) => Losses.RosenbrockNBackward(p, g);
            }
            """, new[] { -1.2, 1.0, -0.9, 1.1, 0.3 }),
        ["NestedLoopsEarlyReturn"] = ("""
            public static partial class Search
            {
                [Differentiable]
                public static double Grow(double x, double y, int n)
                {
                    var acc = 1.0;
                    for (var i = 0; i < n; i++)
                    {
                        for (var j = 0; j < n; j++)
                        {
                            acc = acc * x + y;
                            if (acc > 50)
                            {
                                return Math.Sqrt(acc);
                            }
                        }
                    }

                    return acc;
                }
            }

            public static class Check
            {
                public static double F(double[] p) => Search.Grow(p[0], p[1], 4);
                public static void G(double[] p, double[] g) => Search.GrowBackward(p[0], p[1], 4, ref g[0], ref g[1]);
            }
            """, new[] { 1.6, 0.5 }),
        ["CallToDifferentiable"] = ("""
            public static partial class Models
            {
                [Differentiable]
                public static double Square(double v) => v * v;

                [Differentiable]
                public static double Scaled(double v, [NoGrad] double scale) => scale * Math.Sin(v);

                [Differentiable]
                public static double Energy(double x, double y) => Square(x - y) + Scaled(x, y * y) + Helpers.Cube(y);
            }

            public static partial class Helpers
            {
                [Differentiable]
                public static double Cube(double v) => v * v * v;
            }

            public static class Check
            {
                public static double F(double[] p) => Models.Energy(p[0], p[1]);
                public static void G(double[] p, double[] g) => Models.EnergyBackward(p[0], p[1], ref g[0], ref g[1]);
            }
            """, new[] { 0.7, -0.4 }),
        ["DerivativeOfRule"] = ("""
            public static class Library
            {
                public static double Softplus(double v) => Math.Log(1 + Math.Exp(v));
            }

            public static class Rules
            {
                /// <summary>A numerically stable derivative for a method StaticGrad cannot read.</summary>
                [DerivativeOf(typeof(Library), nameof(Library.Softplus))]
                public static double SoftplusRule(double v, ref double dv, double seed)
                {
                    dv += seed / (1 + Math.Exp(-v));
                    return Library.Softplus(v);
                }
            }

            public static partial class Models
            {
                [Differentiable]
                public static double Loss(double x, double y) => Library.Softplus(x * y) + x;
            }

            public static class Check
            {
                public static double F(double[] p) => Models.Loss(p[0], p[1]);
                public static void G(double[] p, double[] g) => Models.LossBackward(p[0], p[1], ref g[0], ref g[1]);
            }
            """, new[] { 0.3, -1.7 }),
        ["DetachAndNoGrad"] = ("""
            public static partial class Markers
            {
                [Differentiable]
                public static double F(double x, double y)
                {
                    var frozen = Autograd.Detach(x * y);
                    double scale;
                    using (Autograd.NoGrad())
                    {
                        scale = y * y;
                    }

                    return frozen * x + scale * x + y;
                }
            }

            public static class Check
            {
                // The reference detaches the same values: finite differences hold them at the point's values.
                public static double[] At = { 0.0, 0.0 };
                public static double F(double[] p) => (At[0] * At[1]) * p[0] + (At[1] * At[1]) * p[0] + p[1];
                public static void G(double[] p, double[] g) { At = (double[])p.Clone(); Markers.FBackward(p[0], p[1], ref g[0], ref g[1]); }
            }
            """, new[] { 0.9, 1.4 }),
        ["Float"] = ("""
            public static partial class Single
            {
                [Differentiable]
                public static float Logistic(float x, float w)
                {
                    var z = w * x;
                    for (var i = 0; i < 3; i++)
                    {
                        z = MathF.Tanh(z) + w;
                    }

                    return 1f / (1f + MathF.Exp(-z));
                }
            }

            public static class Check
            {
                public static double F(double[] p) => Single.Logistic((float)p[0], (float)p[1]);
                public static void G(double[] p, double[] g) { float dx = 0, dw = 0; Single.LogisticBackward((float)p[0], (float)p[1], ref dx, ref dw); g[0] = dx; g[1] = dw; }
            }
            """, new[] { 0.6, -0.8 }),
        ["ArraysAndSpans"] = ("""
            public static partial class Linear
            {
                [Differentiable]
                public static double WeightedDot(ReadOnlySpan<double> a, Span<double> b, double[] w, int n)
                {
                    var sum = 0.0;
                    for (var i = 0; i < n; i++)
                    {
                        for (var j = 0; j < n; j++)
                        {
                            sum += a[i] * w[i * n + j] * b[j];
                        }
                    }

                    foreach (var v in a)
                    {
                        sum += v * v;
                    }

                    return sum;
                }
            }

            public static class Check
            {
                public static double F(double[] p) => Linear.WeightedDot(p.AsSpan(0, 2), p.AsSpan(2, 2).ToArray(), p[4..8], 2);
                public static void G(double[] p, double[] g) => Linear.WeightedDotBackward(p.AsSpan(0, 2), p.AsSpan(2, 2).ToArray(), p[4..8], 2, g.AsSpan(0, 2), g.AsSpan(2, 2), g.AsSpan(4, 4));
            }
            """, new[] { 0.5, -1.0, 2.0, 0.25, 1.3, -0.7, 0.2, 0.9 }),
        ["LocalArray"] = ("""
            public static partial class Sequences
            {
                [Differentiable]
                public static double PrefixEnergy(double[] x)
                {
                    var prefix = new double[x.Length];
                    Span<double> squares = stackalloc double[x.Length];
                    var running = 0.0;
                    for (var i = 0; i < x.Length; i++)
                    {
                        running += x[i];
                        prefix[i] = running;
                        squares[i] = running * running;
                    }

                    for (var i = 1; i < x.Length; i++)
                    {
                        prefix[i] = prefix[i] * prefix[i - 1];
                    }

                    var total = 0.0;
                    for (var i = 0; i < x.Length; i++)
                    {
                        total += prefix[i] + Math.Sin(squares[i]);
                    }

                    return total;
                }
            }

            public static class Check
            {
                public static double F(double[] p) => Sequences.PrefixEnergy(p);
                public static void G(double[] p, double[] g) => Sequences.PrefixEnergyBackward(p, g);
            }
            """, new[] { 0.3, -0.6, 0.8, 0.4 }),
        ["OneInputForwardMode"] = ("""
            public static partial class Normal
            {
                /// <summary>
                /// One input with overwritten Horner steps (Black–Scholes' NormalCdf, shortened): the backward runs in
                /// forward mode, the tangent carried along with the value, nothing saved.
                /// </summary>
                [Differentiable]
                public static double Cdf(double x)
                {
                    var z = Math.Abs(x);
                    var numerator = (0.0352624965998911 * z) + 0.700383064443688;
                    numerator = (numerator * z) + 6.37396220353165;
                    var denominator = (0.0883883476483184 * z) + 1.75566716318264;
                    denominator = (denominator * z) + 16.064177579207;
                    var tail = Math.Exp(-0.5 * z * z) * numerator / denominator;
                    return x > 0.0 ? 1.0 - tail : tail;
                }
            }

            public static class Check
            {
                public static double F(double[] p) => Normal.Cdf(p[0]);
                public static void G(double[] p, double[] g) => Normal.CdfBackward(p[0], ref g[0]);
            }
            """, new[] { -0.8 }),
        ["NoGradParameters"] = ("""
            public static partial class Fit
            {
                /// <summary>Squared error of a line through data points: only the slope and intercept are differentiated.</summary>
                [Differentiable]
                public static double Loss(double slope, double intercept, [NoGrad] double[] xs, [NoGrad] double[] ys, [NoGrad] double weight)
                {
                    var loss = 0.0;
                    for (var i = 0; i < xs.Length; i++)
                    {
                        var r = slope * xs[i] + intercept - ys[i];
                        loss += weight * r * r;
                    }

                    return loss / xs.Length;
                }
            }

            public static class Check
            {
                private static readonly double[] Xs = { 0.0, 1.0, 2.0, 3.0 };
                private static readonly double[] Ys = { 1.1, 2.9, 5.2, 6.8 };
                public static double F(double[] p) => Fit.Loss(p[0], p[1], Xs, Ys, 0.5);
                public static void G(double[] p, double[] g) => Fit.LossBackward(p[0], p[1], Xs, Ys, 0.5, ref g[0], ref g[1]);
            }
            """, new[] { 1.5, 0.7 }),
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Generated_code_matches_baseline_compiles_clean_and_is_right(string name)
    {
        var (body, point) = s_cases[name];
        var source = "using System;\nusing StaticGrad;\n\nnamespace Samples;\n\n" + body;
        var output = GeneratorHarness.Run(source);
        GeneratorHarness.AssertClean(output);
        Assert.Empty(output.AnalyzerDiagnostics);
        Baselines.Verify("BaselineTests." + name, output);
        if (name == "CountedLoopWithoutTape")
        {
            Assert.DoesNotContain(output.Sources, s => s.Source.Contains("AdTape", StringComparison.Ordinal));
        }

        var check = GeneratorHarness.Load(output.OutputCompilation).GetType("Samples.Check")!;
        var f = check.GetMethod("F")!.CreateDelegate<Func<double[], double>>();
        var g = check.GetMethod("G")!.CreateDelegate<Action<double[], double[]>>();
        var gradient = new double[point.Length];
        g(point, gradient);
        var tolerance = name == "Float" ? 1e-2 : 1e-6;
        var report = FiniteDifferences.Check(f, point, gradient, relativeTolerance: tolerance, absoluteTolerance: tolerance, step: name == "Float" ? 1e-3 : null);
        Assert.True(report.Passed, report.ToString());
    }
}

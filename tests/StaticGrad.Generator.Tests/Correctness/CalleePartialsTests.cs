using System.Text.RegularExpressions;
using StaticGrad.Generator.Tests.Correctness.Harness;

namespace StaticGrad.Generator.Tests.Correctness;

/// <summary>
/// No second primal of a callee (issue 18): a scalar [Differentiable] callee called by a statement that runs once
/// per reversal is called through its backward with seed 1 in the forward sweep, and the reverse sweep multiplies the
/// saved partials instead of running the callee again. Every method is checked against central finite differences
/// (tolerances of <see cref="FiniteDifferenceCheck"/>: double |g − fd| ≤ 1e-6·max(1,|fd|) plus the rounding bound,
/// float 2e-3), including the shapes that keep the old reverse call (loops that are not fused, array arguments).
/// </summary>
public sealed class CalleePartialsTests
{
    private const int PointsPerFunction = 4;

    private const string Source = """
        using System;
        using StaticGrad;

        namespace Corpus;

        public static partial class Callees
        {
            // Branches in the callee, as Black–Scholes' NormalCdf.
            // domain: x=-3..3
            [Differentiable]
            public static double Cdf(double x)
            {
                var z = Math.Abs(x);
                double tail;
                if (z > 2.0)
                {
                    tail = Math.Exp(-0.5 * z * z) / (z + 1.0);
                }
                else
                {
                    var p = (0.3 * z) + 1.1;
                    p = (p * z) + 0.7;
                    tail = Math.Exp(-0.5 * z * z) * p / 4.0;
                }

                return x > 0.0 ? 1.0 - tail : tail;
            }

            // domain: x=-1..1 y=-1..1
            [Differentiable]
            public static double Mix(double x, [NoGrad] double scale, double y)
            {
                var t = Math.Tanh(x * y);
                return t * scale + (x * x);
            }

            // domain: s=0.5..2 v=0.1..0.5 r=0..0.1 t=0.5..2
            [Differentiable]
            public static double Price(double s, double v, double r, double t)
            {
                var st = Math.Sqrt(t);
                var d1 = (Math.Log(s / 1.1) + ((r + (0.5 * v * v)) * t)) / (v * st);
                var d2 = d1 - (v * st);
                return (s * Cdf(d1)) - (1.1 * Math.Exp(-r * t) * Cdf(d2));
            }

            // Nested calls, a quotient (the value is read by both partials), and a [NoGrad] parameter given an active
            // argument (the backward that includes it).
            // domain: x=-1..1 y=-1..1
            [Differentiable]
            public static double Nested(double x, double y) => Cdf(Mix(x, y, y)) + (x / (2.0 + Cdf(y))) + Mix(y, x * y, x);

            // The same call text twice: both stay primal calls with a reverse backward (one reuses the other's value).
            // domain: x=-1..1
            [Differentiable]
            public static double SameTextTwice(double x) => Cdf(x) * Cdf(x) + x;

            // Inside ?: the call runs only when its branch is taken.
            // domain: x=-1..1 y=-1..1
            [Differentiable]
            public static double InConditional(double x, double y) => x > y ? Cdf(x * y) * y : Mix(y, 2.0, x) - x;

            // The arguments are overwritten after the call: the partials were taken at the values it saw.
            // domain: x=-1..1 y=-1..1
            [Differentiable]
            public static double ArgumentOverwritten(double x, double y)
            {
                var a = Cdf(x + y);
                x = x * y + a;
                y = Cdf(x) * y;
                return a * x + y;
            }

            // In a branch of the body.
            // domain: x=-1..1 y=-1..1
            [Differentiable]
            public static double InsideIf(double x, double y)
            {
                var r = y * y;
                if (x > 0.0)
                {
                    r = r + Cdf(x - y) * x;
                }

                return r;
            }

            // A fused reduction loop: one call per iteration, the partials zeroed before each.
            // domain: a[5]=-1..1 x=-1..1
            [Differentiable]
            public static double FusedLoop(double[] a, double x)
            {
                var s = 0.0;
                for (var i = 0; i < a.Length; i++)
                {
                    var u = Cdf(a[i] * x);
                    s += u * a[i] + Mix(a[i], 0.5, x);
                }

                return 2.0 * s;
            }

            // Not fused (the result is not linear in s): the reverse calls the backward as before.
            // domain: a[4]=-1..1 x=-1..1
            [Differentiable]
            public static double UnfusedLoop(double[] a, double x)
            {
                var s = 0.0;
                for (var i = 0; i < a.Length; i++)
                {
                    s += Cdf(a[i] * x);
                }

                return s * s;
            }

            // domain: a[4]=-1..1
            [Differentiable]
            public static double SumSquares(double[] a)
            {
                var s = 0.0;
                for (var i = 0; i < a.Length; i++)
                {
                    s += a[i] * a[i];
                }

                return s;
            }

            // An array argument: its adjoint is a span, so the call keeps its reverse backward.
            // domain: a[4]=-1..1 x=-1..1
            [Differentiable]
            public static double ArrayArgument(double[] a, double x) => SumSquares(a) * x + Cdf(x);

            // domain: x=-2..2
            [Differentiable]
            public static float CdfF(float x) => x > 0f ? 1f - (0.5f * MathF.Exp(-x * x)) : 0.5f * MathF.Exp(-x * x);

            // domain: x=-1..1 y=-1..1
            [Differentiable]
            public static float FloatCaller(float x, float y) => (x * CdfF(y)) + (CdfF(x * y) / (1f + (y * y)));
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

    /// <summary>How many times each sweep of a method's backward calls a callee's primal and one of its backwards.</summary>
    [Theory]
    [InlineData("Callees.Price", "Cdf", "CdfBackward", 0, 2, 0, 0)]
    [InlineData("Callees.Nested", "Cdf", "CdfBackward", 0, 2, 0, 0)]
    [InlineData("Callees.Nested", "Mix", "MixBackwardIncludingNoGrad", 0, 2, 0, 0)]
    [InlineData("Callees.SameTextTwice", "Cdf", "CdfBackward", 2, 0, 1, 2)]
    [InlineData("Callees.InConditional", "Cdf", "CdfBackward", 0, 1, 0, 0)]
    [InlineData("Callees.InConditional", "Mix", "MixBackward", 0, 1, 0, 0)]
    [InlineData("Callees.ArgumentOverwritten", "Cdf", "CdfBackward", 0, 2, 0, 0)]
    [InlineData("Callees.InsideIf", "Cdf", "CdfBackward", 0, 1, 0, 0)]
    [InlineData("Callees.FusedLoop", "Cdf", "CdfBackward", 0, 1, 0, 0)]
    [InlineData("Callees.FusedLoop", "Mix", "MixBackward", 0, 1, 0, 0)]
    [InlineData("Callees.UnfusedLoop", "Cdf", "CdfBackward", 1, 0, 0, 1)]
    [InlineData("Callees.ArrayArgument", "SumSquares", "SumSquaresBackward", 1, 0, 0, 1)]
    [InlineData("Callees.ArrayArgument", "Cdf", "CdfBackward", 0, 1, 0, 0)]
    [InlineData("Callees.FloatCaller", "CdfF", "CdfFBackward", 0, 2, 0, 0)]
    public void Sweeps_call_the_callee(string key, string primal, string backward, int forwardPrimal, int forwardBackward, int reversePrimal, int reverseBackward)
    {
        var source = s_batch.Value.GeneratedSource[key];
        var start = source.IndexOf("// Forward sweep", StringComparison.Ordinal);
        var middle = source.IndexOf("// Reverse sweep", start, StringComparison.Ordinal);
        var end = source.IndexOf("return _result;", middle, StringComparison.Ordinal);
        // A fused loop's reverse is in the forward sweep's text, with its fallbacks.
        var (forward, fusedFallbacks) = WithoutFallbacks(source.Substring(start, middle - start));
        var (reverse, fallbacks) = WithoutFallbacks(source.Substring(middle, end - middle));
        fallbacks += fusedFallbacks;
        int Count(string text, string name) => Regex.Matches(text, @"\." + name + @"\(").Count;
        // Session 25: two saved calls of one statement run as one call of the callee's pair, which counts as both.
        var counts = (Count(forward, primal), Count(forward, backward) + (2 * Count(forward, backward + "Pair")), Count(reverse, primal), Count(reverse, backward));
        Assert.True(counts == (forwardPrimal, forwardBackward, reversePrimal, reverseBackward), $"{key}: {primal} / {backward} called {counts} times (forward primal, forward backward, reverse primal, reverse backward).\n{forward}\n{reverse}");

        // Session 24: a saved call's reverse calls its backward again only in the branch where a saved partial is not
        // finite (at least once per saved call; a nested call's reverse is in both branches of its caller's test).
        Assert.True(Count(fallbacks, primal) == 0 && Count(fallbacks, backward) >= forwardBackward, $"{key}: fallbacks\n{fallbacks}");
    }

    /// <summary>The reverse sweep without the <c>else</c> branches of its saved partials' <c>IsFinite</c> tests, and those branches.</summary>
    private static (string Reverse, string Fallbacks) WithoutFallbacks(string reverse)
    {
        var fallbacks = new System.Text.StringBuilder();
        foreach (var test in new[] { "if (double.IsFinite(_dc", "if (float.IsFinite(_dc" })
        {
            var from = 0;
            while (reverse.IndexOf(test, from, StringComparison.Ordinal) is var at and >= 0)
            {
                var thenClose = Closing(reverse, reverse.IndexOf('{', at));
                var elseAt = reverse.IndexOf("else", thenClose, StringComparison.Ordinal);
                var elseClose = Closing(reverse, reverse.IndexOf('{', elseAt));
                fallbacks.Append(reverse, elseAt, elseClose + 1 - elseAt).Append('\n');
                reverse = reverse[..elseAt] + reverse[(elseClose + 1)..];
                from = at + 1;
            }
        }

        return (reverse, fallbacks.ToString());
    }

    private static int Closing(string text, int open)
    {
        var depth = 0;
        for (var i = open; i < text.Length; i++)
        {
            depth += text[i] == '{' ? 1 : text[i] == '}' ? -1 : 0;
            if (depth == 0)
            {
                return i;
            }
        }

        throw new InvalidOperationException("Unbalanced braces in the reverse sweep.");
    }
}

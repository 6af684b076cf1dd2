using StaticGrad.Generator.Tests.Correctness.Harness;

namespace StaticGrad.Generator.Tests.Correctness;

/// <summary>
/// Session 18 (issue 18): a method with one scalar input carrying a derivative and a scalar result, whose reverse sweep
/// would save a value or replay a loop, gets a backward in forward mode (<c>Forward/TangentBackward.cs</c>): the
/// input's tangent starts at <c>seed</c> and rides along with the value. The shapes that try to break it: Black–Scholes'
/// <c>NormalCdf</c> (overwritten Horner steps under branches on |x|, its far tail near underflow) and its caller,
/// loops with break, continue and early return, overwritten parameters, local arrays and stackalloc, float, recursion
/// (a method and a local function), callees called inside loops (seed ≠ 1), callees with a tangent of their own, a
/// multi-input callee, a [NoGrad] callee parameter given a derivative (keeps the reverse sweep), the logistic's
/// result form (saturated, where its own quotient rule is 0·∞), calls under <c>?:</c>, generic math, an instance
/// method, and names of the generated code used as user names. Every method is checked against central finite
/// differences with the tolerances of <see cref="FiniteDifferenceCheck"/> (double |g − fd| ≤ 1e-6·max(1, |fd|) plus
/// the rounding bound, float 2e-3); all methods share one generator run and one compilation.
/// </summary>
public sealed class TangentBackwardAdversarialTests
{
    private const int PointsPerFunction = 3;

    private const string Source = """
        using System;
        using System.Numerics;
        using StaticGrad;

        namespace Corpus;

        public static partial class Single
        {
            // Black–Scholes' NormalCdf (Hart's approximation): three branches on |x|, overwritten Horner steps.
            // domain: x=-6..6
            [Differentiable]
            public static double Cdf(double x)
            {
                var z = Math.Abs(x);
                double tail;
                if (z > 37.0)
                {
                    tail = 0.0;
                }
                else if (z < 7.07106781186547)
                {
                    var numerator = (0.0352624965998911 * z) + 0.700383064443688;
                    numerator = (numerator * z) + 6.37396220353165;
                    numerator = (numerator * z) + 33.912866078383;
                    numerator = (numerator * z) + 112.079291497871;
                    var denominator = (0.0883883476483184 * z) + 1.75566716318264;
                    denominator = (denominator * z) + 16.064177579207;
                    denominator = (denominator * z) + 86.7807322029461;
                    denominator = (denominator * z) + 296.564248779674;
                    tail = Math.Exp(-0.5 * z * z) * numerator / denominator;
                }
                else
                {
                    var fraction = z + 0.65;
                    fraction = z + (4.0 / fraction);
                    fraction = z + (3.0 / fraction);
                    fraction = z + (2.0 / fraction);
                    fraction = z + (1.0 / fraction);
                    tail = Math.Exp(-0.5 * z * z) / fraction / 2.506628274631;
                }

                return x > 0.0 ? 1.0 - tail : tail;
            }

            // The far tail: continued fraction, values near 1e-300 (the derivative is of the same size, relative checks).
            // domain: x=-36..-8
            [Differentiable]
            public static double CdfTail(double x) => Cdf(x) * 1e280;

            // The caller: two calls whose partials the forward sweep saves from the callee's backward (seed 1).
            // domain: s=80..120 v=0.1..0.4 r=0..0.05 t=0.5..2
            [Differentiable]
            public static double CallPrice(double s, double v, double r, double t)
            {
                var st = Math.Sqrt(t);
                var d1 = (Math.Log(s / 100.0) + ((r + (0.5 * v * v)) * t)) / (v * st);
                var d2 = d1 - (v * st);
                return (s * Cdf(d1)) - (100.0 * Math.Exp(-r * t) * Cdf(d2));
            }

            // Called inside a loop: the reverse sweep calls the backward with the adjoint as seed (not 1).
            // domain: a[4]=-2..2 x=-1..1
            [Differentiable]
            public static double CdfInLoop(double[] a, double x)
            {
                double total = 0;
                for (var i = 0; i < a.Length; i++)
                {
                    total = (0.5 * total) + (a[i] * Cdf(a[i] * x + total));
                }

                return total;
            }

            // A series with break, continue and an early return; the parameter overwritten.
            // domain: x=-1.5..1.5 n=1..12
            [Differentiable]
            public static double Series(double x, int n)
            {
                double term = 1, sum = 1;
                for (var k = 1; k <= n; k++)
                {
                    term *= x / k;
                    if (k == 3)
                    {
                        continue;
                    }

                    sum += term;
                    if (Math.Abs(term) < 1e-3)
                    {
                        break;
                    }

                    if (sum > 50)
                    {
                        return sum * x;
                    }
                }

                x = x * sum;
                x = Math.Sin(x) + term;
                return x;
            }

            // While and do-while loops (Newton's square root), the second's trips counted by the first.
            // domain: x=0.5..3
            [Differentiable]
            public static double Newton(double x)
            {
                var y = x;
                var steps = 0;
                while (steps < 5 && y > 0)
                {
                    y = 0.5 * (y + x / y);
                    steps++;
                }

                var p = y;
                do
                {
                    p = Math.Tanh(p) + 0.1 * x;
                    steps--;
                }
                while (steps > 0);
                return p + y;
            }

            // A local array and a stackalloc span, written and read back in loops.
            // domain: x=-1..1
            [Differentiable]
            public static double Powers(double x)
            {
                var p = new double[5];
                Span<double> q = stackalloc double[5];
                p[0] = 1;
                for (var i = 1; i < p.Length; i++)
                {
                    p[i] = p[i - 1] * x;
                    q[i] = Math.Cos(p[i]) * p[i - 1];
                }

                double total = 0;
                foreach (var v in p)
                {
                    total = total * x + v;
                }

                for (var i = 0; i < q.Length; i++)
                {
                    total += q[i] * q[i];
                }

                return total;
            }

            // A [NoGrad] scalar and an array of data beside the one input.
            // domain: x=-1..1 k=0.5..2 c[3]=-1..1
            [Differentiable]
            public static double WithData(double x, [NoGrad] double k, [NoGrad] double[] c)
            {
                var y = x;
                for (var i = 0; i < c.Length; i++)
                {
                    y = y * k + c[i] * Math.Sin(y);
                }

                return y;
            }

            // Float: a Horner loop and an overwritten local.
            // domain: x=-1..1
            [Differentiable]
            public static float HornerF(float x)
            {
                float p = 0.25f;
                for (var i = 0; i < 6; i++)
                {
                    p = p * x + 0.5f;
                }

                p = MathF.Sin(p) * x;
                return p;
            }

            // Recursion: the method calls its own backward (forward mode at every level).
            // domain: x=-1..1 n=0..4
            [Differentiable]
            public static double Recursive(double x, int n)
            {
                var y = x;
                y = Math.Sin(y) + 0.5 * y;
                return n <= 0 ? y : Recursive(y, n - 1) * 0.9 + y;
            }

            // A recursive local function, lifted to a member.
            // domain: x=-1..1
            [Differentiable]
            public static double LocalRecursion(double x)
            {
                double Step(double v, int k) => k == 0 ? v : Step(Math.Cos(v) + x, k - 1);
                var y = x;
                for (var i = 0; i < 2; i++)
                {
                    y = Step(y, 3) * 0.5;
                }

                return y;
            }

            // Callees inside a loop, each through its backward with seed 1 (dotted with the tangents): one with a
            // Tangent of its own (not relied on: a lifted function's exists only where its method opted in), one with two inputs,
            // and the logistic, differentiated from its value even where it saturates (σ = 0, exp(−z) = ∞).
            // domain: x=-1..1
            [Differentiable]
            public static double Callees(double x)
            {
                var y = x;
                for (var i = 0; i < 3; i++)
                {
                    y = WithTangent(y) + Two(y, x) + Sigmoid(-800.0 - y * y) + Sigmoid(y);
                    y = 0.3 * y;
                }

                return y;
            }

            [Differentiable(Forward = true)]
            public static double WithTangent(double u)
            {
                var w = u * u;
                w = Math.Atan(w) + u;
                return w;
            }

            [Differentiable]
            public static double Two(double a, double b) => Math.Sin(a * b) + a;

            [Differentiable]
            public static double Sigmoid(double z) => 1.0 / (1.0 + Math.Exp(-z));

            // A derivative into a callee's [NoGrad] parameter: its all-parameter backward, so the reverse sweep stays.
            // domain: x=-1..1
            [Differentiable]
            public static double IntoNoGrad(double x)
            {
                var y = x;
                for (var i = 0; i < 2; i++)
                {
                    y = Scale(y, x);
                }

                return y;
            }

            [Differentiable]
            public static double Scale(double u, [NoGrad] double k) => u * Math.Cos(k) + k;

            // Calls under ?: run only on their branch; a switch expression.
            // domain: x=-2..2
            [Differentiable]
            public static double Branches(double x)
            {
                var y = x;
                for (var i = 0; i < 3; i++)
                {
                    y = y > 0 ? Cdf(y) - 0.5 : Two(y, 0.5);
                    y = i switch { 0 => y * 2, 1 => Math.Exp(y), _ => y - x };
                }

                return y;
            }

            // Near overflow: exp(x) up to 1e303 (its tangent as large), overwritten by exp(x / 2).
            // domain: x=690..698
            [Differentiable]
            public static double NearOverflow(double x)
            {
                var e = Math.Exp(x);
                e = e * Math.Exp(-0.5 * x);
                return e * 1e-150 + Math.Log(e);
            }

            // The generated code's names as user names: _dx, dx_1, seed, _returned, dz.
            // domain: x=-1..1
            [Differentiable]
            public static double Hostile(double x)
            {
                double _dx = x, dx_1 = 0.5, seed = 1, _returned = 0, dz = 0, _x = x;
                for (var i = 0; i < 3; i++)
                {
                    _dx = Math.Sin(_dx) * seed + _x;
                    dx_1 = dx_1 * _dx;
                    seed += 0.5;
                    dz = _returned + dx_1;
                }

                return dz + _dx;
            }

            // A parameter called seed: the backward's seed is seed_1, the adjoint dSeed.
            // domain: seed=-1..1
            [Differentiable]
            public static double SeedParameter(double seed)
            {
                var y = seed;
                y = y * y + Math.Cos(y);
                return y * seed;
            }

            // domain: x=-1..1
            [Differentiable]
            public static double GenericCaller(double x) => Generic(x) + Generic(0.5 * x);

            // Without a loop or an overwrite the reverse sweep is kept (nothing to undo).
            // domain: x=-1..1
            [Differentiable]
            public static double Plain(double x) => Math.Sin(x) * Math.Exp(x);
        }

        public partial class Instance
        {
            private readonly double _scale = 1.5;

            // Fields are constants of the body.
            // domain: x=-1..1
            [Differentiable]
            public double Scaled(double x)
            {
                var y = x;
                for (var i = 0; i < 2; i++)
                {
                    y = Math.Sin(y) * _scale;
                }

                return y;
            }
        }
        """;

    /// <summary>Generic math (T's tangent, T.Exp's value), checked through <c>GenericCaller</c> (T = double).</summary>
    private const string GenericSource = """
        using System.Numerics;
        using StaticGrad;

        namespace Corpus;

        public static partial class Single
        {
            [Differentiable]
            public static T Generic<T>(T x) where T : IFloatingPointIeee754<T>
            {
                var y = x;
                for (var i = 0; i < 3; i++)
                {
                    y = T.Exp(y * T.CreateChecked(0.5)) - x;
                }

                return y;
            }
        }
        """;

    private static readonly IReadOnlyList<MethodUnderTest> s_methods = MethodUnderTest.ReadAll(Source);
    private static readonly Lazy<CompiledBatch> s_batch = new(() => CompiledBatch.Compile(new[] { Source, GenericSource }, s_methods));

    public static TheoryData<string> Methods() => MethodUnderTest.Keys(s_methods);

    [Theory]
    [MemberData(nameof(Methods))]
    public void Gradient_matches_central_finite_differences(string key)
    {
        s_batch.Value.AssertGradientMatchesFiniteDifferences(s_methods.Single(m => m.Key == key), PointsPerFunction);
    }

    /// <summary>Which backwards run in forward mode: one input, and something the reverse sweep would have to undo.</summary>
    [Theory]
    [InlineData("Single.Cdf", true)]
    [InlineData("Single.Series", true)]
    [InlineData("Single.Newton", true)]
    [InlineData("Single.Powers", true)]
    [InlineData("Single.WithData", true)]
    [InlineData("Single.HornerF", true)]
    [InlineData("Single.Recursive", true)]
    [InlineData("Single.LocalRecursion", true)]
    [InlineData("Single.Callees", true)]
    [InlineData("Single.Branches", true)]
    [InlineData("Single.Hostile", true)]
    [InlineData("Single.SeedParameter", true)]
    [InlineData("Instance.Scaled", true)]
    [InlineData("Single.CallPrice", false)]
    [InlineData("Single.CdfInLoop", false)]
    [InlineData("Single.IntoNoGrad", false)]
    [InlineData("Single.NearOverflow", true)]
    [InlineData("Single.WithTangent", true)]
    [InlineData("Single.Plain", false)]
    [InlineData("Single.Sigmoid", false)]
    public void Backward_runs_in_forward_mode_where_it_pays(string key, bool forward)
    {
        var source = s_batch.Value.GeneratedSource[key];
        Assert.True(source.Contains("// Forward mode: ", StringComparison.Ordinal) == forward, $"{key}: forward mode expected {forward}.\n{source}");
    }
}

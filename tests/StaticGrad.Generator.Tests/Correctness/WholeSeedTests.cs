using System.Text.RegularExpressions;
using StaticGrad.Generator.Tests.Correctness.Harness;

namespace StaticGrad.Generator.Tests.Correctness;

/// <summary>
/// Several outputs in one sweep (issue 18): a call of a [Differentiable] helper returning a struct or tuple runs the
/// helper once in the forward sweep and its backward once in the reverse, seeded with the adjoints of every field,
/// instead of once per field each way. Every method is checked against central finite differences (tolerances of
/// <see cref="FiniteDifferenceCheck"/>: double |g − fd| ≤ 1e-6·max(1,|fd|) plus the rounding bound, float 2e-3),
/// including the shapes the merge must leave alone or get right: a field whose adjoint is never used, an integer
/// field, a float field of a double result (converted), the same call twice in a row, arguments overwritten by the
/// call's own result in a loop, a struct array element replaced by the call, a fused reduction loop.
/// </summary>
public sealed class WholeSeedTests
{
    private const int PointsPerFunction = 6;

    // The helpers are not methods under test (their results are structs); they are compiled with the callers.
    private const string Helpers = """
        using System;
        using System.Numerics;
        using StaticGrad;

        namespace Corpus;

        public struct Quote
        {
            public double Price;
            public float Weight;
            public int Day;
        }

        public struct Mass
        {
            public Vector2 Position;
            public Vector2 Velocity;
        }

        public static partial class Seeds
        {
            [Differentiable]
            public static (double Value, double Slope) Pair(double x, double y)
            {
                var e = Math.Exp(0.5 * x * y);
                return (e + x, e * y - Math.Sin(x));
            }

            [Differentiable]
            public static (double X, double V) Step(double x, double v, double h)
            {
                var a = -Math.Sin(x) - 0.1 * v;
                var next = v + h * a;
                return (x + h * next, next);
            }

            [Differentiable]
            public static Quote Quoted(double s, double t)
            {
                var price = s * Math.Exp(-0.05 * t);
                return new Quote { Price = price, Weight = 0.25f, Day = 3 };
            }

            [Differentiable]
            public static Mass Kick(Mass m, float dt)
            {
                var v = m.Velocity + dt * new Vector2(-m.Position.Y, m.Position.X * m.Position.X);
                return new Mass { Position = m.Position + dt * v, Velocity = v };
            }
        }
        """;

    private const string Source = """
        using System;
        using System.Numerics;
        using StaticGrad;

        namespace Corpus;

        public static partial class Seeds
        {
            // Both fields used nonlinearly: one helper call and one backward.
            // domain: x=-1..1 y=-1..1
            [Differentiable]
            public static double BothFields(double x, double y)
            {
                var (p, d) = Pair(x, y);
                return p * d + Math.Sin(p);
            }

            // Only one field carries a derivative to the result: the backward is seeded on that field alone.
            // domain: x=-1..1 y=-1..1
            [Differentiable]
            public static double OneFieldUsed(double x, double y)
            {
                var r = Pair(x, y);
                return r.Slope * r.Slope;
            }

            // The same call twice in a row: one value, one backward with the two adjoints of each field summed.
            // domain: x=-1..1 y=-1..1
            [Differentiable]
            public static double SameCallTwice(double x, double y)
            {
                var a = Pair(x, y);
                var b = Pair(x, y);
                return a.Value * b.Slope + a.Slope * a.Slope - b.Value;
            }

            // The call's result overwrites its own arguments in every iteration (a time-stepping loop).
            // domain: x=-1..1 v=-1..1 h=0.05..0.2
            [Differentiable]
            public static double Integrate(double x, double v, double h)
            {
                for (var k = 0; k < 4; k++)
                {
                    (x, v) = Step(x, v, h);
                }

                return x * x + v;
            }

            // A double result with a float field (converted; constant, so that finite differences do not see float rounding) and an integer field.
            // domain: s=0.5..2 t=0.1..1
            [Differentiable]
            public static double MixedFields(double s, double t)
            {
                var q = Quoted(s, t);
                return q.Price * q.Weight + q.Day * q.Price;
            }

            // A fused reduction loop: the helper runs once per iteration, its backward once per iteration's reverse.
            // domain: a[5]=-1..1 x=-1..1
            [Differentiable]
            public static double FusedSum(double[] a, double x)
            {
                var s = 0.0;
                for (var i = 0; i < a.Length; i++)
                {
                    var (p, d) = Pair(a[i], x);
                    s += p * d;
                }

                return 2.0 * s;
            }

            // A call in one branch only.
            // domain: x=-1..1 y=-1..1
            [Differentiable]
            public static double InBranch(double x, double y)
            {
                var r = x;
                if (x > y)
                {
                    var (p, d) = Pair(x, y);
                    r = p - d * x;
                }

                return r * y;
            }

            // Elements of a local array of structs replaced by the call, in a loop over steps (the spring chain's shape).
            // domain: p[4]=-1..1
            [Differentiable]
            public static float Chain(float[] p)
            {
                var masses = new Mass[2];
                masses[0].Position = new Vector2(p[0], p[1]);
                masses[1].Velocity = new Vector2(p[2], p[3]);
                for (var t = 0; t < 3; t++)
                {
                    for (var i = 0; i < masses.Length; i++)
                    {
                        masses[i] = Kick(masses[i], 0.1f);
                    }
                }

                return masses[0].Position.LengthSquared() + masses[1].Velocity.X * masses[0].Velocity.Y;
            }
        }
        """;

    private static readonly IReadOnlyList<MethodUnderTest> s_methods = MethodUnderTest.ReadAll(Source);

    private static readonly Lazy<CompiledBatch> s_batch = new(() => CompiledBatch.Compile(new[] { Helpers, Source }, s_methods));

    public static TheoryData<string> Methods() => MethodUnderTest.Keys(s_methods);

    [Theory]
    [MemberData(nameof(Methods))]
    public void Gradient_matches_central_finite_differences(string key)
    {
        s_batch.Value.AssertGradientMatchesFiniteDifferences(s_methods.Single(m => m.Key == key), PointsPerFunction);
    }

    /// <summary>How many times the whole backward (both sweeps) calls the helper and its backward.</summary>
    [Theory]
    [InlineData("Seeds.BothFields", "Pair", 1, 1)]
    [InlineData("Seeds.OneFieldUsed", "Pair", 1, 1)]
    [InlineData("Seeds.SameCallTwice", "Pair", 1, 1)]
    [InlineData("Seeds.Integrate", "Step", 1, 1)]
    // The float field's reverse goes through a conversion, so it keeps its own backward call beside the merged one.
    [InlineData("Seeds.MixedFields", "Quoted", 1, 2)]
    [InlineData("Seeds.FusedSum", "Pair", 1, 1)]
    [InlineData("Seeds.InBranch", "Pair", 1, 1)]
    [InlineData("Seeds.Chain", "Kick", 1, 1)]
    public void Backward_calls_the_helper_once_each_way(string key, string helper, int primal, int backward)
    {
        var source = s_batch.Value.GeneratedSource[key];
        var start = source.IndexOf("// Forward sweep", StringComparison.Ordinal);
        var end = source.IndexOf("return _result;", start, StringComparison.Ordinal);
        var body = source.Substring(start, end - start);
        var primals = Regex.Matches(body, @"\." + helper + @"\(").Count;
        var backwards = Regex.Matches(body, @"\." + helper + @"Backward\(").Count;
        Assert.True(primals == primal && backwards == backward, $"{key}: {helper} is called {primals} times and its backward {backwards} times, expected {primal} and {backward}.\n{body}");
    }
}

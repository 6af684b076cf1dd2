using System.Reflection;

namespace StaticGrad.Generator.Tests.Robustness;

/// <summary>
/// Session 20 (p51): random batch 20262460's P51 had NaN partials where the true ones are 0. A loop grew a local to ∞;
/// then <c>if (…) return Math.Cosh(…x0…)</c> returned early, and only the path not taken read the loop's values. The
/// normaliser turns the return into a flag and guards the rest of the body with it, so the derivative liveness
/// (Analysis/DerivativeLiveness.cs), path-insensitive at that join, kept the loop live; on the returning path its
/// reverse ran with zero adjoints, and 0 · ∞ is NaN. Fixed by the liveness treating the returned flag's assignment as a
/// kill point, and by the reverse of each statement before a normalised jump being set back when the adjoints of
/// everything it assigns are exactly zero (session 21 replaced that: a definition dead on the jumping path propagates
/// only a nonzero adjoint, Reverse/ReverseModeTransformer.DeadOnSomePath.cs). Each case overflows
/// (∞ or NaN) on the path that jumps (first input negative) and stays finite on the other: before and after the return,
/// in loops and nested loops, returns inside loops, break and continue after the overflow, do loops, switch sections,
/// returns in both branches and in nested ifs, a [Differentiable] callee, float and double, values the returning path
/// still reads (<c>Kept…</c>, whose adjoints must stay), hostile names, a tuple's Jacobian, a Hessian and Tangent, and
/// P51 as drawn. ONE compilation; every case's value and partials against central differences through its probes by
/// <see cref="JacobianProbeCheck"/> (four points, two with x &lt; 0; double h = 1e-6, |g − fd| ≤ 1e-6·max(1, |fd|);
/// float h = 1e-2, ≤ 2e-2·max(1, |fd|)), and the NaN cases' gradients against their analytic values (1e-12 relative).
/// </summary>
public sealed class Session20EarlyReturnNaNTests
{
    private const string Source = """
        using System;
        using System.Linq;
        using StaticGrad;

        namespace EarlyReturn;

        public static partial class E
        {

            // P51's shape: a local grown in a loop to ∞ (the loop's values fed back through a fused multiply-add), then an
            // early return that reads none of it.
            [Differentiable]
            public static double LoopBeforeReturn(double x, double y)
            {
                var n = Math.Sqrt(1.0 + (y * y));
                var trips = x < 0 ? 40 : 2;
                for (var k = 0; k < trips; k++)
                {
                    var r = Math.FusedMultiplyAdd(n, 0.9, y);
                    n += r * r * 0.25;
                }

                if (x < 0)
                {
                    return Math.Cosh(Math.Cos(x / (1.0 + (x * x))));
                }

                return (x * y) + (0.01 * n);
            }

            // u · ∞, then ∞ − ∞ = NaN, before the return; no loop (u's partial, big · big, is ∞ in any order).
            [Differentiable]
            public static double NaNBeforeReturn(double x, double y)
            {
                var u = x * y;
                var big = x < 0 ? 1e300 : 1.0;
                u = u * (big * big);
                u = u - (u * 0.5);
                if (x < 0)
                {
                    return Math.Sin(x * y);
                }

                return u + y;
            }

            // w is read by the returning path (its adjoint is not zero), d only by the other one: d's loop alone is set back.
            [Differentiable]
            public static double KeptAndDeadBeforeReturn(double x, double y)
            {
                var w = x * y;
                var d = y;
                for (var k = 0; k < (x < 0 ? 14 : 2); k++)
                {
                    d = (d * d) + 1.5;
                }

                w = Math.Sin(w) + (w * y);
                if (x < 0)
                {
                    return w * x;
                }

                return w + (1e-3 * d);
            }

            // A return inside the loop on the trip where d has overflowed.
            [Differentiable]
            public static double ReturnInsideLoop(double x, double y)
            {
                var s = 0.0;
                var d = x * y;
                for (var i = 0; i < 6; i++)
                {
                    d = Math.Exp((d * d * (x < 0 ? 1.0 : 0.1)) + (x < 0 ? 800.0 : 0.0));
                    if (x < 0 && i == 1)
                    {
                        return s + Math.Sin(x + y);
                    }

                    s += x * 0.1 * i;
                }

                return s + d;
            }

            // A break on the trip where d has overflowed; the earlier trip's d was read (through tanh).
            [Differentiable]
            public static double BreakAfterOverflow(double x, double y)
            {
                var s = x;
                var d = y;
                for (var i = 0; i < 10; i++)
                {
                    d = Math.Exp(d * (x < 0 ? 400.0 : 0.1));
                    if (x < 0 && i == 1)
                    {
                        break;
                    }

                    s += Math.Tanh(d) * y;
                }

                return s * y;
            }

            // A continue after an overflowing exp on every trip but the first.
            [Differentiable]
            public static double ContinueAfterOverflow(double x, double y)
            {
                var s = x * y;
                for (var i = 0; i < 4; i++)
                {
                    var d = Math.Exp(y * (x < 0 ? 3000.0 * i : 0.1));
                    if (x < 0 && i >= 1)
                    {
                        continue;
                    }

                    s += d * y;
                }

                return s;
            }

            // The overflow in an inner loop, the return in the outer one.
            [Differentiable]
            public static double NestedLoopsThenReturn(double x, double y)
            {
                var d = y;
                var s = 0.0;
                for (var i = 0; i < 3; i++)
                {
                    for (var j = 0; j < 8; j++)
                    {
                        d = (d * d * (x < 0 ? 1.0 : 0.5)) + (x < 0 ? 1.5 : 0.0);
                    }

                    if (x < 0 && i == 2)
                    {
                        return Math.Sin(x * y) + s;
                    }

                    s += x * y;
                }

                return s + d;
            }

            // Both branches of the last if return (the normaliser's flag is dropped: nothing reads it).
            [Differentiable]
            public static double ReturnsInBothBranches(double x, double y)
            {
                var d = y;
                for (var k = 0; k < (x < 0 ? 14 : 1); k++)
                {
                    d = (d * d) + 1.5;
                }

                if (x < 0)
                {
                    return Math.Sin(x * y);
                }
                else
                {
                    return d * x;
                }
            }

            // Returns in nested ifs.
            [Differentiable]
            public static double NestedIfReturn(double x, double y)
            {
                var d = x * y;
                for (var k = 0; k < (x < 0 ? 14 : 1); k++)
                {
                    d = (d * d) + 1.5;
                }

                var e = y * y;
                if (x < 0)
                {
                    if (y > 0.8)
                    {
                        return Math.Sin(x * y) + e;
                    }

                    return Math.Cos(x) * e;
                }

                return d + e;
            }

            // The overflow inside the returning branch, before its return (the liveness's kill point).
            [Differentiable]
            public static double OverflowInReturningBranch(double x, double y)
            {
                var d = x * y;
                if (x < 0)
                {
                    d = Math.Exp((d * d) + 800.0);
                    return Math.Sin(x) * y;
                }

                return d * y;
            }

            // The same inside a loop: d's last value is ∞, and the loop's earlier d's were read.
            [Differentiable]
            public static double OverflowBeforeReturnInLoop(double x, double y)
            {
                var d = y;
                var s = 0.0;
                for (var i = 0; i < 4; i++)
                {
                    s += d * x;
                    if (x < 0 && i == 2)
                    {
                        d = Math.Exp((d * d) + 800.0);
                        return s;
                    }

                    d = (d * 0.5) + x;
                }

                return s + d;
            }

            // A return in the inner loop of two.
            [Differentiable]
            public static double ReturnInInnerLoop(double x, double y)
            {
                var s = 0.0;
                var d = y;
                for (var i = 0; i < 3; i++)
                {
                    for (var j = 0; j < 4; j++)
                    {
                        d = (d * d * (x < 0 ? 1e100 : 0.5)) + 0.1;
                        if (x < 0 && j == 3)
                        {
                            return s + (x * y);
                        }

                        s += x * j;
                    }

                    s += d;
                }

                return s;
            }

            // A break out of the inner loop on the trip where d overflowed; the outer loop goes on.
            [Differentiable]
            public static double BreakInInnerLoop(double x, double y)
            {
                var s = x;
                for (var i = 0; i < 3; i++)
                {
                    var d = y * 0.5;
                    for (var j = 0; j < 20; j++)
                    {
                        d = Math.Exp(d * (x < 0 ? 400.0 : 0.1));
                        if (x < 0 && j >= 1)
                        {
                            break;
                        }

                        s += Math.Atan(d) * 0.01;
                    }

                    s += x * y * i;
                }

                return s;
            }

            // A do loop left by a break after exp overflowed.
            [Differentiable]
            public static double DoWhileBreak(double x, double y)
            {
                var d = x * y;
                var s = y;
                var k = 0;
                do
                {
                    d = Math.Exp((d * d * (x < 0 ? 1.0 : 0.1)) + (x < 0 ? 800.0 : 0.0));
                    k++;
                    if (x < 0 && k >= 2)
                    {
                        break;
                    }

                    s += x * k;
                }
                while (k < 3);
                return s + (x > 0 ? d : 0.0);
            }

            // A switch section that returns.
            [Differentiable]
            public static double SwitchReturn(double x, double y)
            {
                var d = y;
                for (var k = 0; k < (x < 0 ? 14 : 1); k++)
                {
                    d = (d * d) + 1.5;
                }

                var mode = x < 0 ? 1 : 0;
                switch (mode)
                {
                    case 1:
                        return Math.Sin(x * y);
                    default:
                        break;
                }

                return d * x;
            }

            [Differentiable]
            public static double Blow(double v)
            {
                for (var i = 0; i < 14; i++)
                {
                    v = (v * v) + 1.5;
                }

                return v;
            }

            // A [Differentiable] callee whose partial is ∞, before the return.
            [Differentiable]
            public static double CallBeforeReturn(double x, double y)
            {
                var d = x < 0 ? Blow(y) : y * 2.0;
                if (x < 0)
                {
                    return Math.Sin(x * y);
                }

                return d * x;
            }

            // The loop before the return IS read by the returning path: its adjoints must stay.
            [Differentiable]
            public static double KeptLoopOnReturningPath(double x, double y)
            {
                var s = 0.0;
                for (var k = 1; k < 5; k++)
                {
                    s += Math.Sin(x * y * k) / k;
                }

                var d = y;
                if (x < 0)
                {
                    return s * y;
                }

                for (var k = 0; k < 3; k++)
                {
                    d = (d * 0.5) + s;
                }

                return d;
            }

            // User names like the generated ones (dx, seed, _result, _returned, _zero0, _before1) around the check.
            [Differentiable]
            public static double HostileNames(double x, double dx)
            {
                var seed = dx;
                var _zero0 = x * dx;
                for (var _returned = 0; _returned < (x < 0 ? 14 : 1); _returned++)
                {
                    seed = (seed * seed) + 1.5;
                }

                var _before1 = _zero0 * 2.0;
                if (x < 0)
                {
                    return Math.Sin(_before1);
                }

                var _result = seed * x;
                return _result + _before1;
            }

            [Differentiable]
            public static float FloatLoopBeforeReturn(float x, float y)
            {
                var n = MathF.Sqrt(1f + (y * y));
                var trips = x < 0 ? 40 : 2;
                for (var k = 0; k < trips; k++)
                {
                    var r = (n * 0.9f) + y;
                    n += r * r * 0.25f;
                }

                if (x < 0)
                {
                    return MathF.Cosh(MathF.Cos(x / (1f + (x * x))));
                }

                return (x * y) + (0.01f * n);
            }

            [Differentiable]
            public static float FloatBreakAfterOverflow(float x, float y)
            {
                var s = x;
                var d = y;
                for (var i = 0; i < 10; i++)
                {
                    d = MathF.Exp(d * (x < 0 ? 60f : 0.1f));
                    if (x < 0 && i == 1)
                    {
                        break;
                    }

                    s += MathF.Tanh(d) * y;
                }

                return s * y;
            }

            [Differentiable]
            public static float FloatNaNBeforeReturn(float x, float y)
            {
                var u = x * y;
                var big = x < 0 ? 1e30f : 1f;
                u = u * (big * big);
                u = u - (u * 0.5f);
                if (x < 0)
                {
                    return MathF.Sin(x * y);
                }

                return u + y;
            }

            // Random batch 20262460's P51 as drawn (a grid helper, a span, [NoGrad] c, int n): for n = 2 the early return is
            // taken, and every partial but x0's is 0.
            // domain: a[5]=-1..1 n=1..4
            [Differentiable]
            public static double P51(double x0, double x1, double dP6, [NoGrad] double c, int n, ReadOnlySpan<double> a)
            {
                var g = new double[4, 3];
                for (int dV0 = 0; dV0 < g.GetLength(0); dV0++)
                {
                    for (int dg = 0; dg < g.GetLength(1); dg++)
                    {
                        g[dV0, dg] = Math.Sin(c + 0.5 * ((double)dV0 - (double)dg));
                    }
                }

                double v0 = Math.Log(1.0 + (Math.Abs(g[2, 1])) * (Math.Abs(g[2, 1])));
                double _n = Math.Sqrt(1.0 + (Math.FusedMultiplyAdd(dP6, ((double)n), c)) * (Math.FusedMultiplyAdd(dP6, ((double)n), c)));
                _n = 0.5 * _n + 0.5 * Math.Tanh(GridSum(g, _n));
                Span<double> _t0 = stackalloc double[5];
                foreach (var e2 in a)
                {
                    for (int _v0 = 0; _v0 < a.Length; _v0++)
                    {
                        _t0[5 - 1 - _v0 % 5] += Math.Sin((n != 1 ? (x0 - x0) : (n is 1 or > 2 ? ((double)_v0) : g[_v0 % g.GetLength(0), 1])));
                        v0 *= 0.5 + 0.25 * Math.Cos((dP6 * ((double)_v0)));
                        _t0[5 - 1 - _v0 % 5] = Math.Sin(dP6);
                        double r5 = Math.FusedMultiplyAdd(_n, e2, dP6);
                        double dP11 = (n % 2 == 0 ? c : x1);
                        int s7 = 2;
                        for (int dX1 = 0; dX1 < 3; dX1++)
                        {
                            r5 += a[s7 % 5] * dP11;
                            s7 += dX1 + 1;
                        }

                        _n += r5 * r5 * 0.25;
                    }
                }

                if ((n is 1 or > 2 ? g[3, 1] : 1.88) > 0.77) return Math.Cosh(Math.Cos((x0 / (1.0 + (x0) * (x0)))));
                v0 = v0 * Math.Cos(Math.FusedMultiplyAdd(g[0, 0], Math.FusedMultiplyAdd(g[3, 0], c, g[0, 1]), c));
                double r9 = v0;
                for (int d_n = 0; d_n < n; d_n++)
                {
                    double _seed = (n > 1 ? c : (1.0 / (2.0 + Math.Cos(x1))));
                    _seed = _seed * Math.Cos(Math.Log2(1.5 + Math.Cos(_seed)));
                    r9 += _seed * Math.Acos(0.5 * Math.Tanh(((double)n)));
                }

                var kept12 = (((((1.0 / (2.0 + Math.Cos(Math.Sin(x1)))) - r9) + 0.5 * x0) + 0.5 * v0) + 0.5 * _n);
                for (int t13 = 0; t13 < 14; t13++)
                {
                    v0 = v0 * v0 + 1.5;
                }

                return kept12;
            }

            public static double P51Call(double x0, double x1, double dP6, double c, int n, double[] a, double[] da, double[] grad) =>
                P51Backward(x0, x1, dP6, c, n, a, ref grad[0], ref grad[1], ref grad[2], da);

            [Differentiable]
            public static double GridSum(double[,] g, double w)
            {
                double r = g[0, 0] * 0.5;
                for (int i = 0; i < g.GetLength(0); i++)
                {
                    for (int j = 0; j < g.GetLength(1); j++)
                    {
                        r += Math.Sin(g[i, j] * w + j) * 0.5;
                    }
                }

                return r;
            }

            // A tuple result's Jacobian (two fields) with the early return.
            [Differentiable(Jacobian = true)]
            public static (double X, double Y) TupleReturn(double x, double y)
            {
                var d = y;
                for (var k = 0; k < (x < 0 ? 14 : 1); k++)
                {
                    d = (d * d) + 1.5;
                }

                if (x < 0)
                {
                    return (Math.Sin(x * y), x * y);
                }

                return (d * x, y);
            }

            public static double[] TupleReturnValue(double[] p)
            {
                var v = TupleReturn(p[0], p[1]);
                return new[] { v.X, v.Y };
            }

            public static double[] TupleReturnRows(double[] p)
            {
                var d = new double[4];
                var v = TupleReturnJacobian(p[0], p[1], ref d[0], ref d[1], ref d[2], ref d[3]);
                return new[] { v.X, v.Y }.Concat(d).ToArray();
            }

            // Hessian (forward over reverse) and Tangent with the early return on z < 0.
            // domain: a[4]=-1..1 z=-1..1
            [Differentiable(Forward = true, Hessian = true)]
            public static double HessReturn(double[] a, double z)
            {
                var s = 0.0;
                for (var i = 0; i < a.Length; i++)
                {
                    s += Math.Sin(a[i] * z);
                }

                var d = z;
                for (var k = 0; k < (z < 0 ? 14 : 1); k++)
                {
                    d = (d * d) + 1.5;
                }

                if (z < 0)
                {
                    return s * z;
                }

                return s + (d * z);
            }

            public static double[] GradientProbe(double[] a, double z)
            {
                var ga = new double[a.Length];
                double gz = 0.0;
                HessReturnBackward(a, z, ga, ref gz);
                return ga.Append(gz).ToArray();
            }

            public static double[] HessianProbe(double[] a, double z)
            {
                var h = new double[(a.Length + 1) * (a.Length + 1)];
                HessReturnHessian(a, z, h);
                return h;
            }

            public static double TangentProbe(double[] a, double z, double[] da, double dz) => HessReturnTangent(a, z, da, dz).Tangent;
        """;

    /// <summary>The cases of two double inputs and a double result.</summary>
    private static readonly string[] s_doubleCases =
    {
        "LoopBeforeReturn",
        "NaNBeforeReturn",
        "KeptAndDeadBeforeReturn",
        "ReturnInsideLoop",
        "BreakAfterOverflow",
        "ContinueAfterOverflow",
        "NestedLoopsThenReturn",
        "ReturnsInBothBranches",
        "NestedIfReturn",
        "OverflowInReturningBranch",
        "OverflowBeforeReturnInLoop",
        "ReturnInInnerLoop",
        "BreakInInnerLoop",
        "DoWhileBreak",
        "SwitchReturn",
        "CallBeforeReturn",
        "KeptLoopOnReturningPath",
        "HostileNames",
    };

    /// <summary>The cases of two float inputs and a float result.</summary>
    private static readonly string[] s_floatCases =
    {
        "FloatLoopBeforeReturn",
        "FloatBreakAfterOverflow",
        "FloatNaNBeforeReturn",
    };

    /// <summary>The cases, their probes <c>{name}Value</c> and <c>{name}Rows</c>, and the class's closing brace.</summary>
    private static readonly string s_source = Source
        + string.Concat(s_doubleCases.Select(name => JacobianProbeCheck.TwoInputProbes(name, "double")))
        + string.Concat(s_floatCases.Select(name => JacobianProbeCheck.TwoInputProbes(name, "float"))) + "}\n";

    private static readonly Lazy<(Assembly Assembly, Dictionary<string, string> Sources)> s_compiled = new(() => JacobianProbeCheck.Compile(s_source));

    private static Type Cases => s_compiled.Value.Assembly.GetType("EarlyReturn.E")!;

    public static TheoryData<string> DoubleCases => new(s_doubleCases);

    public static TheoryData<string> FloatCases => new(s_floatCases);

    [Theory]
    [MemberData(nameof(DoubleCases))]
    public void Double_value_and_partials_match_central_differences(string name) => AssertMatches(name, 2, 1, isFloat: false);

    [Theory]
    [MemberData(nameof(FloatCases))]
    public void Float_value_and_partials_match_central_differences(string name) => AssertMatches(name, 2, 1, isFloat: true);

    [Fact]
    public void A_tuple_results_Jacobian_matches_central_differences() => AssertMatches("TupleReturn", 2, 2, isFloat: false);

    /// <summary>On the returning path (x = −0.7, y = 0.9) the gradients are finite and equal the analytic ones.</summary>
    [Theory]
    [InlineData("LoopBeforeReturn")]
    [InlineData("NaNBeforeReturn")]
    [InlineData("ReturnsInBothBranches")]
    [InlineData("SwitchReturn")]
    [InlineData("CallBeforeReturn")]
    [InlineData("ContinueAfterOverflow")]
    [InlineData("BreakAfterOverflow")]
    [InlineData("OverflowInReturningBranch")]
    public void The_returning_paths_gradient_is_the_analytic_one(string name)
    {
        const double x = -0.7, y = 0.9;
        var rows = (double[])Cases.GetMethod(name + "Rows")!.Invoke(null, new object[] { new[] { x, y } })!;
        var u = x / (1.0 + (x * x));
        var expected = name switch
        {
            "LoopBeforeReturn" => (Math.Sinh(Math.Cos(u)) * -Math.Sin(u) * (1.0 - (x * x)) / ((1.0 + (x * x)) * (1.0 + (x * x))), 0.0),
            "ContinueAfterOverflow" => (y, x + 1.0),
            "BreakAfterOverflow" => (y, x + (2.0 * y)),
            "OverflowInReturningBranch" => (Math.Cos(x) * y, Math.Sin(x)),
            _ => (y * Math.Cos(x * y), x * Math.Cos(x * y)),
        };
        Assert.True(double.IsFinite(rows[1]) && double.IsFinite(rows[2]), $"{name}: gradient ({rows[1]:R}, {rows[2]:R})\n{Generated(name)}");
        Assert.Equal(expected.Item1, rows[1], 1e-12);
        Assert.Equal(expected.Item2, rows[2], 1e-12);
    }

    /// <summary>P51 at the point of the report (n = 2: the early return): ∂/∂x0 analytic, every other partial exactly 0.</summary>
    [Fact]
    public void P51_at_the_reported_point_has_the_finite_gradient()
    {
        double x0 = 1.7499079200205894, x1 = 0.9038946213684484, dP6 = -1.2005478512498309, c = -0.002923146822919609;
        var a = new[] { 0.7711554131336302, -0.7272384891878994, 0.4023690798330908, -0.6987349566531996, 0.903430212244126 };
        var grad = new double[3];
        var da = new double[5];
        var call = Cases.GetMethod("P51Call")!.CreateDelegate<Func<double, double, double, double, int, double[], double[], double[], double>>();
        var value = call(x0, x1, dP6, c, 2, a, da, grad);
        var u = x0 / (1.0 + (x0 * x0));
        Assert.Equal(Math.Cosh(Math.Cos(u)), value, 1e-12);
        Assert.Equal(Math.Sinh(Math.Cos(u)) * -Math.Sin(u) * (1.0 - (x0 * x0)) / ((1.0 + (x0 * x0)) * (1.0 + (x0 * x0))), grad[0], 1e-12);
        Assert.Equal(new[] { 0.0, 0.0 }, grad.Skip(1).ToArray());
        Assert.Equal(new double[5], da);
    }

    /// <summary>
    /// The dense Hessian against central differences of the Backward gradient (<see cref="HessianProbeCheck"/>: h = 1e-5, |H − fd| ≤ 1e-5·max(1, |fd|)),
    /// and the Tangent against gradient · direction (1e-9 relative), at z &lt; 0 (the return, d = ∞) and z &gt; 0.
    /// </summary>
    [Theory]
    [InlineData(-0.6)]
    [InlineData(0.4)]
    public void Hessian_and_tangent_match(double z)
    {
        var a = new[] { 0.3, -0.5, 0.8, 0.1 };
        double[] Grad(double[] p, double q) => (double[])Cases.GetMethod("GradientProbe")!.Invoke(null, new object[] { p, q })!;
        var hessian = (double[])Cases.GetMethod("HessianProbe")!.Invoke(null, new object[] { a, z })!;
        var problems = HessianProbeCheck.Problems(p => Grad(p.Take(a.Length).ToArray(), p[a.Length]), a.Append(z).ToArray(), hessian);
        var gradient = Grad(a, z);
        var direction = new[] { 0.2, -0.7, 0.5, 0.9 };
        const double dz = -0.3;
        var tangent = (double)Cases.GetMethod("TangentProbe")!.Invoke(null, new object[] { a, z, direction, dz })!;
        var dot = direction.Select((d, i) => d * gradient[i]).Sum() + (dz * gradient[a.Length]);
        if (!(Math.Abs(tangent - dot) <= 1e-9 * Math.Max(1, Math.Abs(dot))))
        {
            problems.Add($"Tangent {tangent:R}, gradient · direction {dot:R}");
        }

        Assert.True(problems.Count == 0, string.Join("\n", problems) + "\n" + Generated("HessReturn"));
    }

    private static void AssertMatches(string name, int inputs, int fields, bool isFloat)
    {
        var problems = JacobianProbeCheck.Problems(Cases, name, 20, inputs, fields, isFloat);
        Assert.True(problems.Count == 0, string.Join("\n", problems) + "\n" + Generated(name));
    }

    private static string Generated(string name) =>
        s_compiled.Value.Sources.Single(s => s.Key == "EarlyReturn.E." + name + ".g.cs").Value;
}

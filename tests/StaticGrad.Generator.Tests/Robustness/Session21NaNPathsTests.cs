using System.Reflection;

namespace StaticGrad.Generator.Tests.Robustness;

/// <summary>
/// Session 21: NaN gradients where the true gradient is finite, from values dead on the path that ran (batch
/// 20262617's P138: a local that overflows on the last trip of its loop, read only by the next trip; a jump that skips
/// every read of an overflowing value; a <c>?:</c> after a jump). Each case overflows (∞ or NaN) only on the path
/// where the value is dead (first input negative) and stays finite on the other; the analysis marks such definitions
/// (Analysis/DerivativeLiveness.cs) and their reverse propagates only a nonzero adjoint
/// (Reverse/ReverseModeTransformer.DeadOnSomePath.cs). ONE compilation; values and partials against central
/// differences through <see cref="JacobianProbeCheck"/> (double h = 1e-6, |g − fd| ≤ 1e-6·max(1, |fd|); float h = 1e-2,
/// ≤ 2e-2·max(1, |fd|)). The cases whose overflowing value IS read on the path that ran (<c>Kept…</c>) must keep a
/// non-finite gradient: a finite one there would be silently wrong.
/// </summary>
public sealed class Session21NaNPathsTests
{
    private const string Source = """
        using System;
        using System.Linq;
        using StaticGrad;

        namespace NaNPaths;

        public static partial class N
        {
            // P138's shape, minimised: a while × for nest where n grows every trip; v reads n at the top of each trip,
            // and on the last trip (x < 0) n overflows after that read (r4 = ∞, n = ∞, then sin(∞) = NaN).
            [Differentiable]
            public static double P138Shape(double x, double y)
            {
                var v0 = Math.Atan2(x, 2.0 + Math.Cos(x));
                var n0 = y * 0.25;
                var k1 = 0;
                while (k1 < 3)
                {
                    k1++;
                    for (var c5 = 0; c5 < 3; c5++)
                    {
                        v0 = x * Math.Sin(v0 - (n0 * 0.01));
                        var r4 = y / (1.0 + (y * y));
                        r4 += n0 * (x < 0 && k1 == 3 && c5 == 2 ? 1e200 : 0.5);
                        n0 += r4 * r4 * 0.25;
                        var d9 = 0.0;
                        for (var j = 0; j < 4; j++)
                        {
                            var arr = (y * 0.5) + (n0 * j);
                            d9 += arr * arr * 0.25;
                        }

                        n0 += Math.Sin(d9) * 0.001;
                    }
                }

                return 0.5 * v0;
            }

            // The last trip of one loop: p overflows after its last read.
            [Differentiable]
            public static double LastTrip(double x, double y)
            {
                var p = y;
                var s = 0.0;
                for (var k = 0; k < 6; k++)
                {
                    s += p * x;
                    p = (p * p * (x < 0 && k == 5 ? double.PositiveInfinity : 1.0)) + 0.5;
                }

                return s;
            }

            // The last trip of a do loop, float.
            [Differentiable]
            public static float FloatLastTrip(float x, float y)
            {
                var p = y;
                var s = 0.0f;
                var k = 0;
                do
                {
                    s += p * x;
                    p = (p * p * (x < 0 && k == 3 ? float.PositiveInfinity : 1.0f)) + 0.5f;
                    k++;
                }
                while (k < 4);
                return s;
            }

            // Nested loops: the inner loop's last trip of the outer loop's last trip.
            [Differentiable]
            public static double NestedLastTrip(double x, double y)
            {
                var p = y;
                var s = 0.0;
                for (var i = 0; i < 3; i++)
                {
                    for (var j = 0; j < 3; j++)
                    {
                        s += Math.Sin(p) * x;
                        p = (p * (x < 0 && i == 2 && j == 2 ? double.PositiveInfinity : 1.0) * 2.0) + y;
                    }
                }

                return s;
            }

            // An element store on the last trip: t[1] = ∞ is read only by the next trip.
            [Differentiable]
            public static double ElementLastTrip(double x, double y)
            {
                var t = new double[2];
                t[1] = y;
                var s = 0.0;
                for (var k = 0; k < 4; k++)
                {
                    s += t[1] * x;
                    t[1] = Math.Exp(t[1] * (x < 0 && k == 3 ? 900.0 : 0.5));
                }

                return s;
            }

            // Overflow before a return inside a loop.
            [Differentiable]
            public static double ReturnInLoop(double x, double y)
            {
                var s = 0.0;
                var d = y;
                for (var i = 0; i < 5; i++)
                {
                    d = Math.Exp(d * (x < 0 ? 40.0 : 0.2));
                    s += x * y;
                    if (x < 0 && i == 2)
                    {
                        return s;
                    }

                    if (x > 0)
                    {
                        s += d * 0.1;
                    }
                }

                return s;
            }

            // A break right after the overflow; the value after the loop reads d only through a ?: the break path skips.
            [Differentiable]
            public static double BreakAfterOverflow(double x, double y)
            {
                var s = y;
                var d = x * y;
                for (var i = 0; i < 5; i++)
                {
                    d = Math.Exp((d * 0.1) + (x < 0 ? 800.0 : 0.0));
                    if (x < 0)
                    {
                        break;
                    }

                    s += d * 0.01;
                }

                return s * x + (x > 0 ? d : 0.0);
            }

            // A continue after an overflowing local read only after the continue.
            [Differentiable]
            public static double ContinueAfterOverflow(double x, double y)
            {
                var s = 0.0;
                for (var i = 0; i < 4; i++)
                {
                    var d = Math.Exp(y * (x < 0 ? 900.0 : 0.3));
                    var e = x * y * i;
                    if (x < 0)
                    {
                        s += e;
                        continue;
                    }

                    s += d + e;
                }

                return s;
            }

            // One loop assigns a live and a dead local before the return (the zero-adjoint check of session 20 saw s ≠ 0).
            [Differentiable]
            public static double LiveAndDeadInLoop(double x, double y)
            {
                var s = 0.0;
                var d = y;
                for (var k = 0; k < (x < 0 ? 14 : 2); k++)
                {
                    d = (d * d) + 1.5;
                    s += x * y;
                }

                if (x < 0)
                {
                    return s * y;
                }

                return s + d;
            }

            // An element store of an overflowing value before the return.
            [Differentiable]
            public static double StoreBeforeReturn(double x, double y)
            {
                var t = new double[3];
                t[0] = Math.Exp(y * (x < 0 ? 900.0 : 0.1));
                t[1] = x * y;
                t[2] = t[0] * x;
                if (x < 0)
                {
                    return t[1] * 2.0;
                }

                return t[0] + t[1] + t[2];
            }

            // Returns in both branches of an if, the overflow before it.
            [Differentiable]
            public static double ReturnsInBoth(double x, double y)
            {
                var d = Math.Exp(y * (x < 0 ? 900.0 : 0.1));
                var e = x * y;
                if (x < 0)
                {
                    return e * e;
                }
                else
                {
                    return d * e;
                }
            }

            // A break in an inner loop, then a return in the outer one.
            [Differentiable]
            public static double BreakThenReturnNested(double x, double y)
            {
                var s = x;
                var d = y;
                for (var i = 0; i < 3; i++)
                {
                    for (var j = 0; j < 4; j++)
                    {
                        d = Math.Exp(d * (x < 0 ? 300.0 : 0.05));
                        if (x < 0 && j == 1)
                        {
                            break;
                        }

                        s += Math.Tanh(d) * y;
                    }

                    if (x < 0)
                    {
                        return s * y;
                    }
                }

                return s + d;
            }

            // Hostile names: the user's dx, seed, _result, _tape, _t0 around the overflow.
            [Differentiable]
            public static double HostileNames(double x, double y)
            {
                var dx = y;
                var seed = 0.0;
                var _t0 = x;
                for (var _tape = 0; _tape < 5; _tape++)
                {
                    seed += dx * _t0;
                    dx = (dx * dx * (x < 0 && _tape == 4 ? double.PositiveInfinity : 1.0)) + 0.25;
                }

                var _result = seed;
                return _result;
            }

            // A [Differentiable] callee fed the value that overflows on the last trip.
            [Differentiable]
            public static double Grow(double v, double w) => Math.Exp(v * w);

            [Differentiable]
            public static double CalleeLastTrip(double x, double y)
            {
                var p = y;
                var s = 0.0;
                for (var k = 0; k < 4; k++)
                {
                    s += p * x;
                    p = Grow(p, x < 0 && k == 3 ? 900.0 : 0.3);
                }

                return s;
            }

            // Float: returns in both branches.
            [Differentiable]
            public static float FloatReturnsInBoth(float x, float y)
            {
                var d = MathF.Exp(y * (x < 0 ? 400.0f : 0.1f));
                var e = x * y;
                if (x < 0)
                {
                    return e * e;
                }

                return d * e;
            }

            // A value dead on the path a ?: after a return skips, inside a loop whose last trip also overflows.
            [Differentiable]
            public static double ConditionalAfterLoop(double x, double y)
            {
                var d = y;
                var s = 0.0;
                for (var k = 0; k < 5; k++)
                {
                    s += x * k;
                    d = Math.Exp(d * (x < 0 ? 30.0 : 0.1));
                }

                return s + (x > 0 ? d * y : y);
            }

            // A zero-trip loop before the return: nothing overflows, the gradient must still be right.
            [Differentiable]
            public static double ZeroTrip(double x, double y)
            {
                var d = y;
                var s = x;
                for (var k = 0; k < (x < 0 ? 0 : 3); k++)
                {
                    d = (d * d) + 0.5;
                    s += d * x;
                }

                if (x < 0)
                {
                    return s * y;
                }

                return s + d;
            }

            // An exception the user's loop would throw after the dead overflow stays where it is (see the fact below).
            [Differentiable]
            public static double ThrowsAfterLastTrip(double x, double y, double[] a)
            {
                var p = y;
                var s = 0.0;
                for (var k = 0; k < 3; k++)
                {
                    s += p * x;
                    p = p * p * (k == 2 ? 1e300 : 1.0) * 1e10;
                }

                return s + a[a.Length];
            }

            // Two fields, straight-line body with an early return (the wide single-sweep Jacobian).
            [Differentiable(Jacobian = true)]
            public static (double A, double B) TwoFields(double x, double y)
            {
                var d = Math.Exp(y * (x < 0 ? 900.0 : 0.1));
                var e = x * y;
                if (x < 0)
                {
                    return (Math.Sin(x), e);
                }

                return (d * x, e + d);
            }

            public static double[] TwoFieldsValue(double[] p)
            {
                var v = TwoFields(p[0], p[1]);
                return new[] { v.A, v.B };
            }

            public static double[] TwoFieldsRows(double[] p)
            {
                var d = new double[4];
                var v = TwoFieldsJacobian(p[0], p[1], ref d[0], ref d[1], ref d[2], ref d[3]);
                return new[] { v.A, v.B }.Concat(d).ToArray();
            }

            // Three fields with a loop (the per-field Jacobian sweeps), the last trip overflowing.
            [Differentiable(Jacobian = true)]
            public static (double A, double B, double C) ThreeFieldsLastTrip(double x, double y)
            {
                var p = y;
                var s = 0.0;
                for (var k = 0; k < 4; k++)
                {
                    s += p * x;
                    p = (p * p * (x < 0 && k == 3 ? double.PositiveInfinity : 1.0)) + 0.5;
                }

                return (s, s * y, x);
            }

            public static double[] ThreeFieldsLastTripValue(double[] p)
            {
                var v = ThreeFieldsLastTrip(p[0], p[1]);
                return new[] { v.A, v.B, v.C };
            }

            public static double[] ThreeFieldsLastTripRows(double[] p)
            {
                var d = new double[6];
                var v = ThreeFieldsLastTripJacobian(p[0], p[1], ref d[0], ref d[1], ref d[2], ref d[3], ref d[4], ref d[5]);
                return new[] { v.A, v.B, v.C }.Concat(d).ToArray();
            }

            public static double ThrowsAfterLastTripBackwardCall(double x, double y, double[] a)
            {
                double dx = 0.0, dy = 0.0;
                var da = new double[a.Length];
                return ThrowsAfterLastTripBackward(x, y, a, ref dx, ref dy, da);
            }

            // KEPT: the overflowing value IS read on the path that ran: the gradient must stay non-finite.
            [Differentiable]
            public static double KeptAfterLoop(double x, double y)
            {
                var p = y;
                for (var k = 0; k < 12; k++)
                {
                    p = (p * p) + 1.5;
                }

                return Math.Exp(-1.0 / (1.0 + (p * p))) * x + (p * 1e-300 * x);
            }

            [Differentiable]
            public static double KeptBeforeReturn(double x, double y)
            {
                var d = Math.Exp(y * 900.0);
                if (x < 0)
                {
                    return (d * 1e-300) + x;
                }

                return x;
            }

            [Differentiable]
            public static double KeptInLoop(double x, double y)
            {
                var s = 0.0;
                var p = y;
                for (var k = 0; k < 4; k++)
                {
                    p = Math.Exp(p * (k == 3 ? 900.0 : 1.0));
                    s += p * 1e-300;
                }

                return s * x;
            }

        """;

    /// <summary>The cases of two double inputs and a double result.</summary>
    private static readonly string[] s_doubleCases =
    {
        "P138Shape", "LastTrip", "NestedLastTrip", "ElementLastTrip", "ReturnInLoop", "BreakAfterOverflow",
        "ContinueAfterOverflow", "LiveAndDeadInLoop", "StoreBeforeReturn", "ReturnsInBoth", "BreakThenReturnNested",
        "HostileNames", "CalleeLastTrip", "ZeroTrip",
    };

    private static readonly string[] s_floatCases = { "FloatLastTrip", "FloatReturnsInBoth" };

    private static readonly string[] s_keptCases = { "KeptAfterLoop", "KeptBeforeReturn", "KeptInLoop" };

    private static readonly string s_source = Source
        + string.Concat(s_doubleCases.Concat(s_keptCases).Append("ConditionalAfterLoop").Select(name => JacobianProbeCheck.TwoInputProbes(name, "double")))
        + string.Concat(s_floatCases.Select(name => JacobianProbeCheck.TwoInputProbes(name, "float"))) + "}\n";

    private static readonly Lazy<(Assembly Assembly, Dictionary<string, string> Sources)> s_compiled = new(() => JacobianProbeCheck.Compile(s_source));

    private static Type Cases => s_compiled.Value.Assembly.GetType("NaNPaths.N")!;

    public static TheoryData<string> DoubleCases => new(s_doubleCases);

    public static TheoryData<string> FloatCases => new(s_floatCases);

    [Theory]
    [MemberData(nameof(DoubleCases))]
    public void Double_value_and_partials_match_central_differences(string name) => AssertMatches(name, 2, 1, isFloat: false);

    [Theory]
    [MemberData(nameof(FloatCases))]
    public void Float_value_and_partials_match_central_differences(string name) => AssertMatches(name, 2, 1, isFloat: true);

    // A value read only by the branch of a ?: that did not run, in a method without jumps (d overflows in the loop, the
    // result is s + (x > 0 ? d * y : y)): ∂/∂y was NaN on x < 0 where central differences give 1, until session 22
    // analysed each ?:'s one-branch path in methods without jumps too (DerivativeLiveness: a ?: reads there only what
    // both its branches read).
    [Fact]
    public void A_value_read_only_by_an_untaken_conditional_branch_matches_central_differences() => AssertMatches("ConditionalAfterLoop", 2, 1, isFloat: false);

    [Fact]
    public void Wide_single_sweep_Jacobian_matches_central_differences() => AssertMatches("TwoFields", 2, 2, isFloat: false);

    [Fact]
    public void Per_field_Jacobian_matches_central_differences() => AssertMatches("ThreeFieldsLastTrip", 2, 3, isFloat: false);

    /// <summary>
    /// Where the overflowing value is read on the path that ran, ∂/∂y is ∞ or NaN (its partial is infinite and its
    /// adjoint is not zero): it must stay so, not become a finite number.
    /// </summary>
    [Theory]
    [InlineData("KeptAfterLoop", 0.7)]
    [InlineData("KeptBeforeReturn", -0.7)]
    [InlineData("KeptInLoop", 0.7)]
    public void A_value_read_on_the_path_that_ran_keeps_its_non_finite_partial(string name, double x)
    {
        var rows = (double[])Cases.GetMethod(name + "Rows")!.Invoke(null, new object[] { new[] { x, 0.8 } })!;
        Assert.False(double.IsFinite(rows[2]), $"{name}: ∂/∂y = {rows[2]:R}, expected ∞ or NaN\n{Generated(name)}");
    }

    /// <summary>The P138 shape's gradient on the overflowing path is the one of the same nest without the last trip's overflow.</summary>
    [Fact]
    public void P138_shape_gradient_is_finite_on_the_overflowing_path()
    {
        var rows = (double[])Cases.GetMethod("P138ShapeRows")!.Invoke(null, new object[] { new[] { -0.8, 0.6 } })!;
        Assert.True(rows.All(double.IsFinite), $"P138Shape at (-0.8, 0.6): [{string.Join(", ", rows)}]\n{Generated("P138Shape")}");
    }

    /// <summary>An IndexOutOfRangeException the user's code throws after the loop comes out of the backward call as out of the method.</summary>
    [Fact]
    public void A_primal_exception_is_kept()
    {
        var primal = Cases.GetMethod("ThrowsAfterLastTrip", new[] { typeof(double), typeof(double), typeof(double[]) })!;
        var backward = Cases.GetMethod("ThrowsAfterLastTripBackwardCall")!;
        var a = new[] { 0.5, 0.25 };
        var p = Assert.Throws<TargetInvocationException>(() => primal.Invoke(null, new object[] { 0.6, 0.7, a }));
        var g = Assert.Throws<TargetInvocationException>(() => backward.Invoke(null, new object[] { 0.6, 0.7, a }));
        Assert.IsType<IndexOutOfRangeException>(p.InnerException);
        Assert.IsType<IndexOutOfRangeException>(g.InnerException);
    }

    private static void AssertMatches(string name, int inputs, int fields, bool isFloat)
    {
        var problems = JacobianProbeCheck.Problems(Cases, name, 21, inputs, fields, isFloat);
        Assert.True(problems.Count == 0, string.Join("\n", problems) + "\n" + Generated(name));
    }

    private static string Generated(string name) =>
        s_compiled.Value.Sources.Single(s => s.Key == "NaNPaths.N." + name + ".g.cs").Value;
}

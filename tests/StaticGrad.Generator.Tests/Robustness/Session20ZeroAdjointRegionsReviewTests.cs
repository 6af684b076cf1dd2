using System.Reflection;

namespace StaticGrad.Generator.Tests.Robustness;

/// <summary>
/// Review of session 20's zero-adjoint checks (p51: Reverse/ReverseModeTransformer.ZeroAdjointRegions.cs, the returned
/// flag as a kill point in Analysis/DerivativeLiveness.cs). Each case overflows (∞ or NaN) on the path that jumps
/// (first input negative) and stays finite on the other, aimed at the stated conditions: a reassigned parameter before
/// the return, caller-provided nonzero adjoints (scalar refs and spans) that the set-back must keep, the same array
/// passed as two span adjoints, a span read through a [Differentiable] callee, a fused reduction before the return,
/// nested jumps (break inside a loop, then a return), the per-field Jacobian with three fields, the wide single-sweep
/// Jacobian (straight-line body), −0.0 seeds, float, and a primal exception. ONE compilation; values and partials
/// against central differences through <see cref="JacobianProbeCheck"/> (double h = 1e-6, |g − fd| ≤ 1e-6·max(1, |fd|);
/// float h = 1e-2, ≤ 2e-2·max(1, |fd|)); seeded calls against seed + the unseeded gradient (1e-12 relative).
/// </summary>
public sealed class Session20ZeroAdjointRegionsReviewTests
{
    private const string Source = """
        using System;
        using System.Linq;
        using StaticGrad;

        namespace ZeroAdjointReview;

        public static partial class R
        {
            // A parameter reassigned (to ∞ on the returning path) before the return; only the other path reads it.
            [Differentiable]
            public static double ParamReassigned(double x, double y)
            {
                y = y * Math.Exp(y * (x < 0 ? 800.0 : 0.1));
                if (x < 0)
                {
                    return Math.Sin(x) * 2.0;
                }

                return x * y;
            }

            // y read once, at the top level, by the dead statement (its adjoint may go straight into the caller's ref).
            [Differentiable]
            public static double DirectOnce(double x, double y)
            {
                var d = Math.Exp(y * (x < 0 ? 900.0 : 0.1));
                if (x < 0)
                {
                    return Math.Sin(x) * 2.0;
                }

                return d * x;
            }

            // The engineer's known gap: one loop assigns s (read by the returning path) and d (only by the other one).
            [Differentiable]
            public static double LoopLiveAndDead(double x, double y)
            {
                var s = 0.0;
                var d = y;
                for (var k = 0; k < (x < 0 ? 14 : 2); k++)
                {
                    d = (d * d) + 1.5;
                    s += x * 0.5;
                }

                if (x < 0)
                {
                    return s * y;
                }

                return s + d;
            }

            // The other known gap: an element store before the return.
            [Differentiable]
            public static double ElementStore(double x, double y)
            {
                var t = new double[2];
                t[0] = Math.Exp(y * (x < 0 ? 900.0 : 0.1));
                t[1] = x * y;
                if (x < 0)
                {
                    return x * y;
                }

                return t[0] + t[1];
            }

            // x is read by the dead statement and by the returning path: its adjoint must survive the set-back.
            [Differentiable]
            public static double ReadByBoth(double x, double y)
            {
                var d = x * Math.Exp(y * (x < 0 ? 800.0 : 0.1));
                var e = x * y;
                if (x < 0)
                {
                    return e * e;
                }

                return e + d;
            }

            // A parameter reassigned from itself twice, the second time from a dead value, then a return.
            [Differentiable]
            public static double ParamSelfAssigned(double x, double y)
            {
                var d = Math.Exp(y * (x < 0 ? 800.0 : 0.1));
                y = y * y;
                y = y + (d * 0.0);
                if (x < 0)
                {
                    return x * 3.0;
                }

                return y * x;
            }

            // A break inside a loop, then a return after the loop (nested jumps).
            [Differentiable]
            public static double BreakThenReturn(double x, double y)
            {
                var s = x;
                var d = y;
                for (var i = 0; i < 6; i++)
                {
                    d = Math.Exp(d * (x < 0 ? 500.0 : 0.1));
                    var t = d * y;
                    if (x < 0 && i == 1)
                    {
                        break;
                    }

                    s += Math.Tanh(t) * y;
                }

                var w = d * x;
                if (x < 0)
                {
                    return s * y;
                }

                return s + w;
            }

            // A continue then a break in the same loop, each after an overflowing value.
            [Differentiable]
            public static double ContinueAndBreak(double x, double y)
            {
                var s = y;
                for (var i = 0; i < 8; i++)
                {
                    var d = Math.Exp(y * (x < 0 ? 900.0 : 0.1) * (i + 1));
                    if (x < 0 && i % 2 == 1)
                    {
                        continue;
                    }

                    var e = d * x;
                    if (x < 0 && i >= 4)
                    {
                        break;
                    }

                    s += (x < 0 ? x : e) * 0.5;
                }

                return s * x;
            }

            // A return in a loop after an accumulator was updated in the same trip, from a value carried across trips.
            [Differentiable]
            public static double ReturnAfterCarriedUpdate(double x, double y)
            {
                var s = 0.0;
                var c = y;
                for (var i = 0; i < 5; i++)
                {
                    s += c * x;
                    c = Math.Exp(c * (x < 0 ? 30.0 : 0.2));
                    if (x < 0 && i == 1)
                    {
                        return s;
                    }
                }

                return s + c;
            }

            // A [Differentiable] callee called before the return with the dead value.
            [Differentiable]
            public static double Grow(double v, double w) => Math.Exp(v * w);

            [Differentiable]
            public static double CalleeBeforeReturn(double x, double y)
            {
                var d = Grow(y, x < 0 ? 900.0 : 0.1);
                var e = Grow(x, y);
                if (x < 0)
                {
                    return e;
                }

                return d + e;
            }

            // Float.
            [Differentiable]
            public static float FloatReadByBoth(float x, float y)
            {
                var d = x * MathF.Exp(y * (x < 0 ? 200.0f : 0.1f));
                var e = x * y;
                if (x < 0)
                {
                    return e * e;
                }

                return e + d;
            }

            // Three fields, per-field Jacobian (a loop keeps the per-field sweeps).
            [Differentiable(Jacobian = true)]
            public static (double A, double B, double C) ThreeFieldsLoop(double x, double y)
            {
                var d = y;
                for (var k = 0; k < (x < 0 ? 14 : 1); k++)
                {
                    d = (d * d) + 1.5;
                }

                var e = x * y;
                if (x < 0)
                {
                    return (Math.Sin(x), e, e * y);
                }

                return (d * x, e + d, x);
            }

            public static double[] ThreeFieldsLoopValue(double[] p)
            {
                var v = ThreeFieldsLoop(p[0], p[1]);
                return new[] { v.A, v.B, v.C };
            }

            public static double[] ThreeFieldsLoopRows(double[] p)
            {
                var d = new double[6];
                var v = ThreeFieldsLoopJacobian(p[0], p[1], ref d[0], ref d[1], ref d[2], ref d[3], ref d[4], ref d[5]);
                return new[] { v.A, v.B, v.C }.Concat(d).ToArray();
            }

            // Two fields, straight-line body (the wide single-sweep Jacobian, which has no checks).
            [Differentiable(Jacobian = true)]
            public static (double A, double B) TwoFieldsStraight(double x, double y)
            {
                var d = Math.Exp(y * (x < 0 ? 900.0 : 0.1));
                var e = x * y;
                if (x < 0)
                {
                    return (Math.Sin(x), e);
                }

                return (d * x, e + d);
            }

            public static double[] TwoFieldsStraightValue(double[] p)
            {
                var v = TwoFieldsStraight(p[0], p[1]);
                return new[] { v.A, v.B };
            }

            public static double[] TwoFieldsStraightRows(double[] p)
            {
                var d = new double[4];
                var v = TwoFieldsStraightJacobian(p[0], p[1], ref d[0], ref d[1], ref d[2], ref d[3]);
                return new[] { v.A, v.B }.Concat(d).ToArray();
            }

            // A span parameter read by a loop before the return (a reduction: fused or not).
            [Differentiable]
            public static double SpanReduction(double z, double[] a)
            {
                var d = 0.0;
                for (var i = 0; i < a.Length; i++)
                {
                    d += Math.Exp(a[i] * (z < 0 ? 900.0 : 0.1));
                }

                if (z < 0)
                {
                    return z * a[0];
                }

                return d * z;
            }

            // Two span parameters read by a loop before the return, not a plain reduction.
            [Differentiable]
            public static double TwoSpans(double z, double[] a, double[] b)
            {
                var d = 1.0;
                for (var i = 0; i < a.Length; i++)
                {
                    d = (d * 0.5) + Math.Exp(a[i] * b[i] * (z < 0 ? 900.0 : 0.1));
                }

                if (z < 0)
                {
                    return z * (a[0] + b[1]);
                }

                return d * z;
            }

            // A span parameter passed to a [Differentiable] callee before the return.
            [Differentiable]
            public static double Blow(double[] a, double w)
            {
                var s = 0.0;
                for (var i = 0; i < a.Length; i++)
                {
                    s += Math.Exp(a[i] * w);
                }

                return s;
            }

            [Differentiable]
            public static double SpanThroughCallee(double z, double[] a)
            {
                var d = Blow(a, z < 0 ? 900.0 : 0.1);
                var e = a[1] * z;
                if (z < 0)
                {
                    return e;
                }

                return d + e;
            }

            // A primal exception after the dead statement, on the returning path's side.
            [Differentiable]
            public static double ThrowsAfter(double x, double y, double[] a)
            {
                var d = Math.Exp(y * (x < 0 ? 900.0 : 0.1));
                var k = (int)(a.Length * 2.0);
                var e = a[k] * x;
                if (x < 0)
                {
                    return e;
                }

                return e + d;
            }

            public static double[] SpanReductionValue(double[] p) => new[] { SpanReduction(p[0], p.Skip(1).ToArray()) };

            public static double[] SpanReductionRows(double[] p)
            {
                var da = new double[3];
                double dz = 0.0;
                var v = SpanReductionBackward(p[0], p.Skip(1).ToArray(), ref dz, da);
                return new[] { v, dz }.Concat(da).ToArray();
            }

            public static double[] TwoSpansValue(double[] p) => new[] { TwoSpans(p[0], p.Skip(1).Take(3).ToArray(), p.Skip(4).ToArray()) };

            public static double[] TwoSpansRows(double[] p)
            {
                var da = new double[3];
                var db = new double[3];
                double dz = 0.0;
                var v = TwoSpansBackward(p[0], p.Skip(1).Take(3).ToArray(), p.Skip(4).ToArray(), ref dz, da, db);
                return new[] { v, dz }.Concat(da).Concat(db).ToArray();
            }

            // The same array as both span adjoints, seeded.
            public static double[] TwoSpansAliased(double z, double[] a, double[] b, double[] shared)
            {
                double dz = 0.5;
                TwoSpansBackward(z, a, b, ref dz, shared, shared);
                return shared.Append(dz).ToArray();
            }

            public static double[] SpanThroughCalleeValue(double[] p) => new[] { SpanThroughCallee(p[0], p.Skip(1).ToArray()) };

            public static double[] SpanThroughCalleeRows(double[] p)
            {
                var da = new double[3];
                double dz = 0.0;
                var v = SpanThroughCalleeBackward(p[0], p.Skip(1).ToArray(), ref dz, da);
                return new[] { v, dz }.Concat(da).ToArray();
            }

            // Seeded span adjoints: the caller's values must stay under the set-back.
            public static double[] SpanSeeded(double z, double[] a, double[] seed, double zSeed, int which)
            {
                var da = (double[])seed.Clone();
                double dz = zSeed;
                var v = which switch
                {
                    0 => SpanReductionBackward(z, a, ref dz, da),
                    _ => SpanThroughCalleeBackward(z, a, ref dz, da),
                };
                return new[] { v, dz }.Concat(da).ToArray();
            }

            // One ref passed as both adjoints (seeded 0.25): it ends with 0.25 + ∂/∂x + ∂/∂y.
            public static double AliasedRefs(double x, double y, int which)
            {
                double g = 0.25;
                _ = which switch
                {
                    0 => ReadByBothBackward(x, y, ref g, ref g),
                    1 => DirectOnceBackward(x, y, ref g, ref g),
                    2 => ParamReassignedBackward(x, y, ref g, ref g),
                    _ => CalleeBeforeReturnBackward(x, y, ref g, ref g),
                };
                return g;
            }

            public static double ThrowsAfterBackwardCall(double x, double y, double[] a)
            {
                double dx = 0.0, dy = 0.0;
                var da = new double[a.Length];
                return ThrowsAfterBackward(x, y, a, ref dx, ref dy, da);
            }

        """;

    /// <summary>The cases of two double inputs and a double result.</summary>
    private static readonly string[] s_doubleCases =
    {
        "ParamReassigned",
        "DirectOnce",
        "ReadByBoth",
        "ParamSelfAssigned",
        "BreakThenReturn",
        "ContinueAndBreak",
        "ReturnAfterCarriedUpdate",
        "CalleeBeforeReturn",
    };

    /// <summary>The engineer's stated gaps, probed on their own (not in <see cref="s_doubleCases"/>' seeded runs).</summary>
    private static readonly string[] s_gapCases = { "LoopLiveAndDead", "ElementStore" };

    private static readonly string[] s_floatCases = { "FloatReadByBoth" };

    private static readonly string s_source = Source
        + string.Concat(s_doubleCases.Select(name => JacobianProbeCheck.TwoInputProbes(name, "double")))
        + string.Concat(s_gapCases.Select(name => JacobianProbeCheck.TwoInputProbes(name, "double")))
        + string.Concat(s_floatCases.Select(name => JacobianProbeCheck.TwoInputProbes(name, "float"))) + "}\n";

    private static readonly Lazy<(Assembly Assembly, Dictionary<string, string> Sources)> s_compiled = new(() => JacobianProbeCheck.Compile(s_source));

    private static Type Cases => s_compiled.Value.Assembly.GetType("ZeroAdjointReview.R")!;

    public static TheoryData<string> DoubleCases => new(s_doubleCases);

    [Theory]
    [MemberData(nameof(DoubleCases))]
    public void Double_value_and_partials_match_central_differences(string name) => AssertMatches(name, 2, 1, isFloat: false);

    // Session 21 fixed the two "known gaps" (on the returning path, x < 0, ∂/∂y was NaN where central differences are
    // finite): LoopLiveAndDead — one loop assigns s (the returning path reads it) and d (grown to ∞, read only by the
    // other path); ElementStore — t[0] = exp(900·y) = ∞ stored into a local array element. Both definitions are dead
    // on the returning path (Analysis/DerivativeLiveness.cs), so their reverse propagates only a nonzero adjoint.
    [Theory]
    [InlineData("LoopLiveAndDead")]
    [InlineData("ElementStore")]
    public void Stated_gaps_match_central_differences(string name) => AssertMatches(name, 2, 1, isFloat: false);

    [Fact]
    public void Float_value_and_partials_match_central_differences() => AssertMatches("FloatReadByBoth", 2, 1, isFloat: true);

    [Fact]
    public void Per_field_Jacobian_with_three_fields_matches_central_differences() => AssertMatches("ThreeFieldsLoop", 2, 3, isFloat: false);

    // Session 21 fixed the wide single-sweep Jacobian (straight-line body with an early return): on the returning path
    // (x < 0) d = exp(900·y) = ∞ and the sweep wrote _dAdy = _p2 * dAdd with _p2 = ∞, dAdd = 0 (NaN where central
    // differences give 0 and x); d is dead on that path, and each field's update is now written only when that field's
    // adjoint of d is not zero.
    [Fact]
    public void Wide_single_sweep_Jacobian_matches_central_differences() => AssertMatches("TwoFieldsStraight", 2, 2, isFloat: false);

    [Theory]
    [InlineData("SpanReduction", 4)]
    [InlineData("TwoSpans", 7)]
    [InlineData("SpanThroughCallee", 4)]
    public void Span_cases_match_central_differences(string name, int inputs) => AssertMatches(name, inputs, 1, isFloat: false);

    /// <summary>Caller-provided nonzero adjoints (scalar refs) come back as seed + the unseeded gradient, on both paths.</summary>
    [Theory]
    [MemberData(nameof(DoubleCases))]
    public void Caller_seeds_are_kept(string name)
    {
        var backward = Backward(name);
        foreach (var (x, y) in new[] { (-0.7, 0.9), (0.6, 0.8), (-0.4, -0.3) })
        {
            var fresh = new object[] { x, y, 0.0, 0.0, 1.0 };
            var v0 = (double)backward.Invoke(null, fresh)!;
            foreach (var (sx, sy) in new[] { (0.25, -0.5), (0.0, 1.5), (-2.0, 0.0) })
            {
                var seeded = new object[] { x, y, sx, sy, 1.0 };
                var v1 = (double)backward.Invoke(null, seeded)!;
                Assert.Equal(v0, v1);
                var message = $"{name} at ({x}, {y}) seeds ({sx}, {sy}): fresh ({fresh[2]:R}, {fresh[3]:R}), seeded ({seeded[2]:R}, {seeded[3]:R})\n{Generated(name)}";
                Assert.True(Close(sx + (double)fresh[2], (double)seeded[2]) && Close(sy + (double)fresh[3], (double)seeded[3]), message);
            }
        }
    }

    /// <summary>One ref passed as both scalar adjoints (seeded): seed + ∂/∂x + ∂/∂y, on both paths.</summary>
    [Theory]
    [InlineData(0, "ReadByBoth")]
    [InlineData(1, "DirectOnce")]
    [InlineData(2, "ParamReassigned")]
    [InlineData(3, "CalleeBeforeReturn")]
    public void One_ref_as_both_adjoints_gets_both_partials(int which, string name)
    {
        foreach (var (x, y) in new[] { (-0.7, 0.9), (0.6, 0.8) })
        {
            var fresh = new object[] { x, y, 0.0, 0.0, 1.0 };
            Backward(name).Invoke(null, fresh);
            var g = (double)Cases.GetMethod("AliasedRefs")!.Invoke(null, new object[] { x, y, which })!;
            var expected = 0.25 + (double)fresh[2] + (double)fresh[3];
            Assert.True(Close(expected, g), $"{name} at ({x}, {y}): {g:R}, expected {expected:R}\n{Generated(name)}");
        }
    }

    /// <summary>−0.0 seeds: the check's "== 0" holds for them; the result must still be seed + gradient (as a value).</summary>
    [Fact]
    public void Negative_zero_seeds_are_kept()
    {
        var backward = Backward("ReadByBoth");
        var fresh = new object[] { -0.7, 0.9, 0.0, 0.0, 1.0 };
        backward.Invoke(null, fresh);
        var seeded = new object[] { -0.7, 0.9, -0.0, -0.0, 1.0 };
        backward.Invoke(null, seeded);
        Assert.Equal((double)fresh[2], (double)seeded[2], 1e-15);
        Assert.Equal((double)fresh[3], (double)seeded[3], 1e-15);
        Assert.True(double.IsFinite((double)seeded[2]) && double.IsFinite((double)seeded[3]));
    }

    /// <summary>Seeded span adjoints: seed + the unseeded gradient, on the returning path (the set-back copies the span) and the other.</summary>
    [Theory]
    [InlineData(0, -0.6)]
    [InlineData(0, 0.5)]
    [InlineData(1, -0.6)]
    [InlineData(1, 0.5)]
    public void Seeded_spans_are_kept(int which, double z)
    {
        var a = new[] { 0.9, -0.3, 0.8 };
        var seed = new[] { 1.25, -0.5, 3.0 };
        var call = Cases.GetMethod("SpanSeeded")!.CreateDelegate<Func<double, double[], double[], double, int, double[]>>();
        var fresh = call(z, a, new double[3], 0.0, which);
        var seeded = call(z, a, seed, -0.75, which);
        Assert.Equal(fresh[0], seeded[0]);
        Assert.True(Close(fresh[1] - 0.75, seeded[1]), $"dz: fresh {fresh[1]:R}, seeded {seeded[1]:R}");
        for (var i = 0; i < 3; i++)
        {
            Assert.True(Close(fresh[2 + i] + seed[i], seeded[2 + i]), $"da[{i}]: fresh {fresh[2 + i]:R}, seeded {seeded[2 + i]:R}\n{Generated(which == 0 ? "SpanReduction" : "SpanThroughCallee")}");
        }
    }

    /// <summary>The same array passed as both span adjoints (seeded with 0.1 each): it ends with 0.1 + ∂/∂a + ∂/∂b.</summary>
    [Theory]
    [InlineData(-0.6)]
    [InlineData(0.5)]
    public void The_same_array_as_two_span_adjoints_gets_both_partials(double z)
    {
        var a = new[] { 0.4, -0.3, 0.7 };
        var b = new[] { -0.2, 0.6, 0.5 };
        var rows = (double[])Cases.GetMethod("TwoSpansRows")!.Invoke(null, new object[] { new[] { z }.Concat(a).Concat(b).ToArray() })!;
        var shared = new[] { 0.1, 0.1, 0.1 };
        var result = (double[])Cases.GetMethod("TwoSpansAliased")!.Invoke(null, new object[] { z, a, b, shared })!;
        for (var i = 0; i < 3; i++)
        {
            var expected = 0.1 + rows[2 + i] + rows[5 + i];
            Assert.True(Close(expected, result[i]), $"shared[{i}] = {result[i]:R}, expected {expected:R}\n{Generated("TwoSpans")}");
        }

        Assert.True(Close(0.5 + rows[1], result[3]), $"dz = {result[3]:R}, expected {0.5 + rows[1]:R}");
    }

    /// <summary>A primal exception (index out of range) comes out of the backward call as it comes out of the method.</summary>
    [Theory]
    [InlineData(-0.6)]
    [InlineData(0.5)]
    public void A_primal_exception_is_kept(double x)
    {
        var a = new[] { 0.4, -0.3 };
        var primal = Cases.GetMethod("ThrowsAfter", new[] { typeof(double), typeof(double), typeof(double[]) })!;
        var backward = Cases.GetMethod("ThrowsAfterBackwardCall")!;
        var p = Assert.Throws<TargetInvocationException>(() => primal.Invoke(null, new object[] { x, 0.3, a }));
        var g = Assert.Throws<TargetInvocationException>(() => backward.Invoke(null, new object[] { x, 0.3, a }));
        Assert.IsType<IndexOutOfRangeException>(p.InnerException);
        Assert.IsType<IndexOutOfRangeException>(g.InnerException);
    }

    /// <summary>The generated <c>{name}Backward(x, y, ref dx, ref dy, seed)</c> (not its overloads).</summary>
    private static MethodInfo Backward(string name) =>
        Cases.GetMethods().Single(m => m.Name == name + "Backward" && m.GetParameters().Length == 5 && m.GetParameters()[2].ParameterType.IsByRef);

    private static bool Close(double expected, double actual) =>
        Math.Abs(expected - actual) <= 1e-12 * Math.Max(1, Math.Abs(expected));

    private static void AssertMatches(string name, int inputs, int fields, bool isFloat)
    {
        var problems = JacobianProbeCheck.Problems(Cases, name, 51, inputs, fields, isFloat);
        Assert.True(problems.Count == 0, string.Join("\n", problems) + "\n" + Generated(name));
    }

    private static string Generated(string name) =>
        s_compiled.Value.Sources.Single(s => s.Key == "ZeroAdjointReview.R." + name + ".g.cs").Value;
}

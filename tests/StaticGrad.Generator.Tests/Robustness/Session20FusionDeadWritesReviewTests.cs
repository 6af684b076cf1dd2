using System.Reflection;

namespace StaticGrad.Generator.Tests.Robustness;

/// <summary>
/// Session 20 review of rand20 (fusion past dead writes, an accumulator forwarded through one kept local): inputs that
/// meet every stated condition but break an unstated assumption (a dead write of a parameter, compound dead writes,
/// dead writes on both branches with a break, two locals dead-written in interleaved order, two kept locals, a private
/// array element as the kept value's factor, float with a kept double, a tuple Jacobian, Hessian and tangent, the user's
/// exception after the tail), and inputs that just miss one (the kept local read twice, by a local function, by the
/// tail's condition; non-linear; the accumulator twice in it or also in the result or in a guard; compound-assigned; a
/// factor the tail overwrites; a write live on one path; an early return), which must fall back and stay right. One
/// compilation for the plain cases, one for local functions, one for early returns and Detach; value and partials
/// against central differences by <see cref="JacobianProbeCheck"/> (double h = 1e-6, |g − fd| ≤ 1e-6·max(1, |fd|);
/// float h = 1e-2, ≤ 2e-2·max(1, |fd|)) at four points, inputs x then a[0..2]. The Hessian against central
/// differences of the gradient (h = 1e-5, ≤ 1e-5·max(1, |fd|)), the tangent against the gradient's dot product
/// (1e-9 relative). Whether each loop is fused is asserted on the generated text.
/// </summary>
public sealed class Session20FusionDeadWritesReviewTests
{
    private const string Source = """
        using System;
        using System.Linq;
        using StaticGrad;

        namespace Rev20;

        public static partial class F
        {
            // The loop reads the parameter x, which the tail overwrites with dead values (∞, then NaN).
            [Differentiable]
            public static double ParamDeadWrite(double x, double[] a)
            {
                var r = 0.0;
                for (var i = 0; i < a.Length; i++)
                {
                    r += Math.Sin(x * a[i]) * a[i];
                }

                x = Math.Exp(800.0 + x);
                x = x * x - x;
                return r;
            }

            // Compound dead writes (d += …, d *= …) after the loop.
            [Differentiable]
            public static double CompoundDead(double x, double[] a)
            {
                var d = x * x + 0.5;
                var r = x;
                for (var i = 0; i < a.Length; i++)
                {
                    r += d * a[i] * a[i];
                }

                d += 1e300;
                d *= 1e300;
                d -= d;
                return r;
            }

            // The dead write lies on one branch, the other branch reads d live: refused, right.
            [Differentiable]
            public static double LiveOnOtherPath(double x, double[] a)
            {
                var d = x * x + 0.5;
                var r = 0.0;
                for (var i = 0; i < a.Length; i++)
                {
                    r += Math.Tanh(d * a[i]);
                }

                var e = 0.0;
                if (x > 0.0)
                {
                    d = Math.Exp(800.0 + d);
                    d = d - d;
                }
                else
                {
                    d = d * x;
                    e = d * 3.0;
                }

                return r + e;
            }

            // Dead on both branches, one of them in a loop with a break on the dead value.
            [Differentiable]
            public static double DeadOnBothPaths(double x, double[] a)
            {
                var d = Math.Cos(x);
                var r = 0.0;
                for (var i = 0; i < a.Length; i++)
                {
                    r += d * a[i] * x;
                }

                if (x > 0.0)
                {
                    for (var t = 0; t < 20; t++)
                    {
                        if (d > 1e200)
                        {
                            break;
                        }

                        d = d * d + 1.5;
                    }
                }
                else
                {
                    d = Math.Exp(900.0 - d);
                }

                return r;
            }

            // A live read of d between the loop and the dead writes, in a branch.
            [Differentiable]
            public static double BranchReadBeforeTail(double x, double[] a)
            {
                var d = x * x;
                var r = 0.0;
                for (var i = 0; i < a.Length; i++)
                {
                    r += Math.Sin(d + a[i]);
                }

                var e = 0.0;
                if (x > 0.0)
                {
                    e = d * d;
                }

                // TAIL: d squared 14 times (dead)

                return r + e;
            }

            // The kept local read twice by the result: not forwarded, not fused, right.
            [Differentiable]
            public static double KeptReadTwice(double x, double[] a)
            {
                // HEAD: d = x / 2, r = x + Σ sin(aᵢ d) aᵢ

                var kept = r * 0.5 + x;
                // TAIL: d squared 14 times (dead)

                return kept * x + kept;
            }

            // The kept value non-linear in the accumulator.
            [Differentiable]
            public static double KeptNonLinear(double x, double[] a)
            {
                // HEAD: d = x / 2, r = x + Σ sin(aᵢ d) aᵢ

                var kept = r * r;
                // TAIL: d squared 14 times (dead)

                return kept - x;
            }

            // The accumulator twice in the kept value.
            [Differentiable]
            public static double KeptAccumulatorTwice(double x, double[] a)
            {
                // HEAD: d = x / 2, r = x + Σ sin(aᵢ d) aᵢ

                var kept = r * x + r;
                // TAIL: d squared 14 times (dead)

                return kept;
            }

            // The kept local compound-assigned after its definition.
            [Differentiable]
            public static double KeptCompound(double x, double[] a)
            {
                // HEAD: d = x / 2, r = x + Σ sin(aᵢ d) aᵢ

                var kept = r * 0.5;
                // TAIL: d squared 14 times (dead)

                kept *= x;
                return kept;
            }

            // The kept value's factor is the tail's local (overwritten after it): its coefficient cannot move before the loop.
            [Differentiable]
            public static double KeptFactorOverwritten(double x, double[] a)
            {
                var d = x * 0.5 + 1.0;
                var r = x;
                for (var i = 0; i < a.Length; i++)
                {
                    r += Math.Sin(a[i] * d) * a[i];
                }

                var kept = r * d;
                // TAIL: d squared 14 times (dead)

                return kept;
            }

            // Two loops, each accumulator forwarded through its own kept local, the result scaling one by x, a divide and a negation.
            [Differentiable]
            public static double TwoKept(double x, double[] a)
            {
                var d = x * x;
                var r = 0.0;
                for (var i = 0; i < a.Length; i++)
                {
                    r += Math.Cos(d * a[i]);
                }

                var k1 = -(r / 3.0) + d;
                var s = x;
                for (var i = 0; i < a.Length - 1; i++)
                {
                    var sp = a[i + 1] - a[i] * d;
                    s -= sp * sp;
                }

                var k2 = s * 2.0 - x;
                // TAIL: d squared 14 times (dead)

                return k1 * x - k2;
            }

            // The accumulator read by the kept value and by the result: refused.
            [Differentiable]
            public static double KeptAndResultRead(double x, double[] a)
            {
                // HEAD: d = x / 2, r = x + Σ sin(aᵢ d) aᵢ

                var kept = r * 0.5;
                // TAIL: d squared 14 times (dead)

                return kept + r;
            }

            // Two fused loops reading d, the second between the first and the dead writes.
            [Differentiable]
            public static double TwoLoopsOneTail(double x, double[] a)
            {
                var d = Math.Sin(x) + 1.5;
                var r = 0.0;
                for (var i = 0; i < a.Length; i++)
                {
                    r += d * a[i] * a[i];
                }

                var s = 0.0;
                for (var i = 0; i < a.Length; i++)
                {
                    s += Math.Exp(-d * a[i]);
                }

                d = Math.Exp(1000.0 + d);
                d = d - d;
                return r * 0.5 + s;
            }

            [Differentiable]
            public static float FloatKept(float x, float[] a)
            {
                var d = x * 0.5f;
                var r = x;
                for (var i = 0; i < a.Length; i++)
                {
                    r += MathF.Sin(a[i] * d) * a[i];
                }

                double kept = r * 0.5f;
                for (var t = 0; t < 14; t++)
                {
                    d = d * d + 1.5f;
                }

                return (float)kept - x;
            }

            [Differentiable]
            public static float FloatParamDead(float x, float[] a)
            {
                var r = 0.0f;
                for (var i = 0; i < a.Length; i++)
                {
                    r += MathF.Sin(x * a[i]) * a[i];
                }

                x = MathF.Exp(200.0f + x);
                x = x * x - x;
                return r;
            }

            // The dead tail throws when it overflows and x > 1: the user's exception, as the method throws it.
            [Differentiable]
            public static double TailThrows(double x, double[] a)
            {
                var d = x * x + 0.5;
                var r = 0.0;
                for (var i = 0; i < a.Length; i++)
                {
                    r += Math.Sin(d * a[i]);
                }

                var kept = r * 2.0;
                // TAIL: d squared 14 times (dead)

                if (double.IsInfinity(d) && x > 1.0)
                {
                    throw new InvalidOperationException("tail overflowed");
                }

                return kept;
            }

            // domain: a[3]=-1..1 z=-1..1
            [Differentiable(Forward = true, Hessian = true)]
            public static double HessKeptTail(double[] a, double z)
            {
                var d = z * z + 0.25;
                var s = z;
                for (var i = 0; i < a.Length; i++)
                {
                    s += Math.Sin(d * a[i]) * a[i];
                }

                var kept = s * 0.5 + z * d;
                // TAIL: d squared 14 times (dead)

                return kept;
            }

            [Differentiable(Forward = true, Hessian = true)]
            public static double HessParamDead(double[] a, double z)
            {
                var s = 0.0;
                for (var i = 0; i < a.Length; i++)
                {
                    s += Math.Cos(z * a[i]) * a[i];
                }

                z = Math.Exp(800.0 + z);
                z = z * z - z;
                return s;
            }

            // The kept local read again by the tail's condition (no derivative there).
            [Differentiable]
            public static double KeptInTailCondition(double x, double[] a)
            {
                // HEAD: d = x / 2, r = x + Σ sin(aᵢ d) aᵢ
                var kept = r * 0.5 - x;
                for (var t = 0; t < 14 && kept > -1e300; t++)
                {
                    d = d * d + 1.5;
                }

                return kept;
            }

            // The accumulator read by a guard that throws between the loop and the kept value.
            [Differentiable]
            public static double GuardReadsAccumulator(double x, double[] a)
            {
                // HEAD: d = x / 2, r = x + Σ sin(aᵢ d) aᵢ
                if (r > 1e6)
                {
                    throw new ArgumentException("too large");
                }

                var kept = r * 0.5;
                // TAIL: d squared 14 times (dead)
                return kept * x;
            }

            // Two locals read by the loop, dead-written in interleaved order, the second read live after the first's dead write.
            [Differentiable]
            public static double InterleavedTails(double x, double[] a)
            {
                var d = Math.Sin(x) + 1.25;
                var e = x * x;
                var r = 0.0;
                for (var i = 0; i < a.Length; i++)
                {
                    r += d * a[i] + Math.Cos(e * a[i]);
                }

                d = Math.Exp(800.0 + d);
                var f = e * 2.0;
                e = Math.Exp(800.0 + e);
                d = d - e;
                return r + f;
            }

            // The kept value's factor is an element of an array the loop stores into (its value after the loop is the last iteration's).
            [Differentiable]
            public static double PrivateArrayFactor(double x, double[] a)
            {
                var w = new double[1];
                var r = 0.0;
                for (var i = 0; i < a.Length; i++)
                {
                    w[0] = a[i] * x;
                    r += w[0] * a[i];
                }

                var kept = r * w[0];
                return kept + x;
            }

            // The same factor read by the result directly (the previous commit's path).
            [Differentiable]
            public static double PrivateArrayFactorDirect(double x, double[] a)
            {
                var w = new double[1];
                var r = 0.0;
                for (var i = 0; i < a.Length; i++)
                {
                    w[0] = a[i] * x;
                    r += w[0] * a[i];
                }

                return r * w[0] + x;
            }

            // A tuple result (Jacobian) with a kept accumulator and a dead tail.
            [Differentiable(Jacobian = true)]
            public static (double X, double Y) JacKept(double x, double y)
            {
                var d = x * x + 0.5;
                var r = y;
                for (var i = 0; i < 4; i++)
                {
                    r += Math.Sin((d * i) + y);
                }

                var kept = r * 0.5;
                // TAIL: d squared 14 times (dead)

                return (kept, x * y);
            }

            public static double[] JacKeptValue(double[] p)
            {
                var v = JacKept(p[0], p[1]);
                return new[] { v.X, v.Y };
            }

            public static double[] JacKeptRows(double[] p)
            {
                var d = new double[4];
                var v = JacKeptJacobian(p[0], p[1], ref d[0], ref d[1], ref d[2], ref d[3]);
                return new[] { v.X, v.Y }.Concat(d).ToArray();
            }

            public static double[] GradientOf(string name, double[] a, double z)
            {
                var ga = new double[a.Length];
                var gz = 0.0;
                _ = name == "HessKeptTail" ? HessKeptTailBackward(a, z, ga, ref gz) : HessParamDeadBackward(a, z, ga, ref gz);
                return ga.Append(gz).ToArray();
            }

            public static double[] HessianOf(string name, double[] a, double z)
            {
                var h = new double[(a.Length + 1) * (a.Length + 1)];
                if (name == "HessKeptTail")
                {
                    HessKeptTailHessian(a, z, h);
                }
                else
                {
                    HessParamDeadHessian(a, z, h);
                }

                return h;
            }

            public static double TangentOf(string name, double[] a, double z, double[] da, double dz) =>
                name == "HessKeptTail" ? HessKeptTailTangent(a, z, da, dz).Tangent : HessParamDeadTangent(a, z, da, dz).Tangent;

            public static double PrimalOf(string name, double[] a, double z) => name == "HessKeptTail" ? HessKeptTail(a, z) : HessParamDead(a, z);
        """;

    /// <summary>Kept locals read or written through local functions (a second compilation: the lifting may refuse them).</summary>
    private const string LocalFunctionSource = """
        using System;
        using System.Linq;
        using StaticGrad;

        namespace Rev20L;

        public static partial class F
        {
            // kept read again through a local function's capture: read twice, must not be forwarded.
            [Differentiable]
            public static double KeptCaptured(double x, double[] a)
            {
                // HEAD: d = x / 2, r = x + Σ sin(aᵢ d) aᵢ

                var kept = r * 0.5;
                double Twice() => kept * 2.0;
                var z = Twice();
                // TAIL: d squared 14 times (dead)

                return kept + z;
            }

            // kept passed to a local function as an argument.
            [Differentiable]
            public static double KeptArgument(double x, double[] a)
            {
                // HEAD: d = x / 2, r = x + Σ sin(aᵢ d) aᵢ

                var kept = r * 0.5;
                static double Sq(double v) => v * v;
                var z = Sq(kept);
                // TAIL: d squared 14 times (dead)

                return kept + z;
            }

            // The loop reads d through a capturing local function; d is overwritten dead after it.
            [Differentiable]
            public static double LoopCallsCapture(double x, double[] a)
            {
                var d = Math.Cos(x) + 1.5;
                double Scaled(double v) => v * d;
                var r = 0.0;
                for (var i = 0; i < a.Length; i++)
                {
                    r += Math.Sin(Scaled(a[i]));
                }

                d = Math.Exp(800.0 + d);
                d = d - d;
                return r;
            }
        """;

    /// <summary>Early returns and the user's Detach read by a local (a third compilation; ref and out arguments are refused by SG1002, so not here).</summary>
    private const string ExtraSource = """
        using System;
        using System.Linq;
        using StaticGrad;

        namespace Rev20X;

        public static partial class F
        {
            // An early return after the dead tail: when taken, the result does not read the accumulator at all.
            [Differentiable]
            public static double EarlyReturnAfterTail(double x, double[] a)
            {
                var d = x * x + 0.5;
                var r = 0.0;
                for (var i = 0; i < a.Length; i++)
                {
                    r += Math.Sin(d * a[i]);
                }

                var kept = r * 2.0;
                // TAIL: d squared 14 times (dead)

                if (x > 1.0)
                {
                    return x * 3.0;
                }

                return kept;
            }

            // The same without dead writes (the previous commit's fusion).
            [Differentiable]
            public static double EarlyReturnPlain(double x, double[] a)
            {
                var r = 0.0;
                for (var i = 0; i < a.Length; i++)
                {
                    r += Math.Sin(x * a[i]);
                }

                if (x > 1.0)
                {
                    return x * 3.0;
                }

                return r;
            }

            // The user's Detach after the loop, its value read by a local the result reads.
            [Differentiable]
            public static double UserDetachReadByLocal(double x, double[] a)
            {
                var d = x * x;
                var r = 0.0;
                for (var i = 0; i < a.Length; i++)
                {
                    r += d * a[i];
                }

                d = Autograd.Detach(d * 3.0);
                var e = d * x;
                return r + e;
            }
        """;

    /// <summary>The double cases (a double x and a double[] a of three elements).</summary>
    private static readonly string[] s_doubleCases =
    {
        "ParamDeadWrite", "CompoundDead", "LiveOnOtherPath", "DeadOnBothPaths", "BranchReadBeforeTail", "KeptReadTwice", "KeptNonLinear", "KeptAccumulatorTwice",
        "KeptCompound", "KeptFactorOverwritten", "TwoKept", "KeptAndResultRead", "TwoLoopsOneTail", "PrivateArrayFactor", "PrivateArrayFactorDirect",
        "KeptInTailCondition", "GuardReadsAccumulator", "InterleavedTails",
    };

    private static readonly string[] s_floatCases = { "FloatKept", "FloatParamDead" };

    private static readonly string[] s_localFunctionCases = { "KeptCaptured", "KeptArgument", "LoopCallsCapture" };

    private static readonly string[] s_extraCases = { "EarlyReturnAfterTail", "EarlyReturnPlain", "UserDetachReadByLocal" };

    /// <summary>The cases' common head (the loop reading d, accumulating r) and dead tail (d squared until it overflows), written once.</summary>
    private static string Expand(string source) => source
        .Replace("        // HEAD: d = x / 2, r = x + Σ sin(aᵢ d) aᵢ\n", """
                var d = x * 0.5;
                var r = x;
                for (var i = 0; i < a.Length; i++)
                {
                    r += Math.Sin(a[i] * d) * a[i];
                }

        """, StringComparison.Ordinal)
        .Replace("        // TAIL: d squared 14 times (dead)\n", """
                for (var t = 0; t < 14; t++)
                {
                    d = d * d + 1.5;
                }

        """, StringComparison.Ordinal);

    private static readonly string s_source = Expand(Source)
        + JacobianProbeCheck.ScalarArrayProbes(s_doubleCases, false)
        + JacobianProbeCheck.ScalarArrayProbes(s_floatCases, true)
        + """
                public static double[] ThrowingValue(double x) => new[] { TailThrows(x, new[] { 0.5, -0.25, 0.75 }) };

                public static double[] ThrowingRows(double x)
                {
                    var g = new double[4];
                    var v = TailThrowsBackward(x, new[] { 0.5, -0.25, 0.75 }, ref g[0], g.AsSpan(1));
                    return new[] { v }.Concat(g).ToArray();
                }
            }
            """;

    private static readonly string s_localFunctionSource = Expand(LocalFunctionSource) + JacobianProbeCheck.ScalarArrayProbes(s_localFunctionCases, false) + "}\n";

    private static readonly Lazy<(Assembly Assembly, Dictionary<string, string> Sources)> s_compiled = new(() => JacobianProbeCheck.Compile(s_source));

    private static readonly Lazy<(Assembly Assembly, Dictionary<string, string> Sources)> s_compiledExtra = new(() => JacobianProbeCheck.Compile(Expand(ExtraSource) + JacobianProbeCheck.ScalarArrayProbes(s_extraCases, false) + "}\n"));

    private static readonly Lazy<(Assembly Assembly, Dictionary<string, string> Sources)> s_compiledLocal = new(() => JacobianProbeCheck.Compile(s_localFunctionSource));

    [Theory]
    [InlineData("ParamDeadWrite", false)]
    [InlineData("CompoundDead", false)]
    [InlineData("LiveOnOtherPath", false)]
    [InlineData("DeadOnBothPaths", false)]
    [InlineData("BranchReadBeforeTail", false)]
    [InlineData("KeptReadTwice", false)]
    [InlineData("KeptNonLinear", false)]
    [InlineData("KeptAccumulatorTwice", false)]
    [InlineData("KeptCompound", false)]
    [InlineData("KeptFactorOverwritten", false)]
    [InlineData("TwoKept", false)]
    [InlineData("KeptAndResultRead", false)]
    [InlineData("TwoLoopsOneTail", false)]
    [InlineData("PrivateArrayFactor", false)]
    [InlineData("PrivateArrayFactorDirect", false)]
    [InlineData("KeptInTailCondition", false)]
    [InlineData("GuardReadsAccumulator", false)]
    [InlineData("InterleavedTails", false)]
    [InlineData("FloatKept", true)]
    [InlineData("FloatParamDead", true)]
    public void Value_and_partials_match_central_differences(string name, bool isFloat)
    {
        var problems = JacobianProbeCheck.Problems(s_compiled.Value.Assembly.GetType("Rev20.F")!, name, 20, 4, 1, isFloat);
        Assert.True(problems.Count == 0, string.Join("\n", problems) + "\n" + Generated(name));
    }

    [Theory]
    [InlineData("KeptCaptured")]
    [InlineData("KeptArgument")]
    [InlineData("LoopCallsCapture")]
    public void Kept_locals_read_through_local_functions_match_central_differences(string name)
    {
        var problems = JacobianProbeCheck.Problems(s_compiledLocal.Value.Assembly.GetType("Rev20L.F")!, name, 20, 4, 1, false);
        Assert.True(problems.Count == 0, string.Join("\n", problems) + "\n" + s_compiledLocal.Value.Sources.Single(s => s.Key == "Rev20L.F." + name + ".g.cs").Value);
    }

    /// <summary>UserDetachReadByLocal differentiates Detach(3d)·x as a constant times x (central differences do not): checked by hand below.</summary>
    [Theory]
    [InlineData("EarlyReturnAfterTail")]
    [InlineData("EarlyReturnPlain")]
    public void Early_returns_match_central_differences(string name)
    {
        var problems = JacobianProbeCheck.Problems(s_compiledExtra.Value.Assembly.GetType("Rev20X.F")!, name, 20, 4, 1, false);
        Assert.True(problems.Count == 0, string.Join("\n", problems) + "\n" + s_compiledExtra.Value.Sources.Single(s => s.Key == "Rev20X.F." + name + ".g.cs").Value);
    }

    /// <summary>r + Detach(3x²)·x with r = x²·Σa: ∂/∂x = 2x·Σa + 3x², ∂/∂aᵢ = x².</summary>
    [Fact]
    public void A_users_detach_read_by_a_local_is_a_constant()
    {
        var type = s_compiledExtra.Value.Assembly.GetType("Rev20X.F")!;
        var rows = (double[])type.GetMethod("UserDetachReadByLocalRows")!.Invoke(null, new object[] { new[] { 0.7, 0.5, -0.25, 1.5 } })!;
        Assert.Equal((0.49 * 1.75) + (3 * 0.49 * 0.7), rows[0], 12);
        Assert.Equal((2 * 0.7 * 1.75) + (3 * 0.49), rows[1], 12);
        Assert.All(rows.Skip(2), g => Assert.Equal(0.49, g, 12));
    }

    [Theory]
    [InlineData("ParamDeadWrite", true)]
    [InlineData("CompoundDead", true)]
    [InlineData("DeadOnBothPaths", true)]
    [InlineData("BranchReadBeforeTail", true)]
    [InlineData("TwoKept", true)]
    [InlineData("TwoLoopsOneTail", true)]
    [InlineData("InterleavedTails", true)]
    // false since session 22: its guard may throw after the loop, which fused would have written a's adjoints already.
    [InlineData("TailThrows", false)]
    [InlineData("FloatKept", true)]
    [InlineData("FloatParamDead", true)]
    [InlineData("LiveOnOtherPath", false)]
    [InlineData("KeptReadTwice", false)]
    [InlineData("KeptNonLinear", false)]
    [InlineData("KeptAccumulatorTwice", false)]
    [InlineData("KeptCompound", false)]
    [InlineData("KeptFactorOverwritten", false)]
    [InlineData("KeptAndResultRead", false)]
    [InlineData("KeptInTailCondition", false)]
    [InlineData("GuardReadsAccumulator", false)]
    public void Fused_only_when_every_condition_holds(string name, bool fused)
    {
        var generated = Generated(name);
        Assert.True(fused == generated.Contains("// Fused: the result is linear in ", StringComparison.Ordinal), (fused ? "Not fused:\n" : "Fused past a condition:\n") + generated);
    }

    /// <summary>The tuple result's Jacobian (kept accumulator, dead tail) against central differences, inputs x, y.</summary>
    [Fact]
    public void Jacobian_with_a_kept_accumulator_matches_central_differences()
    {
        var problems = JacobianProbeCheck.Problems(s_compiled.Value.Assembly.GetType("Rev20.F")!, "JacKept", 20, 2, 2, false);
        Assert.True(problems.Count == 0, string.Join("\n", problems) + "\n" + s_compiled.Value.Sources.Where(s => s.Key.Contains("JacKept", StringComparison.Ordinal)).Select(s => s.Value).FirstOrDefault());
    }

    /// <summary>x &gt; 1 overflows the tail and throws as the method does; below it, value and gradient against central differences.</summary>
    [Fact]
    public void The_users_exception_after_the_tail_is_kept()
    {
        var type = s_compiled.Value.Assembly.GetType("Rev20.F")!;
        foreach (var x in new[] { 1.25, 1.5 })
        {
            var primal = Assert.Throws<TargetInvocationException>(() => type.GetMethod("ThrowingValue")!.Invoke(null, new object[] { x }));
            var backward = Assert.Throws<TargetInvocationException>(() => type.GetMethod("ThrowingRows")!.Invoke(null, new object[] { x }));
            Assert.IsType<InvalidOperationException>(primal.InnerException);
            Assert.IsType<InvalidOperationException>(backward.InnerException);
            Assert.Equal(primal.InnerException!.Message, backward.InnerException!.Message);
        }

        var value = type.GetMethod("ThrowingValue")!.CreateDelegate<Func<double, double[]>>();
        var rows = type.GetMethod("ThrowingRows")!.CreateDelegate<Func<double, double[]>>();
        foreach (var x in new[] { -0.7, 0.4, 0.9 })
        {
            var got = rows(x);
            Assert.Equal(value(x)[0], got[0], 12);
            var fd = (value(x + 1e-6)[0] - value(x - 1e-6)[0]) / 2e-6;
            Assert.True(Math.Abs(got[1] - fd) <= 1e-6 * Math.Max(1, Math.Abs(fd)), $"x = {x}: {got[1]:R} vs {fd:R}");
        }
    }

    /// <summary>Hessian against central differences of the gradient, tangent against the gradient's dot product, value against the primal.</summary>
    [Theory]
    [InlineData("HessKeptTail")]
    [InlineData("HessParamDead")]
    public void Hessian_and_tangent_past_dead_writes(string name)
    {
        var type = s_compiled.Value.Assembly.GetType("Rev20.F")!;
        var gradient = type.GetMethod("GradientOf")!.CreateDelegate<Func<string, double[], double, double[]>>();
        var hessian = type.GetMethod("HessianOf")!.CreateDelegate<Func<string, double[], double, double[]>>();
        var tangent = type.GetMethod("TangentOf")!.CreateDelegate<Func<string, double[], double, double[], double, double>>();
        var primal = type.GetMethod("PrimalOf")!.CreateDelegate<Func<string, double[], double, double>>();
        var random = new Random(20);
        var problems = new List<string>();
        for (var trial = 0; trial < 4; trial++)
        {
            var p = Enumerable.Range(0, 4).Select(_ => (random.NextDouble() * 2) - 1).ToArray();
            var h = hessian(name, p[..3], p[3]);
            var g = gradient(name, p[..3], p[3]);
            for (var i = 0; i < 4; i++)
            {
                var plus = (double[])p.Clone();
                var minus = (double[])p.Clone();
                plus[i] += 1e-6;
                minus[i] -= 1e-6;
                var fdValue = (primal(name, plus[..3], plus[3]) - primal(name, minus[..3], minus[3])) / 2e-6;
                if (!(Math.Abs(g[i] - fdValue) <= 1e-6 * Math.Max(1, Math.Abs(fdValue))))
                {
                    problems.Add($"∂/∂{i} at [{string.Join(", ", p)}]: {g[i]:R} vs {fdValue:R}");
                }

                plus[i] += 1e-5 - 1e-6;
                minus[i] -= 1e-5 - 1e-6;
                var up = gradient(name, plus[..3], plus[3]);
                var down = gradient(name, minus[..3], minus[3]);
                for (var j = 0; j < 4; j++)
                {
                    var fd = (up[j] - down[j]) / 2e-5;
                    if (!(Math.Abs(h[(i * 4) + j] - fd) <= 1e-5 * Math.Max(1, Math.Abs(fd))))
                    {
                        problems.Add($"H[{i},{j}] at [{string.Join(", ", p)}]: {h[(i * 4) + j]:R} vs {fd:R}");
                    }
                }
            }

            var v = Enumerable.Range(0, 4).Select(_ => (random.NextDouble() * 2) - 1).ToArray();
            var t = tangent(name, p[..3], p[3], v[..3], v[3]);
            var dot = Enumerable.Range(0, 4).Sum(i => g[i] * v[i]);
            if (!(Math.Abs(t - dot) <= 1e-9 * Math.Max(1, Math.Abs(dot))))
            {
                problems.Add($"tangent at [{string.Join(", ", p)}]: {t:R} vs {dot:R}");
            }
        }

        Assert.True(problems.Count == 0, string.Join("\n", problems) + "\n" + Generated(name));
    }

    private static string Generated(string name) =>
        s_compiled.Value.Sources.Single(s => s.Key == "Rev20.F." + name + ".g.cs").Value;
}

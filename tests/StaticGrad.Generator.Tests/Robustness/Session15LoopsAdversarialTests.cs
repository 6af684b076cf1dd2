using StaticGrad.Generator.Tests.Correctness.Harness;

namespace StaticGrad.Generator.Tests.Robustness;

/// <summary>
/// Adversarial review of session 15's loops branch (loops18: f877838, 3020a96). (1) A value at the top of a loop body
/// read from an array is now recomputed by the reverse sweep even when the loop stores into other arrays or calls a
/// helper that gets no array argument (<c>ArrayAliases</c>: a fresh local cannot alias; <c>PassesArray</c>: a callee
/// without an array argument cannot write one). Attacked with a helper writing a static array field bound to the
/// caller's array (a fresh local or a <c>[NoGrad]</c> parameter), the same array passed twice to a callee that writes
/// one of them, a ref local, a local alias, a struct-array element rewritten through a struct-returning call, a
/// callee taking the array, and stores into the read array later in the same iteration. (2) Counted loops under
/// <c>i + c &lt; bound</c> and loops starting at <c>j = i + 1</c>/<c>i + k</c>: negative and huge starts, huge
/// offsets, <c>&lt;=</c>, <c>long</c>, bounds changed in the body, the index or the start's variable changed in
/// the body, extra conjuncts, break/continue, zero trips, near <c>long.MaxValue</c>/<c>int.MinValue</c>. One
/// compiled batch; every Backward is compared against central finite differences with the harness's tolerances
/// (<see cref="FiniteDifferenceCheck"/>: double |g − fd| ≤ 1e-6·max(1,|fd|) + rounding bound; the primal value the
/// backward returns to 1e-12 relative).
/// Defects found and fixed on main: StaticAliasFresh (a statement call or a call without a derivative in the loop now
/// stops the recomputation: a plain helper can write the array through a static field; since session 16 the call
/// handing the array to the helper that keeps it is itself one SG1002, <see cref="ArrayEscapeTests"/>); EffectClearsFresh (an array
/// passed as System.Array or a writable collection interface to a statement call, <c>Array.Clear(f, i, 1)</c>, is one
/// SG1002, like a writable array argument); CalleeWritesArgument, CalleeWritesLocalInLoop, CalleeWritesParameterInLoop,
/// SameArrayTwice, CalleeTakesArray (a [Differentiable] callee that writes its array argument was differentiated as if
/// it only read it: now one SG1002 at the argument).
/// Refused, not defects (not kept): a local array aliasing another (<c>var g = f;</c>, <c>var q = p;</c>: SG1010),
/// <c>f.AsSpan()</c> locals (SG1010), <c>Bump(ref m)</c> (SG1002), a [Differentiable] callee writing a static array
/// (SG1002 "writes to fields"), a plain void helper taking the array (SG1002 "may write"), long indices (SG1002).
/// </summary>
public sealed class Session15LoopsAdversarialTests
{
    private const int PointsPerFunction = 3;

    // Not methods under test: a plain helper class whose methods write a static array the caller bound to one of
    // its arrays, and two [Differentiable] callees (tuple and struct results) compiled with the callers.
    private const string Helpers = """
        using System;
        using StaticGrad;

        namespace ReviewLoops15;

        public static class Store
        {
            public static double[] Shared = new double[16];

            public static int Bind(double[] a)
            {
                Shared = a;
                return 0;
            }

            public static int Poke(int j, double v)
            {
                Shared[j] = v;
                return j;
            }

            public static void PokeVoid(int j)
            {
                Shared[j] = 3.0;
            }
        }

        public struct P2
        {
            public double X;
            public double Y;
        }

        public static partial class H
        {
            [Differentiable]
            public static (double X, double Y) Pull(double ax, double ay, double bx, double by, double k)
            {
                var dx = bx - ax;
                var dy = by - ay;
                var length = Math.Sqrt((dx * dx) + (dy * dy) + 0.1);
                return (k * dx * (length - 0.5) / length, k * dy * (length - 0.5) / length);
            }

            [Differentiable]
            public static P2 Nudge(P2 q, double k)
            {
                return new P2 { X = q.X + (k * q.Y), Y = q.Y * 0.9 };
            }

            [Differentiable]
            public static double Relax(double[] f, int j, double v)
            {
                f[j] = (0.5 * f[j]) + v;
                return f[j];
            }
        }
        """;

    private const string Source = """
        using System;
        using StaticGrad;

        namespace ReviewLoops15;

        public static partial class L
        {
            // ---- (1) values read again from arrays in loops that store or call ----

            // A plain helper with no array argument writes f (through a static field bound to it) after the read.
            // domain: p[4]=-1..1 x=-1..1
            [Differentiable]
            public static double StaticAliasFresh(double[] p, double x)
            {
                var f = new double[4];
                var b = Store.Bind(f);
                var s = x;
                for (var i = 0; i < 4; i++)
                {
                    var a = f[i];
                    s = Math.Sin(s * (a + 1.0)) + p[i];
                    Store.Poke(i, 2.0);
                }

                return s;
            }

            // One array passed as both arguments of a callee that writes one of them and reads the other.
            // domain: p[4]=-1..1 k=0.5..2
            [Differentiable]
            public static double SameArrayTwice(double[] p, double k)
            {
                return InnerTwo(p, p, k);
            }

            // domain: a[4]=-1..1 b[4]=-1..1 k=0.5..2
            [Differentiable]
            public static double InnerTwo(double[] a, double[] b, double k)
            {
                var e = 0.0;
                for (var i = 0; i + 1 < b.Length; i++)
                {
                    var r = H.Pull(a[i], a[i + 1], a[i] * 0.5, a[i + 1] * 2.0, k);
                    b[i + 1] -= r.X;
                    e += r.Y * b[i];
                }

                return e + b[3];
            }

            // The array read at the top written later in the same iteration, directly.
            // domain: p[8]=-1..1 k=0.5..2
            [Differentiable]
            public static double ChainWritesReadArray(double[] p, double k)
            {
                var n = p.Length / 2;
                var f = new double[n];
                var e = 0.0;
                for (var i = 0; i + 1 < n; i++)
                {
                    var r = H.Pull(p[2 * i], p[(2 * i) + 1], p[(2 * i) + 2], p[(2 * i) + 3], k);
                    p[(2 * i) + 1] += 0.3 * r.X;
                    f[i] += r.Y;
                    e += f[i] * p[2 * i];
                }

                return e;
            }

            // Written later through a ref local.
            // domain: p[4]=-1..1 x=-1..1
            [Differentiable]
            public static double RefLocalFresh(double[] p, double x)
            {
                var f = new double[4];
                for (var i = 0; i < 4; i++)
                {
                    f[i] = p[i] * x;
                }

                var s = x;
                for (var i = 0; i < 4; i++)
                {
                    var a = f[i];
                    s = Math.Sin(s * a);
                    ref var r = ref f[i];
                    r = s;
                }

                return s + f[0];
            }

            // Written later through a [Differentiable] callee taking the array.
            // domain: p[4]=-1..1 x=-1..1
            [Differentiable]
            public static double CalleeTakesArray(double[] p, double x)
            {
                var f = new double[4];
                for (var i = 0; i < 4; i++)
                {
                    f[i] = p[i] * x;
                }

                var s = x;
                var g = new double[4];
                for (var i = 0; i < 4; i++)
                {
                    var a = f[i];
                    s = Math.Sin(s * a);
                    g[i] = s;
                    s += H.Relax(f, i, s);
                }

                return s + g[1];
            }

            // A struct-array element rewritten through a struct-returning call after its fields were read.
            // domain: xy[8]=-1..1 k=0.5..2
            [Differentiable]
            public static double StructElementByCall(double[] xy, double k)
            {
                var ps = new P2[4];
                for (var i = 0; i < 4; i++)
                {
                    ps[i] = new P2 { X = xy[2 * i], Y = xy[(2 * i) + 1] };
                }

                var s = 0.0;
                for (var i = 0; i + 1 < ps.Length; i++)
                {
                    var r = H.Pull(ps[i].X, ps[i].Y, ps[i + 1].X, ps[i + 1].Y, k);
                    ps[i + 1] = H.Nudge(ps[i + 1], r.X);
                    s += r.Y * ps[i + 1].X;
                }

                return s;
            }

            // The index of the read changes later in the body (an int array written in the loop).
            // domain: p[4]=-1..1 x=-1..1
            [Differentiable]
            public static double IndexFromWrittenIntArray(double[] p, double x)
            {
                var perm = new int[4];
                for (var i = 0; i < 4; i++)
                {
                    perm[i] = 3 - i;
                }

                var f = new double[4];
                var s = x;
                for (var i = 0; i < 4; i++)
                {
                    var a = p[perm[i]];
                    s = Math.Sin(s * a) + x;
                    perm[(i + 1) % 4] = i;
                    f[i] = s;
                }

                return s + f[2];
            }

            // A callee that writes its array argument: the caller passes its own parameter (no aliasing).
            // domain: p[4]=-1..1 q[4]=-1..1 k=0.5..2
            [Differentiable]
            public static double CalleeWritesArgument(double[] p, double[] q, double k)
            {
                return InnerTwo(p, q, k);
            }


            // The same callee writing a fresh local, called in a loop.
            // domain: p[4]=-1..1 k=0.5..2
            [Differentiable]
            public static double CalleeWritesLocalInLoop(double[] p, double k)
            {
                var f = new double[4];
                var e = 0.0;
                for (var t = 0; t < 2; t++)
                {
                    e += InnerTwo(p, f, k) * p[t];
                }

                return e + f[2];
            }

            // The same callee writing the caller's parameter, called in a loop after the caller wrote it itself.
            // domain: p[4]=-1..1 q[4]=-1..1 k=0.5..2
            [Differentiable]
            public static double CalleeWritesParameterInLoop(double[] p, double[] q, double k)
            {
                q[0] = q[0] * 1.5;
                var e = 0.0;
                for (var t = 0; t < 2; t++)
                {
                    e += InnerTwo(p, q, k) * p[t];
                }

                return e + q[2];
            }

            // A statement call (an effect) that writes the array read at the top: Array.Clear.
            // domain: p[4]=-1..1 x=-1..1
            [Differentiable]
            public static double EffectClearsFresh(double[] p, double x)
            {
                var f = new double[4];
                for (var i = 0; i < 4; i++)
                {
                    f[i] = p[i] * x;
                }

                var s = x;
                for (var i = 0; i < 4; i++)
                {
                    var a = f[i];
                    s = Math.Sin(s * a) + x;
                    Array.Clear(f, i, 1);
                }

                return s;
            }

            // Jagged rows: the row read at the top written later through a local naming that row.
            // domain: p[4]=-1..1 x=-1..1
            [Differentiable]
            public static double JaggedRowAlias(double[] p, double x)
            {
                var rows = new double[2][];
                for (var r = 0; r < 2; r++)
                {
                    rows[r] = new double[4];
                }

                for (var i = 0; i < 4; i++)
                {
                    rows[1][i] = p[i] * x;
                }

                var row = rows[1];
                var s = x;
                for (var i = 0; i < 4; i++)
                {
                    var a = rows[1][i];
                    s = Math.Sin(s * a) + x;
                    row[i] = s;
                }

                return s + rows[1][0];
            }

            // ---- (2) counted loops under i + c < bound, and starts the reverse keeps ----

            // domain: a[6]=-1..1 x=-1..1 n=0..4
            [Differentiable]
            public static double OffsetNegativeStart(double[] a, double x, int n)
            {
                var s = x;
                for (var t = 0; t < 2; t++)
                {
                    for (var i = -3; i + 2 < n; i++)
                    {
                        s = (s * a[i + 3]) + x;
                    }

                    s = Math.Sin(s);
                }

                return s;
            }

            // domain: a[6]=-1..1 x=-1..1 n=0..5
            [Differentiable]
            public static double OffsetHuge(double[] a, double x, int n)
            {
                var s = x;
                for (var t = 0; t < 2; t++)
                {
                    for (var i = -2000000000; i + 2000000000 < n; i++)
                    {
                        s = (s * a[i + 2000000000]) + x;
                    }

                    s = Math.Sin(s);
                }

                return s;
            }

            // domain: a[6]=-1..1 x=-1..1 n=0..4
            [Differentiable]
            public static double OffsetLessOrEqual(double[] a, double x, int n)
            {
                var s = x;
                for (var t = 0; t < 2; t++)
                {
                    for (var i = 0; i + 1 <= n; i++)
                    {
                        s = (s * a[i]) + x;
                    }

                    s = Math.Sin(s);
                }

                return s;
            }

            // domain: a[6]=-1..1 x=-1..1
            [Differentiable]
            public static double OffsetBoundShrinks(double[] a, double x)
            {
                var s = x;
                for (var t = 0; t < 2; t++)
                {
                    var m = a.Length;
                    for (var i = 0; i + 1 < m; i++)
                    {
                        s = (s * a[i]) + x;
                        if (i == t)
                        {
                            m = m - 2;
                        }
                    }

                    s = Math.Sin(s);
                }

                return s;
            }

            // domain: a[6]=-1..1 x=-1..1
            [Differentiable]
            public static double OffsetIndexDecremented(double[] a, double x)
            {
                var s = x;
                var back = 0;
                for (var i = 0; i + 1 < a.Length; i++)
                {
                    s = (s * a[i]) + x;
                    if (i == 3 && back == 0)
                    {
                        back = 1;
                        i -= 2;
                    }
                }

                return s;
            }

            // domain: a[6]=-1..1 x=-1..1
            [Differentiable]
            public static double OffsetWithConjunct(double[] a, double x)
            {
                var s = x;
                for (var t = 0; t < 2; t++)
                {
                    for (var i = 0; i + 1 < a.Length && s < 1.5; i++)
                    {
                        s = (s * a[i + 1]) + x + 0.6;
                    }

                    s = Math.Sin(s);
                }

                return s;
            }

            // domain: a[6]=-1..1 x=-1..1
            [Differentiable]
            public static double OffsetContinue(double[] a, double x)
            {
                var s = x;
                for (var t = 0; t < 2; t++)
                {
                    for (var i = 0; i + 1 < a.Length; i++)
                    {
                        if (i == t + 1)
                        {
                            continue;
                        }

                        s = (s * a[i]) + (a[i + 1] * x);
                    }

                    s = Math.Sin(s);
                }

                return s;
            }

            // domain: a[6]=-1..1 x=-1..1
            [Differentiable]
            public static double OffsetNearLongMax(double[] a, double x)
            {
                var s = x;
                for (var t = 0; t < 2; t++)
                {
                    for (long k = long.MaxValue - 5; k + 2 < long.MaxValue; k++)
                    {
                        s = (s * a[(int)(k - (long.MaxValue - 5))]) + x;
                    }
                }

                return s;
            }

            // domain: a[6]=-1..1 x=-1..1
            [Differentiable]
            public static double OffsetNearIntMin(double[] a, double x)
            {
                var s = x;
                for (var t = 0; t < 2; t++)
                {
                    for (var i = int.MinValue; i + 1 < int.MinValue + 5; i++)
                    {
                        s = (s * a[i - int.MinValue]) + x;
                    }
                }

                return s;
            }

            // domain: a[6]=-1..1 x=-1..1 n=0..6
            [Differentiable]
            public static double OffsetWhileForm(double[] a, double x, int n)
            {
                var s = x;
                for (var t = 0; t < 2; t++)
                {
                    var i = 1;
                    while (i + 1 < n)
                    {
                        s = (s * a[i]) + x;
                        i = i + 1;
                    }

                    s = Math.Sin(s);
                }

                return s;
            }

            // The outer index (the inner start's variable) changed inside the inner loop.
            // domain: p[6]=-1..1 w[6]=0.5..1.5
            [Differentiable]
            public static double PairsInnerBumpsOuter(double[] p, double[] w)
            {
                var e = 0.0;
                for (var i = 0; i < p.Length; i++)
                {
                    for (var j = i + 1; j < p.Length; j++)
                    {
                        var r = p[i] - p[j];
                        e -= w[i] * w[j] / Math.Sqrt((r * r) + 0.1);
                        if (j == 4 && i < 2)
                        {
                            i++;
                        }
                    }
                }

                return e;
            }

            // The start's other variable changed after the inner loop, in the outer body (not an inverse update).
            // domain: p[6]=-1..1 w[6]=0.5..1.5
            [Differentiable]
            public static double StartVariableChangedAfter(double[] p, double[] w)
            {
                var e = 0.0;
                var m = 1;
                for (var i = 0; i < 3; i++)
                {
                    for (var j = i + m; j < p.Length; j++)
                    {
                        var r = p[i] - p[j];
                        e -= w[i] * w[j] / Math.Sqrt((r * r) + 0.1);
                    }

                    m = (m * 2) % 3 + 1;
                }

                return e;
            }

            // Start i + k with k a parameter, and a break in the inner loop.
            // domain: p[6]=-1..1 w[6]=0.5..1.5 k=1..3
            [Differentiable]
            public static double StartParameterOffsetBreak(double[] p, double[] w, int k)
            {
                var e = 0.0;
                for (var i = 0; i < p.Length; i++)
                {
                    for (var j = i + k; j < p.Length; j++)
                    {
                        if (j - i > 3)
                        {
                            break;
                        }

                        var r = p[i] - p[j];
                        e += w[j] * Math.Exp(-(r * r)) * w[i];
                    }
                }

                return e;
            }

            // Start 2 * i - 1 (multiply and subtract).
            // domain: p[8]=-1..1 x=-1..1
            [Differentiable]
            public static double StartTimesMinusOne(double[] p, double x)
            {
                var s = x;
                for (var i = 1; i < 4; i++)
                {
                    for (var j = (2 * i) - 1; j < p.Length; j++)
                    {
                        s = (s * p[j]) + (p[i] * x);
                    }

                    s = Math.Sin(s);
                }

                return s;
            }

            // n-body shape with time stepping and offsets: the outer index i changed after the inner loop by a jump.
            // domain: p[6]=-1..1 v[6]=-1..1 dt=0.05..0.2
            [Differentiable]
            public static double NBodyStepped(double[] p, double[] v, double dt)
            {
                for (var t = 0; t < 2; t++)
                {
                    for (var i = 0; i + 1 < p.Length; i++)
                    {
                        for (var j = i + 1; j < p.Length; j++)
                        {
                            var d = p[j] - p[i];
                            var f = d / Math.Pow((d * d) + 0.5, 1.5);
                            v[i] += dt * f;
                            v[j] -= dt * f;
                        }

                        if (t == 1 && i == 1)
                        {
                            i += 2;
                        }
                    }

                    for (var i = 0; i < p.Length; i++)
                    {
                        p[i] += dt * v[i];
                    }
                }

                var e = 0.0;
                for (var i = 0; i < p.Length; i++)
                {
                    e += (p[i] * p[i]) + (v[i] * v[i]);
                }

                return e;
            }

            // Exit reset under an offset whose bound, a parameter, shrinks after each inner loop.
            // domain: a[6]=-1..1 x=-1..1 n=2..6
            [Differentiable]
            public static double OffsetBoundParameterShrinks(double[] a, double x, int n)
            {
                var s = x;
                for (var t = 0; t < 3; t++)
                {
                    for (var i = 0; i + 1 < n; i++)
                    {
                        s = (s * a[i + 1]) + x;
                    }

                    n = n - 1;
                    s = Math.Sin(s);
                }

                return s;
            }

            // Triangle: the inner bound is the outer index, under an offset.
            // domain: a[6]=-1..1 x=-1..1
            [Differentiable]
            public static double OffsetTriangle(double[] a, double x)
            {
                var s = x;
                for (var i = 0; i < a.Length; i++)
                {
                    for (var j = 0; j + 1 < i; j++)
                    {
                        s = (s * a[j + 1]) + (a[i] * x);
                    }

                    s = Math.Sin(s);
                }

                return s;
            }

            // Zero trips of the inner loop for every outer index but one.
            // domain: p[5]=-1..1 x=-1..1
            [Differentiable]
            public static double StartPastBound(double[] p, double x)
            {
                var s = x;
                for (var i = 0; i < p.Length; i++)
                {
                    for (var j = i + 4; j < p.Length; j++)
                    {
                        s = (s * p[j]) + (p[i] * x);
                    }

                    s = Math.Sin(s + p[i]);
                }

                return s;
            }
        }
        """;

    private static readonly IReadOnlyList<MethodUnderTest> s_methods = MethodUnderTest.ReadAll(Source);

    private static readonly Lazy<CompiledBatch> s_batch = new(() => CompiledBatch.Compile(new[] { Helpers, Source }, s_methods));

    /// <summary>The cases refused with one SG1002 at the argument, and a fragment of its message.</summary>
    private static readonly Dictionary<string, string> s_refused = new()
    {
        ["L.CalleeWritesArgument"] = "'InnerTwo' writes to the elements of its parameter 'b'",
        ["L.CalleeWritesLocalInLoop"] = "'InnerTwo' writes to the elements of its parameter 'b'",
        ["L.CalleeWritesParameterInLoop"] = "'InnerTwo' writes to the elements of its parameter 'b'",
        ["L.SameArrayTwice"] = "'InnerTwo' writes to the elements of its parameter 'b'",
        ["L.CalleeTakesArray"] = "'Relax' writes to the elements of its parameter 'f'",
        ["L.EffectClearsFresh"] = "'f' is passed as a writable array or span",
        ["L.StaticAliasFresh"] = "'Bind' keeps or writes its parameter 'a'",
    };

    public static TheoryData<string> Methods() => MethodUnderTest.Keys(s_methods.Where(m => !s_refused.ContainsKey(m.Key)));

    public static TheoryData<string> RefusedMethods() => new(s_refused.Keys);

    [Theory]
    [MemberData(nameof(RefusedMethods))]
    public void A_write_the_backward_cannot_follow_is_one_error(string key)
    {
        var batch = s_batch.Value;
        Assert.True(batch.Failures.TryGetValue(key, out var reason), key + " was accepted");
        Assert.Contains("SG1002", reason, StringComparison.Ordinal);
        Assert.Contains(s_refused[key], reason, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(Methods))]
    public void Gradient_matches_central_finite_differences(string key)
    {
        var batch = s_batch.Value;
        batch.AssertAcceptedAndGradientMatches(key, s_methods, PointsPerFunction);
    }
}

using System.Reflection;

namespace StaticGrad.Generator.Tests.Robustness;

/// <summary>
/// Session 20: a reduction loop reading a local that a later statement overwrites with a dead value (one that
/// DerivativeLiveness detached: nothing reads it on a path to the result) is fused. The fused iterations add the
/// loop's share of the local's adjoint before the reverse sweep starts, so the dead writes' reverses must keep that
/// adjoint instead of clearing it; a write that is not dead (read again on a live path after it) still refuses the
/// fusion. Each case grows the dead value to ∞ or NaN (DeadTail's shape, batch 20262323's P39), some with the local
/// read again on a live path before the dead writes, written in the loop, before it, in an inner loop, under a
/// branch, through an exception the user's loop throws, a zero-trip loop, float. ONE compilation; value and partials
/// against central differences by <see cref="JacobianProbeCheck"/> (double h = 1e-6, |g − fd| ≤ 1e-6·max(1, |fd|);
/// float h = 1e-2, ≤ 2e-2·max(1, |fd|)) at four points, inputs x then a[0..2].
/// </summary>
public sealed class FusionPastDetachedWritesTests
{
    private const string Source = """
        using System;
        using System.Linq;
        using StaticGrad;

        namespace Past;

        public static partial class F
        {
            // DeadTail after NeighbourReads: d is read by every iteration, then squared until it overflows.
            [Differentiable]
            public static double TailAfter(double x, double[] a)
            {
                var d = x * x + 0.5;
                var r = 0.0;
                for (var i = 0; i < a.Length - 1; i++)
                {
                    var nb = a[i + 1] - a[i] * d;
                    r += nb * nb;
                }

                for (var t = 0; t < 14; t++)
                {
                    d = d * d + 1.5;
                }

                return r;
            }

            // The random programs' DeadTail exactly: the result kept in a fresh local before the tail.
            [Differentiable]
            public static double TailAfterKept(double x, double[] a)
            {
                var d = x * 0.5;
                var r = x;
                for (var i = 0; i < a.Length; i++)
                {
                    var p = Math.Sin(a[i] * d);
                    r -= p * a[i];
                }

                var kept = r;
                for (var t = 0; t < 14; t++)
                {
                    d = d * d + 1.5;
                }

                return kept;
            }

            // The kept value is an expression linear in r with other terms (reading the tail's local d, which its
            // reverse adds into before the dead writes' reverses), and the result reads it with another term.
            [Differentiable]
            public static double KeptExpression(double x, double[] a)
            {
                var d = Math.Sin(x) + 1.25;
                var r = x * 0.5;
                for (var i = 0; i < a.Length - 1; i++)
                {
                    var sp = a[i + 1] - a[i] - d;
                    r -= sp * sp * 0.5;
                }

                var kept = (Math.Cos(x) - r / 3.0) * 1.5 + 0.5 * d * d;
                for (var t = 0; t < 14; t++)
                {
                    d = d * d + 1.5;
                }

                return kept + x * 0.25;
            }

            // Reassigned after the loop without a loop: exp(1000 + d) is ∞, ∞ − ∞ is NaN.
            [Differentiable]
            public static double ReassignedAfter(double x, double[] a)
            {
                var d = Math.Cos(x);
                var r = 0.0;
                for (var i = 0; i < a.Length; i++)
                {
                    r += d * a[i] * a[i];
                }

                d = Math.Exp(1000.0 + d);
                d = d * d - d;
                return r;
            }

            // d read again on a live path (e) after the loop and before the dead writes.
            [Differentiable]
            public static double ReadAgainBeforeTail(double x, double[] a)
            {
                var d = x * x;
                var r = 0.0;
                for (var i = 0; i < a.Length; i++)
                {
                    r += Math.Tanh(d + a[i]);
                }

                var e = d * x;
                for (var t = 0; t < 14; t++)
                {
                    d = d * d + 1.5;
                }

                return r + e;
            }

            // d read again AFTER a later write: that write is live, so the loop must not be fused (and stays right).
            [Differentiable]
            public static double ReadAfterLiveWrite(double x, double[] a)
            {
                var d = x * x;
                var r = 0.0;
                for (var i = 0; i < a.Length; i++)
                {
                    r += d * a[i];
                }

                d = Math.Sin(d) * x;
                return r + d;
            }

            // A user's Detach after the loop that IS read later: not dead, so no fusion past it.
            [Differentiable]
            public static double UserDetachReadLater(double x, double[] a)
            {
                var d = x * 3.0;
                var r = 0.0;
                for (var i = 0; i < a.Length; i++)
                {
                    r += d * a[i];
                }

                d = Autograd.Detach(x * x);
                return r * x + d * x;
            }

            // A dead write before the loop (overwritten before the loop reads d) and a dead tail after it.
            [Differentiable]
            public static double DeadBeforeAndAfter(double x, double[] a)
            {
                var d = Math.Exp(1000.0 + x);
                d = d * d - d;
                d = x * 0.75;
                var r = 0.0;
                for (var i = 0; i < a.Length; i++)
                {
                    r += a[i] * d * a[i];
                }

                for (var t = 0; t < 14; t++)
                {
                    d = d * d + 1.5;
                }

                return r;
            }

            // A dead local grown in the loop itself and d's dead tail after it.
            [Differentiable]
            public static double DeadInAndAfter(double x, double[] a)
            {
                var d = x + 0.25;
                var u = x * a[0];
                var r = 0.0;
                for (var i = 0; i < a.Length; i++)
                {
                    r += Math.Sin(a[i] * d);
                    u = u * u * 1e30 + 1.5;
                }

                for (var t = 0; t < 14; t++)
                {
                    d = d * d + 1.5;
                }

                return r * 2.0;
            }

            // The dead tail in a nested loop and under a branch, the fused loop's own inner reduction reading d.
            [Differentiable]
            public static double NestedTail(double x, double[] a)
            {
                var d = x * 0.5;
                var r = 0.0;
                for (var i = 0; i < a.Length; i++)
                {
                    var p = a[i] * d;
                    r += p * p;
                    for (var j = i + 1; j < a.Length; j++)
                    {
                        var q = a[j] - a[i];
                        r -= q * d * 0.5;
                    }
                }

                for (var s = 0; s < 2; s++)
                {
                    for (var t = 0; t < 7; t++)
                    {
                        if (d > 0)
                        {
                            d = d * d * 1e10 + 1.5;
                        }
                        else
                        {
                            d = d * 1e308 * 1e308;
                        }
                    }
                }

                return r;
            }

            // A zero-trip fused loop (n = 0 when x < 0) before the dead tail.
            [Differentiable]
            public static double ZeroTripLoop(double x, double[] a)
            {
                var d = x * a[1];
                var n = x < 0 ? 0 : a.Length;
                var r = d;
                for (var i = 0; i < n; i++)
                {
                    r += a[i] * d;
                }

                for (var t = 0; t < 14; t++)
                {
                    d = d * d + 1.5;
                }

                return r;
            }

            // The user's loop throws IndexOutOfRangeException when x < 0 (a[i + 2] past the end); the exception must
            // stay, at the same point, whatever the tail does.
            [Differentiable]
            public static double Throwing(double x, double[] a)
            {
                var d = x * x;
                var r = 0.0;
                var end = x < 0 ? a.Length : a.Length - 2;
                for (var i = 0; i < end; i++)
                {
                    r += a[i + 2] * d;
                }

                for (var t = 0; t < 14; t++)
                {
                    d = d * d + 1.5;
                }

                return r;
            }

            // d written again after the loop with a live value that the result reads, then dead: no fusion past the live write.
            [Differentiable]
            public static double LiveThenDead(double x, double[] a)
            {
                var d = x * 2.0;
                var r = 0.0;
                for (var i = 0; i < a.Length; i++)
                {
                    r += Math.Cos(d * a[i]);
                }

                d = d * x;
                var e = d * a[0];
                for (var t = 0; t < 14; t++)
                {
                    d = d * d + 1.5;
                }

                return r + e;
            }

            // d written in the fused loop too (private to each iteration after its read of the old value is gone) is
            // loop-carried, and the later dead write must not change that: refused, as before.
            [Differentiable]
            public static double CarriedInLoop(double x, double[] a)
            {
                var d = x;
                var r = 0.0;
                for (var i = 0; i < a.Length; i++)
                {
                    r += d * a[i];
                    d = d * 0.5 + a[i];
                }

                for (var t = 0; t < 14; t++)
                {
                    d = d * d + 1.5;
                }

                return r;
            }

            [Differentiable]
            public static float FloatTail(float x, float[] a)
            {
                var d = x * x + 0.5f;
                var r = 0.0f;
                for (var i = 0; i < a.Length - 1; i++)
                {
                    var nb = a[i + 1] - a[i] * d;
                    r += nb * nb;
                }

                for (var t = 0; t < 14; t++)
                {
                    d = d * d + 1.5f;
                }

                return r;
            }

            [Differentiable]
            public static float FloatReadAgain(float x, float[] a)
            {
                var d = MathF.Sin(x);
                var r = 0.0f;
                for (var i = 0; i < a.Length; i++)
                {
                    r += MathF.Tanh(d * a[i]);
                }

                var e = d * d;
                d = MathF.Exp(200.0f + d);
                d = d * d - d;
                return r - e;
            }

            // Hygiene: the user's names are the generator's (dx, seed, _result, _tape, _t0, _col).
            [Differentiable]
            public static double Hostile(double x, double[] a)
            {
                var dx = x * x;
                var seed = 0.0;
                for (var _t0 = 0; _t0 < a.Length - 1; _t0++)
                {
                    var _col = a[_t0 + 1] - a[_t0] * dx;
                    seed += _col * _col;
                }

                var _result = seed;
                for (var _tape = 0; _tape < 14; _tape++)
                {
                    dx = dx * dx + 1.5;
                }

                return _result;
            }
        """;

    /// <summary>The double cases (a double x and a double[] a of three elements).</summary>
    private static readonly string[] s_doubleCases =
    {
        "TailAfter", "TailAfterKept", "KeptExpression", "ReassignedAfter", "ReadAgainBeforeTail", "ReadAfterLiveWrite", "UserDetachReadLater", "DeadBeforeAndAfter",
        "DeadInAndAfter", "NestedTail", "ZeroTripLoop", "LiveThenDead", "CarriedInLoop", "Hostile",
    };

    private static readonly string[] s_floatCases = { "FloatTail", "FloatReadAgain" };

    private static readonly string s_source = Source
        + JacobianProbeCheck.ScalarArrayProbes(s_doubleCases, false)
        + JacobianProbeCheck.ScalarArrayProbes(s_floatCases, true)
        + """
                public static double[] ThrowingRows(double x)
                {
                    var g = new double[4];
                    var v = ThrowingBackward(x, new[] { 0.5, -0.25, 0.75 }, ref g[0], g.AsSpan(1));
                    return new[] { v }.Concat(g).ToArray();
                }
            }
            """;

    private static readonly Lazy<(Assembly Assembly, Dictionary<string, string> Sources)> s_compiled = new(() => JacobianProbeCheck.Compile(s_source));

    [Theory]
    [InlineData("TailAfter", false)]
    [InlineData("TailAfterKept", false)]
    [InlineData("KeptExpression", false)]
    [InlineData("ReassignedAfter", false)]
    [InlineData("ReadAgainBeforeTail", false)]
    [InlineData("ReadAfterLiveWrite", false)]
    [InlineData("DeadBeforeAndAfter", false)]
    [InlineData("DeadInAndAfter", false)]
    [InlineData("NestedTail", false)]
    [InlineData("ZeroTripLoop", false)]
    [InlineData("LiveThenDead", false)]
    [InlineData("CarriedInLoop", false)]
    [InlineData("Hostile", false)]
    [InlineData("FloatTail", true)]
    [InlineData("FloatReadAgain", true)]
    public void Value_and_partials_match_central_differences(string name, bool isFloat)
    {
        var problems = JacobianProbeCheck.Problems(s_compiled.Value.Assembly.GetType("Past.F")!, name, 20, 4, 1, isFloat);
        Assert.True(problems.Count == 0, string.Join("\n", problems) + "\n" + Generated(name));
    }

    [Theory]
    [InlineData("TailAfter", true)]
    [InlineData("TailAfterKept", true)]
    [InlineData("KeptExpression", true)]
    [InlineData("ReassignedAfter", true)]
    [InlineData("ReadAgainBeforeTail", true)]
    [InlineData("DeadBeforeAndAfter", true)]
    [InlineData("DeadInAndAfter", true)]
    [InlineData("NestedTail", true)]
    [InlineData("ZeroTripLoop", true)]
    [InlineData("Throwing", true)]
    [InlineData("Hostile", true)]
    [InlineData("FloatTail", true)]
    [InlineData("FloatReadAgain", true)]
    [InlineData("ReadAfterLiveWrite", false)]
    [InlineData("UserDetachReadLater", false)]
    [InlineData("LiveThenDead", false)]
    [InlineData("CarriedInLoop", false)]
    public void Fused_past_dead_writes_only(string name, bool fused)
    {
        var generated = Generated(name);
        Assert.True(fused == generated.Contains("// Fused: the result is linear in ", StringComparison.Ordinal), (fused ? "Not fused:\n" : "Fused past a live write:\n") + generated);
    }

    /// <summary>
    /// The user's own Detach after the loop, read by the result: its write is live, so the loop is not fused, and the
    /// detached value is a constant of the derivative (not what central differences see): r·x + Detach(x²)·x with
    /// r = 3x·Σa has ∂/∂x = 6x·Σa + x² and ∂/∂aᵢ = 3x².
    /// </summary>
    [Fact]
    public void A_users_detach_read_later_is_a_constant()
    {
        var type = s_compiled.Value.Assembly.GetType("Past.F")!;
        var rows = (double[])type.GetMethod("UserDetachReadLaterRows")!.Invoke(null, new object[] { new[] { 0.7, 0.5, -0.25, 1.5 } })!;
        Assert.Equal((3 * 0.7 * 1.75 * 0.7) + (0.49 * 0.7), rows[0], 12);
        Assert.Equal((6 * 0.7 * 1.75) + 0.49, rows[1], 12);
        Assert.All(rows.Skip(2), g => Assert.Equal(3 * 0.49, g, 12));
    }

    /// <summary>The user's loop reads past the end when x &lt; 0: Backward throws there as the method does, and not otherwise.</summary>
    [Fact]
    public void The_users_exception_is_kept()
    {
        var type = s_compiled.Value.Assembly.GetType("Past.F")!;
        var rows = type.GetMethod("ThrowingRows")!;
        var thrown = Assert.Throws<TargetInvocationException>(() => rows.Invoke(null, new object[] { -0.5 }));
        Assert.IsType<IndexOutOfRangeException>(thrown.InnerException);
        var values = (double[])rows.Invoke(null, new object[] { 0.5 })!;
        Assert.Equal(0.75 * 0.25, values[0], 12);
        Assert.Equal(0.75 * 2 * 0.5, values[1], 12);
        Assert.Equal(new[] { 0.0, 0.0, 0.25 }, values.Skip(2).ToArray());
    }

    private static string Generated(string name) =>
        s_compiled.Value.Sources.Single(s => s.Key == "Past.F." + name + ".g.cs").Value;
}

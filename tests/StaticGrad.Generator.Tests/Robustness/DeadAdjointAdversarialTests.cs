using System.Reflection;

namespace StaticGrad.Generator.Tests.Robustness;

/// <summary>
/// Session 19 (dead19): values that can no longer reach the result get no adjoint work in the reverse sweep
/// (Analysis/DerivativeLiveness.cs). Random batch 20262323's P39 updated a local in a loop after its last useful value
/// until it overflowed; the reverse sweep multiplied that loop's zero adjoints by ∞ and every partial was NaN. Each
/// case here has such a dead tail that overflows (∞ or NaN in the primal, none of it in the result): a loop after the
/// last useful write, a reassigned local, dead writes into a local array, dead branches, a dead call of a
/// [Differentiable] helper, a dead value in a fused reduction loop, float, a struct field, a tuple result's Jacobian, a
/// one-input method (its Backward runs in forward mode). The <c>Kept…</c> cases write a value that IS read again later
/// (a later statement, the next trip of a loop, a do loop, an array element, a branch), so their adjoint must stay.
/// ONE compilation; every case's value and partials against central differences through its probes by
/// <see cref="JacobianProbeCheck"/> (double h = 1e-6, |g − fd| ≤ 1e-6·max(1, |fd|); float h = 1e-2, ≤ 2e-2·max(1, |fd|)).
/// </summary>
public sealed class DeadAdjointAdversarialTests
{
    private const string Source = """
        using System;
        using System.Linq;
        using StaticGrad;

        namespace Dead;

        public struct Pair
        {
            public double A;
            public double B;
        }

        public static partial class D
        {
            // P39's shape: d is read by the result first, then grows to ∞ in a loop nothing reads afterwards.
            [Differentiable]
            public static double LoopTail(double x, double y)
            {
                var s = x * y;
                var d = x + y;
                s = Math.Sin(s * d);
                for (var i = 0; i < 14; i++)
                {
                    var r = d;
                    d += r * r * 0.25 + 1.5;
                    d = d * d;
                }

                return s;
            }

            // Reassigned without a loop: exp(1000 + u) is ∞, then ∞ − ∞ is NaN.
            [Differentiable]
            public static double Reassigned(double x, double y)
            {
                var u = x * y;
                var r = u + x;
                u = Math.Exp(1000.0 + u);
                u = u * u - u;
                return r * y;
            }

            // Writes into a local array after its last read: each element squared to ∞.
            [Differentiable]
            public static double ArrayTail(double x, double y)
            {
                var t = new double[3];
                t[0] = x;
                t[1] = y;
                t[2] = x * y;
                var r = t[0] * t[1] + t[2];
                for (var k = 0; k < 14; k++)
                {
                    for (var i = 0; i < t.Length; i++)
                    {
                        t[i] = t[i] * t[i] * 1e10 + 1.5;
                    }
                }

                return r;
            }

            // Both branches overwrite d with an overflowing value nothing reads.
            [Differentiable]
            public static double BranchTail(double x, double y)
            {
                var d = x * y;
                var r = d + x;
                if (x > 0)
                {
                    d = Math.Exp(d + 800.0);
                }
                else
                {
                    d = d * 1e308 * 1e308;
                    d = d - d;
                }

                return r * r;
            }

            [Differentiable]
            public static double Blow(double v)
            {
                for (var i = 0; i < 14; i++)
                {
                    v = v * v + 1.5;
                }

                return v;
            }

            // A dead call of a [Differentiable] helper whose partial is ∞.
            [Differentiable]
            public static double CallTail(double x, double y)
            {
                var d = x + y;
                var r = d * x;
                d = Blow(d);
                d = Blow(d * y);
                return r;
            }

            // A reduction loop (the fused shape) that also grows a dead local each trip.
            [Differentiable]
            public static double FusedTail(double x, double[] a)
            {
                var d = x * a[0];
                var acc = d;
                for (var i = 0; i < a.Length; i++)
                {
                    acc += Math.Sin(a[i] * x);
                    d = d * d * 1e30 + 1.5;
                }

                for (var k = 0; k < 14; k++)
                {
                    d = d * d;
                }

                return acc;
            }

            public static double[] FusedTailValue(double[] p) => new[] { FusedTail(p[0], new[] { p[1], p[2], p[3] }) };

            public static double[] FusedTailRows(double[] p)
            {
                var g = new double[4];
                var v = FusedTailBackward(p[0], new[] { p[1], p[2], p[3] }, ref g[0], g.AsSpan(1));
                return new[] { v }.Concat(g).ToArray();
            }

            [Differentiable]
            public static float FloatTail(float x, float y)
            {
                var s = x * y;
                var d = x + y;
                s = MathF.Sin(s * d);
                for (var i = 0; i < 14; i++)
                {
                    d = d * d + 1.5f;
                }

                return s;
            }

            public static double[] FloatTailValue(double[] p) => new double[] { FloatTail((float)p[0], (float)p[1]) };

            public static double[] FloatTailRows(double[] p)
            {
                var g = new float[2];
                var v = FloatTailBackward((float)p[0], (float)p[1], ref g[0], ref g[1]);
                return new double[] { v, g[0], g[1] };
            }

            // A struct local's field read by the result, then grown to ∞.
            [Differentiable]
            public static double FieldTail(double x, double y)
            {
                var q = new Pair { A = x, B = y };
                var r = q.A * q.B + q.A;
                for (var i = 0; i < 14; i++)
                {
                    q.A = q.A * q.A + 1.5;
                }

                return r;
            }

            // A tuple result's Jacobian: both fields read d before it grows to ∞.
            [Differentiable(Jacobian = true)]
            public static (double X, double Y) TupleTail(double x, double y)
            {
                var d = x * y;
                var u = d + x;
                var v = d * y;
                for (var i = 0; i < 14; i++)
                {
                    d = d * d + 1.5;
                }

                return (u, v);
            }

            public static double[] TupleTailValue(double[] p) { var v = TupleTail(p[0], p[1]); return new[] { v.X, v.Y }; }

            public static double[] TupleTailRows(double[] p)
            {
                var d = new double[4];
                var v = TupleTailJacobian(p[0], p[1], ref d[0], ref d[1], ref d[2], ref d[3]);
                return new[] { v.X, v.Y }.Concat(d).ToArray();
            }

            // One input: its Backward runs in forward mode.
            [Differentiable]
            public static double SingleTail(double x)
            {
                var d = x * x;
                var r = Math.Sin(d) + d;
                for (var i = 0; i < 14; i++)
                {
                    d = d * d + 1.5;
                }

                return r;
            }

            public static double[] SingleTailValue(double[] p) => new[] { SingleTail(p[0]) };

            public static double[] SingleTailRows(double[] p)
            {
                var g = new double[1];
                var v = SingleTailBackward(p[0], ref g[0]);
                return new[] { v }.Concat(g).ToArray();
            }

            // d's later values are read again (r + d): every write keeps its adjoint.
            [Differentiable]
            public static double KeptLater(double x, double y)
            {
                var d = x * y;
                var r = d;
                for (var i = 0; i < 3; i++)
                {
                    d = d * d * 0.5 + x;
                }

                return r + d * y;
            }

            // d is written last in the body and read by the next trip (the loop's fixpoint), and by a do loop.
            [Differentiable]
            public static double KeptNextTrip(double x, double y)
            {
                var d = x;
                var r = 0.0;
                for (var i = 0; i < 4; i++)
                {
                    r += Math.Sin(d) * y;
                    d = d * y + 0.25;
                }

                var k = 0;
                do
                {
                    r += d * x;
                    d = Math.Cos(d) * y;
                    k++;
                }
                while (k < 3);

                return r;
            }

            // An element written after a read of another element (element writes kill nothing), read again later;
            // a branch's write read after it on one path only.
            [Differentiable]
            public static double KeptElementsAndBranch(double x, double y)
            {
                var t = new double[2];
                t[0] = x * y;
                t[1] = x;
                var r = t[1];
                t[1] = t[0] * y;
                var d = x + y;
                if (y > 0)
                {
                    d = d * x;
                }

                return r + t[0] + t[1] * d;
            }
        """;

    /// <summary>The cases of two double inputs and a double result, whose probes are all alike.</summary>
    private static readonly string[] s_twoInputCases =
    {
        "LoopTail", "Reassigned", "ArrayTail", "BranchTail", "CallTail", "FieldTail", "KeptLater", "KeptNextTrip", "KeptElementsAndBranch",
    };

    /// <summary>The cases, their probes <c>{name}Value</c> and <c>{name}Rows</c>, and the class's closing brace.</summary>
    private static readonly string s_source = Source + string.Concat(s_twoInputCases.Select(name => $$"""

                public static double[] {{name}}Value(double[] p) => new[] { {{name}}(p[0], p[1]) };

                public static double[] {{name}}Rows(double[] p)
                {
                    var g = new double[2];
                    var v = {{name}}Backward(p[0], p[1], ref g[0], ref g[1]);
                    return new[] { v }.Concat(g).ToArray();
                }

        """)) + "}\n";

    private static readonly Lazy<(Assembly Assembly, Dictionary<string, string> Sources)> s_compiled = new(() => JacobianProbeCheck.Compile(s_source));

    [Theory]
    // case, probe inputs, fields, is float
    [InlineData("LoopTail", 2, 1, false)]
    [InlineData("Reassigned", 2, 1, false)]
    [InlineData("ArrayTail", 2, 1, false)]
    [InlineData("BranchTail", 2, 1, false)]
    [InlineData("CallTail", 2, 1, false)]
    [InlineData("FusedTail", 4, 1, false)]
    [InlineData("FloatTail", 2, 1, true)]
    [InlineData("FieldTail", 2, 1, false)]
    [InlineData("TupleTail", 2, 2, false)]
    [InlineData("SingleTail", 1, 1, false)]
    [InlineData("KeptLater", 2, 1, false)]
    [InlineData("KeptNextTrip", 2, 1, false)]
    [InlineData("KeptElementsAndBranch", 2, 1, false)]
    public void Value_and_partials_match_central_differences(string name, int inputs, int fields, bool isFloat)
    {
        var problems = JacobianProbeCheck.Problems(s_compiled.Value.Assembly.GetType("Dead.D")!, name, 19, inputs, fields, isFloat);
        Assert.True(problems.Count == 0, string.Join("\n", problems) + "\n" + Generated(name));
    }

    /// <summary>The one-input case is differentiated in forward mode (its tangents of the dead tail never reach the result).</summary>
    [Fact]
    public void The_one_input_case_runs_in_forward_mode()
    {
        Assert.Contains("// Forward mode: ", Generated("SingleTail"), StringComparison.Ordinal);
    }

    private static string Generated(string name) =>
        s_compiled.Value.Sources.Single(s => s.Key == "Dead.D." + name + ".g.cs").Value;
}

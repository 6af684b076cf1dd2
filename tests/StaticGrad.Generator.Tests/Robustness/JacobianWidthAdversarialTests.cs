using System.Reflection;

namespace StaticGrad.Generator.Tests.Robustness;

/// <summary>
/// Session 17 (issue 18): <c>{Name}Jacobian</c>'s ONE reverse sweep of width k (ReverseModeTransformer.JacobianWidth.cs,
/// .JacobianPartials.cs): each statement's local partials computed once and applied to the k fields' adjoints, quotients
/// through one reciprocal kept until the sweep restores what the divisor reads. ONE compilation holds every case; each
/// has probes in plain C# (<c>{Case}Value</c>: the result's floating fields; <c>{Case}Rows</c>: the Jacobian's value,
/// then its rows field-major), and every entry of every row is compared with central differences of the method's own
/// result by <see cref="JacobianProbeCheck"/> at four points (every other one with its first input negated, for the
/// branches' other side): double h = 1e-6, |J − fd| ≤ 1e-6·max(1, |fd|); float h = 1e-2, |J − fd| ≤ 2e-2·max(1, |fd|);
/// the value to 1e-9 (float 1e-5) relative. The edge cases: BA's whole reprojection (spans, a [NoGrad] span, both
/// branches), 3-field tuple and struct results, float and mixed float/double, a field that is a parameter itself and one
/// that is constant, parameters overwritten (<c>x = f(x)</c>, <c>t = t + u</c>, <c>t = -t</c>), an early return, <c>?:</c>
/// and every kind of <c>Math</c> rule, a divisor restored between two quotients, a variable read by several statements,
/// <c>Detach</c>, names equal to the ones the sweep emits, adjoint spans aliased, and bodies that keep per-field sweeps
/// (a loop with zero trips, a [Differentiable] callee).
/// </summary>
public sealed class JacobianWidthAdversarialTests
{
    private const string Source = """
        using System;
        using System.Linq;
        using System.Numerics;
        using StaticGrad;

        namespace Width;

        public struct Triple
        {
            public double A;
            public int Count;
            public double B;
            public double C;
        }

        public static partial class W
        {
            // BA's reprojection (ADBench), with a threshold instead of 0 so that both branches are reached (BaCamera: the first input's sign picks the branch).
            [Differentiable(Jacobian = true)]
            public static (double X, double Y) Ba(ReadOnlySpan<double> camera, ReadOnlySpan<double> point, double weight, [NoGrad] ReadOnlySpan<double> feature)
            {
                var x = point[0] - camera[3];
                var y = point[1] - camera[4];
                var z = point[2] - camera[5];
                var rx = camera[0];
                var ry = camera[1];
                var rz = camera[2];
                var squaredAngle = (rx * rx) + (ry * ry) + (rz * rz);
                var qx = 0.0;
                var qy = 0.0;
                var qz = 0.0;
                if (squaredAngle > 0.05)
                {
                    var angle = Math.Sqrt(squaredAngle);
                    var cos = Math.Cos(angle);
                    var sin = Math.Sin(angle);
                    var ux = rx / angle;
                    var uy = ry / angle;
                    var uz = rz / angle;
                    var along = ((ux * x) + (uy * y) + (uz * z)) * (1.0 - cos);
                    qx = (x * cos) + (((uy * z) - (uz * y)) * sin) + (ux * along);
                    qy = (y * cos) + (((uz * x) - (ux * z)) * sin) + (uy * along);
                    qz = (z * cos) + (((ux * y) - (uy * x)) * sin) + (uz * along);
                }
                else
                {
                    qx = x + ((ry * z) - (rz * y));
                    qy = y + ((rz * x) - (rx * z));
                    qz = z + ((rx * y) - (ry * x));
                }

                var px = qx / qz;
                var py = qy / qz;
                var radius = (px * px) + (py * py);
                var distortion = 1.0 + (camera[9] * radius) + (camera[10] * radius * radius);
                return (weight * ((camera[6] * px * distortion) + camera[7] - feature[0]), weight * ((camera[6] * py * distortion) + camera[8] - feature[1]));
            }

            // 15 inputs: camera 0..10 (rotation, centre, focal, principal point, distortion), point 0..2, weight; depth kept
            // positive (z about 6, the angle at most 1.2); a negative first input makes the rotation small (squared angle below 0.033).
            public static double[] BaValue(double[] p) { var v = Ba(BaCamera(p), BaPoint(p), p[14], new[] { 0.1, -0.2 }); return new[] { v.X, v.Y }; }

            public static double[] BaRows(double[] p)
            {
                double[] dXc = new double[11], dXp = new double[3], dYc = new double[11], dYp = new double[3];
                double dXw = 0, dYw = 0;
                var v = BaJacobian(BaCamera(p), BaPoint(p), p[14], new[] { 0.1, -0.2 }, dXc, dXp, ref dXw, dYc, dYp, ref dYw);
                return new[] { v.X, v.Y }.Concat(BaScaled(dXc, p)).Concat(dXp).Append(dXw).Concat(BaScaled(dYc, p)).Concat(dYp).Append(dYw).ToArray();
            }

            // The chain rule through BaCamera's scaling: the probe's inputs are not the camera's entries.
            private static double[] BaScaled(double[] dCamera, double[] p) => dCamera.Select((d, i) => d * (i < 3 ? (p[0] < 0.0 ? 0.08 : 0.5) : i == 9 ? 0.1 : i == 10 ? 0.05 : 1.0)).ToArray();

            private static double[] BaCamera(double[] p)
            {
                var turn = p[0] < 0.0 ? 0.08 : 0.5;
                return new[] { turn * p[0], turn * p[1], turn * p[2], p[3], p[4], p[5] - 6.0, 1.0 + p[6], p[7], p[8], 0.1 * p[9], 0.05 * p[10] };
            }

            private static double[] BaPoint(double[] p) => new[] { p[11], p[12], p[13] };

            // Three fields: a parameter itself, a constant, and a quotient whose divisor is read by several statements.
            [Differentiable(Jacobian = true)]
            public static (double Same, double Constant, double Mixed) Three(double x, double u, double w)
            {
                var a = u / w;
                var b = (x - u) / w;
                var c = a * b + Math.Exp(a) / (1.0 + b * b);
                return (x, 2.5, c * w);
            }

            public static double[] ThreeValue(double[] p) { var v = Three(p[0], p[1], 1.5 + p[2]); return new[] { v.Same, v.Constant, v.Mixed }; }

            public static double[] ThreeRows(double[] p)
            {
                var d = new double[9];
                var v = ThreeJacobian(p[0], p[1], 1.5 + p[2], ref d[0], ref d[1], ref d[2], ref d[3], ref d[4], ref d[5], ref d[6], ref d[7], ref d[8]);
                return new[] { v.Same, v.Constant, v.Mixed }.Concat(d).ToArray();
            }

            // A user struct with an int field between the floating ones (three rows), a [NoGrad] parameter between the differentiable ones.
            [Differentiable(Jacobian = true)]
            public static Triple Moments(double s, [NoGrad] double shift, double t)
            {
                var u = s - shift;
                var v = Math.Tanh(u * t);
                return new Triple { A = v * v, Count = 3, B = Math.Atan2(u, t), C = Math.Pow(1.5 + v, t) - Math.Log(2.0 + u * u) };
            }

            public static double[] MomentsValue(double[] p) { var v = Moments(p[0], 0.2, p[1]); return new[] { v.A, v.B, v.C }; }

            public static double[] MomentsRows(double[] p)
            {
                var d = new double[6];
                var v = MomentsJacobian(p[0], 0.2, p[1], ref d[0], ref d[1], ref d[2], ref d[3], ref d[4], ref d[5]);
                return new[] { v.A, v.B, v.C }.Concat(d).ToArray();
            }

            // Float Vector3 result (three rows) with a double local between float ones: the double partials cast into float adjoints.
            [Differentiable(Jacobian = true)]
            public static Vector3 Spin(float a, float r)
            {
                var c = MathF.Cos(a);
                var s = MathF.Sin(a);
                double wide = (double)r * c + 0.5;
                var back = (float)(wide * wide) / (1f + s * s);
                return new Vector3(r * c / back, r * s, back - MathF.Sqrt(1f + r * r));
            }

            public static double[] SpinValue(double[] p) { var v = Spin((float)p[0], (float)p[1]); return new double[] { v.X, v.Y, v.Z }; }

            public static double[] SpinRows(double[] p)
            {
                var d = new float[6];
                var v = SpinJacobian((float)p[0], (float)p[1], ref d[0], ref d[1], ref d[2], ref d[3], ref d[4], ref d[5]);
                return new double[] { v.X, v.Y, v.Z }.Concat(d.Select(e => (double)e)).ToArray();
            }

            // Parameters overwritten (x = f(x), the divisor y restored between two quotients by it), t = t + u, t = -t, a local reassigned in branches.
            [Differentiable(Jacobian = true)]
            public static (double P, double Q) Overwritten(double x, double y)
            {
                var first = x / y;
                y = y * y + 1.0;
                var second = x / y;
                x = Math.Sin(x) / y + x * x;
                var t = first;
                t = t + second * x;
                if (t > 0.0)
                {
                    t = -t;
                }
                else
                {
                    t = t * t;
                }

                return (t / y, first / second + x);
            }

            public static double[] OverwrittenValue(double[] p) { var v = Overwritten(p[0], 0.5 + p[1]); return new[] { v.P, v.Q }; }

            public static double[] OverwrittenRows(double[] p)
            {
                var d = new double[4];
                var v = OverwrittenJacobian(p[0], 0.5 + p[1], ref d[0], ref d[1], ref d[2], ref d[3]);
                return new[] { v.P, v.Q }.Concat(d).ToArray();
            }

            // An early return (taken when the first input is negative), ?: with active values on both sides, Abs, Min, Max,
            // CopySign (its sign argument active, with a zero partial: found by the random programs, a crash before), a quotient
            // by an element (one division per statement), Detach.
            [Differentiable(Jacobian = true)]
            public static (double A, double B) Early(ReadOnlySpan<double> v, double k)
            {
                var m = v[0] + (Math.Max(v[1], k) * 0.1) - (Math.Min(v[1], 0.5 * k) * 0.1) + Math.CopySign(0.1 * v[1], v[2] - 2.0);
                if (m < 0.0)
                {
                    return (Math.Abs(m) * k, v[0] / v[2]);
                }

                var g = m > 1.0 ? m * k : k / (1.0 + m);
                return (g + v[1] / v[2] * Autograd.Detach(k - k + 1.5), g * v[0] / v[2]);
            }

            public static double[] EarlyValue(double[] p) { var v = Early(new[] { p[0], p[1], 2.0 + p[2] }, p[3]); return new[] { v.A, v.B }; }

            public static double[] EarlyRows(double[] p)
            {
                double[] dA = new double[3], dB = new double[3];
                double dAk = 0, dBk = 0;
                var v = EarlyJacobian(new[] { p[0], p[1], 2.0 + p[2] }, p[3], dA, ref dAk, dB, ref dBk);
                return new[] { v.A, v.B }.Concat(dA).Append(dAk).Concat(dB).Append(dBk).ToArray();
            }

            // Names equal to what the sweep emits: its partial and reciprocal temporaries, the fields' adjoints, seed, value.
            [Differentiable(Jacobian = true)]
            public static (double X, double Y) Hostile(double _dx_0, double _dx_1, double dXdA)
            {
                var seed = _dx_0 * _dx_1;
                var _p0 = seed / (1.0 + dXdA * dXdA);
                var _r0 = _p0 / dXdA + 3.0 + Math.Cos(seed);
                var dXdSeed = _r0 * _p0;
                var dYdQ = dXdSeed / _r0 - seed;
                var value = dYdQ * dYdQ + _p0;
                return (value / (1.0 + seed * seed), dXdSeed * _dx_1);
            }

            public static double[] HostileValue(double[] p) { var v = Hostile(0.5 + p[0], 0.5 + p[1], 0.5 + p[2]); return new[] { v.X, v.Y }; }

            public static double[] HostileRows(double[] p)
            {
                var d = new double[6];
                var v = HostileJacobian(0.5 + p[0], 0.5 + p[1], 0.5 + p[2], ref d[0], ref d[1], ref d[2], ref d[3], ref d[4], ref d[5]);
                return new[] { v.X, v.Y }.Concat(d).ToArray();
            }

            // A loop (per-field sweeps kept), run with zero trips at every probe.
            [Differentiable(Jacobian = true)]
            public static (double A, double B) Looped(ReadOnlySpan<double> v, double k)
            {
                var sum = k;
                for (var i = 0; i < v.Length; i++)
                {
                    sum += v[i] * k;
                }

                return (sum * sum, sum / k);
            }

            public static double[] LoopedValue(double[] p) { var v = Looped(ReadOnlySpan<double>.Empty, 1.0 + p[0]); return new[] { v.A, v.B }; }

            public static double[] LoopedRows(double[] p)
            {
                double a = 0, b = 0;
                var v = LoopedJacobian(ReadOnlySpan<double>.Empty, 1.0 + p[0], Span<double>.Empty, ref a, Span<double>.Empty, ref b);
                return new[] { v.A, v.B, a, b };
            }

            [Differentiable]
            public static double Soft(double x) => Math.Log(1.0 + Math.Exp(x));

            // A [Differentiable] callee: its backward takes one seed, so per-field sweeps are kept.
            [Differentiable(Jacobian = true)]
            public static (double A, double B) Called(double x, double y) => (Soft(x / y), x / y);

            public static double[] CalledValue(double[] p) { var v = Called(p[0], 1.0 + p[1]); return new[] { v.A, v.B }; }

            public static double[] CalledRows(double[] p)
            {
                var d = new double[4];
                var v = CalledJacobian(p[0], 1.0 + p[1], ref d[0], ref d[1], ref d[2], ref d[3]);
                return new[] { v.A, v.B }.Concat(d).ToArray();
            }
        }
        """;

    private static readonly Lazy<(Assembly Assembly, Dictionary<string, string> Sources)> s_compiled = new(() => JacobianProbeCheck.Compile(Source));

    [Theory]
    // case, probe inputs, fields, is float, one width-k reverse sweep
    [InlineData("Ba", 15, 2, false, true)]
    [InlineData("Three", 3, 3, false, true)]
    [InlineData("Moments", 2, 3, false, true)]
    [InlineData("Spin", 2, 3, true, true)]
    [InlineData("Overwritten", 2, 2, false, true)]
    [InlineData("Early", 4, 2, false, true)]
    [InlineData("Hostile", 3, 2, false, true)]
    [InlineData("Looped", 1, 2, false, false)]
    [InlineData("Called", 2, 2, false, false)]
    public void Every_row_matches_central_differences(string name, int inputs, int fields, bool isFloat, bool oneSweep)
    {
        var problems = JacobianProbeCheck.Problems(s_compiled.Value.Assembly.GetType("Width.W")!, name, 17, inputs, fields, isFloat);
        Assert.True(problems.Count == 0, string.Join("\n", problems) + "\n" + Generated(name));
        Assert.Equal(oneSweep, Generated(name).Contains("// One reverse sweep for", StringComparison.Ordinal));
    }

    /// <summary>
    /// BA's reverse divides twice (1/q_z for both projections, 1/θ for the three components of u and √′), where the
    /// per-field sweeps divided 11 times each; the forward keeps the user's 5. Sqrt, Cos and Sin are called once each.
    /// </summary>
    [Fact]
    public void Ba_reverse_divides_once_per_divisor()
    {
        var source = Generated("Ba");
        var body = source.Substring(source.IndexOf("BaJacobian(", StringComparison.Ordinal));
        var reverse = body.Substring(body.IndexOf("// One reverse sweep for", StringComparison.Ordinal));
        var forward = body.Substring(0, body.Length - reverse.Length);
        Assert.Equal(5, Count(forward, " / "));
        Assert.Equal(2, Count(reverse, " / "));
        Assert.Contains("1.0 / qz;", reverse, StringComparison.Ordinal);
        Assert.Contains("1.0 / angle;", reverse, StringComparison.Ordinal);
        Assert.Equal(1, Count(body, "Math.Cos("));
        Assert.Equal(1, Count(body, "Math.Sin("));
        Assert.Equal(1, Count(body, "Math.Sqrt("));
    }

    /// <summary>
    /// y (the parameter's copy, y_1, since the body assigns it) is restored between the quotients by it: the new y's
    /// reciprocal serves the quotients reversed before the restore, the old y's is divided once after it.
    /// </summary>
    [Fact]
    public void A_restored_divisor_is_divided_again()
    {
        var source = Generated("Overwritten");
        var reverse = source.Substring(source.IndexOf("// One reverse sweep for", StringComparison.Ordinal));
        var restore = reverse.IndexOf("y_1 = _s", StringComparison.Ordinal);
        Assert.True(restore > 0, reverse);
        Assert.Equal(1, Count(reverse.Substring(0, restore), "1.0 / y_1;"));
        Assert.Equal(1, Count(reverse.Substring(restore), "1.0 / y_1;"));
    }

    /// <summary>Both fields' adjoint spans are one span: the rows add up in it (the Jacobian only adds, as the backward does).</summary>
    [Fact]
    public void Aliased_adjoint_spans_receive_the_sum_of_the_rows()
    {
        var type = s_compiled.Value.Assembly.GetType("Width.W")!;
        var rows = type.GetMethod("EarlyRows")!.CreateDelegate<Func<double[], double[]>>();
        var point = new[] { 0.7, 0.4, 0.3, 1.2 };
        var separate = rows(point);
        var shared = new double[3];
        double dk = 0;
        var method = type.GetMethod("EarlyJacobian")!;

        // Through a delegate: the Span parameters cannot be passed by reflection.
        var call = method.CreateDelegate<EarlyJacobianMethod>();
        call(new[] { point[0], point[1], 2.0 + point[2] }, point[3], shared, ref dk, shared, ref dk);
        for (var i = 0; i < 3; i++)
        {
            Assert.Equal(separate[2 + i] + separate[6 + i], shared[i], 12);
        }

        Assert.Equal(separate[5] + separate[9], dk, 12);
    }

    private delegate (double A, double B) EarlyJacobianMethod(ReadOnlySpan<double> v, double k, Span<double> dAdV, ref double dAdk, Span<double> dBdV, ref double dBdk);

    private static int Count(string text, string part) => text.Split(part).Length - 1;

    private static string Generated(string name) =>
        s_compiled.Value.Sources.Single(s => s.Key == "Width.W." + name + ".g.cs").Value;
}

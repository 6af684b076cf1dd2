using System.Reflection;

namespace StaticGrad.Generator.Tests.Robustness;

/// <summary>
/// Session 18 (issue 18): the width-k sweep of <c>{Name}Jacobian</c> written field by field over each run of statements
/// without a branch (ReverseModeTransformer.JacobianFieldRuns.cs): the run's shared lines (restores, reciprocals,
/// shared multipliers) first, then each field's updates, cheap partials written into every field's update. The cases
/// try to make a moved update read a value the run changes after it: a variable restored in the middle of a run and
/// read by the partials of statements reversed after the restore (<c>t = t·t + b</c>, <c>t = u − t·a</c>), a parameter
/// overwritten by itself (the own partial), the sine and cosine of one argument with the argument overwritten between
/// them, of expressions and of angles near 0, float with three fields, a span parameter's element adjoints, a row that
/// is constant (one field's updates only) and a branch between two runs. ONE compilation; every entry of every row
/// against central differences by <see cref="JacobianProbeCheck"/> (double h = 1e-6, |J − fd| ≤ 1e-6·max(1, |fd|);
/// float h = 1e-2, ≤ 2e-2·max(1, |fd|)).
/// </summary>
public sealed class JacobianFieldRunsAdversarialTests
{
    private const string Source = """
        using System;
        using System.Linq;
        using StaticGrad;

        namespace Runs;

        public static partial class R
        {
            // t is restored twice inside one run; u's and v's partials read the t of their own statement.
            [Differentiable(Jacobian = true)]
            public static (double X, double Y) Restored(double a, double b)
            {
                var t = a * b;
                var u = t * a;
                t = t * t + b;
                var v = Math.Sin(t) * u;
                t = u - t * a;
                return (t * v, v + t * b);
            }

            public static double[] RestoredValue(double[] p) { var v = Restored(p[0], p[1]); return new[] { v.X, v.Y }; }

            public static double[] RestoredRows(double[] p)
            {
                var d = new double[4];
                var v = RestoredJacobian(p[0], p[1], ref d[0], ref d[1], ref d[2], ref d[3]);
                return new[] { v.X, v.Y }.Concat(d).ToArray();
            }

            // A parameter overwritten from itself three times (its own partial each time), read by both fields.
            [Differentiable(Jacobian = true)]
            public static (double X, double Y) Chain(double x, double k)
            {
                x = x * k + 0.5;
                x = x * x - k;
                var s = x * k;
                x = Math.Exp(0.3 * x) + s;
                return (x * s, x - k * s);
            }

            public static double[] ChainValue(double[] p) { var v = Chain(p[0], p[1]); return new[] { v.X, v.Y }; }

            public static double[] ChainRows(double[] p)
            {
                var d = new double[4];
                var v = ChainJacobian(p[0], p[1], ref d[0], ref d[1], ref d[2], ref d[3]);
                return new[] { v.X, v.Y }.Concat(d).ToArray();
            }

            // The sine and cosine of one argument with the argument overwritten between them, of an expression, near 0.
            [Differentiable(Jacobian = true)]
            public static (double X, double Y) Angles(double a, double b)
            {
                var small = 1e-3 * a;
                var s = Math.Sin(small);
                var c = Math.Cos(small);
                var e = a * b + 0.25;
                var se = Math.Sin(e);
                var ce = Math.Cos(e);
                var th = a;
                var st = Math.Sin(th);
                th = th * 0.5 + b;
                var ct = Math.Cos(th);
                return (s * ce + c * st, (1.0 - c) * 100.0 + se * ct - s * e);
            }

            public static double[] AnglesValue(double[] p) { var v = Angles(p[0], p[1]); return new[] { v.X, v.Y }; }

            public static double[] AnglesRows(double[] p)
            {
                var d = new double[4];
                var v = AnglesJacobian(p[0], p[1], ref d[0], ref d[1], ref d[2], ref d[3]);
                return new[] { v.X, v.Y }.Concat(d).ToArray();
            }

            // Float, three fields, a rotation by the angle of (a, b) with a quotient by the angle and a restored local.
            [Differentiable(Jacobian = true)]
            public static (float X, float Y, float Z) Spin(float a, float b, float c)
            {
                var angle = MathF.Sqrt(a * a + b * b + 0.5f);
                var cos = MathF.Cos(angle);
                var sin = MathF.Sin(angle);
                var ua = a / angle;
                var q = ua * cos - b * sin;
                q = q * c + ua;
                var r = b * cos + ua * sin;
                return (q * r, q - c * r, angle * q + sin);
            }

            public static double[] SpinValue(double[] p) { var v = Spin((float)p[0], (float)p[1], (float)p[2]); return new double[] { v.X, v.Y, v.Z }; }

            public static double[] SpinRows(double[] p)
            {
                var d = new float[9];
                var v = SpinJacobian((float)p[0], (float)p[1], (float)p[2], ref d[0], ref d[1], ref d[2], ref d[3], ref d[4], ref d[5], ref d[6], ref d[7], ref d[8]);
                return new double[] { v.X, v.Y, v.Z }.Concat(d.Select(x => (double)x)).ToArray();
            }

            // A span parameter (element adjoints), a branch between two runs, a local restored on one side.
            [Differentiable(Jacobian = true)]
            public static (double X, double Y) Elements(ReadOnlySpan<double> v, double k)
            {
                var s = v[0] * v[1] + k;
                var m = 0.0;
                if (v[0] > 0.0)
                {
                    m = s * v[2];
                    m = m * m + v[0];
                }
                else
                {
                    m = s - v[2] * k;
                }

                var w = m / (1.0 + s * s);
                return (w * v[1] + s, w - m * v[0]);
            }

            public static double[] ElementsValue(double[] p) { var r = Elements(new[] { p[0], p[1], p[2] }, p[3]); return new[] { r.X, r.Y }; }

            public static double[] ElementsRows(double[] p)
            {
                double[] dX = new double[3], dY = new double[3];
                double dXk = 0, dYk = 0;
                var r = ElementsJacobian(new[] { p[0], p[1], p[2] }, p[3], dX, ref dXk, dY, ref dYk);
                return new[] { r.X, r.Y }.Concat(dX).Append(dXk).Concat(dY).Append(dYk).ToArray();
            }

            // One field constant: every update of a run is the other field's (nothing to group).
            [Differentiable(Jacobian = true)]
            public static (double X, double Y) OneRow(double a, double b)
            {
                var t = a * b;
                t = t * t + a;
                return (t * b, 3.0);
            }

            public static double[] OneRowValue(double[] p) { var v = OneRow(p[0], p[1]); return new[] { v.X, v.Y }; }

            public static double[] OneRowRows(double[] p)
            {
                var d = new double[4];
                var v = OneRowJacobian(p[0], p[1], ref d[0], ref d[1], ref d[2], ref d[3]);
                return new[] { v.X, v.Y }.Concat(d).ToArray();
            }
        }
        """;

    private static readonly Lazy<(Assembly Assembly, Dictionary<string, string> Sources)> s_compiled = new(() => JacobianProbeCheck.Compile(Source));

    [Theory]
    // case, probe inputs, fields, is float, written field by field
    [InlineData("Restored", 2, 2, false, true)]
    [InlineData("Chain", 2, 2, false, true)]
    [InlineData("Angles", 2, 2, false, true)]
    [InlineData("Spin", 3, 3, true, true)]
    [InlineData("Elements", 4, 2, false, true)]
    [InlineData("OneRow", 2, 2, false, false)]
    public void Every_row_matches_central_differences(string name, int inputs, int fields, bool isFloat, bool grouped)
    {
        var problems = JacobianProbeCheck.Problems(s_compiled.Value.Assembly.GetType("Runs.R")!, name, 18, inputs, fields, isFloat);
        Assert.True(problems.Count == 0, string.Join("\n", problems) + "\n" + Generated(name));
        Assert.Equal(grouped, Generated(name).Contains("field by field between branches", StringComparison.Ordinal));
    }

    /// <summary>
    /// Restored's partials that read t after a restore of t in the same run are bound where they are computed (a
    /// local), never written into an update that the grouping moves past the restore.
    /// </summary>
    [Fact]
    public void A_partial_reading_a_restored_variable_is_bound_before_the_restore_moves_it()
    {
        var source = Generated("Restored");
        var reverse = source.Substring(source.IndexOf("// One reverse sweep for", StringComparison.Ordinal));
        var lines = reverse.Split('\n').Select(l => l.Trim()).ToList();
        var lastRestore = lines.FindLastIndex(l => l.StartsWith("t = _s", StringComparison.Ordinal));
        Assert.True(lastRestore > 0, reverse);

        // No update after the last restore reads t itself: whatever it needs of t was bound before.
        var updates = lines.Skip(lastRestore + 1).Where(l => l.StartsWith("dXd", StringComparison.Ordinal) || l.StartsWith("dYd", StringComparison.Ordinal));
        Assert.DoesNotContain(updates, l => System.Text.RegularExpressions.Regex.IsMatch(l.Substring(l.IndexOf('=', StringComparison.Ordinal)), @"(?<![\w])t(?![\w])"));
    }

    private static string Generated(string name) =>
        s_compiled.Value.Sources.Single(s => s.Key == "Runs.R." + name + ".g.cs").Value;
}

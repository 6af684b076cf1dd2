using System.Reflection;
using StaticGrad.Generator.Tests.Infrastructure;

namespace StaticGrad.Generator.Tests.OptIn;

/// <summary>
/// <c>[Differentiable(Jacobian = true)]</c> (issue 18, several outputs in one sweep): <c>{Name}Jacobian</c> against
/// central finite differences of the method itself, every field of the result with respect to every differentiable
/// input, in ONE compilation. Tolerances: double h = 1e-6, |J − fd| ≤ 1e-6·max(1, |fd|); float h = 1e-2 (float's own
/// rounding dominates below it), |J − fd| ≤ 2e-2·max(1, |fd|). Each case has a probe in plain C#: <c>{Case}Value</c>
/// flattens the result's floating fields, <c>{Case}Rows</c> calls the Jacobian and returns the same fields followed by
/// the rows, field-major (the adjoints of the first field for every input, then the next field's).
/// </summary>
public sealed class JacobianTests
{
    private const string Source = """
        using System;
        using System.Numerics;
        using StaticGrad;

        namespace Corpus;

        public struct Sample
        {
            public double Mean;
            public int Count;
            public double Spread;
        }

        public static partial class Outputs
        {
            // Straight-line tuple result: one forward sweep.
            [Differentiable(Jacobian = true)]
            public static (double X, double Y) Polar(double r, double t) => (r * Math.Cos(t), r * Math.Sin(t));

            public static double[] PolarValue(double[] p) { var v = Polar(p[0], p[1]); return new[] { v.X, v.Y }; }

            public static double[] PolarRows(double[] p)
            {
                double a = 0, b = 0, c = 0, d = 0;
                var v = PolarJacobian(p[0], p[1], ref a, ref b, ref c, ref d);
                return new[] { v.X, v.Y, a, b, c, d };
            }

            // Float struct result (Vector2), overwritten locals, a branch and an early return: the sweeps restore and start again.
            [Differentiable(Jacobian = true)]
            public static Vector2 Turn(float x, float y, float a)
            {
                var c = MathF.Cos(a);
                var s = MathF.Sin(a);
                x = x * c - y * s;
                if (x > 0f)
                {
                    return new Vector2(x * x, y * s);
                }

                y = y * y + x;
                return new Vector2(x * y, MathF.Exp(0.5f * y));
            }

            public static double[] TurnValue(double[] p) { var v = Turn((float)p[0], (float)p[1], (float)p[2]); return new double[] { v.X, v.Y }; }

            public static double[] TurnRows(double[] p)
            {
                float a = 0, b = 0, c = 0, d = 0, e = 0, f = 0;
                var v = TurnJacobian((float)p[0], (float)p[1], (float)p[2], ref a, ref b, ref c, ref d, ref e, ref f);
                return new double[] { v.X, v.Y, a, b, c, d, e, f };
            }

            // A user struct with an int field between the floating ones, a span input and a [NoGrad] parameter, and a loop: one backward per field.
            [Differentiable(Jacobian = true)]
            public static Sample Moments(ReadOnlySpan<double> v, [NoGrad] double shift, double scale)
            {
                var sum = 0.0;
                var squares = 0.0;
                for (var i = 0; i < v.Length; i++)
                {
                    var u = scale * (v[i] - shift);
                    sum += u;
                    squares += u * u;
                }

                var mean = sum / v.Length;
                return new Sample { Mean = mean, Count = v.Length, Spread = Math.Sqrt(squares / v.Length - mean * mean + 1.0) };
            }

            public static double[] MomentsValue(double[] p) { var v = Moments(p.AsSpan(0, 3), 0.25, p[3]); return new[] { v.Mean, v.Spread }; }

            public static double[] MomentsRows(double[] p)
            {
                var dMean = new double[3];
                var dSpread = new double[3];
                double a = 0, b = 0;
                var v = MomentsJacobian(p.AsSpan(0, 3), 0.25, p[3], dMean, ref a, dSpread, ref b);
                return new[] { v.Mean, v.Spread, dMean[0], dMean[1], dMean[2], a, dSpread[0], dSpread[1], dSpread[2], b };
            }

            [Differentiable]
            public static double Soft(double x) => Math.Log(1.0 + Math.Exp(x));

            // A [Differentiable] callee called twice with different arguments, and an unnamed tuple (Item1, Item2).
            [Differentiable(Jacobian = true)]
            public static (double, double) Layer(double x, double y)
            {
                var h = Soft(x * y);
                var k = Soft(x - y);
                return (h * k, h - 2.0 * k);
            }

            public static double[] LayerValue(double[] p) { var v = Layer(p[0], p[1]); return new[] { v.Item1, v.Item2 }; }

            public static double[] LayerRows(double[] p)
            {
                double a = 0, b = 0, c = 0, d = 0;
                var v = LayerJacobian(p[0], p[1], ref a, ref b, ref c, ref d);
                return new[] { v.Item1, v.Item2, a, b, c, d };
            }

            // A recursive local function, and the callee's argument overwritten after the call.
            [Differentiable(Jacobian = true)]
            public static (double Near, double Far) Damped(double x, double k)
            {
                double Settle(double v, int depth) => depth <= 0 ? v : Settle(0.5 * v + 0.25 * Math.Sin(v * k), depth - 1);
                var a = Soft(x);
                x = x * a;
                var b = Settle(x, 3);
                return (a * b, b - Soft(k * a));
            }

            public static double[] DampedValue(double[] p) { var v = Damped(p[0], p[1]); return new[] { v.Near, v.Far }; }

            public static double[] DampedRows(double[] p)
            {
                double a = 0, b = 0, c = 0, d = 0;
                var v = DampedJacobian(p[0], p[1], ref a, ref b, ref c, ref d);
                return new[] { v.Near, v.Far, a, b, c, d };
            }

            // Hygiene: parameters and locals named like everything the Jacobian emits (its adjoints, the value, the seeds, the copies).
            [Differentiable(Jacobian = true)]
            public static (double X, double Y) Named(double x, double dXdx, double value)
            {
                var seed = x * dXdx;
                var seed_Item1 = seed + value;
                var xForward = seed_Item1 * seed_Item1;
                var _value = Math.Sin(xForward);
                if (_value > 0.0)
                {
                    seed = seed * 2.0;
                }

                return (seed * _value, xForward - seed + value * value);
            }

            public static double[] NamedValue(double[] p) { var v = Named(p[0], p[1], p[2]); return new[] { v.X, v.Y }; }

            public static double[] NamedRows(double[] p)
            {
                double a = 0, b = 0, c = 0, d = 0, e = 0, f = 0;
                var v = NamedJacobian(p[0], p[1], p[2], ref a, ref b, ref c, ref d, ref e, ref f);
                return new[] { v.X, v.Y, a, b, c, d, e, f };
            }

            // BA's shape (session 16): cos and sin of the angle in locals inside a branch, read by every field's reverse
            // sweep instead of calling Math again; the other branch has no such locals. A [NoGrad] parameter, and
            // locals named like the Jacobian's own names (_dx_0, dXdA, seed, _m0, cosForward).
            [Differentiable(Jacobian = true)]
            public static (double X, double Y) Rodrigues(double rx, double ry, double rz, double px, [NoGrad] double py)
            {
                var squaredAngle = rx * rx + ry * ry + rz * rz;
                var qx = 0.0;
                var qy = 0.0;
                if (squaredAngle > 0.5)
                {
                    var angle = Math.Sqrt(squaredAngle);
                    var cos = Math.Cos(angle);
                    var sin = Math.Sin(angle);
                    var _dx_0 = rx / angle;
                    var dXdA = ry / angle;
                    var along = (_dx_0 * px + dXdA * py) * (1.0 - cos);
                    qx = px * cos + dXdA * rz * sin + _dx_0 * along;
                    qy = py * cos - _dx_0 * rz * sin + dXdA * along;
                }
                else
                {
                    qx = px + ry * rz;
                    qy = py - rx * rz;
                }

                var seed = Math.Exp(0.25 * qx);
                var _m0 = seed * qy;
                var cosForward = Math.Exp(0.25 * qx) + _m0;
                return (qx / (2.0 + qy * qy), cosForward * seed);
            }

            public static double[] RodriguesValue(double[] p) { var v = Rodrigues(p[0], p[1], p[2], p[3], 0.3); return new[] { v.X, v.Y }; }

            public static double[] RodriguesRows(double[] p)
            {
                var d = new double[8];
                var v = RodriguesJacobian(p[0], p[1], p[2], p[3], 0.3, ref d[0], ref d[1], ref d[2], ref d[3], ref d[4], ref d[5], ref d[6], ref d[7]);
                return new[] { v.X, v.Y, d[0], d[1], d[2], d[3], d[4], d[5], d[6], d[7] };
            }

            // A cos local assigned in one branch only: the other branch's sin′ and the sin after the branch call Math.Cos again;
            // the sin after the branch serves cos′ inside it (a block around it, run whole).
            [Differentiable(Jacobian = true)]
            public static (double A, double B) OtherBranch(double t, double x)
            {
                double r;
                if (t > 0.8)
                {
                    var c = Math.Cos(t);
                    r = c * x;
                }
                else
                {
                    r = Math.Sin(t) * x;
                }

                var s = Math.Sin(t);
                return (r * s, r + x * s);
            }

            public static double[] OtherBranchValue(double[] p) { var v = OtherBranch(p[0], p[1]); return new[] { v.A, v.B }; }

            public static double[] OtherBranchRows(double[] p)
            {
                double a = 0, b = 0, c = 0, d = 0;
                var v = OtherBranchJacobian(p[0], p[1], ref a, ref b, ref c, ref d);
                return new[] { v.A, v.B, a, b, c, d };
            }

            // The call's argument reassigned after the local: sin′ of the new t is not the local's cos of the old one.
            [Differentiable(Jacobian = true)]
            public static (double A, double B) Reassigned(double t, double x)
            {
                var c = Math.Cos(t);
                t = t * 1.5 + x;
                var s = Math.Sin(t);
                return (c * s, s * x);
            }

            public static double[] ReassignedValue(double[] p) { var v = Reassigned(p[0], p[1]); return new[] { v.A, v.B }; }

            public static double[] ReassignedRows(double[] p)
            {
                double a = 0, b = 0, c = 0, d = 0;
                var v = ReassignedJacobian(p[0], p[1], ref a, ref b, ref c, ref d);
                return new[] { v.A, v.B, a, b, c, d };
            }

            // Float: MathF locals read by both sweeps of a Vector2 result.
            [Differentiable(Jacobian = true)]
            public static Vector2 Spin(float a, float r)
            {
                var c = MathF.Cos(a);
                var s = MathF.Sin(a);
                var e = MathF.Exp(0.5f * s);
                return new Vector2(r * c * e, r * s + c);
            }

            public static double[] SpinValue(double[] p) { var v = Spin((float)p[0], (float)p[1]); return new double[] { v.X, v.Y }; }

            public static double[] SpinRows(double[] p)
            {
                float a = 0, b = 0, c = 0, d = 0;
                var v = SpinJacobian((float)p[0], (float)p[1], ref a, ref b, ref c, ref d);
                return new double[] { v.X, v.Y, a, b, c, d };
            }
        }
        """;

    private static readonly Lazy<(Assembly Assembly, Dictionary<string, string> Sources)> s_compiled = new(() =>
    {
        var output = GeneratorHarness.Run(Source);
        GeneratorHarness.AssertClean(output);
        return (GeneratorHarness.Load(output.OutputCompilation), output.Sources.ToDictionary(s => s.HintName, s => s.Source));
    });

    [Theory]
    // case, differentiable inputs (the probes' first entries), fields, is float, one forward sweep
    [InlineData("Polar", 2, 2, false, true)]
    [InlineData("Turn", 3, 2, true, true)]
    [InlineData("Moments", 4, 2, false, false)]
    [InlineData("Layer", 2, 2, false, true)]
    [InlineData("Named", 3, 2, false, true)]
    [InlineData("Damped", 2, 2, false, true)]
    [InlineData("Rodrigues", 4, 2, false, true)]
    [InlineData("OtherBranch", 2, 2, false, true)]
    [InlineData("Reassigned", 2, 2, false, true)]
    [InlineData("Spin", 2, 2, true, true)]
    public void Jacobian_matches_central_finite_differences(string name, int inputs, int fields, bool isFloat, bool oneForwardSweep)
    {
        var type = s_compiled.Value.Assembly.GetType("Corpus.Outputs")!;
        var value = (Func<double[], double[]>)type.GetMethod(name + "Value")!.CreateDelegate(typeof(Func<double[], double[]>));
        var rows = (Func<double[], double[]>)type.GetMethod(name + "Rows")!.CreateDelegate(typeof(Func<double[], double[]>));
        var random = new Random(18);
        var h = isFloat ? 1e-2 : 1e-6;
        var tolerance = isFloat ? 2e-2 : 1e-6;
        for (var trial = 0; trial < 6; trial++)
        {
            var point = Enumerable.Range(0, inputs).Select(_ => 0.3 + random.NextDouble()).ToArray();

            // Both signs of Turn's branch.
            if (name == "Turn" && trial % 2 == 1)
            {
                point[1] = -point[1] - 1.0;
            }

            // Both of Rodrigues' branches (squared angle above and below 0.5).
            if (name == "Rodrigues" && trial % 2 == 1)
            {
                point[0] *= 0.2;
                point[1] *= 0.2;
                point[2] *= 0.2;
            }

            var expected = value(point);
            var actual = rows(point);
            Assert.Equal(fields + (fields * inputs), actual.Length);
            for (var f = 0; f < fields; f++)
            {
                Assert.True(Math.Abs(actual[f] - expected[f]) <= tolerance * 1e-3 * Math.Max(1, Math.Abs(expected[f])), $"{name} value field {f}: {actual[f]} against {expected[f]}");
            }

            for (var i = 0; i < inputs; i++)
            {
                var plus = (double[])point.Clone();
                var minus = (double[])point.Clone();
                plus[i] += h;
                minus[i] -= h;
                var up = value(plus);
                var down = value(minus);
                for (var f = 0; f < fields; f++)
                {
                    var fd = (up[f] - down[f]) / (2 * h);
                    var j = actual[fields + (f * inputs) + i];
                    Assert.True(Math.Abs(j - fd) <= tolerance * Math.Max(1, Math.Abs(fd)), $"{name} ∂field{f}/∂input{i} at [{string.Join(", ", point)}]: Jacobian {j}, central differences {fd}\n{Generated(name)}");
                }
            }
        }

        Assert.Equal(oneForwardSweep, Generated(name).Contains("// Forward sweep once", StringComparison.Ordinal));
    }

    /// <summary>A Jacobian method whose [Differentiable] callee lives in a referenced assembly (called through its generated backward).</summary>
    [Fact]
    public void Callee_in_another_assembly()
    {
        var library = CrossAssembly.BuiltAssembly.WithGenerator("JacobianLib", """
            using System;
            using StaticGrad;

            namespace JacobianLib
            {
                public static partial class Kernels
                {
                    [Differentiable]
                    public static double Bump(double v, double width)
                    {
                        if (v > 2.0)
                        {
                            return 0.0;
                        }

                        return Math.Exp(-v * v / width);
                    }
                }
            }
            """);
        var app = CrossAssembly.BuiltAssembly.WithGenerator("JacobianApp", """
            using StaticGrad;

            namespace JacobianApp
            {
                public static partial class Model
                {
                    [Differentiable(Jacobian = true)]
                    public static (double A, double B) Pair(double v, double w) => (JacobianLib.Kernels.Bump(v, w) * w, JacobianLib.Kernels.Bump(w, v + 2.0));

                    public static double[] PairValue(double[] p) { var r = Pair(p[0], p[1]); return new[] { r.A, r.B }; }

                    public static double[] PairRows(double[] p)
                    {
                        double a = 0, b = 0, c = 0, d = 0;
                        var r = PairJacobian(p[0], p[1], ref a, ref b, ref c, ref d);
                        return new[] { r.A, r.B, a, b, c, d };
                    }
                }
            }
            """, library);
        var type = CrossAssembly.BuiltAssembly.LoadTogether(library, app).GetType("JacobianApp.Model")!;
        var value = type.GetMethod("PairValue")!.CreateDelegate<Func<double[], double[]>>();
        var rows = type.GetMethod("PairRows")!.CreateDelegate<Func<double[], double[]>>();
        var point = new[] { 0.7, 1.3 };
        var actual = rows(point);
        for (var i = 0; i < 2; i++)
        {
            var plus = (double[])point.Clone();
            var minus = (double[])point.Clone();
            plus[i] += 1e-6;
            minus[i] -= 1e-6;
            for (var f = 0; f < 2; f++)
            {
                var fd = (value(plus)[f] - value(minus)[f]) / 2e-6;
                Assert.True(Math.Abs(actual[2 + (f * 2) + i] - fd) <= 1e-6 * Math.Max(1, Math.Abs(fd)), $"∂field{f}/∂input{i}: {actual[2 + (f * 2) + i]} against {fd}");
            }
        }

        Assert.Contains("// Forward sweep once", app.Generated!.Source("JacobianApp.Model.Pair.g.cs"), StringComparison.Ordinal);
    }

    /// <summary>
    /// Session 16: the reverse sweeps read a Math value from the user's local only where that local dominates them and
    /// nothing reassigns it or its argument (ReverseModeTransformer.JacobianBuiltins.cs); everywhere else Math is called.
    /// Session 17: these bodies have one width-k reverse sweep, so a Math call the sweep repeats is written once, not once
    /// per field (OtherBranch 5 → 3: the forward's cos, the other branch's sin′, the sin after the branch; Reassigned 3 → 2).
    /// </summary>
    [Theory]
    // case, what the reverse sweep says it reads (null: nothing), Math calls left in the Jacobian's body
    [InlineData("Rodrigues", "cos, sin", "Math.Cos(", 1)]
    [InlineData("Rodrigues", "cos, sin", "Math.Sin(", 1)]
    [InlineData("OtherBranch", "s", "Math.Cos(", 3)]
    [InlineData("Reassigned", null, "Math.Cos(", 2)]
    [InlineData("Spin", "c, s", "MathF.Cos(", 1)]
    public void Reverse_sweeps_read_dominating_Math_locals_only(string name, string? read, string call, int calls)
    {
        var source = Generated(name);
        var body = source.Substring(source.IndexOf(name + "Jacobian(", StringComparison.Ordinal));
        var comment = "// The reverse sweep reads " + read + " for the Math calls";
        Assert.True(read is null ? !body.Contains("// The reverse sweep reads", StringComparison.Ordinal) : body.Contains(comment, StringComparison.Ordinal), body);
        Assert.Equal(calls, body.Split(call).Length - 1);
    }

    [Fact]
    public void Names_come_from_the_methods_name_scope()
    {
        var source = Generated("Named");
        var signature = source.Substring(source.IndexOf("NamedJacobian(", StringComparison.Ordinal));
        signature = signature.Substring(0, signature.IndexOf(')'));

        // The user's dXdx keeps its name; x's adjoint for the field X takes the next free one.
        const string expected = "double dXdx, double value, ref double dXdx_1, ref double dXdDXdx, ref double dXdValue, ref double dYdx, ";
        Assert.True(signature.Contains(expected, StringComparison.Ordinal), signature);
    }

    [Fact]
    public void Unsupported_opt_ins_are_one_located_error_each()
    {
        const string unsupported = """
            using System.Numerics;
            using StaticGrad;

            namespace Corpus;

            public static partial class Refused
            {
                [Differentiable(Jacobian = true)]
                public static double Scalar(double x) => x * x;

                [Differentiable(Jacobian = true)]
                public static (double X, double Y) FromStruct(Vector2 v) => (v.X * v.Y, v.X);

                [Differentiable(Jacobian = true)]
                public static (double X, double Y) Taken(double x) => (x, x * x);

                public static int TakenJacobian() => 0;
            }
            """;
        var output = GeneratorHarness.Run(unsupported);
        var diagnostics = output.GeneratorDiagnostics.Concat(GeneratorHarness.AnalyzerDiagnostics(GeneratorHarness.CreateCompilation(unsupported))).Where(d => d.Id.StartsWith("SG", StringComparison.Ordinal)).Distinct().ToList();
        Assert.Single(diagnostics, d => d.Id == "SG1002" && d.GetMessage(System.Globalization.CultureInfo.InvariantCulture).Contains("returns one value", StringComparison.Ordinal));
        Assert.Single(diagnostics, d => d.Id == "SG1002" && d.GetMessage(System.Globalization.CultureInfo.InvariantCulture).Contains("struct parameters", StringComparison.Ordinal));
        Assert.Single(diagnostics, d => d.Id == "SG1020" && d.GetMessage(System.Globalization.CultureInfo.InvariantCulture).Contains("TakenJacobian", StringComparison.Ordinal));
        Assert.DoesNotContain(output.Sources, s => s.Source.Contains("ScalarJacobian", StringComparison.Ordinal) || s.Source.Contains("FromStructJacobian", StringComparison.Ordinal));
    }

    private static string Generated(string name) =>
        s_compiled.Value.Sources.Single(s => s.Key == "Corpus.Outputs." + name + ".g.cs").Value;
}

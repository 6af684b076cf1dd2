using StaticGrad.Generator.Tests.Infrastructure;

namespace StaticGrad.Generator.Tests.DataTypes;

/// <summary>
/// What stays unsupported among the data types gets exactly one located error, in the user's words (never the name
/// of a compiler operation kind), saying what to do instead; and configuration of any type is no error at all.
/// </summary>
public sealed class DataTypesDiagnosticTests
{
    [Theory]
    [InlineData("public static double F(double x) => x;\n[Differentiable(Hessian = true)] public static double H(double x) { var m = new double[2, 2]; m[0, 0] = x; return G(m) * x; }\n[Differentiable] public static double G(double[,] m) => m[0, 0] * m[0, 0];", "SG1012", "has no second derivative", "G(m)")]
    [InlineData("public static double F(Frozen[] items) => items[0].A;", "SG1004", "[NoGrad]", "items")]
    [InlineData("public static double F(decimal price, double x) => x * x;", "SG1004", "[NoGrad]", "price")]
    [InlineData("public static float F(Vector3 v) => Helper(v);\npublic static float Helper(Vector3 v) => v.X;", "SG1002", "read its fields", "v")]
    [InlineData("public static double F(double x) { var m = new double[2, 2]; m[0, 0] = x; return G(m); }\n[Differentiable] public static double G(double[,] m) { m[1, 1] = m[0, 0] * 2; return m[1, 1]; }", "SG1009", "'m' is a parameter", "m[1, 1] = m[0, 0] * 2")]
    [InlineData("public static double F(double x) { var m = new double[2, 2]; m[0, 0] = x; return G(m); }\npublic static double G(double[,] m) => m[0, 0];", "SG1001", "has no derivative", "G(m)")]
    [InlineData("public static double F(double x) { var m = new double[2, 2]; m[0, 1] = 3; return G(m) * x; }\npublic static double G(double[,] m) { m[1, 1] = 2; return m[0, 0]; }", "SG1002", "may write to it", "m")]
    [InlineData("public static double F(double x, [NoGrad] double[,] m) => G(m) * x;\npublic static double G(double[,] m) { m[1, 1]++; return m[0, 0]; }", "SG1002", "may write to it", "m")]
    [InlineData("public static double F(double x, int n) { var rows = new double[n][]; for (var i = 0; i < n; i++) rows[i] = new double[2]; return G(rows) * x; }\npublic static double G(double[][] r) { var s = 0.0; foreach (var row in r) s += row[0]; return s; }", "SG1002", "may write to it", "rows")]
    [InlineData("public static double F(double x, int n) { var rows = new double[n][]; for (var i = 0; i < n; i++) rows[i] = new double[2]; return Math.Max(x, G(rows)); }\npublic static double G(double[][] r) { r[0][0] = 1; return r[0][1]; }", "SG1002", "may write to it", "rows")]
    [InlineData("public static double F(double x) { var rows = new double[2][]; rows[0] = new double[2]; rows[1] = new double[2]; rows[0][0] = x; return G(rows); }\npublic static double G(double[][] r) => r[0][0];", "SG1001", "has no derivative", "G(rows)")]
    [InlineData("public static double F(double x, [NoGrad] double[,] m) => new Reader().Read(m) * x;\n}\npublic class Reader\n{\n    public virtual double Read(double[,] m) => m[0, 0];", "SG1002", "may write to it", "m")]
    [InlineData("public static double F(double x, int n) { var rows = new double[2][]; rows[0] = new double[n]; rows[1] = new double[3]; rows[0][0] = x; return rows[0][0]; }", "SG1010", "one length", "rows = new double[2][]")]
    [InlineData("public static double F(double[][] rows) => Sum(rows[0]);\npublic static double Sum(double[] r) => r[0];", "SG1002", "rows[i][j]", "rows[0]")]
    [InlineData("public static double F(Frozen f) => f.A * f.A;", "SG1004", "settable or init-only", "f")]
    [InlineData("public static double F(double x) { var f = new Sized(x); return f.B; }", "SG1002", "object initializer", "new Sized(x)")]
    [InlineData("public static double F(double x) { var a = new double[2]; var b = new double[2]; a = b; a[0] = x; return a[0]; }", "SG1010", "copy elements", "a = b")]
    [InlineData("public static double F(double x) => x;\n[Differentiable(Hessian = true)] public static double H(double x) { var (a, b) = P(x); return a * b; }\n[Differentiable] public static (double A, double B) P(double x) { var s = x * x; return (s, x); }", "SG1012", "returns a struct or tuple", "P(x)")]
    [InlineData("public static double F(double x) => Sum([x, .. W(x)]);\nstatic double[] W(double x) => new[] { x, 2.0 };\n[Differentiable] public static double Sum(double[] v) => v[0] * v[1];", "SG1002", "arguments that carry no derivative", "W(x)")]
    [InlineData("public static double F(double x, int n) { double[] a = [x, .. W(n, x * 2)]; return a[1] * x; }\nstatic double[] W(int n, double s) => new[] { 1.0, n * s };", "SG1002", "static readonly field", "W(n, x * 2)")]
    [InlineData("public static double F(double x) { double[] a = [x, .. new Cfg().W(x)]; return a[1] * x; }\n}\npublic sealed class Cfg\n{\n    public double[] W(double x) => new[] { 1.0, x };", "SG1002", "static readonly field", ".. new Cfg().W(x)")]
    [InlineData("public static double F(double[][] other, double x) { var rows = new double[other.Length][]; for (var i = 0; i < rows.Length; i++) { rows[i] = other[i]; } return rows[0][0] * x; }", "SG1010", "new double[other[i].Length]", "rows = new double[other.Length][]")]
    [InlineData("public static double F(double x, int n) { var rows = new double[n][]; var s = 0.0; for (var i = 0; i < n; i++) { if (s > 1) rows[i] = new double[2]; else rows[i] = new double[3]; rows[i][0] = x; s += x; } return rows[n - 1][0]; }", "SG1010", "new double[i % 2 == 0 ? 2 : 3]", "rows = new double[n][]")]
    [InlineData("public static double F(double x, int n) { var rows = new double[n][]; var i = 0; while (i < n) { rows[i] = new double[i + 1]; rows[i][0] = x * i; if (x > 1) { i++; continue; } i++; } return rows[n - 1][0]; }", "SG1010", "while (i < rows.Length)", "rows = new double[n][]")]
    [InlineData("public static double F(Spin a, Spin b) { var c = a + b; return c.A; }", "SG1002", "mark the operator [Differentiable]", "a + b")]
    [InlineData("public static double F(Spin a, Spin b) { a += b; return a.A; }", "SG1002", "mark the operator [Differentiable]", "a += b")]
    [InlineData("public static double F(double x) => x;\n[Differentiable(Hessian = true)] public static double H(double x, double y) { var a = new Twist { A = x }; var b = new Twist { A = y }; return a * b; }", "SG1012", "takes a struct or tuple argument", "a * b")]
    public void Unsupported_construct_gets_one_error_in_user_words(string body, string id, string fragment, string located)
    {
        var found = Diagnose(body);
        var error = Assert.Single(found, d => d.Severity == "Error");
        Assert.Equal(id, error.Id);
        Assert.Contains(fragment, error.Message, StringComparison.Ordinal);
        Assert.Equal(located, error.Text);
        Assert.DoesNotMatch(@"'[a-z]+( [a-z]+)* (reference|operation)'", error.Message);
    }

    [Fact]
    public void A_struct_carrying_a_derivative_into_a_NoGrad_parameter_is_one_warning_and_no_error()
    {
        var found = Diagnose("public static float F(Holder h) => G(h, h.P.Y);\n[Differentiable] public static float G([NoGrad] Holder h, float y) { var s = h.P.X * y; return s * s; }");
        var warning = Assert.Single(found, d => d.Id != "SG1005");
        Assert.Equal(("SG1011", "Warning", "h"), (warning.Id, warning.Severity, warning.Text));
        Assert.Contains("'h'", warning.Message, StringComparison.Ordinal);

        // A struct for a [NoGrad] parameter never gets an adjoint, so the IncludingNoGrad hint of scalar arguments does not apply.
        Assert.Contains("a struct passed to a [NoGrad] parameter is data", warning.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("IncludingNoGrad", warning.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("public static double F(Twist a, Twist b) { var c = a + b; c += a; return c.A * (a * c); }")]
    [InlineData("public static double F(Twist a, double x) { var t = new Twist { A = x }; return (t + a).A + t * t; }")]
    [InlineData("public static double F(double x) => x;\n[Differentiable(Hessian = true)] public static (double A, float B) M(double x) { var a = x * x; return (a, (float)a); }")]
    [InlineData("public static double F(double x) => x;\n[Differentiable(Hessian = true)] public static double H(double x) { var (a, b) = P(x); return a * b; }\n[Differentiable(Hessian = true)] public static (double A, double B) P(double x) { var s = x * x; return (s, x); }")]
    [InlineData("public static double F(double[] a, double x) => Sum([x, .. a[1..3], .. a.AsSpan(0, 2)]);\n[Differentiable] public static double Sum(double[] v) => v[0] * v[1];")]
    [InlineData("public static double F(double x) { var c = new Celsius(x); return c.Kelvin; }")]
    [InlineData("public static double F(double[][] r, double x) => Sum([x, .. r[0]]);\n[Differentiable] public static double Sum(double[] v) => v[0] * v[0];")]
    [InlineData("public static double F(double x, int n) { var rows = new double[n][]; for (var i = 0; i < n; i++) { rows[i] = new double[3]; rows[i][1] = x * i; } var s = 0.0; foreach (var row in rows) foreach (var v in row) s += v * v; return s; }")]
    [InlineData("public static double F(double x, int n) { var rows = new double[n][]; for (var i = 0; i < n; i++) { var k = 2 * i + 1; rows[i] = new double[k]; rows[i][k - 1] = x * i; } return rows[n - 1][0]; }")]
    [InlineData("public static double F(double x) { var m = new double[2, 2]; m[0, 0] = x; return G(m) * G(m); }\n[Differentiable] public static double G(double[,] m) => m[0, 0] * m.GetLength(1);")]
    [InlineData("public static double F(double x) { var f = new Frame(x); return f.B * f.A; }")]
    [InlineData("public static double F(double x) => x * Scale.Factor;\n}\npublic partial class Scale(double factor)\n{\n    public static double Factor => 2;\n    [Differentiable] public double G(double x) => x * factor;")]
    [InlineData("public static double F(double x) => x;\n[Differentiable(Hessian = true)] public static double G(double[,] m, double[][] r, System.Numerics.Vector2[] p) => m[0, 0] * m[0, 0] * r[0][0] * p[0].Y;")]
    [InlineData("public static double F(double x, int n) { var rows = new double[n][]; var i = 0; while (i < n) { rows[i] = new double[i + 1]; rows[i][0] = x * i; i++; } return rows[n - 1][0]; }")]
    [InlineData("public static double F(double x) => Sum([x, .. W()]);\nstatic double[] W() => new[] { 1.0, 2.0 };\n[Differentiable] public static double Sum(double[] v) => v[0] * v[1];")]
    [InlineData("public static double F(double x) { double[] a = [x, .. W(), .. W()]; return a[1] * x; }\nstatic double[] W() => new[] { 1.0, 2.0 };")]
    [InlineData("public static double F(double x) { var rows = new double[2][]; rows[0] = new double[2]; rows[1] = new double[2]; rows[0][0] = x; return G(rows); }\n[Differentiable] public static double G(double[][] r) => r[0][0];")]
    [InlineData("public static double F(double x, int n) { double[] a = [x, .. W(n), .. W(n + 1)]; return a[1] * x + a[a.Length - 1]; }\nstatic double[] W(int n) => new[] { 1.0, n };")]
    [InlineData("public static double F(double x, [NoGrad] double[,] t, [NoGrad] double[][] r) => x * Largest(t) + Largest(r) * x * x;\npublic static double Largest(double[,] t) => Math.Max(t[0, 0], t[t.GetLength(0) - 1, 1]);\npublic static double Largest(double[][] r) => r[0].Length + r[r.Length - 1][0];")]
    [InlineData("public static double F(double x, int n) { var m = new double[n, 2]; for (var i = 0; i < n; i++) m[i, 1] = i; var rows = new double[n][]; for (var i = 0; i < n; i++) { rows[i] = new double[i + 1]; rows[i][i] = 2 * i; } return x * Largest(m) + Largest(rows) * x; }\npublic static double Largest(double[,] t) => t[t.GetLength(0) - 1, 1];\npublic static double Largest(double[][] r) => r[r.Length - 1][r.Length - 1];")]
    public void A_construct_refused_before_is_no_error(string body)
    {
        // Before: a primary-constructor parameter SG1002; Hessian = true with a two-dimensional, jagged or struct-array parameter SG1004; a multi-statement operator was "'op_Addition' of a struct (only members whose body is one expression are
        // read through …)", SG1002; Hessian = true with a mixed float/double result SG1002; a Hessian through a struct-returning call SG1012; a spread of a range SG1002;
        // a spread of a jagged row SG1002; a foreach over a local jagged array's row two SG1002; row lengths read from a local of the loop SG1010; a constructor computing a member SG1002; a local
        // two-dimensional array passed to a [Differentiable] callee SG1002; a constructor reading a member it set SG1002;
        // ragged rows created in a while loop SG1010; a spread of a call with constant arguments SG1002; a local jagged array
        // passed to a [Differentiable] callee SG1002; a spread of a call with integer arguments SG1002; a [NoGrad] grid or rows passed
        // to a plain method that only reads them SG1002; a constant local grid or rows passed to such a method SG1002.
        Assert.Empty(Diagnose(body));
    }

    [Fact]
    public void Configuration_of_every_kind_is_no_error()
    {
        var found = Diagnose("""
            public static double F(double x, string mode, Kind kind, Options options, Func<double, double> f, [NoGrad] Vector3 light, [NoGrad] double[,] table, Grid grid)
            {
                var y = mode == "fast" ? x : x * x;
                if (kind == Kind.B && options.Scale > 0)
                {
                    y *= options.Scale + options.Weights.Length + f(1.0) + light.Y + table[0, 1] + grid.Cells;
                }

                return y;
            }
            """);
        Assert.Empty(found);
    }

    private static (string Id, string Severity, string Text, string Message)[] Diagnose(string body)
    {
        var source = """
            using System;
            using System.Numerics;
            using StaticGrad;

            public enum Kind { A, B }

            public sealed class Options
            {
                public double Scale { get; } = 2;
                public double[] Weights { get; } = { 1, 2 };
            }

            public readonly struct Frozen
            {
                public Frozen(double a) { A = a; }
                public double A { get; }
            }

            public struct Holder
            {
                public Vector2 P;
            }

            public struct Grid
            {
                public int Cells;
            }

            public struct Celsius
            {
                public double Degrees;
                public Celsius(double degrees) { Degrees = Math.Max(degrees, -273.15); }
                public double Kelvin => Degrees + 273.15;
            }

            public struct Frame
            {
                public double A;
                public double B;
                public Frame(double a) { A = a; B = A * 2; }
            }

            public struct Sized
            {
                public double A;
                public double B;
                public Sized(double a) { var t = a * 2; A = t; B = a; }
            }

            public struct Spin
            {
                public double A;
                public static Spin operator +(Spin p, Spin q) { var a = p.A * q.A; return new Spin { A = a }; }
            }

            public partial struct Twist
            {
                public double A;
                [Differentiable] public static Twist operator +(Twist p, Twist q) { var a = p.A * q.A; return new Twist { A = a }; }
                [Differentiable] public static double operator *(Twist p, Twist q) { var a = p.A * q.A; return a * a; }
            }

            public static partial class C
            {
            """ + "\n[Differentiable]\n" + body + "\n}\n";
        return GeneratorHarness.Run(source).LocatedDiagnostics();
    }
}

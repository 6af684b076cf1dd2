using StaticGrad.Generator.Tests.Correctness.Harness;
using StaticGrad.Generator.Tests.Infrastructure;

namespace StaticGrad.Generator.Tests.Robustness;

/// <summary>
/// Adversarial review of the datatypes branch: local jagged arrays passed to [Differentiable] callees, grids and rows
/// passed to plain methods that only read them, spreads of plain calls with integer arguments, grids filled once.
/// </summary>
public sealed class GridArgumentAdversarialTests
{
    private const int PointsPerFunction = 4;

    private const string Source = """
        using System;
        using StaticGrad;

        namespace ReviewData;

        public static partial class D
        {
            // The rows change after the first call: each call sees its own copy.
            // domain: x=-1..1 y=-1..1
            [Differentiable]
            public static double OverwrittenBetweenCalls(double x, double y)
            {
                var rows = new double[2][];
                rows[0] = new double[2];
                rows[1] = new double[2];
                rows[0][0] = x;
                rows[0][1] = y;
                rows[1][0] = x * y;
                rows[1][1] = 1.0;
                var s = SumSq(rows);
                rows[0][0] = s * x;
                rows[1][1] = Math.Sin(y);
                s += SumSq(rows) * rows[0][0];
                return s;
            }

            // Ragged rows whose lengths change with the outer loop: the hidden offsets differ per iteration.
            // domain: x=-1..1 y=-1..1
            [Differentiable]
            public static double RaggedPerStep(double x, double y)
            {
                var score = 0.0;
                for (var step = 0; step < 3; step++)
                {
                    var rows = new double[step + 1][];
                    for (var i = 0; i < rows.Length; i++)
                    {
                        rows[i] = new double[i + 1];
                        for (var j = 0; j < rows[i].Length; j++)
                        {
                            rows[i][j] = x * (j + 1) - y * (i + step);
                        }
                    }

                    score += Weighted(rows, x + step) * score + Weighted(rows, y);
                }

                return score;
            }

            // A variable number of rows (zero included) of a variable length (zero included).
            // domain: x=-1..1 y=-1..1 n=0..3 m=0..2
            [Differentiable]
            public static double Sized(double x, double y, int n, int m)
            {
                var rows = new double[n][];
                for (var i = 0; i < n; i++)
                {
                    rows[i] = new double[m];
                    for (var j = 0; j < m; j++)
                    {
                        rows[i][j] = x * (i + 1) + y * j;
                    }
                }

                return SumSq(rows) * x + y * y;
            }

            // The same local passed twice to one callee: both copies' adjoints added back.
            // domain: x=-1..1 y=-1..1
            [Differentiable]
            public static double PassedTwice(double x, double y)
            {
                var rows = new double[2][];
                for (var i = 0; i < 2; i++)
                {
                    rows[i] = new double[2];
                    rows[i][0] = x * (i + 1);
                    rows[i][1] = y - i;
                }

                return Dot(rows, rows) + Dot(rows, rows) * x;
            }

            // A jagged local passed to a [NoGrad] jagged parameter of a [Differentiable] callee.
            // domain: x=-1..1 y=-1..1
            [Differentiable]
            public static double NoGradRows(double x, double y)
            {
                var rows = new double[2][];
                for (var i = 0; i < rows.Length; i++)
                {
                    rows[i] = new double[i + 2];
                }

                rows[0][1] = 2.0;
                rows[1][2] = 3.0;
                return Scale(rows, x) * y;
            }

            // Filled once in a loop, the callee called inside the filling loop on a partly filled grid.
            // domain: x=-1..1 y=-1..1
            [Differentiable]
            public static double PartlyFilledGrid(double x, double y)
            {
                var g = new double[3, 2];
                var s = 0.5;
                for (var i = 0; i < 3; i++)
                {
                    for (var j = 0; j < 2; j++)
                    {
                        s += GridSq(g) * s;
                        g[i, j] = x * (i + 1) + y * j + s;
                    }
                }

                return s + GridSq(g);
            }

            // Rows filled once inside the loop that passes them.
            // domain: x=-1..1 y=-1..1
            [Differentiable]
            public static double PartlyFilledRows(double x, double y)
            {
                var rows = new double[3][];
                for (var i = 0; i < 3; i++)
                {
                    rows[i] = new double[2];
                }

                var s = 0.5;
                for (var i = 0; i < 3; i++)
                {
                    for (var j = 0; j < 2; j++)
                    {
                        rows[i][j] = x * (i + 1) - y * j * s;
                        s += SumSq(rows) * s * 0.1;
                    }
                }

                return s;
            }

            // A read-only plain helper reached as an extension method, expression-bodied, reading lengths.
            // domain: x=-1..1 n=1..3
            [Differentiable]
            public static double PlainExtension(double x, int n)
            {
                var g = new double[n, 2];
                var rows = new double[n][];
                for (var i = 0; i < n; i++)
                {
                    g[i, 1] = i + 0.5;
                    rows[i] = new double[i + 1];
                    rows[i][i] = 2.0 * i;
                }

                return x * x * g.Biggest() + Math.Sin(x) * rows.Count() + x * rows.Last();
            }

            // Spreads of plain calls with loop counters, the literal read nonlinearly and written after.
            // domain: x=-1..1 y=-1..1 n=1..3
            [Differentiable]
            public static double SpreadInLoop(double x, double y, int n)
            {
                var s = 0.0;
                for (var t = 0; t < n; t++)
                {
                    double[] w = [y, .. Plain.Taps(t + 1), x * s, .. Plain.Taps(n - t)];
                    w[0] = w[0] * w[w.Length - 1] + x;
                    for (var k = 0; k < w.Length; k++)
                    {
                        s += w[k] * w[0] * 0.25;
                    }

                    s = Math.Sin(s);
                }

                return s;
            }

            // A spread of a plain call given a double computed from integers only, and a [NoGrad] value.
            // domain: x=-1..1 c=-1..1 n=1..3
            [Differentiable]
            public static float SpreadIntegerDouble(float x, [NoGrad] float c, int n)
            {
                var h = n * 0.5f;
                float[] w = [.. Plain.Scaled(n, h), x, .. Plain.Scaled(2, c)];
                var s = 0f;
                for (var k = 0; k < w.Length; k++)
                {
                    s += w[k] * x * (k + 1);
                }

                return s;
            }

            // A float jagged local to a float callee, inside a loop, with a plain read of the same rows.
            // domain: x=-1..1 y=-1..1
            [Differentiable]
            public static float FloatRows(float x, float y)
            {
                var s = 0f;
                for (var step = 0; step < 2; step++)
                {
                    var rows = new float[2][];
                    for (var i = 0; i < rows.Length; i++)
                    {
                        rows[i] = new float[2 * i + 1];
                    }

                    rows[0][0] = x * y + s;
                    rows[1][0] = x;
                    rows[1][2] = y * step;
                    s += WeightedF(rows, y) + Plain.Width(rows) * x;
                }

                return s;
            }

            // A collection-expression ragged literal with a row written afterwards.
            // domain: x=-1..1 y=-1..1
            [Differentiable]
            public static double LiteralWritten(double x, double y)
            {
                double[][] k = [[x, y], [x * y], [1.0, x - y, y]];
                k[1][0] = k[1][0] * k[0][1] + x;
                var s = SumSq(k);
                k[2][2] = s;
                return s * SumSq(k);
            }

            // A plain helper that writes the grid through a ref-returning local function, accepted as read-only.
            // domain: x=-1..1
            [Differentiable]
            public static double SneakyLocal(double x)
            {
                var g = new double[2, 2];
                g[0, 0] = 1.0;
                g[0, 1] = 2.0;
                var c = Plain.Sneaky(g);
                return x * x * c + x * g[0, 0];
            }

            // The same through a ref local re-pointed at a row element of a jagged local.
            // domain: x=-1..1
            [Differentiable]
            public static double SneakyRows(double x)
            {
                var g = new double[2][];
                g[0] = new double[2];
                g[1] = new double[2];
                g[0][0] = 1.0;
                g[0][1] = 2.0;
                var c = Plain.SneakyJ(g);
                return x * x * c + x * g[0][0];
            }

            // Ragged rows with an empty first row, passed to a [Differentiable] callee.
            // domain: x=-1..1 y=-1..1 n=1..4
            [Differentiable]
            public static double EmptyRow(double x, double y, int n)
            {
                var rows = new double[n][];
                for (var i = 0; i < rows.Length; i++)
                {
                    rows[i] = new double[i];
                    for (var j = 0; j < i; j++)
                    {
                        rows[i][j] = x * j - y * i;
                    }
                }

                return Weighted(rows, x) + y;
            }

            // A ref conditional writes the grid.
            // domain: x=-1..1
            [Differentiable]
            public static double SneakyCond(double x)
            {
                var g = new double[2, 2];
                g[0, 0] = 1.0;
                g[0, 1] = 2.0;
                var c = Plain.SneakyC(g);
                return x * x * c + x * g[0, 0];
            }

            // An 'in' argument made writable writes the grid.
            // domain: x=-1..1
            [Differentiable]
            public static double SneakyIn(double x)
            {
                var g = new double[2, 2];
                g[0, 0] = 1.0;
                g[0, 1] = 2.0;
                var c = Plain.SneakyI(g);
                return x * x * c + x * g[0, 0];
            }

            // A spread of a plain call whose integer argument comes from a varied double.
            // domain: x=0.1..0.4 y=-1..1
            [Differentiable]
            public static double SpreadFromFloor(double x, double y)
            {
                double[] w = [.. Plain.Taps((int)Math.Floor(x * 2) + 2), y];
                return w[0] * x + w[w.Length - 1] * y * x;
            }

            // A spread of a plain call given a [NoGrad] array.
            // domain: x=-1..1 c[3]=-1..1
            [Differentiable]
            public static double SpreadNoGradArray(double x, [NoGrad] double[] c)
            {
                double[] w = [x, .. Plain.Doubled(c)];
                return w[0] * w[1] + w[2] * x * x;
            }

            // A spread of a plain call returning a shared buffer it refills on every call, in a loop.
            // domain: x=-1..1
            [Differentiable]
            public static double SpreadSharedBuffer(double x)
            {
                var s = x;
                for (var t = 0; t < 3; t++)
                {
                    double[] w = [.. Plain.Fill(t + 1), s];
                    s = w[0] * s * s + w[1] * x + w[2] * 0.5;
                }

                return s;
            }

            // A spread of a plain call that reads a counter a logging call advances (three ticks per call, so every call starts alike).
            // domain: x=-1..1
            [Differentiable]
            public static double SpreadCounter(double x)
            {
                var s = x;
                for (var t = 0; t < 3; t++)
                {
                    double[] w = [.. Plain.Counter(1), s];
                    s = w[0] * s * s + w[1] * x;
                    Plain.Tick();
                }

                return s;
            }

            // A partial plain method whose implementation part writes the grid.
            // domain: x=-1..1
            [Differentiable]
            public static double SneakyPartial(double x)
            {
                var g = new double[2, 2];
                g[0, 0] = 1.0;
                g[0, 1] = 2.0;
                var c = PlainPart.Write(g);
                return x * x * c + x * g[0, 0];
            }

            // A grid refilled by an outer loop (every element written twice) and passed whole after each fill.
            // domain: x=-1..1
            [Differentiable]
            public static double GridRefilled(double x)
            {
                var g = new double[2, 2];
                var s = 0.5;
                for (var t = 0; t < 2; t++)
                {
                    for (var i = 0; i < 2; i++)
                    {
                        for (var j = 0; j < 2; j++)
                        {
                            g[i, j] = s * x + i - j;
                        }
                    }

                    s += GridSq(g) * 0.1 + s * s * 0.2;
                }

                return s;
            }

            // Rows created per step, filled once, passed whole inside the filling loop.
            // domain: x=-1..1 y=-1..1
            [Differentiable]
            public static double RowsPerStep(double x, double y)
            {
                var s = 0.25;
                for (var t = 0; t < 2; t++)
                {
                    var rows = new double[2][];
                    for (var i = 0; i < rows.Length; i++)
                    {
                        rows[i] = new double[2];
                    }

                    for (var i = 0; i < 2; i++)
                    {
                        for (var j = 0; j < 2; j++)
                        {
                            rows[i][j] = s * x + y * (i - j);
                            s += SumSq(rows) * 0.1;
                        }
                    }
                }

                return s;
            }

            // Named arguments out of order, and an element of the rows passed beside them.
            // domain: x=-1..1 y=-1..1
            [Differentiable]
            public static double NamedAndElement(double x, double y)
            {
                var rows = new double[2][];
                for (var i = 0; i < rows.Length; i++)
                {
                    rows[i] = new double[i + 1];
                    rows[i][0] = x * (i + 1) + y;
                }

                rows[1][1] = x * y;
                var g = new double[2, 2];
                g[0, 1] = x - y;
                g[1, 0] = x * x;
                return Weighted(w: y * x, rows: rows) + Weighted(rows, rows[1][1]) + GridW(w: rows[0][0], g: g);
            }

            // A [NoGrad] grid parameter handed to the writer: its element is read before the call and again by the reverse sweep.
            // domain: x=-1..1 m[2x2]=0.5..1.5
            [Differentiable]
            public static double SneakyParam(double x, [NoGrad] double[,] m)
            {
                var s = x * x * m[0, 0];
                var c = Plain.Sneaky(m);
                return s + c * x;
            }
        }

        public static partial class PlainPart
        {
            public static partial double Write(double[,] t);
        }

        public static partial class PlainPart
        {
            public static partial double Write(double[,] t)
            {
                t[0, 0] = 99.0;
                return t[0, 1];
            }
        }

        public static class Plain
        {
            private static readonly double[] s_buffer = new double[2];
            private static int s_ticks;

            public static double[] Fill(int n)
            {
                s_buffer[0] = 0.5 * n;
                s_buffer[1] = 1.0 / (n + 1);
                return s_buffer;
            }

            public static double[] Counter(int n) => new[] { n + 0.25 * (s_ticks % 3) };

            public static void Tick() => s_ticks++;

            public static double SneakyC(double[,] t)
            {
                double d = 0;
                ref double r = ref (t.Length > 0 ? ref t[0, 0] : ref d);
                r = 99.0;
                return t[0, 1];
            }

            public static double SneakyI(double[,] t)
            {
                Poke(in t[0, 0]);
                return t[0, 1];
            }

            private static void Poke(in double v) => System.Runtime.CompilerServices.Unsafe.AsRef(in v) = 99.0;

            public static double[] Doubled(double[] c) => new[] { 2 * c[0], c[1] + c[2] };

            public static double Sneaky(double[,] t)
            {
                ref double At(int i) => ref t[i, 0];
                At(0) = 99.0;
                return t[0, 1];
            }

            public static double SneakyJ(double[][] t)
            {
                double d = 0;
                ref double r = ref d;
                r = ref t[0][0];
                r = 99.0;
                return t[0][1];
            }

            public static double Biggest(this double[,] t) => Math.Max(t[0, 1], t[t.GetLength(0) - 1, 1]);

            public static int Count(this double[][] r) => r.Length + r[0].Length;

            public static double Last(this double[][] r) => r[r.Length - 1][r[r.Length - 1].Length - 1];

            public static int Width(float[][] r)
            {
                var w = 0;
                for (var i = 0; i < r.Length; i++)
                {
                    w = Math.Max(w, r[i].Length);
                }

                return w;
            }

            public static double[] Taps(int n)
            {
                var taps = new double[n];
                for (var i = 0; i < n; i++)
                {
                    taps[i] = 1.0 / (i + 2);
                }

                return taps;
            }

            public static float[] Scaled(int n, float h)
            {
                var r = new float[n];
                for (var i = 0; i < n; i++)
                {
                    r[i] = h * (i + 1);
                }

                return r;
            }
        }
        """;

    private const string Helpers = """
        using System;
        using StaticGrad;

        namespace ReviewData;

        public static partial class D
        {
            [Differentiable]
            public static double SumSq(double[][] rows)
            {
                var s = 0.0;
                for (var i = 0; i < rows.Length; i++)
                {
                    for (var j = 0; j < rows[i].Length; j++)
                    {
                        s += rows[i][j] * rows[i][j];
                    }
                }

                return s;
            }

            [Differentiable]
            public static double Dot(double[][] a, double[][] b)
            {
                var s = 0.0;
                for (var i = 0; i < a.Length; i++)
                {
                    for (var j = 0; j < a[i].Length; j++)
                    {
                        s += a[i][j] * b[i][j] * (i + 2);
                    }
                }

                return s;
            }

            [Differentiable]
            public static double Scale([NoGrad] double[][] rows, double w)
            {
                var s = 0.0;
                for (var i = 0; i < rows.Length; i++)
                {
                    for (var j = 0; j < rows[i].Length; j++)
                    {
                        s += rows[i][j] * w * w;
                    }
                }

                return s;
            }

            [Differentiable]
            public static double Weighted(double[][] rows, double w)
            {
                var s = 0.0;
                for (var i = 0; i < rows.Length; i++)
                {
                    for (var j = 0; j < rows[i].Length; j++)
                    {
                        s += w * rows[i][j] * rows[i][j] / (j + 1) + rows[i].Length * rows[i][j];
                    }
                }

                return s;
            }

            [Differentiable]
            public static float WeightedF(float[][] rows, float w)
            {
                var s = 0f;
                for (var i = 0; i < rows.Length; i++)
                {
                    for (var j = 0; j < rows[i].Length; j++)
                    {
                        s += w * rows[i][j] * rows[i][j] + j * rows[i][j];
                    }
                }

                return s;
            }

            [Differentiable]
            public static double GridW(double[,] g, double w)
            {
                return g[0, 1] * w * w + g[1, 0] * g[0, 1] - w * g[1, 1];
            }

            [Differentiable]
            public static double GridSq(double[,] g)
            {
                var s = 0.0;
                for (var i = 0; i < g.GetLength(0); i++)
                {
                    for (var j = 0; j < g.GetLength(1); j++)
                    {
                        s += g[i, j] * g[i, j] * (i + 1);
                    }
                }

                return s;
            }
        }
        """;

    private static readonly IReadOnlyList<MethodUnderTest> s_methods = MethodUnderTest.ReadAll(Source);

    private static readonly Lazy<CompiledBatch> s_batch = new(() => CompiledBatch.Compile(new[] { Source, Helpers }, s_methods));

    public static TheoryData<string> Methods() => MethodUnderTest.Keys(s_methods);

    [Theory]
    [MemberData(nameof(Methods))]
    public void Review_gradient_matches_central_finite_differences(string key)
    {
        var batch = s_batch.Value;
        batch.Refusals.TryGetValue(key, out var refusals);
        if (key.StartsWith("D.Sneaky", StringComparison.Ordinal))
        {
            // A plain method that writes the grid (through a ref local, a ref conditional, a ref return, an `in`
            // argument or a partial method's implementation part) is refused: accepting it gave a wrong gradient.
            Assert.True(refusals is { Count: > 0 }, key + " accepted");
            return;
        }

        batch.AssertAcceptedAndGradientMatches(key, s_methods, PointsPerFunction);
    }

    /// <summary>Plain methods that DO write the array they are given (or let it be written): each must be refused.</summary>
    [Theory]
    // A ref local re-pointed at an element, then written.
    [InlineData("public static double Sneaky(double[,] t) { double d = 0; ref double r = ref d; r = ref t[0, 0]; r = 99; return t[0, 1]; }")]
    // A ref conditional.
    [InlineData("public static double Sneaky(double[,] t) { double d = 0; ref double r = ref (t.Length > 0 ? ref t[0, 0] : ref d); r = 99; return t[0, 1]; }")]
    // A local function returning a ref to an element.
    [InlineData("public static double Sneaky(double[,] t) { ref double At(int i) => ref t[i, 0]; At(0) = 99; return t[0, 1]; }")]
    // An 'in' argument turned writable.
    [InlineData("public static double Sneaky(double[,] t) { Poke(in t[0, 0]); return t[0, 1]; }\nstatic void Poke(in double v) { System.Runtime.CompilerServices.Unsafe.AsRef(in v) = 99; }")]
    // A jagged row's element through a ref-returning local function.
    [InlineData("public static double Sneaky(double[][] t) { ref double At(int i) => ref t[i][0]; At(0) = 99; return t[0][1]; }")]
    public void Review_plain_writer_is_refused(string plain)
    {
        var grid = plain.Contains("double[][]", StringComparison.Ordinal);
        var make = grid
            ? "var g = new double[2][]; g[0] = new double[2]; g[1] = new double[2]; g[0][0] = 1; g[0][1] = 2;"
            : "var g = new double[2, 2]; g[0, 0] = 1; g[0, 1] = 2;";
        var read = grid ? "g[0][0]" : "g[0, 0]";
        var body = "[Differentiable]\npublic static double F(double x) { " + make + " var c = Sneaky(g); return x * x * c + x * " + read + "; }\n"
            + "[Differentiable]\npublic static double P(double x, [NoGrad] " + (grid ? "double[][]" : "double[,]") + " m) { var c = Sneaky(m); return x * x * c * " + (grid ? "m[0][0]" : "m[0, 0]") + "; }\n"
            + plain;
        var found = Diagnose(body);
        Assert.True(found.Count(d => d.Severity == "Error") >= 2, "accepted a plain method that writes the array:\n" + string.Join("\n", found.Select(d => d.Id + " " + d.Severity + " " + d.Text + ": " + d.Message)));
    }

    /// <summary>Arrays carrying a derivative passed to plain read-only methods must be an error, not a silent constant.</summary>
    [Theory]
    [InlineData("[Differentiable]\npublic static double F(double x, double[][] r) => x * Plain2.Sum(r);")]
    [InlineData("[Differentiable]\npublic static double F(double x, double[,] r) => x * Plain2.Sum2(r);")]
    [InlineData("[Differentiable]\npublic static double F(double x) { var r = new double[2][]; r[0] = new double[1]; r[1] = new double[1]; r[1][0] = x; return x * Plain2.Sum(r); }")]
    [InlineData("[Differentiable]\npublic static double F(double x, int n) { var s = 0.0; for (var t = 0; t < n; t++) { double[] w = [.. Plain2.Taps(x > 0 ? 1 : 2, x)]; s += w[0]; } return s; }")]
    public void Review_derivative_through_plain_is_an_error(string body)
    {
        var found = Diagnose(body + "\n}\npublic static class Plain2 {\npublic static double Sum(double[][] r) { var s = 0.0; for (var i = 0; i < r.Length; i++) s += r[i][0]; return s; }\npublic static double Sum2(double[,] r) => r[0, 0];\npublic static double[] Taps(int n, double c) => new[] { c * n };\n");
        Assert.True(found.Any(d => d.Severity == "Error"), "no error:\n" + string.Join("\n", found.Select(d => d.Id + " " + d.Severity + " " + d.Text + ": " + d.Message)));
    }

    private static (string Id, string Severity, string Text, string Message)[] Diagnose(string body)
    {
        var source = "using System;\nusing StaticGrad;\n\npublic static partial class C\n{\n" + body + "\n}\n";
        var output = GeneratorHarness.Run(source);
        var tree = output.OutputCompilation.SyntaxTrees.First();
        return output.AnalyzerDiagnostics
            .Select(d => (d.Id, d.Severity.ToString(), tree.GetText().ToString(d.Location.SourceSpan), d.GetMessage(System.Globalization.CultureInfo.InvariantCulture)))
            .ToArray();
    }
}

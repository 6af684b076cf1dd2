using System.Globalization;
using System.Reflection;
using System.Text.RegularExpressions;
using StaticGrad.Generator.Tests.Correctness.Harness;

namespace StaticGrad.Generator.Tests.Robustness;

/// <summary>
/// Review of session 24's forward triangle jam (rows four, two, one at a time; <c>ReverseModeTransformer.ForwardTriangleRows.cs</c>)
/// and of the seeded accumulation check's new allowance (<see cref="FiniteDifferenceCheck.SweepRounding"/>). Cases: the
/// loop variables (row, column, induction) and the accumulator read after the nest with n = 0 … 9 rows, a float nest
/// started from an int literal with a descending induction (m = 9 − j), a nest inside an outer loop whose variable it
/// reads, a <c>long</c> index, a start reading the previous row's post (refused), a <c>checked</c> block whose cast
/// overflows in a later row while an earlier row is out of range in the user's order, and a generic-math nest. Checks:
/// central differences (double 1e-6 relative to max(1, |fd|) plus rounding, float 2e-3), the Backward's value against the
/// method's bit for bit and its exception against the method's (type and message) for every row count 0 … 10, the
/// seeded accumulation check against a deliberately broken Backward, and batch 20264201's P145 (float rounding, not the jam).
/// </summary>
public sealed class Session24ForwardTriangleReviewTests
{
    private const int Points = 3;

    private const string JamMarker = "// Rows four, then two, then one at a time";

    private static readonly string Source = """
        using System;
        using System.Linq;
        using System.Numerics;
        using StaticGrad;

        namespace Session24Review;

        public static partial class R
        {
            // The row, the column, the induction variable and the accumulator declared before the nest and read after it.
            // domain: q[60]=-1..1 v[12]=-1..1 n=0..9
            [Differentiable]
            public static double ExitValues(double[] q, double[] v, int n)
            {
                double total = 0.1;
                int c = 7;
                int m = 3;
                int j;
                double r = 0.5;
                for (j = 0; j < n; j++)
                {
                    r = v[j] * 0.5;
                    m = j + 2;
                    for (c = 0; c < j; c++)
                    {
                        r += q[m] * (v[c] - v[j]);
                        m += c + 1;
                    }

                    total += r * r;
                }

                return total + r + (0.01 * c) + (0.001 * m) + (0.0001 * j);
            }

            // Float, the accumulator started from an int literal, the induction descending with the row (m = 9 − j), two posts.
            // domain: q[20]=-1..1 v[12]=-1..1 n=0..9
            [Differentiable]
            public static float FloatDescending(float[] q, float[] v, int n)
            {
                float total = 0;
                float last = 0;
                for (int j = 0; j < n; j++)
                {
                    float r = 0;
                    int m = 9 - j;
                    for (int c = 0; c < j; c++)
                    {
                        r += q[m] * (v[c] - q[19]);
                        m += 2;
                    }

                    total += r * r * 0.5f;
                    last = r + total;
                }

                return total + last;
            }

            // The nest inside a loop whose variable it reads (the row's start, the term and the induction's start).
            // domain: a[40]=-1..1 x=-1..1 n=0..9
            [Differentiable]
            public static double NestedOuter(double[] a, double x, int n)
            {
                double total = 0;
                for (int i = 0; i < 3; i++)
                {
                    double q = 0;
                    for (int j = 0; j < n; j++)
                    {
                        double r = a[i + j] * x;
                        int m = i + j;
                        for (int c = 0; c < j; c++)
                        {
                            r += a[m] * (a[i * 10 + c] - x);
                            m += 1;
                        }

                        q += r * r;
                    }

                    total += Math.Sin(q);
                    x = Math.Tanh(x + total);
                }

                return total;
            }

            // The row and the accumulator declared before the nest and read after it (the column and the induction inside).
            // domain: q[60]=-1..1 v[12]=-1..1 n=0..9
            [Differentiable]
            public static double ExitRowAndSum(double[] q, double[] v, int n)
            {
                double total = 0.1;
                int j;
                double r = 0.5;
                for (j = 0; j < n; j++)
                {
                    r = v[j] * 0.5;
                    int m = j + 2;
                    for (int c = 0; c < j; c++)
                    {
                        r += q[m] * (v[c] - v[j]);
                        m += c + 1;
                    }

                    total += r * r;
                }

                return total + r + (0.0001 * j);
            }

            // A long index: the row times a long, plus the column (refused: SG1002).
            // domain: a[60]=-1..1 v[10]=-1..1 n=0..9
            [Differentiable]
            public static double LongIndex(double[] a, double[] v, int n)
            {
                double s = 0;
                for (int j = 0; j < n; j++)
                {
                    double r = v[j];
                    for (int c = 0; c < j; c++)
                    {
                        r += a[((long)j * 6) + c] * v[c];
                    }

                    s += r * r;
                }

                return s;
            }

            // The row's start reads the previous row's post: the jam must refuse it (rows are not independent).
            // domain: a[60]=-1..1 v[10]=-1..1 n=0..9
            [Differentiable]
            public static double StartReadsPost(double[] a, double[] v, int n)
            {
                double s = 0;
                double prev = 0.25;
                for (int j = 0; j < n; j++)
                {
                    double r = v[j] + (prev * 0.5);
                    for (int c = 0; c < j; c++)
                    {
                        r += a[(j * 6) + c] * v[c];
                    }

                    prev = r;
                    s += r * r;
                }

                return s;
            }
        }

        public static partial class G
        {
            // Row 4 runs out of a at column 2 in the user's order; row 5's (int)o[5] overflows at column 0 in a checked
            // block. The jam reads row 5's column 0 before row 4's column 2.
            [Differentiable]
            public static double CheckedRows(double[] a, double[] o, int n)
            {
                var total = 0.0;
                checked
                {
                    for (var j = 0; j < n; j++)
                    {
                        var r = a[j];
                        for (var c = 0; c < j; c++)
                        {
                            r += a[(int)o[j] + c] * a[c];
                        }

                        total += r * r;
                    }
                }

                return total;
            }
        }

        public static partial class G
        {
            // The same rows in a nest the jam would take (a post, no fusion) outside a checked block: since session 25 the
            // jam refuses a nest with a checked operation; until then its guard saw only the compilation's
            // overflow option, not a checked statement.
            [Differentiable]
            public static double CheckedJammed(double[] a, double[] o, int n)
            {
                double total = 0;
                double last = 0;
                checked
                {
                    for (int j = 0; j < n; j++)
                    {
                        double r = a[j];
                        for (int c = 0; c < j; c++)
                        {
                            r += a[(int)o[j] + c] * (a[c] - a[9]);
                        }

                        total += r * r * 0.5;
                        last = r + total;
                    }
                }

                return total + last;
            }
        }

        public static class Probe
        {
            public static string Primal(string name, int n, int variant) => name switch
            {
                "ExitValues" => Catch(() => R.ExitValues(Seq(60, 0.01), Seq(12, 0.1), n)),
                "FloatDescending" => Catch(() => R.FloatDescending(SeqF(20, 0.01f), SeqF(12, 0.1f), n)),
                "NestedOuter" => Catch(() => R.NestedOuter(Seq(40, 0.02), 0.3, n)),
                "ExitRowAndSum" => Catch(() => R.ExitRowAndSum(Seq(60, 0.01), Seq(12, 0.1), n)),
                "StartReadsPost" => Catch(() => R.StartReadsPost(Seq(60, 0.01), Seq(10, 0.1), n)),
                "CheckedRows" => Catch(() => G.CheckedRows(Seq(10, 0.1), Offsets(variant), n)),
                "CheckedJammed" => Catch(() => G.CheckedJammed(Seq(10, 0.1), Offsets(variant), n)),
                "GenericRows" => Catch(() => G.GenericRows(Seq(20, 0.01), Seq(12, 0.1), n)),
                _ => throw new ArgumentException(name),
            };

            public static string Backward(string name, int n, int variant) => name switch
            {
                "ExitValues" => Catch(() => R.ExitValuesBackward(Seq(60, 0.01), Seq(12, 0.1), n, new double[60], new double[12])),
                "FloatDescending" => Catch(() => R.FloatDescendingBackward(SeqF(20, 0.01f), SeqF(12, 0.1f), n, new float[20], new float[12])),
                "NestedOuter" => Catch(() =>
                {
                    var dx = 0.0;
                    return R.NestedOuterBackward(Seq(40, 0.02), 0.3, n, new double[40], ref dx);
                }),
                "ExitRowAndSum" => Catch(() => R.ExitRowAndSumBackward(Seq(60, 0.01), Seq(12, 0.1), n, new double[60], new double[12])),
                "StartReadsPost" => Catch(() => R.StartReadsPostBackward(Seq(60, 0.01), Seq(10, 0.1), n, new double[60], new double[10])),
                "CheckedRows" => Catch(() => G.CheckedRowsBackward(Seq(10, 0.1), Offsets(variant), n, new double[10], new double[10])),
                "CheckedJammed" => Catch(() => G.CheckedJammedBackward(Seq(10, 0.1), Offsets(variant), n, new double[10], new double[10])),
                "GenericRows" => Catch(() => G.GenericRowsBackward(Seq(20, 0.01), Seq(12, 0.1), n, new double[20], new double[12])),
                _ => throw new ArgumentException(name),
            };

            // Variant 0: row 4 reads a[8 + c] (out of range at c = 2), row 5 casts 1e10 (overflow). Variant 1: only row 5's overflow.
            private static double[] Offsets(int variant)
            {
                var o = new double[10];
                o[4] = variant == 0 ? 8 : 0;
                o[5] = 1e10;
                return o;
            }

            private static double[] Seq(int length, double step) => Enumerable.Range(0, length).Select(i => step * (i - (length / 3))).ToArray();

            private static float[] SeqF(int length, float step) => Enumerable.Range(0, length).Select(i => step * (i - (length / 3))).ToArray();

            private static string Catch(Func<double> f)
            {
                try
                {
                    return "none " + BitConverter.DoubleToInt64Bits(f()).ToString(System.Globalization.CultureInfo.InvariantCulture);
                }
                catch (Exception e)
                {
                    return e.GetType().Name + ": " + e.Message;
                }
            }
        }

        public static partial class Helpers
        {
            [Differentiable]
            public static double H3(double dU1, double u1)
            {
                double v0 = (Math.Round(dU1) + (u1 + u1));
                if ((1.0 / (2.0 + Math.Cos(dU1))) >= 0.51)
                {
                    --v0;
                    v0 = Math.Log((1.0 + ((-(v0))) * ((-(v0)))) / (1.5 + Math.Cos((-(v0)))));
                }

                return Math.Exp(Math.Sin((Math.Truncate(1.13) + u1)));
            }

            [Differentiable]
            public static double H6(double dV1)
            {
                double v0 = dV1;
                double _q = v0;
                dV1 *= 0.5 + 0.25 * Math.Cos(Math.CopySign(v0, Math.Abs(_q)));
                _q--;
                return ((((_q - 0.53) - (-(_q))) + 0.5 * dV1) + 0.5 * _q);
            }
        }

        // For the seeded accumulation check against a broken Backward: ∂/∂x is 40·e^(40x), about 10^18, ∂/∂y is 1.
        public static partial class S
        {
            // domain: x=0.9..1 y=-1..1
            [Differentiable]
            public static double Steep(double x, double y) => Math.Exp(40 * x) + y;
        }

        // Batch 20264201's P145 (program seed -742522854), float, not jammed (its triangle reads a[c11 % 3]), and P145D in double.
        public static partial class Programs
        {
        """
        + P145 + InDouble(P145)
        + """
        }
        """;

    /// <summary>Batch 20264201's P145 as drawn.</summary>
    private const string P145 = """
            // domain: a[3]=-1..1
            [Differentiable]
            public static float P145(float x0, float[] a)
            {
                float v0 = MathF.FusedMultiplyAdd(MathF.Log(1.0f + (x0) * (x0)), x0, x0);
                float v1 = (((x0 + v0) < (Autograd.Detach(x0) is < -1.12f or > 0.65f ? x0 : x0) ? v0 : v0) <= 0.51f ? (float)Math.Atan(Helpers.H6(a[0])) : x0);
                Span<float> s = stackalloc float[3];
                v1 += 0.25f * MathF.Sin(x0);
                int k0 = 0;
                while (k0 < s.Length)
                {
                    k0++;
                    for (int i1 = 0; i1 < s.Length; i1++)
                    {
                        v1++;
                        v1 *= 0.5f + 0.25f * MathF.Cos((i1 is 1 or > 2 ? v0 : MathF.Pow(1.5f + MathF.Sin(v1), 3)));
                        float lf2(float u3)
                        {
                            float r = u3 * 0.5f;
                            if (r > 0.2f) r = MathF.Sin(r);
                            return 0.25f * MathF.Tanh(r * u3);
                        }
                        v1 += lf2((x0 - v1));
                        v0 = (v1 * v1) * MathF.Cos(v0 + (v1 switch { > 0.48f => v1, < -0.91f and > -1.91f => v0, var z4 when z4 > 0.0f => s[(i1 + 1) % 3], _ => v0 }));
                        var t5 = new float[12];
                        for (int k6 = 0; k6 < 12; k6++)
                        {
                            t5[k6] = a[k6 % 3] * 0.5f;
                        }
                        float p7 = x0;
                        float q8 = 0.0f;
                        for (int j10 = 0; j10 < 12; j10++)
                        {
                            float r9 = a[j10 % 3] * 0.25f;
                            for (int c11 = 0; c11 < j10; c11++)
                            {
                                r9 += t5[c11] * (a[c11 % 3] - p7);
                            }
                            q8 += r9 * r9 * 0.25f;
                        }
                        v1 += MathF.Sin(q8) * 0.5f;
                    }
                    int k12 = 0;
                    do
                    {
                        k12++;
                        s[k0 % 3] = MathF.Sin(a[(k0 + 1) % 3]);
                    }
                    while (k12 < 2);
                    v1 *= 0.5f + 0.25f * MathF.Cos((float)Math.Atan(Helpers.H3(a[k0 % 3], (v0 * a[(k0 * 2) % 3]))));
                }
                return ((x0 is < -1.17f or > 0.85f ? -0.84f : s[0]) + 0.5f * v1);
            }
        """;

    /// <summary>The same program in double.</summary>
    private static string InDouble(string program) => Regex.Replace(
        program.Replace("P145(", "P145D(", StringComparison.Ordinal).Replace("float", "double", StringComparison.Ordinal).Replace("MathF.", "Math.", StringComparison.Ordinal),
        @"(\d)f\b",
        "$1");


    /// <summary>A generic method (the harness's method reader has no T[]): compiled with the rest, called through the probe.</summary>
    private const string GenericSource = """
        using System.Numerics;
        using StaticGrad;

        namespace Session24Review;

        public static partial class G
        {
            // Generic math: the accumulator started at T.Zero and at a product with T.CreateChecked.
            [Differentiable]
            public static T GenericRows<T>(T[] q, T[] v, int n) where T : IFloatingPointIeee754<T>
            {
                T total = T.Zero;
                for (int j = 0; j < n; j++)
                {
                    T r = v[j] * T.CreateChecked(0.5);
                    int m = j + 1;
                    for (int c = 0; c < j; c++)
                    {
                        r += q[m] * (v[c] - v[0]);
                        m += 1;
                    }

                    total += r * r;
                }

                return total;
            }
        }
        """;

    private static readonly IReadOnlyList<MethodUnderTest> s_methods = MethodUnderTest.ReadAll(Source);

    private static readonly Lazy<CompiledBatch> s_batch = new(() => CompiledBatch.Compile(new[] { Source, GenericSource }, s_methods));

    public static TheoryData<string> Methods() => MethodUnderTest.Keys(s_methods.Where(m => m.TypeName == "R" && m.Key != "R.LongIndex"));

    /// <summary>A <c>long</c> index is refused before any jam (SG1002), as on 47f8ee1.</summary>
    [Fact]
    public void Long_index_is_refused()
    {
        s_batch.Value.AssertRefusedWithOneError("R.LongIndex", "SG1002", "long");
    }

    [Theory]
    [MemberData(nameof(Methods))]
    public void Gradient_matches_central_finite_differences(string key)
    {
        s_batch.Value.AssertAcceptedAndGradientMatches(key, s_methods, Points);
    }

    [Theory]
    [MemberData(nameof(Methods))]
    public void Seeded_accumulation_holds(string key)
    {
        var check = new FiniteDifferenceCheck(s_batch.Value.Loaded[key]);
        var random = new Random(2424);
        var method = s_methods.Single(m => m.Key == key);
        for (var p = 0; p < Points; p++)
        {
            var point = FiniteDifferenceCheck.DrawPoint(method, random);
            foreach (var seed in new[] { 1.5, -0.75 })
            {
                check.CheckAccumulationAndSeed(point, random, seed);
            }
        }

        Assert.True(check.Problems.Count == 0, key + ":\n" + check.Report());
    }

    [Theory]
    [InlineData("R.ExitValues", false)]
    [InlineData("R.ExitRowAndSum", true)]
    [InlineData("R.FloatDescending", true)]
    [InlineData("R.NestedOuter", true)]
    [InlineData("R.StartReadsPost", false)]
    [InlineData("G.CheckedRows", false)]
    // Session 25: a nest with a checked integer operation keeps the user's order (the jam would run row 5's overflowing
    // cast before row 4's out-of-range read).
    [InlineData("G.CheckedJammed", false)]
    [InlineData("G.GenericRows", false)]
    public void Nests_of_the_shape_are_jammed(string key, bool jammed)
    {
        var source = s_batch.Value.GeneratedSource[key];
        Assert.True(jammed == source.Contains(JamMarker, StringComparison.Ordinal), key + (jammed ? " not jammed" : " jammed") + "\n" + source);
    }

    public static TheoryData<string, int> RowCounts()
    {
        var data = new TheoryData<string, int>();
        foreach (var name in new[] { "ExitValues", "ExitRowAndSum", "FloatDescending", "NestedOuter", "StartReadsPost", "GenericRows" })
        {
            for (var n = 0; n <= 10; n++)
            {
                data.Add(name, n);
            }
        }

        return data;
    }

    /// <summary>Every row count 0 … 10 (n = 10 runs past a in StartReadsPost's row 9): the Backward's value bit for bit, or the method's exception.</summary>
    [Theory]
    [MemberData(nameof(RowCounts))]
    public void Backward_returns_or_throws_what_the_method_does(string name, int n)
    {
        Assert.Equal(Call("Primal", name, n, 0), Call("Backward", name, n, 0));
    }

    /// <summary>
    /// A checked block: variant 0, the user's order is out of range in row 4 before row 5's cast overflows; variant 1,
    /// row 5's cast overflows. The Backward must throw the method's exception in both (n = 8: one block of four rows j = 4 … 7).
    /// </summary>
    [Theory]
    [InlineData("CheckedRows", 8, 0)]
    [InlineData("CheckedRows", 6, 0)]
    [InlineData("CheckedRows", 5, 0)]
    [InlineData("CheckedJammed", 8, 0)]
    [InlineData("CheckedJammed", 6, 0)]
    [InlineData("CheckedJammed", 5, 0)]
    // Failing until session 25 (the lowering dropped `checked`: the Backward threw IndexOutOfRangeException where the
    // method throws OverflowException); now the operation keeps its context and the jam refuses a checked nest.
    [InlineData("CheckedRows", 8, 1)]
    [InlineData("CheckedJammed", 8, 1)]
    public void Checked_block_throws_what_the_method_throws(string name, int n, int variant)
    {
        Assert.Equal(Call("Primal", name, n, variant), Call("Backward", name, n, variant));
    }

    /// <summary>
    /// The new allowance 16·ε·(|pre-filled| + |seed|·max|gradient|) against a Backward broken on ∂/∂y (1) while ∂/∂x is
    /// about 10^18: (a) the pre-filled adjoint of y overwritten instead of accumulated, (b) y's adjoint not scaled by the seed.
    /// </summary>
    /// <remarks>
    /// Found failing (the harness change of 9bebd84): the allowance was |seed|·max|gradient| over all components, so
    /// any component was excused by the steepest one (16·2⁻⁵²·1.5·10¹⁸ ≈ 5·10³ here). Fixed in the harness: the seed is
    /// held to seed 2 exactly, the allowance measures only the accumulation, and pre-filled values are drawn at the
    /// gradient's scale.
    /// </remarks>
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Seeded_check_reports_a_broken_backward_next_to_a_steep_component(bool misScaled)
    {
        var loaded = s_batch.Value.Loaded["S.Steep"];
        var broken = loaded with
        {
            Backward = (point, adjoints, seed) =>
            {
                var before = adjoints[1][0];
                var value = loaded.Backward(point, adjoints, seed);
                adjoints[1][0] = misScaled ? before + (adjoints[1][0] - before) / seed : adjoints[1][0] - before;
                return value;
            },
        };
        var check = new FiniteDifferenceCheck(broken);
        var random = new Random(7);
        var point = FiniteDifferenceCheck.DrawPoint(s_methods.Single(m => m.Key == "S.Steep"), random);
        check.CheckAccumulationAndSeed(point, random, 1.5);
        Assert.True(check.Problems.Count > 0, "a broken Backward passed the seeded accumulation check");
    }

    /// <summary>
    /// Batch 20264201's P145 (random programs on the merged compiler: its seeded check failed at seed 1.5 by 2.1·10⁻⁵ on
    /// ∂/∂a[0] and ∂/∂a[2]). Its nest is not jammed. A power-of-two seed scales every rounding exactly, so seed 2 from
    /// zero adjoints must give twice seed 1's adjoints bit for bit when the seed enters linearly; it does, and the float
    /// gradient is already 7·10⁻⁴ from its double twin (P145D) at seed 1: float rounding that the new allowance
    /// 16·ε·max|gradient| (5.5·10⁻⁶ here) does not cover, so batch 20264201 fails on the merged compiler without a defect.
    /// </summary>
    [Fact]
    public void P145_seed_two_is_twice_seed_one_bit_for_bit()
    {
        Assert.DoesNotContain(JamMarker, s_batch.Value.GeneratedSource["Programs.P145"], StringComparison.Ordinal);
        var loaded = s_batch.Value.Loaded["Programs.P145"];
        double[][] point = { new[] { -1.9207803010940552 }, new[] { -0.6659376621246338, -0.26167595386505127, 0.08517991006374359 } };
        var one = FiniteDifferenceCheck.Zeros(loaded.Method, point);
        var two = FiniteDifferenceCheck.Zeros(loaded.Method, point);
        var threeHalves = FiniteDifferenceCheck.Zeros(loaded.Method, point);
        loaded.Backward(FiniteDifferenceCheck.Copy(point), one, 1.0);
        loaded.Backward(FiniteDifferenceCheck.Copy(point), two, 2.0);
        loaded.Backward(FiniteDifferenceCheck.Copy(point), threeHalves, 1.5);
        var inDouble = new FiniteDifferenceCheck(s_batch.Value.Loaded["Programs.P145D"]).Gradient(FiniteDifferenceCheck.Copy(point));
        var text = string.Join("; ", one.SelectMany((g, i) => g.Select((v, j) => string.Create(CultureInfo.InvariantCulture, $"{i}[{j}]: {v:R} {two[i][j]:R} {threeHalves[i][j]:R} double {inDouble[i][j]:R}"))));
        for (var i = 0; i < one.Length; i++)
        {
            for (var j = 0; j < one[i].Length; j++)
            {
                Assert.True(two[i][j] == 2 * one[i][j], text);
                // Seed 1.5's deviation (3.5e-5 on a[0]) is below the float program's own error at seed 1 (7e-4 from its double twin).
                Assert.True(Math.Abs(threeHalves[i][j] - (1.5 * one[i][j])) <= 1.5 * Math.Abs(one[i][j] - inDouble[i][j]), text);
            }
        }
    }

    private static string Call(string kind, string name, int n, int variant)
    {
        var probe = s_batch.Value.Output!.Value.Assembly.GetType("Session24Review.Probe")!;
        return (string)probe.GetMethod(kind, BindingFlags.Public | BindingFlags.Static)!.Invoke(null, new object[] { name, n, variant })!;
    }
}

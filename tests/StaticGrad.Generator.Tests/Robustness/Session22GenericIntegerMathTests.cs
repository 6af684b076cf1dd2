using System.Reflection;
using StaticGrad.Generator.Tests.Infrastructure;

namespace StaticGrad.Generator.Tests.Robustness;

/// <summary>
/// Integer arithmetic in generic-math methods. A generic-math method is differentiated as if <c>T</c> were double and its
/// generated text retyped afterwards, every <c>global::System.Math.X</c> becoming <c>T.X</c>. Before session 22 that
/// also turned integer <c>Math.Max</c> calls into <c>T.Max(int, int)</c> (CS1503): the compiler's own (a loop index's exit
/// value <c>Math.Max(0, row)</c> in a GMM-shaped nest, a slot buffer's extent) and the user's (<c>a[Math.Max(i - 1, 0)]</c>).
/// Each generic method here has a double twin with the same body; the double instantiation's value, gradient, tangent and
/// Hessian must equal the twin's bit for bit (same operations, same order), the float instantiation's gradient the
/// twin's within 2e-3 relative to max(1, |g|) (float's precision over ≤ 100 operations), and the twin's gradient central
/// finite differences within 1e-6 relative to max(1, |fd|) plus the difference's rounding 1e-9·max(1, |f|) (step 1e-6).
/// The integer calls' exceptions (<c>Math.Abs(int.MinValue)</c>: OverflowException; <c>Math.Clamp</c> with min &gt; max:
/// ArgumentException; an index they compute out of range) are thrown by the Backward as by the method.
/// </summary>
public sealed class Session22GenericIntegerMathTests
{
    private const string Source = """
        using System;
        using System.Linq;
        using System.Numerics;
        using StaticGrad;

        namespace Session22GenericInts;

        public static partial class GI
        {
            // GMM's per-component triangle: the reverse sets the column index to its exit value (Math.Max(0, row)).
            [Differentiable(Forward = true)]
            public static T Mixture<T>(T[] icf, T[] means, [NoGrad] T[] x, int d, int k) where T : IFloatingPointIeee754<T>
            {
                T total = T.Zero;
                for (int c = 0; c < k; c++)
                {
                    var qx = new T[d];
                    int lower = d;
                    for (int row = 0; row < d; row++)
                    {
                        qx[row] = T.Exp(icf[row]) * (x[row] - means[c * d + row]);
                        for (int col = 0; col < row; col++)
                        {
                            qx[row] += icf[lower] * (x[col] - means[c * d + col]);
                            lower++;
                        }
                    }

                    T sq = T.Zero;
                    for (int row = 0; row < d; row++)
                    {
                        sq += qx[row] * qx[row];
                    }

                    total += T.Exp(-sq / T.CreateChecked(2));
                }

                return T.Log(total + T.One);
            }

            [Differentiable(Forward = true)]
            public static double MixtureD(double[] icf, double[] means, [NoGrad] double[] x, int d, int k)
            {
                double total = 0.0;
                for (int c = 0; c < k; c++)
                {
                    var qx = new double[d];
                    int lower = d;
                    for (int row = 0; row < d; row++)
                    {
                        qx[row] = Math.Exp(icf[row]) * (x[row] - means[c * d + row]);
                        for (int col = 0; col < row; col++)
                        {
                            qx[row] += icf[lower] * (x[col] - means[c * d + col]);
                            lower++;
                        }
                    }

                    double sq = 0.0;
                    for (int row = 0; row < d; row++)
                    {
                        sq += qx[row] * qx[row];
                    }

                    total += Math.Exp(-sq / 2.0);
                }

                return Math.Log(total + 1.0);
            }

            // A loop starting at a literal with an offset test (the exit value Math.Max(start + 1, n) - 1) inside a nest,
            // and a nest whose saves go to slot buffers sized Math.Max(0, n - 1) * Math.Max(0, m).
            [Differentiable]
            public static T Offsets<T>(T[] a, int n, int m) where T : IFloatingPointIeee754<T>
            {
                T s = T.Zero;
                for (int r = 0; r < m; r++)
                {
                    for (int i = 2; i + 1 < n; i++)
                    {
                        s += T.Sin(a[i] * a[i + 1] + T.CreateChecked(r));
                    }

                    for (int i = 0; i < n - 1; i++)
                    {
                        s = s * T.CreateChecked(0.5) + T.Tanh(a[i] * s);
                    }
                }

                return s;
            }

            [Differentiable]
            public static double OffsetsD(double[] a, int n, int m)
            {
                double s = 0.0;
                for (int r = 0; r < m; r++)
                {
                    for (int i = 2; i + 1 < n; i++)
                    {
                        s += Math.Sin(a[i] * a[i + 1] + (double)r);
                    }

                    for (int i = 0; i < n - 1; i++)
                    {
                        s = s * 0.5 + Math.Tanh(a[i] * s);
                    }
                }

                return s;
            }

            // The user's integer Math calls, int and long, in indices and as a factor.
            [Differentiable(Forward = true, Hessian = true)]
            public static T IndexMath<T>(T[] a, int n, long m) where T : IFloatingPointIeee754<T>
            {
                T s = T.Zero;
                for (int i = 0; i < n; i++)
                {
                    int j = Math.Clamp(i, 0, a.Length - 1);
                    s += a[Math.Max(i - 1, 0)] * a[Math.Min(i + 1, n - 1)] + a[Math.Abs(i - 1)] * a[j] * T.CreateChecked(Math.Sign(i - 2) + Math.Max(m, 1L) - Math.Abs(m));
                }

                return s * s;
            }

            [Differentiable(Forward = true, Hessian = true)]
            public static double IndexMathD(double[] a, int n, long m)
            {
                double s = 0.0;
                for (int i = 0; i < n; i++)
                {
                    int j = Math.Clamp(i, 0, a.Length - 1);
                    s += a[Math.Max(i - 1, 0)] * a[Math.Min(i + 1, n - 1)] + a[Math.Abs(i - 1)] * a[j] * (double)(Math.Sign(i - 2) + Math.Max(m, 1L) - Math.Abs(m));
                }

                return s * s;
            }

            // Math.Abs(int.MinValue) throws OverflowException; Math.Clamp with min > max throws ArgumentException.
            [Differentiable]
            public static T Throwing<T>(T[] a, int shift, int low) where T : IFloatingPointIeee754<T> =>
                a[Math.Abs(shift) % a.Length] * a[Math.Clamp(1, low, 2)];

            public static double Throws(int shift, int low)
            {
                var a = new[] { 0.5, 1.5, 2.5 };
                return ThrowingBackward<double>(a, shift, low, new double[3]);
            }

            public static double ThrowsPrimal(int shift, int low) => Throwing(new[] { 0.5, 1.5, 2.5 }, shift, low);

            private static double[] Draw(Random random, int length, double scale) => Enumerable.Range(0, length).Select(_ => (random.NextDouble() - 0.5) * scale).ToArray();

            private static bool Same(double a, double b) => BitConverter.DoubleToInt64Bits(a) == BitConverter.DoubleToInt64Bits(b);

            private static string Report(string what, int d, int k, double got, double expected) => what + " d=" + d + " k=" + k + ": " + got.ToString("R") + " vs " + expected.ToString("R");

            /// <summary>Mixture at several sizes: the generic double Backward and Tangent against the twin bit for bit, float within 2e-3, the twin against central differences.</summary>
            public static string[] CheckMixture()
            {
                var problems = new System.Collections.Generic.List<string>();
                var random = new Random(22);
                foreach (var (d, k) in new[] { (0, 1), (1, 1), (2, 3), (3, 2), (5, 1), (10, 3), (13, 2), (1, 0) })
                {
                    var icf = Draw(random, d + d * (d - 1) / 2, 0.6);
                    var means = Draw(random, d * k, 2);
                    var x = Draw(random, d, 2);
                    var (g1, m1) = (new double[icf.Length], new double[means.Length]);
                    var (g2, m2) = (new double[icf.Length], new double[means.Length]);
                    var v1 = MixtureBackward<double>(icf, means, x, d, k, g1, m1);
                    var v2 = MixtureDBackward(icf, means, x, d, k, g2, m2);
                    if (!Same(v1, v2) || !g1.Zip(g2, Same).All(b => b) || !m1.Zip(m2, Same).All(b => b))
                    {
                        problems.Add(Report("generic double Backward differs from the twin's", d, k, v1, v2));
                    }

                    var ti = Draw(random, icf.Length, 1);
                    var tm = Draw(random, means.Length, 1);
                    var t1 = MixtureTangent<double>(icf, means, x, d, k, ti, tm);
                    var t2 = MixtureDTangent(icf, means, x, d, k, ti, tm);
                    if (!Same(t1.Tangent, t2.Tangent))
                    {
                        problems.Add(Report("generic double Tangent differs from the twin's", d, k, t1.Tangent, t2.Tangent));
                    }

                    var (gf, mf) = (new float[icf.Length], new float[means.Length]);
                    MixtureBackward<float>(icf.Select(v => (float)v).ToArray(), means.Select(v => (float)v).ToArray(), x.Select(v => (float)v).ToArray(), d, k, gf, mf);
                    for (var i = 0; i < gf.Length; i++)
                    {
                        if (Math.Abs(gf[i] - g2[i]) > 2e-3 * Math.Max(1, Math.Abs(g2[i])))
                        {
                            problems.Add(Report("float dIcf[" + i + "]", d, k, gf[i], g2[i]));
                        }
                    }

                    for (var i = 0; i < mf.Length; i++)
                    {
                        if (Math.Abs(mf[i] - m2[i]) > 2e-3 * Math.Max(1, Math.Abs(m2[i])))
                        {
                            problems.Add(Report("float dMeans[" + i + "]", d, k, mf[i], m2[i]));
                        }
                    }

                    foreach (var (array, gradient, name) in new[] { (icf, g2, "icf"), (means, m2, "means") })
                    {
                        for (var i = 0; i < array.Length; i++)
                        {
                            var keep = array[i];
                            array[i] = keep + 1e-6;
                            var up = MixtureD(icf, means, x, d, k);
                            array[i] = keep - 1e-6;
                            var down = MixtureD(icf, means, x, d, k);
                            array[i] = keep;
                            var fd = (up - down) / 2e-6;
                            if (Math.Abs(fd - gradient[i]) > 1e-6 * Math.Max(1, Math.Abs(fd)) + 1e-9 * Math.Max(1, Math.Abs(v2)))
                            {
                                problems.Add(Report("central differences, " + name + "[" + i + "]", d, k, gradient[i], fd));
                            }
                        }
                    }
                }

                return problems.ToArray();
            }

            /// <summary>Offsets and IndexMath: generic double against the twin bit for bit (IndexMath: Backward, Tangent, Hessian), the twin against central differences.</summary>
            public static string[] CheckIndices()
            {
                var problems = new System.Collections.Generic.List<string>();
                var random = new Random(23);
                foreach (var (n, m) in new[] { (0, 1), (1, 2), (2, 0), (3, 3), (4, -2), (6, 5), (9, 1) })
                {
                    var a = Draw(random, Math.Max(n, 2), 1.5);
                    var (g1, g2) = (new double[a.Length], new double[a.Length]);
                    var v1 = OffsetsBackward<double>(a, n, Math.Abs(m), g1);
                    var v2 = OffsetsDBackward(a, n, Math.Abs(m), g2);
                    if (!Same(v1, v2) || !g1.Zip(g2, Same).All(b => b))
                    {
                        problems.Add(Report("Offsets generic double differs from the twin's", n, m, v1, v2));
                    }

                    var (h1, h2) = (new double[a.Length], new double[a.Length]);
                    var w1 = IndexMathBackward<double>(a, n, m, h1);
                    var w2 = IndexMathDBackward(a, n, m, h2);
                    if (!Same(w1, w2) || !h1.Zip(h2, Same).All(b => b))
                    {
                        problems.Add(Report("IndexMath generic double differs from the twin's", n, m, w1, w2));
                    }

                    var direction = Draw(random, a.Length, 1);
                    if (!Same(IndexMathTangent<double>(a, n, m, direction).Tangent, IndexMathDTangent(a, n, m, direction).Tangent))
                    {
                        problems.Add(Report("IndexMath generic double Tangent differs", n, m, 0, 0));
                    }

                    var (hess1, hess2) = (new double[a.Length * a.Length], new double[a.Length * a.Length]);
                    IndexMathHessian<double>(a, n, m, hess1);
                    IndexMathDHessian(a, n, m, hess2);
                    if (!hess1.Zip(hess2, Same).All(b => b))
                    {
                        problems.Add(Report("IndexMath generic double Hessian differs", n, m, 0, 0));
                    }

                    for (var i = 0; i < a.Length; i++)
                    {
                        var keep = a[i];
                        a[i] = keep + 1e-6;
                        var (up, up2) = (OffsetsD(a, n, Math.Abs(m)), IndexMathD(a, n, m));
                        a[i] = keep - 1e-6;
                        var (down, down2) = (OffsetsD(a, n, Math.Abs(m)), IndexMathD(a, n, m));
                        a[i] = keep;
                        var (fd, fd2) = ((up - down) / 2e-6, (up2 - down2) / 2e-6);
                        if (Math.Abs(fd - g2[i]) > 1e-6 * Math.Max(1, Math.Abs(fd)) + 1e-9 * Math.Max(1, Math.Abs(v2)))
                        {
                            problems.Add(Report("Offsets central differences a[" + i + "]", n, m, g2[i], fd));
                        }

                        if (Math.Abs(fd2 - h2[i]) > 1e-6 * Math.Max(1, Math.Abs(fd2)) + 1e-9 * Math.Max(1, Math.Abs(w2)))
                        {
                            problems.Add(Report("IndexMath central differences a[" + i + "]", n, m, h2[i], fd2));
                        }
                    }
                }

                return problems.ToArray();
            }
        }
        """;

    private static readonly Lazy<Type> s_type = new(() =>
    {
        var output = GeneratorHarness.Run(Source);
        GeneratorHarness.AssertClean(output);
        return GeneratorHarness.Load(output.OutputCompilation).GetType("Session22GenericInts.GI")!;
    });

    [Fact]
    public void GenericGmmNestCompilesAndMatchesItsDoubleTwin() =>
        Assert.Empty((string[])s_type.Value.GetMethod("CheckMixture")!.Invoke(null, null)!);

    [Fact]
    public void UserIntegerMathAndOffsetLoopsCompileAndMatchTheirDoubleTwins() =>
        Assert.Empty((string[])s_type.Value.GetMethod("CheckIndices")!.Invoke(null, null)!);

    [Fact]
    public void TheGeneratedTextSpellsIntegerMathOnItsOwnType()
    {
        var sources = string.Join("\n", GeneratorHarness.Run(Source).Sources.Where(s => s.HintName.Contains("GI.IndexMath.", StringComparison.Ordinal) || s.HintName.Contains("GI.Mixture.", StringComparison.Ordinal)).Select(s => s.Source));
        Assert.Contains("int.Max(", sources, StringComparison.Ordinal);
        Assert.Contains("long.Abs(", sources, StringComparison.Ordinal);
        Assert.DoesNotContain("T.Max(0", sources, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(int.MinValue, 0, typeof(OverflowException))]
    [InlineData(1, 3, typeof(ArgumentException))]
    [InlineData(4, 0, null)]
    public void IntegerCallsThrowWhatTheMethodThrows(int shift, int low, Type? expected)
    {
        object? Call(string name)
        {
            try
            {
                return s_type.Value.GetMethod(name)!.Invoke(null, new object[] { shift, low });
            }
            catch (TargetInvocationException e)
            {
                return e.InnerException!.GetType();
            }
        }

        var primal = Call("ThrowsPrimal");
        var backward = Call("Throws");
        if (expected is null)
        {
            Assert.IsType<double>(primal);
            Assert.Equal(primal, backward);
        }
        else
        {
            Assert.Equal(expected, primal);
            Assert.Equal(expected, backward);
        }
    }
}

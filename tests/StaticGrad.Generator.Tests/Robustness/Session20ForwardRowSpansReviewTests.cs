using System.Reflection;
using System.Text.RegularExpressions;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using StaticGrad.Generator.Tests.Infrastructure;

namespace StaticGrad.Generator.Tests.Robustness;

/// <summary>
/// Review of session 20's forward row spans (mlp20, <c>ReverseModeTransformer.ForwardRowSpans.cs</c>): the guard
/// <c>if (i &lt; n &amp;&amp; 0 &lt;= off &amp;&amp; n &lt;= a.Length − off …)</c> evaluates every row's offset once before the
/// first iteration, where the user's loop evaluates an offset only when it reaches the element. Two compilations of
/// one source: unchecked (the default) and checked (<c>CheckOverflow</c>, a project with
/// <c>&lt;CheckForOverflowUnderflow&gt;</c>). Each probe returns the exception type and message (or the value's bits)
/// from the plain method and from the Backward, which must be equal; gradients against central finite differences
/// (step 1e-6, tolerance 1e-6 relative to max(1, |fd|)). Aliasing (a written row read through another parameter
/// holding the same array, the next element read after the write) is compared against the indexed order evaluated by
/// hand and the Backward of two separate arrays. Also: a <c>short</c> offset, float and double rows mixed, user names
/// on the emitter's stems (<c>_aRow</c>, <c>_aRow0</c>), and a Hessian over a versioned loop (compiled clean).
/// </summary>
public sealed class Session20ForwardRowSpansReviewTests
{
    private const string Source = """
        using System;
        using StaticGrad;

        namespace ForwardRowsReview;

        public static partial class R
        {
            // The row is read only under a condition that never holds for x ≤ 10: the user's loop never evaluates j * m.
            [Differentiable]
            public static double ConditionalRow(double[] a, [NoGrad] double x, int n, int j, int m)
            {
                var s = 0.0;
                for (var i = 0; i < n; i++)
                {
                    if (x > 10)
                    {
                        s += a[(j * m) + i] * x;
                    }
                    else
                    {
                        s += x * a[i];
                    }
                }

                return s * s;
            }

            // An integer division throws in the first iteration before the row is read.
            [Differentiable]
            public static double DivisionBeforeRow(double[] a, [NoGrad] double x, int n, int j, int m, int k)
            {
                var s = 0.0;
                for (var i = 0; i < n; i++)
                {
                    var q = 12 / (k - i);
                    s += a[(j * m) + i] * q * x;
                }

                return s * s;
            }

            // Written row (Span) and read rows through b, shifted by one: b[off + i + 1] is read after a[off + i] is written.
            [Differentiable]
            public static double WriteThenReadNext(double[] a, double[] b, int n, int off)
            {
                var s = 0.0;
                for (var i = 0; i < n; i++)
                {
                    a[off + i] = (a[off + i] * 0.5) + b[off + 1 + i];
                    s += b[off + i] * a[off + i];
                }

                return s * s;
            }

            // short offset and a constant bound; float and double rows mixed.
            [Differentiable]
            public static double ShortOffsetMixed(double[] a, float[] f, short off)
            {
                var s = 0.0;
                for (var i = 0; i < 3; i++)
                {
                    s += a[off + i] * f[off + i];
                    f[off + i] = f[off + i] * 2f;
                }

                return s * s;
            }

            // Hostile user names: the stems the emitter mints for spans.
            [Differentiable]
            public static double HostileSpans(double[] _aRow, double[] _aRow0, int _row, int _span)
            {
                var s = 0.0;
                for (var i = 0; i < _span; i++)
                {
                    s += _aRow[_row + i] * _aRow0[i];
                }

                return s * s;
            }
        }

        public static partial class H
        {
            // Second order over a versioned loop: the JVP's backward reverses the loop with tangent rows.
            [Differentiable(Hessian = true)]
            public static double HessianRows(double[] w, double[] x, int n, int off)
            {
                var s = 0.0;
                for (var i = 0; i < n; i++)
                {
                    s += w[off + i] * w[off + i] * x[i];
                }

                return s * s;
            }
        }

        public static class Probe
        {
            public static string ConditionalPrimal(int j, int m) => Catch(() => R.ConditionalRow(Filled(8), 0.5, 4, j, m));

            public static string ConditionalBackward(int j, int m) => Catch(() => R.ConditionalRowBackward(Filled(8), 0.5, 4, j, m, new double[8]));

            public static string DivisionPrimal(int j, int m, int k) => Catch(() => R.DivisionBeforeRow(Filled(8), 0.5, 4, j, m, k));

            public static string DivisionBackward(int j, int m, int k) => Catch(() => R.DivisionBeforeRowBackward(Filled(8), 0.5, 4, j, m, k, new double[8]));

            /// <summary>
            /// The Backward with a and b the same array against the indexed evaluation by hand over a written copy of a and
            /// b itself (the Backward writes a copy of a written parameter array, ParameterCopies, since b35b720: with a and b
            /// the same array the plain method reads its own writes through b, the Backward does not; that is not this change's).
            /// </summary>
            public static string Aliased(int n, int off)
            {
                var expected = Catch(() =>
                {
                    var c = Filled(8);
                    var d = Filled(8);
                    var s = 0.0;
                    for (var i = 0; i < n; i++)
                    {
                        c[off + i] = (c[off + i] * 0.5) + d[off + 1 + i];
                        s += d[off + i] * c[off + i];
                    }

                    return s * s;
                });
                var backward = Catch(() =>
                {
                    var q = Filled(8);
                    return R.WriteThenReadNextBackward(q, q, n, off, new double[8], new double[8]);
                });
                var copies = Catch(() => R.WriteThenReadNextBackward(Filled(8), Filled(8), n, off, new double[8], new double[8]));
                return expected == backward && backward == copies ? "same" : expected + " / " + backward + " / " + copies;
            }

            public static string ShortPrimal(short off) => Catch(() => R.ShortOffsetMixed(Filled(6), FilledF(6), off));

            public static string ShortBackward(short off) => Catch(() => R.ShortOffsetMixedBackward(Filled(6), FilledF(6), off, new double[6], new float[6]));

            public static string HostilePrimal(int row, int span) => Catch(() => R.HostileSpans(Filled(6), Filled(6), row, span));

            public static string HostileBackward(int row, int span) => Catch(() => R.HostileSpansBackward(Filled(6), Filled(6), row, span, new double[6], new double[6]));

            /// <summary>Largest |analytic − central difference| / max(1, |fd|) of ConditionalRow's gradient in a.</summary>
            public static double ConditionalGradientError(double x, int j, int m)
            {
                var a = Filled(8);
                var da = new double[8];
                R.ConditionalRowBackward(a, x, 4, j, m, da);
                var worst = 0.0;
                for (var e = 0; e < 8; e++)
                {
                    var plus = Filled(8);
                    var minus = Filled(8);
                    plus[e] += 1e-6;
                    minus[e] -= 1e-6;
                    var fd = (R.ConditionalRow(plus, x, 4, j, m) - R.ConditionalRow(minus, x, 4, j, m)) / 2e-6;
                    worst = Math.Max(worst, Math.Abs(da[e] - fd) / Math.Max(1, Math.Abs(fd)));
                }

                return worst;
            }

            private static string Catch(Func<double> f)
            {
                try
                {
                    return "none " + BitConverter.DoubleToInt64Bits(f());
                }
                catch (Exception e)
                {
                    return e.GetType().Name + ": " + e.Message;
                }
            }

            private static double[] Filled(int length)
            {
                var a = new double[length];
                for (var i = 0; i < length; i++)
                {
                    a[i] = 0.25 + (0.125 * i);
                }

                return a;
            }

            private static float[] FilledF(int length)
            {
                var a = new float[length];
                for (var i = 0; i < length; i++)
                {
                    a[i] = 0.5f + (0.25f * i);
                }

                return a;
            }
        }
        """;

    private static readonly Lazy<(Assembly Assembly, string Generated)> s_unchecked = new(() => Build(checkOverflow: false));

    private static readonly Lazy<(Assembly Assembly, string Generated)> s_checked = new(() => Build(checkOverflow: true));

    /// <summary>Every method's loop takes the span copy (the attack needs the versioned loop), in both compilations.</summary>
    [Fact]
    public void Each_loop_is_versioned()
    {
        var found = Regex.Matches(s_unchecked.Value.Generated, "// Over row spans where every row is in range").Count;
        Assert.True(found >= 5, $"{found} forward loops over row spans (expected at least 5)\n{s_unchecked.Value.Generated}");
    }

    /// <summary>Checked: no guard evaluates an arithmetic offset (it could throw before the loop); name and literal offsets still take the span copy.</summary>
    [Fact]
    public void Checked_guards_no_arithmetic_offset()
    {
        var generated = s_checked.Value.Generated;
        Assert.DoesNotMatch(new Regex(@"if \(\w+ < \w+ && [^\n]*\*"), generated);
        Assert.Contains("// Over row spans where every row is in range", generated, StringComparison.Ordinal);
    }

    /// <summary>Unchecked: j · m overflows and wraps in both copies; the primal's result or exception is the Backward's.</summary>
    [Theory]
    [InlineData(0, 0)]
    [InlineData(1, 4)]
    [InlineData(65536, 65536)]
    [InlineData(100000, 100000)]
    public void Unchecked_conditional_row_is_the_methods(int j, int m)
    {
        Assert.Equal(Call(s_unchecked, "ConditionalPrimal", j, m), Call(s_unchecked, "ConditionalBackward", j, m));
    }

    [Theory]
    [InlineData(0, 0, 0)]
    [InlineData(1, 2, 9)]
    [InlineData(100000, 100000, 0)]
    [InlineData(100000, 100000, 9)]
    public void Unchecked_division_before_row_is_the_methods(int j, int m, int k)
    {
        Assert.Equal(Call(s_unchecked, "DivisionPrimal", j, m, k), Call(s_unchecked, "DivisionBackward", j, m, k));
    }

    /// <summary>Checked, offsets in range: the guard's arithmetic does not throw; values as the method's.</summary>
    [Theory]
    [InlineData(1, 4)]
    [InlineData(0, 100000)]
    public void Checked_conditional_row_in_range_is_the_methods(int j, int m)
    {
        Assert.Equal(Call(s_checked, "ConditionalPrimal", j, m), Call(s_checked, "ConditionalBackward", j, m));
    }

    /// <summary>
    /// The review's defect, fixed: in a checked project the guard evaluated <c>0 &lt;= j * m</c> before the first
    /// iteration, so a row offset that overflows threw <c>OverflowException</c> from the Backward where the method reads
    /// the row only under a condition that never holds (the method returns a value), or throws another exception first
    /// (<c>DivideByZeroException</c> in iteration 0 before the row). With overflow checking on, only offsets that are a
    /// name or a literal are guarded (<c>MethodIR.CheckedArithmetic</c>).
    /// </summary>
    [Theory]
    [InlineData(100000, 100000)]
    public void Checked_overflowing_offset_of_a_row_never_read_throws_nothing(int j, int m)
    {
        Assert.StartsWith("none", Call(s_checked, "ConditionalPrimal", j, m), StringComparison.Ordinal);
        Assert.Equal(Call(s_checked, "ConditionalPrimal", j, m), Call(s_checked, "ConditionalBackward", j, m));
    }

    [Theory]
    [InlineData(100000, 100000, 0)]
    public void Checked_division_before_overflowing_row_throws_the_division(int j, int m, int k)
    {
        Assert.StartsWith("DivideByZeroException", Call(s_checked, "DivisionPrimal", j, m, k), StringComparison.Ordinal);
        Assert.Equal(Call(s_checked, "DivisionPrimal", j, m, k), Call(s_checked, "DivisionBackward", j, m, k));
    }

    /// <summary>Checked, the overflow reached in the first iteration either way: both throw OverflowException.</summary>
    [Fact]
    public void Checked_overflow_reached_by_the_method_is_thrown()
    {
        var primal = Call(s_checked, "DivisionPrimal", 100000, 100000, 9);
        Assert.StartsWith("OverflowException", primal, StringComparison.Ordinal);
        Assert.Equal(primal, Call(s_checked, "DivisionBackward", 100000, 100000, 9));
    }

    /// <summary>a and b the same array, the next element read after a write: the indexed order's value (over the Backward's copy of a) bit for bit.</summary>
    [Theory]
    [InlineData(4, 0)]
    [InlineData(4, 3)]
    [InlineData(7, 0)]
    [InlineData(5, 3)]
    [InlineData(0, 9)]
    public void Aliased_write_then_read_next_is_the_indexed_orders(int n, int off)
    {
        var result = Call(s_unchecked, "Aliased", n, off);
        Assert.True(result == "same", result);
        result = Call(s_checked, "Aliased", n, off);
        Assert.True(result == "same", result);
    }

    [Theory]
    [InlineData((short)0)]
    [InlineData((short)3)]
    [InlineData((short)4)]
    [InlineData((short)-1)]
    public void Short_offset_float_and_double_rows_are_the_methods(short off)
    {
        Assert.Equal(Call(s_unchecked, "ShortPrimal", off), Call(s_unchecked, "ShortBackward", off));
    }

    [Theory]
    [InlineData(0, 6)]
    [InlineData(2, 4)]
    [InlineData(3, 4)]
    [InlineData(-1, 2)]
    [InlineData(9, 0)]
    public void Hostile_names_are_the_methods(int row, int span)
    {
        Assert.Equal(Call(s_unchecked, "HostilePrimal", row, span), Call(s_unchecked, "HostileBackward", row, span));
    }

    /// <summary>Gradient against central differences (1e-6 relative to max(1, |fd|)), both branches, both projects.</summary>
    [Theory]
    [InlineData(0.5, 1, 4)]
    [InlineData(11.0, 1, 4)]
    [InlineData(11.0, 0, 3)]
    public void Conditional_row_gradient_matches_central_differences(double x, int j, int m)
    {
        Assert.True((double)Invoke(s_unchecked, "ConditionalGradientError", x, j, m) < 1e-6);
        Assert.True((double)Invoke(s_checked, "ConditionalGradientError", x, j, m) < 1e-6);
    }

    private static (Assembly Assembly, string Generated) Build(bool checkOverflow)
    {
        var compilation = GeneratorHarness.CreateCompilation(Source);
        compilation = compilation.WithOptions(compilation.Options.WithOverflowChecks(checkOverflow));
        var output = GeneratorHarness.Run(compilation);
        GeneratorHarness.AssertClean(output);
        return (GeneratorHarness.Load(output.OutputCompilation), string.Join("\n", output.Sources.Select(s => s.Source)));
    }

    private static string Call(Lazy<(Assembly Assembly, string Generated)> build, string name, params object[] args) => (string)Invoke(build, name, args);

    private static object Invoke(Lazy<(Assembly Assembly, string Generated)> build, string name, params object[] args) =>
        build.Value.Assembly.GetType("ForwardRowsReview.Probe")!.GetMethod(name, BindingFlags.Public | BindingFlags.Static)!.Invoke(null, args)!;
}

using System.Text.RegularExpressions;
using StaticGrad.Generator.Tests.Correctness.Harness;

namespace StaticGrad.Generator.Tests.Correctness;

/// <summary>
/// <c>Math</c> values of the forward sweep kept for the reverse (issue 18): a statement that runs once per reversal
/// keeps each call it always evaluates in a local, and its reverse reads the local instead of calling again. Every
/// method is checked against central finite differences (tolerances of <see cref="FiniteDifferenceCheck"/>: double
/// |g − fd| ≤ 1e-6·max(1,|fd|) plus the rounding bound, float 2e-3). The regressions are random batch 20261125 P247's
/// shape: a derivative's text (cos from sin′, sin from cos′) equal to a call in a branch of <c>?:</c> or right of
/// <c>&amp;&amp;</c> that did not run, which must not be read from a local.
/// </summary>
public sealed partial class KeptBuiltinTests
{
    private const int PointsPerFunction = 6;

    private const string Source = """
        using System;
        using StaticGrad;

        namespace Corpus;

        public static partial class Kept
        {
            // Black–Scholes' shape: exp(−r·t), log(s/k) and sqrt(t) are factors and arguments of other terms.
            // domain: s=0.5..2 v=0.1..0.5 r=0..0.1 t=0.5..2
            [Differentiable]
            public static double Price(double s, double v, double r, double t)
            {
                var st = v * Math.Sqrt(t);
                var d1 = (Math.Log(s / 1.1) + ((r + (0.5 * v * v)) * t)) / st;
                var discount = 1.1 * Math.Exp(-r * t);
                return (s * Math.Tanh(d1)) - (discount * Math.Log(s / 1.1) * Math.Sqrt(t) * d1);
            }

            // sin′ is cos(x): the same text as the call in the branch that runs only when x > y.
            // domain: x=-1..1 y=-1..1
            [Differentiable]
            public static double SinBesideConditionalCos(double x, double y) => (Math.Sin(x) * y) + (x > y ? Math.Cos(x) * x : x * y);

            // cos′ is −sin(x): the same text as the call in the branch that runs only when x ≤ y.
            // domain: x=-1..1 y=-1..1
            [Differentiable]
            public static double CosBesideConditionalSin(double x, double y)
            {
                var u = (Math.Cos(x) * y) + (x > y ? x * y : Math.Sin(x) * y);
                return u * x;
            }

            // Right of && the call runs only when the left side holds; exp′ reads Exp(x) again.
            // domain: x=-1..1 y=-1..1
            [Differentiable]
            public static double RightOfAnd(double x, double y) => (x > 0.0 && Math.Exp(x) > 1.5 ? Math.Exp(x) * y : y * y) + (Math.Exp(x) * x);

            // Nested calls: the inner value is the outer call's argument and a factor of its partial.
            // domain: x=-1..1 y=-1..1
            [Differentiable]
            public static double Nested(double x, double y) => Math.Exp(Math.Sin(x * y)) * y + Math.Sqrt(1.0 + (x * x)) * Math.Sqrt(2.0 + (y * y));

            // A fused reduction loop: the value is kept once per iteration and read by the same iteration's reverse.
            // domain: a[5]=-1..1 x=-1..1
            [Differentiable]
            public static double FusedLoop(double[] a, double x)
            {
                var s = 0.0;
                for (var i = 0; i < a.Length; i++)
                {
                    s += Math.Exp(a[i] * x) * a[i] + Math.Sin(x) * Math.Cos(a[i]);
                }

                return 3.0 * s;
            }

            // Not fused (s is read nonlinearly): the loop's statement pushes exp's value, which its reverse pops (session 18).
            // domain: a[4]=-1..1 x=-1..1
            [Differentiable]
            public static double UnfusedLoop(double[] a, double x)
            {
                var s = 0.0;
                for (var i = 0; i < a.Length; i++)
                {
                    s = s * 0.5 + Math.Exp(a[i] * x) * a[i];
                }

                return s * s;
            }

            // An argument overwritten after the statement: the kept value is the one the statement saw.
            // domain: x=-1..1 y=-1..1
            [Differentiable]
            public static double ArgumentOverwritten(double x, double y)
            {
                var a = Math.Exp(x * y) * y;
                x = a * Math.Sin(x);
                return x * Math.Exp(x * y);
            }

            // domain: x=-1..1 y=-1..1
            [Differentiable]
            public static float FloatMix(float x, float y) => (MathF.Exp(x * y) * y) + (x > y ? MathF.Cos(x) : MathF.Sin(x) * y);
        }
        """;

    private static readonly IReadOnlyList<MethodUnderTest> s_methods = MethodUnderTest.ReadAll(Source);

    private static readonly Lazy<CompiledBatch> s_batch = new(() => CompiledBatch.Compile(new[] { Source }, s_methods));

    public static TheoryData<string> Methods() => MethodUnderTest.Keys(s_methods);

    [Theory]
    [MemberData(nameof(Methods))]
    public void Gradient_matches_central_finite_differences(string key)
    {
        s_batch.Value.AssertGradientMatchesFiniteDifferences(s_methods.Single(m => m.Key == key), PointsPerFunction);
    }

    /// <summary>How many times the whole backward (both sweeps, fused iterations included) calls a <c>Math</c> function.</summary>
    [Theory]
    [InlineData("Kept.Price", "Exp", 1)]
    [InlineData("Kept.Price", "Log", 2)]
    [InlineData("Kept.Price", "Sqrt", 2)]
    [InlineData("Kept.Price", "Tanh", 1)]
    // Cos(x) in the ?: branch is never kept: sin′ calls it again (the branch's own partial needs it too), while the
    // branch's cos′ reads the kept, always evaluated Sin(x); and the other way round.
    [InlineData("Kept.SinBesideConditionalCos", "Sin", 1)]
    [InlineData("Kept.SinBesideConditionalCos", "Cos", 3)]
    [InlineData("Kept.CosBesideConditionalSin", "Cos", 1)]
    [InlineData("Kept.CosBesideConditionalSin", "Sin", 3)]
    // The unconditional Exp(x) is kept; the two behind && and in the branch are not.
    [InlineData("Kept.RightOfAnd", "Exp", 4)]
    [InlineData("Kept.Nested", "Exp", 1)]
    [InlineData("Kept.Nested", "Sin", 1)]
    [InlineData("Kept.Nested", "Sqrt", 2)]
    [InlineData("Kept.FusedLoop", "Exp", 1)]
    // cos′(a[i]) is −sin(a[i]), not the kept Sin(x).
    [InlineData("Kept.FusedLoop", "Sin", 2)]
    [InlineData("Kept.UnfusedLoop", "Exp", 1)]
    [InlineData("Kept.ArgumentOverwritten", "Exp", 2)]
    [InlineData("Kept.FloatMix", "Exp", 1)]
    public void Backward_calls_the_function(string key, string function, int expected) => AssertBackwardCalls(s_batch.Value, key, function, expected);

    /// <summary>Asserts how many times a method's whole backward (both sweeps) calls a <c>Math</c>/<c>MathF</c> function.</summary>
    internal static void AssertBackwardCalls(CompiledBatch batch, string key, string function, int expected)
    {
        var source = Infrastructure.ForwardRowCopies.WithoutSpanCopies(batch.GeneratedSource[key]);
        var start = source.IndexOf("// Forward sweep", StringComparison.Ordinal);
        var end = source.IndexOf("return _result;", start, StringComparison.Ordinal);
        var body = source.Substring(start, end - start);
        var calls = Regex.Matches(body, @"global::System\.MathF?\." + function + @"\(").Count;
        Assert.True(calls == expected, $"{key}: the backward calls {function} {calls} times, expected {expected}.\n{body}");
    }
}

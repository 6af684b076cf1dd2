using System.Reflection;
using StaticGrad.Generator.Tests.Correctness.Harness;
using StaticGrad.Generator.Tests.Infrastructure;

namespace StaticGrad.Generator.Tests.Robustness;

/// <summary>
/// <c>{Name}BackwardPair</c> (session 25): two calls of a one-input callee whose partials a statement saves run as one
/// call of the pair, which runs the callee's forward-mode unit pass over two vector lanes. The contract is that the pair
/// is the two calls <c>{Name}Backward(x, ref dx, 1)</c> bit for bit — values, partials added to non-zero adjoints, and
/// whatever the calls do where the lanes branch apart, where a partial takes the backward's seeded pass (x = ±0, a unit
/// tangent beyond the range), at ±∞, NaN and subnormals — so it is checked against those calls exactly, on callees
/// with branches (Hart's Φ in double and float), per-lane <c>Math</c> functions, <c>?:</c> and <c>&amp;&amp;</c>
/// conditions, a loop (no vector pass: the two calls), a reverse-mode callee (the two calls), and hostile names. The
/// callers' gradients against central differences (<see cref="FiniteDifferenceCheck"/>: double
/// |g − fd| ≤ 1e-6·max(1, |fd|) + the rounding bound, float 2e-3), and which statements pair: not calls under
/// <c>?:</c>, not a call inside another's argument, and a pair file only for callees some method calls twice.
/// </summary>
public sealed class Session25PairBackwardTests
{
    private const int PointsPerFunction = 3;

    private const string Source = """
        using System;
        using StaticGrad;

        namespace Pairs25;

        public static partial class P
        {
            private const double Half = 0.25;

            // Hart's Φ as the benchmark writes it.
            // domain: x=-6.5..6.5
            [Differentiable]
            public static double Cdf(double x)
            {
                var z = Math.Abs(x);
                double tail;
                if (z > 37.0)
                {
                    tail = 0.0;
                }
                else if (z < 7.07106781186547)
                {
                    var numerator = (0.0352624965998911 * z) + 0.700383064443688;
                    numerator = (numerator * z) + 6.37396220353165;
                    numerator = (numerator * z) + 33.912866078383;
                    numerator = (numerator * z) + 112.079291497871;
                    numerator = (numerator * z) + 221.213596169931;
                    numerator = (numerator * z) + 220.206867912376;
                    var denominator = (0.0883883476483184 * z) + 1.75566716318264;
                    denominator = (denominator * z) + 16.064177579207;
                    denominator = (denominator * z) + 86.7807322029461;
                    denominator = (denominator * z) + 296.564248779674;
                    denominator = (denominator * z) + 637.333633378831;
                    denominator = (denominator * z) + 793.826512519948;
                    denominator = (denominator * z) + 440.413735824752;
                    tail = Math.Exp(-0.5 * z * z) * numerator / denominator;
                }
                else
                {
                    var fraction = z + 0.65;
                    fraction = z + (4.0 / fraction);
                    fraction = z + (3.0 / fraction);
                    fraction = z + (2.0 / fraction);
                    fraction = z + (1.0 / fraction);
                    tail = Math.Exp(-0.5 * z * z) / fraction / 2.506628274631;
                }

                return x > 0.0 ? 1.0 - tail : tail;
            }

            // A float Φ with three branches at 9 and 3.
            // domain: x=-2.8..2.8
            [Differentiable]
            public static float CdfF(float x)
            {
                var z = MathF.Abs(x);
                float tail;
                if (z > 9f)
                {
                    tail = 0f;
                }
                else if (z < 3f)
                {
                    var n = (0.0352625f * z) + 0.700383f;
                    n = (n * z) + 6.373962f;
                    var d = (0.0883883f * z) + 1.755667f;
                    d = (d * z) + 16.06418f;
                    tail = MathF.Exp(-0.5f * z * z) * n / d;
                }
                else
                {
                    var fraction = z + 0.65f;
                    fraction = z + (1f / fraction);
                    tail = MathF.Exp(-0.5f * z * z) / fraction / 2.5066283f;
                }

                return x > 0f ? 1f - tail : tail;
            }

            // Per-lane functions (Log, Tanh, Pow, Exp twice with one argument), an integer literal, ?:, a condition with && and !, a
            // reassigned local whose Exp is taken again, Sqrt and Abs over lanes.
            // domain: x=-2..2
            [Differentiable]
            public static double Soft(double x)
            {
                var s = Math.Log(1.0 + Math.Exp(x)) + Math.Tanh(0.5 * x);
                var t = x > 0.0 ? Math.Pow(1.0 + x, 1.5) : Math.Exp(x) - 1;
                if (t > -0.5 && !(s < 0.2))
                {
                    s = s * Math.Exp(x) + Math.Sqrt(Math.Abs(t) + 1.0);
                }
                else
                {
                    s = s - t * Math.Exp(x);
                }

                s = s * Math.Exp(x * 0.25);
                return s + t;
            }

            // A loop: no vector pass, the pair is the two calls.
            // domain: x=-1.5..1.5
            [Differentiable]
            public static double Looped(double x)
            {
                var p = 0.5;
                for (var k = 0; k < 5; k++)
                {
                    p = (p * x) + Math.Sin(k * x);
                }

                return p;
            }

            // Straight-line: a reverse-mode backward, the pair is the two calls.
            // domain: x=-2..2
            [Differentiable]
            public static double Plain(double x) => (x * x) + Math.Sin(x);

            // An integer literal and a constant's name; the pair's own names as the callee's: x2, value2, _lanes, _first, _calls, _taken, _exp, _argument, _value, _tangent, _partial.
            // domain: x2=-1.5..1.5
            [Differentiable]
            public static double Hostile(double x2)
            {
                var value2 = (x2 / 2) + (Half * x2);
                var _lanes = Math.Exp(value2);
                var _first = _lanes * x2;
                var _calls = _first > 0.1 ? _first : -_first;
                var _taken = Math.Exp(_calls) + value2;
                var _exp = Math.Exp(_taken * 0.1);
                var _argument = _exp * _exp;
                var _value = _argument - _taken;
                var _tangent = _value * _value;
                var _partial = _tangent + _calls;
                _partial = (_partial * _partial * 0.01) + _tangent;
                return _partial;
            }

            // Called once by every method: no pair file.
            // domain: x=0.5..2
            [Differentiable]
            public static double Single(double x)
            {
                var y = x * x;
                y = y * x + 1.0;
                return Math.Log(y);
            }

            // The benchmark's call price: one pair.
            // domain: spot=70..140 volatility=0.1..0.5 rate=0..0.08 maturity=0.2..2.5 strike=95..110
            [Differentiable]
            public static double Price(double spot, double volatility, double rate, double maturity, [NoGrad] double strike)
            {
                var sqrtMaturity = Math.Sqrt(maturity);
                var d1 = (Math.Log(spot / strike) + ((rate + (0.5 * volatility * volatility)) * maturity)) / (volatility * sqrtMaturity);
                var d2 = d1 - (volatility * sqrtMaturity);
                return (spot * Cdf(d1)) - (strike * Math.Exp(-rate * maturity) * Cdf(d2));
            }

            // domain: spot=80..120 volatility=0.15..0.4 maturity=0.5..2
            [Differentiable]
            public static float PriceF(float spot, float volatility, float maturity)
            {
                var sqrtMaturity = MathF.Sqrt(maturity);
                var d1 = (MathF.Log(spot / 100f) + (0.5f * volatility * volatility * maturity)) / (volatility * sqrtMaturity);
                // Scaled to order 1: float central differences of a price of order 10 are noise at 4e-3.
                return (spot * 0.01f * CdfF(d1)) - CdfF(d1 - (volatility * sqrtMaturity));
            }

            // The lanes in different branches: the rational branch and the continued fraction, scaled to order 1.
            // domain: x=0.2..0.9
            [Differentiable]
            public static double ApartBranches(double x) => (Cdf(-(x * x) - 7.1) * 1e13) + Cdf(x);

            // Three calls: the first two pair, the third is a call of its own.
            // domain: a=-1.5..1.5 b=0.3..1.5
            [Differentiable]
            public static double ThreeCalls(double a, double b) => Soft(a * b) + (Soft(a - b) * Soft(b));

            // domain: a=-1.5..1.5 b=0.3..1.5
            [Differentiable]
            public static double Callees(double a, double b) => (Looped(a * b) * Looped(b - a)) + (Plain(a) * Plain(b)) + (Hostile(a) - Hostile(b * 0.5)) + Single(b + 1.0);

            // A call of another callee between two calls: not paired (it could throw or log, and the pair would run the second call ahead of it).
            // domain: a=-1.5..1.5 b=0.3..1.5
            [Differentiable]
            public static double CallBetween(double a, double b) => (Looped(a * b) * Plain(a)) - Looped(b - a);

            // Under ?: each call runs only when its branch does: not paired.
            // domain: a=-1.5..1.5 b=-1.5..1.5
            [Differentiable]
            public static double Conditional(double a, double b) => a > 0.1 ? Cdf(a) * b : Cdf(b) * a;

            // A call in another's argument: not paired.
            // domain: a=-1.5..1.5
            [Differentiable]
            public static double Nested(double a) => Cdf(Cdf(a) * 2.0 - 1.0);

            // The caller's names as the pair's temporaries.
            // domain: dx=-1..1 seed=0.5..1.5
            [Differentiable]
            public static double CallerNames(double dx, double seed)
            {
                var _c3 = Cdf(dx * seed) * Cdf(dx - seed);
                var _dc2 = _c3 + Soft(dx) - Soft(seed);
                return _dc2 * seed;
            }
        }
        """;

    private static readonly IReadOnlyList<MethodUnderTest> s_methods = MethodUnderTest.ReadAll(Source);

    private static readonly Lazy<CompiledBatch> s_batch = new(() => CompiledBatch.Compile(new[] { Source }, s_methods, nullableAnalysis: false));

    public static TheoryData<string> Methods() => MethodUnderTest.Keys(s_methods);

    [Theory]
    [MemberData(nameof(Methods))]
    public void Gradient_matches_central_finite_differences(string key)
    {
        s_batch.Value.AssertAcceptedAndGradientMatches(key, s_methods, PointsPerFunction);
    }

    /// <summary>Inputs where the lanes agree and where they do not, and every edge of the scalar backward.</summary>
    private static readonly double[] s_inputs =
    {
        0.3, -0.3, 1.7, -2.4, 6.9, 7.2, -7.5, 36.0, 38.0, -40.0, 0.0, -0.0, 1e-310, -1e-310, 1e-300, 5e-324,
        double.PositiveInfinity, double.NegativeInfinity, double.NaN, 1e308, -1e308, 0.1, 2.0, -1.0, 4.5,
    };

    /// <summary>
    /// Each pair against the two calls of the callee's backward with seed 1, over every two inputs (625 pairs): the
    /// value, the second value and both adjoints (starting from 0.375 and −1.25, so that the accumulation is checked)
    /// bit for bit.
    /// </summary>
    [Theory]
    [InlineData("Cdf")]
    [InlineData("CdfF")]
    [InlineData("Soft")]
    [InlineData("Looped")]
    [InlineData("Plain")]
    [InlineData("Hostile")]
    public void Pair_is_the_two_calls_bit_for_bit(string callee)
    {
        var type = Type();
        var pair = type.GetMethod(callee + "BackwardPair", BindingFlags.NonPublic | BindingFlags.Static);
        Assert.True(pair is not null, callee + "BackwardPair was not generated");
        var backward = type.GetMethod(callee + "Backward", BindingFlags.Public | BindingFlags.Static)!;
        var isFloat = callee == "CdfF";
        object Scalar(double v) => isFloat ? (object)(float)v : v;
        static long Bits(object v) => v is float f ? BitConverter.SingleToInt32Bits(f) : BitConverter.DoubleToInt64Bits((double)v);
        var problems = new List<string>();
        foreach (var x in s_inputs)
        {
            foreach (var y in s_inputs)
            {
                var expectedFirst = new[] { Scalar(x), Scalar(0.375), Scalar(1.0) };
                var value = backward.Invoke(null, expectedFirst)!;
                var expectedSecond = new[] { Scalar(y), Scalar(-1.25), Scalar(1.0) };
                var value2 = backward.Invoke(null, expectedSecond)!;
                var arguments = new[] { Scalar(x), Scalar(y), Scalar(0.375), Scalar(-1.25), Scalar(0.0) };
                var pairValue = pair!.Invoke(null, arguments)!;
                if (Bits(pairValue) != Bits(value) || Bits(arguments[4]) != Bits(value2) || Bits(arguments[2]) != Bits(expectedFirst[1]) || Bits(arguments[3]) != Bits(expectedSecond[1]))
                {
                    problems.Add($"{callee}({x:R}, {y:R}): pair {pairValue}, {arguments[4]}, d {arguments[2]}, {arguments[3]}; calls {value}, {value2}, d {expectedFirst[1]}, {expectedSecond[1]}");
                }
            }
        }

        Assert.True(problems.Count == 0, problems.Count + " differences:\n" + string.Join("\n", problems.Take(20)));
    }

    /// <summary>Where the pass runs over vector lanes and where the pair is the two calls (inlined).</summary>
    [Theory]
    [InlineData("Cdf", true)]
    [InlineData("CdfF", true)]
    [InlineData("Soft", true)]
    [InlineData("Hostile", true)]
    [InlineData("Looped", false)]
    [InlineData("Plain", false)]
    public void Pair_runs_over_vector_lanes_where_the_body_is_arithmetic_and_branches(string callee, bool vector)
    {
        var file = PairFile(callee);
        Assert.True(file is not null, "no pair file for " + callee);
        Assert.True(vector == file!.Contains("Vector128.IsHardwareAccelerated", StringComparison.Ordinal), file);
        Assert.True(vector != file.Contains("AggressiveInlining", StringComparison.Ordinal), file);
    }

    /// <summary>Which statements call a pair: two saved calls of one callee, not under ?:, not one inside the other's argument.</summary>
    [Theory]
    [InlineData("Price", "CdfBackwardPair(d1, d2, ")]
    [InlineData("PriceF", "CdfFBackwardPair(")]
    [InlineData("ApartBranches", "CdfBackwardPair(")]
    [InlineData("ThreeCalls", "SoftBackwardPair(")]
    [InlineData("Callees", "LoopedBackwardPair(")]
    [InlineData("Callees", "PlainBackwardPair(")]
    [InlineData("Callees", "HostileBackwardPair(")]
    [InlineData("CallerNames", "CdfBackwardPair(")]
    [InlineData("CallerNames", "SoftBackwardPair(")]
    public void Two_calls_in_a_statement_call_the_pair(string caller, string call)
    {
        Assert.Contains(call, s_batch.Value.GeneratedSource["P." + caller], StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Conditional")]
    [InlineData("Nested")]
    [InlineData("CallBetween")]
    public void Calls_under_a_conditional_or_in_an_argument_are_not_paired(string caller)
    {
        Assert.DoesNotContain("BackwardPair(", s_batch.Value.GeneratedSource["P." + caller], StringComparison.Ordinal);
    }

    [Fact]
    public void A_callee_no_method_calls_twice_has_no_pair()
    {
        Assert.Null(PairFile("Single"));
        Assert.Null(Type().GetMethod("SingleBackwardPair", BindingFlags.NonPublic | BindingFlags.Static));
    }

    private static Type Type() => s_batch.Value.Output!.Value.Assembly.GetType("Pairs25.P")!;

    private static readonly Lazy<Dictionary<string, string>> s_pairFiles = new(() =>
    {
        var compilation = GeneratorHarness.CreateCompilation(Source);
        GeneratorHarness.CreateDriver(trackSteps: false).RunGeneratorsAndUpdateCompilation(compilation, out var output, out _);
        return output.SyntaxTrees.Where(t => t.FilePath.EndsWith(".Backward-Pair.g.cs", StringComparison.Ordinal))
            .ToDictionary(t => Path.GetFileName(t.FilePath), t => t.ToString(), StringComparer.Ordinal);
    });

    private static string? PairFile(string callee) =>
        s_pairFiles.Value.FirstOrDefault(f => f.Key.EndsWith(".P." + callee + ".Backward-Pair.g.cs", StringComparison.Ordinal)).Value;
}

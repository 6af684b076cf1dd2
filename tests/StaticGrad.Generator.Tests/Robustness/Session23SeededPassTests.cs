using StaticGrad.Generator.Tests.Correctness.Harness;

namespace StaticGrad.Generator.Tests.Robustness;

/// <summary>
/// Session 23: the forward-mode backward's seeded pass (<c>UnitTangent.Seeded</c>). Where the unit pass's
/// <c>scale · tangent</c> is not finite (the unit tangent overflowed, or a zero or tiny scale met an infinite one),
/// the pass runs again carrying the seed itself and gives the reverse sweep's value. Every method has a reverse-mode
/// twin (a second, unused input); forward and twin must agree (both NaN, or equal within 1e-12 relative / 1e-300
/// absolute; float 1e-5 relative) for seeds 0, −0, 1, tiny, subnormal, huge, negative, NaN and ±∞, at points where
/// the unit tangent is 0, finite, ∞ and NaN, in double and float, for the three kinds of unit (a first statement
/// <c>z = g(x)</c>; the input's tangent folded away; the input assigned in the body). Against central differences:
/// relative steps (h = 1e-6·|x|, float 1e-2·|x|), since the points of interest are near 0.
/// </summary>
public sealed class Session23SeededPassTests
{
    private const string Source = """
        using System;
        using StaticGrad;

        namespace Seed23;

        public static partial class S
        {
            // Session 22's LogOfSquare in float: z = x² subnormal at 3e-20, ∂f/∂z = 1/z overflows, df/dx = 2.5/x does
            // not. LogOfSquare, SqrtOfSquare (√(x²): g′(0) = 0, ∂f/∂z = ∞) and SinOfAbs (|x|: g′(0) = 0, ∂f/∂z finite)
            // themselves are session 22's batch's (Session22SkippedDefectsTests), with their twins.
            // domain: x=0.2..3
            [Differentiable]
            public static float LogOfSquareF(float x)
            {
                var z = x * x;
                var y = 0f;
                for (var k = 0; k < 2; k++)
                {
                    y = (y * 0.25f) + MathF.Log(z);
                }

                return y;
            }

            // The input's own tangent is the unit (folded away): 1/x overflows at a subnormal x.
            // domain: x=0.2..3
            [Differentiable]
            public static double LogOfInput(double x)
            {
                var y = 0.0;
                for (var k = 0; k < 2; k++)
                {
                    y = (y * 0.25) + Math.Log(x);
                }

                return y;
            }

            // domain: x=0.2..3
            [Differentiable]
            public static float LogOfInputF(float x)
            {
                var y = 0f;
                for (var k = 0; k < 2; k++)
                {
                    y = (y * 0.25f) + MathF.Log(x);
                }

                return y;
            }

            // The input is assigned in the body: its tangent starts at 1 and nothing is folded.
            // domain: x=0.2..3
            [Differentiable]
            public static double LogOfInputAssigned(double x)
            {
                var y = 0.0;
                for (var k = 0; k < 2; k++)
                {
                    y = (y * 0.25) + Math.Log(x);
                    x = x * 1.0;
                }

                return y;
            }

            // The user's names are the ones the seeded pass would pick (hygiene).
            // domain: _scaled=0.2..3
            [Differentiable]
            public static double Hygiene(double _scaled)
            {
                var _seeded = _scaled * _scaled;
                var seed = 0.0;
                for (var _dx = 0; _dx < 2; _dx++)
                {
                    seed = (seed * 0.25) + Math.Log(_seeded);
                }

                return seed;
            }

            // The reverse sweep's NaN at 0 (∞ − ∞) under a finite primal: the accumulation check's NaN = NaN.
            // domain: x=0.2..3
            [Differentiable]
            public static double SqrtDifference(double x) => Math.Sqrt(x) - Math.Sqrt(x);
        }
        """;

    private static readonly string s_source = Source.Replace("public static partial class S\n{\n", "public static partial class S\n{\n" + Twins(Source), StringComparison.Ordinal);

    private static readonly IReadOnlyList<MethodUnderTest> s_methods = MethodUnderTest.ReadAll(s_source);

    private static readonly Lazy<CompiledBatch> s_batch = new(() => CompiledBatch.Compile(new[] { s_source }, s_methods));

    private static readonly double[] s_seeds = { 0.0, -0.0, 1.0, double.Epsilon, 1e-310, 1e-200, 1e200, -2.5, double.NaN, double.PositiveInfinity, double.NegativeInfinity };

    private static readonly double[] s_floatSeeds = { 0.0, -0.0, 1.0, float.Epsilon, 1e-30, 1e30, -2.5, double.NaN, double.PositiveInfinity, double.NegativeInfinity };

    /// <summary>Each one-input method again with a second, unused input: <c>NameTwin(T x, T unused)</c>, differentiated in reverse mode.</summary>
    private static string Twins(string source) => string.Concat(System.Text.RegularExpressions.Regex
        .Matches(source, @"( *// domain: \w+=[^\n]*)\n( *\[Differentiable\]\n *public static (double|float) )(\w+)\((?:double|float) (\w+)\)(\n *\{\n.*?\n {4}\}\n)", System.Text.RegularExpressions.RegexOptions.Singleline)
        .Select(m => m.Groups[1].Value + " unused=0..1\n" + m.Groups[2].Value + m.Groups[4].Value + "Twin(" + m.Groups[3].Value + " " + m.Groups[5].Value + ", " + m.Groups[3].Value + " unused)" + m.Groups[6].Value + "\n"));

    /// <summary>The methods of session 22's batch that these tests use too (one source for each program).</summary>
    private static readonly HashSet<string> s_session22 = new() { "S.LogOfSquare", "S.LogOfSquareTwin", "S.SqrtOfSquare", "S.SqrtOfSquareTwin", "S.SinOfAbs", "S.SinOfAbsTwin" };

    public static TheoryData<string> Keys() => new() { "S.LogOfSquareF", "S.LogOfInput", "S.LogOfInputF", "S.LogOfInputAssigned", "S.Hygiene" };

    /// <summary>Accepted, warning-free, in forward mode, with its twin in reverse mode; gradient and seed contract on the domain.</summary>
    [Theory]
    [MemberData(nameof(Keys))]
    public void Forward_mode_with_a_seeded_pass_on_the_domain(string key)
    {
        var batch = s_batch.Value;
        var seeds = key.EndsWith('F') ? new[] { 1.5, -2.5, 1e-30, 1e30 } : new[] { 1.5, -2.5, 1e-200, 1e200 };
        OneInputProbe.AssertGradientAndSeeds(batch, s_methods, key, 4, 23, seeds);
        Assert.Empty((batch.GeneratorDiagnostics.GetValueOrDefault(key) ?? new()).Where(d => d.Severity == Microsoft.CodeAnalysis.DiagnosticSeverity.Warning).Select(d => d.ToString()));
        Assert.Contains("Forward mode", batch.GeneratedSource[key], StringComparison.Ordinal);
        Assert.Contains("goto ", batch.GeneratedSource[key], StringComparison.Ordinal);
        Assert.DoesNotContain("Forward mode", batch.GeneratedSource[key + "Twin"], StringComparison.Ordinal);
    }

    /// <summary>
    /// The forward-mode backward against the reverse twin for every seed. Unit tangent ∞: log(x²) at ±1e-160 (float
    /// ±1e-20), log x at subnormal x; NaN: √(x²) at 0; 0: sin|x| + x² at 0; finite: ordinary points.
    /// </summary>
    [Theory]
    [InlineData("S.LogOfSquare", 1e-160)]
    [InlineData("S.LogOfSquare", -1e-160)]
    [InlineData("S.LogOfSquare", 0.3)]
    [InlineData("S.LogOfSquareF", 1e-20)]
    [InlineData("S.LogOfSquareF", -1e-20)]
    [InlineData("S.LogOfSquareF", 0.3)]
    [InlineData("S.LogOfInput", double.Epsilon)]
    [InlineData("S.LogOfInput", 1e-310)]
    [InlineData("S.LogOfInput", 0.3)]
    [InlineData("S.LogOfInputF", 1e-45)]
    [InlineData("S.LogOfInputF", 0.3)]
    [InlineData("S.LogOfInputAssigned", double.Epsilon)]
    [InlineData("S.LogOfInputAssigned", 0.3)]
    [InlineData("S.SqrtOfSquare", 0.0)]
    [InlineData("S.SqrtOfSquare", -1.5)]
    [InlineData("S.SinOfAbs", 0.0)]
    [InlineData("S.SinOfAbs", 0.7)]
    [InlineData("S.Hygiene", 1e-160)]
    [InlineData("S.Hygiene", 0.3)]
    public void Forward_mode_gives_the_reverse_sweeps_value_under_every_seed(string key, double x)
    {
        var single = key.EndsWith('F');
        foreach (var seed in single ? s_floatSeeds : s_seeds)
        {
            if (seed == 0)
            {
                // A zero seed adds nothing, also where the reverse sweep's 0·∞ is NaN (session 22's seed guard).
                var untouched = new[] { new[] { 1.25 } };
                Loaded(key).Backward(new[] { new[] { x } }, untouched, seed);
                Assert.Equal(1.25, untouched[0][0]);
                continue;
            }

            var forward = OneInputProbe.Gradient(Loaded(key), x, seed);
            var twin = ReverseTwin(key, x, seed, single);
            Assert.True(Same(forward, twin, single ? 1e-5 : 1e-12), $"{key}({x:R}) seed {seed:R}: forward {forward:R}, reverse twin {twin:R}\n{Generated(key)}");
        }
    }

    /// <summary>
    /// The reverse twin's ∂/∂x under <paramref name="seed"/>. A subnormal seed is scaled by 2⁶⁰ and the result back by
    /// 2⁻⁶⁰ (exact, the sweep being linear in the seed): the sweep's own products with such a seed underflow (log x at
    /// x = ε under seed ε: seed·0.25 = 0 drops the first iteration's term, 1 instead of 1.25), where the seeded pass,
    /// which divides by x first, keeps it. A float result is rounded to float (a float subnormal has few digits).
    /// </summary>
    private const double SmallestNormal = 2.2250738585072014E-308;

    private const double SmallestNormalFloat = 1.1754943508222875E-38;

    private static double ReverseTwin(string key, double x, double seed, bool single)
    {
        var subnormal = seed != 0 && Math.Abs(seed) < (single ? SmallestNormalFloat : SmallestNormal);
        var scale = subnormal ? Math.ScaleB(1.0, 60) : 1.0;
        var adjoints = new[] { new[] { 0.0 }, new[] { 0.0 } };
        Loaded(key + "Twin").Backward(new[] { new[] { x }, new[] { 0.5 } }, adjoints, seed * scale);
        return single ? (float)(adjoints[0][0] / scale) : adjoints[0][0] / scale;
    }

    /// <summary>
    /// Where the unit tangent overflows and the seeded derivative does not: the forward-mode backward is seed times the
    /// central difference with a relative step (double h = 1e-6·|x|, 1e-6 relative; float h = 1e-2·|x|, 2e-3: the float
    /// values near -100 have ulps of 8e-6), for seeds whose product with the derivative is in range. The points keep
    /// z = x² (or x) subnormal with enough bits for the difference (1e-310 has 14 digits, 1e-320 only 4).
    /// </summary>
    [Theory]
    [InlineData("S.LogOfSquare", 1e-155, 1e-200)]
    [InlineData("S.LogOfSquare", -1e-155, 1e-200)]
    [InlineData("S.LogOfSquare", 1e-155, -1e-250)]
    [InlineData("S.LogOfSquareF", 3e-20, 1e-30)]
    [InlineData("S.LogOfSquareF", -3e-20, -1e-25)]
    [InlineData("S.LogOfInput", 1e-310, 1e-200)]
    [InlineData("S.LogOfInputF", 1e-40, 1e-30)]
    [InlineData("S.LogOfInputAssigned", 1e-310, -1e-200)]
    [InlineData("S.Hygiene", 1e-155, 1e-200)]
    public void Seeded_derivative_matches_relative_central_differences(string key, double x, double seed)
    {
        var single = key.EndsWith('F');
        var h = single ? 1e-2 : 1e-6;
        var loaded = Loaded(key);
        var (up, down) = single ? ((double)(float)(x * (1 + h)), (double)(float)(x * (1 - h))) : (x * (1 + h), x * (1 - h));
        // The seed multiplies the difference of values before the division by the step: the derivative itself may be
        // beyond the range (1.25/x at x = 1e-310).
        var expected = (loaded.Primal(new[] { new[] { up } }) - loaded.Primal(new[] { new[] { down } })) * seed / (up - down);
        var forward = OneInputProbe.Gradient(loaded, x, seed);
        Assert.True(double.IsFinite(expected) && expected != 0, $"seed·fd = {expected:R}: the test tests nothing");
        Assert.True(Math.Abs(forward - expected) <= (single ? 2e-3 : 1e-6) * Math.Abs(expected), $"{key}({x:R}) seed {seed:R}: {forward:R}, seed · central difference {expected:R}");
    }

    /// <summary>
    /// The seeded accumulation check and a NaN gradient (batch 20262881's P242, session 23): √x − √x at 0 has a finite
    /// value and the reverse sweep's NaN (∞ − ∞); pre-filled + seed·NaN = NaN is what the contract asks, and the check
    /// must not report it. A finite gradient that turns NaN under a seed would still be reported (expected finite).
    /// </summary>
    [Fact]
    public void Accumulation_check_accepts_a_nan_gradient_as_nan()
    {
        var loaded = Loaded("S.SqrtDifference");
        var check = new FiniteDifferenceCheck(loaded);
        var point = new[] { new[] { 0.0 } };
        Assert.Equal(0.0, loaded.Primal(point));
        Assert.True(double.IsNaN(check.Gradient(point)[0][0]), "the gradient at 0 is not NaN: the test tests nothing");
        check.CheckAccumulationAndSeed(point, new Random(23), 1.5);
        Assert.True(check.Problems.Count == 0, check.Report());
    }

    private static bool Same(double a, double b, double relative) =>
        (double.IsNaN(a) && double.IsNaN(b)) || a == b || (double.IsFinite(a) && double.IsFinite(b) && Math.Abs(a - b) <= Math.Max(1e-300, relative * Math.Abs(b)));

    private static LoadedMethod Loaded(string key) => s_session22.Contains(key) ? Session22SkippedDefectsTests.Loaded(key) : OneInputProbe.Loaded(s_batch.Value, key);

    private static string Generated(string key) => s_session22.Contains(key) ? "(session 22's batch)" : s_batch.Value.GeneratedSource[key];
}

using StaticGrad.Generator.Tests.Correctness.Harness;

namespace StaticGrad.Generator.Tests.Robustness;

/// <summary>
/// Review of session 23's seeded pass (corr23): the forward-mode backward, when <c>scale · tangent</c> is not finite or
/// the scale is not normal, jumps to a second pass printed after the body. That pass runs on the state the first pass
/// left: it must give the primal's value (and exceptions) and the reverse sweep's derivative. Each case is taken into
/// the seeded pass on purpose: a subnormal seed (1e-310: the scale seed, or dz = g′(x)·seed, is not normal) or x = 0
/// with a first statement z = g(x) whose g′(0) = 0 (dz = 0). Expected values: the plain C# primal, exactly; the
/// derivative against the analytic one (relative 1e-12; subnormal results, whose ulp is 5e-324, to 1e-6 relative)
/// and against seed × central differences (h = 1e-6, relative 1e-6).
/// </summary>
public sealed class Session23SeededPassReviewTests
{
    private static readonly IReadOnlyList<MethodUnderTest> s_methods = MethodUnderTest.ReadAll(Source);

    private static readonly Lazy<CompiledBatch> s_batch = new(() => CompiledBatch.Compile(new[] { Source }, s_methods));

    /// <summary>A seed that is not normal: the scale (seed, or g′(x)·seed) is subnormal, so every call takes the seeded pass.</summary>
    private const double Subnormal = 1e-310;

    private const string Source = """
        using System;
        using StaticGrad;

        namespace Seed23Review;

        public static partial class R
        {
            // The input is assigned in the body (the unit is the input's tangent, not folded): the seeded pass must
            // start from x's value at entry, not from the halved x the first pass left (f = log x + log(x/2), f′ = 2/x).
            // domain: x=0.2..3
            [Differentiable]
            public static double Halving(double x)
            {
                var y = 0.0;
                for (var k = 0; k < 2; k++)
                {
                    y = y + Math.Log(x);
                    x = x * 0.5;
                }

                return y;
            }

            // A non-differentiable parameter counted down by the body: the seeded pass must see n at entry
            // (f = n·x², f′ = 2nx).
            // domain: x=0.2..3 n=1..4
            [Differentiable]
            public static double CountDown(double x, int n)
            {
                var y = 0.0;
                while (n > 0)
                {
                    y = y + (x * x);
                    n = n - 1;
                }

                return y;
            }

            // A first statement z = x² (the unit), then x overwritten without its tangent being read: the seeded pass
            // re-evaluates z = x·x and g's rule 2x·dx after x = 2 (f = 2 sin(x²), f′ = 4x cos(x²)).
            // domain: x=0.2..3
            [Differentiable]
            public static double SquareThenReset(double x)
            {
                var z = x * x;
                x = 2.0;
                var k = 0;
                var y = 0.0;
                while (k < 2)
                {
                    y = Math.Sin(z) + y;
                    k = k + 1;
                }

                return y;
            }

            // A local array (its tangent rented), an early return from inside the loop, a throw, a call to another
            // [Differentiable] method, a local function: f = Σ_{i<3} (i+1)·Helper(x) = 6·log x for x ≤ 10.
            // domain: x=0.2..3
            [Differentiable]
            public static double Structured(double x)
            {
                if (x > 10.0)
                {
                    throw new ArgumentOutOfRangeException(nameof(x));
                }

                var a = new double[3];
                for (var i = 0; i < 3; i++)
                {
                    a[i] = Helper(x) * (i + 1);
                    if (i == 2)
                    {
                        return Sum(a);
                    }
                }

                return -1.0;

                static double Sum(double[] v) => v[0] + v[1] + v[2];
            }

            [Differentiable]
            public static double Helper(double t) => Math.Log(t);

            // A side effect on a [NoGrad] array parameter (a static field's write is refused, SG1002): the primal's
            // alone (f = 3x², f′ = 6x; log[0] grows by 1 per primal call).
            // domain: x=0.2..3 log[1]=0..1
            [Differentiable]
            public static double Tally(double x, [NoGrad] double[] log)
            {
                log[0] = log[0] + 1.0;
                var y = 0.0;
                for (var k = 0; k < 3; k++)
                {
                    y = y + (x * x);
                }

                return y;
            }

            // Hostile names for the seeded pass's fresh names, the adjoint and the seed, with a first-statement unit.
            // domain: dx=0.2..3
            [Differentiable]
            public static double Names(double dx)
            {
                var _dx = dx * dx;
                var _scaled = 0.0;
                var _seeded = 0.0;
                for (var seed = 0; seed < 2; seed++)
                {
                    _scaled = _scaled + Math.Sin(_dx);
                    _seeded = _seeded + 1.0;
                }

                return _scaled * _seeded;
            }
        }
        """;

    public static TheoryData<string, double, double, double> Cases() => new()
    {
        // key, x, seed, the derivative df/dx (analytic)
        { "R.Halving", 0.3, Subnormal, 2 / 0.3 },
        { "R.Halving", 0.3, 1.5, 2 / 0.3 },
        { "R.SquareThenReset", 0.0, 1.0, 0.0 },
        { "R.SquareThenReset", 0.3, Subnormal, 4 * 0.3 * Math.Cos(0.09) },
        { "R.SquareThenReset", 0.3, 1.5, 4 * 0.3 * Math.Cos(0.09) },
        { "R.Structured", 0.3, Subnormal, 6 / 0.3 },
        { "R.Structured", 0.3, -2.5, 6 / 0.3 },
        { "R.Names", 0.0, 1.0, 0.0 },
        { "R.Names", 0.3, Subnormal, 8 * 0.3 * Math.Cos(0.09) },
    };

    /// <summary>Value = the primal's; gradient = seed · f′ (the seeded pass's and the unit pass's alike).</summary>
    [Theory]
    [MemberData(nameof(Cases))]
    public void Value_and_gradient_through_the_seeded_pass(string key, double x, double seed, double derivative)
    {
        var loaded = OneInputProbe.Loaded(s_batch.Value, key);
        Assert.Contains("goto ", s_batch.Value.GeneratedSource[key], StringComparison.Ordinal);
        var primal = loaded.Primal(new[] { new[] { x } });
        var adjoints = new[] { new[] { 0.0 } };
        var value = loaded.Backward(new[] { new[] { x } }, adjoints, seed);
        Assert.True(primal.Equals(value), $"{key}({x:R}) seed {seed:R}: backward's value {value:R}, primal {primal:R}\n{s_batch.Value.GeneratedSource[key]}");
        AssertClose(seed * derivative, adjoints[0][0], $"{key}({x:R}) seed {seed:R}");
        if (x != 0)
        {
            var h = 1e-6 * x;
            var fd = (loaded.Primal(new[] { new[] { x + h } }) - loaded.Primal(new[] { new[] { x - h } })) / (2 * h);
            Assert.True(Math.Abs(fd - derivative) <= 1e-6 * Math.Abs(derivative), $"{key}: the analytic derivative {derivative:R} is not the central difference {fd:R}");
        }
    }

    /// <summary>A non-differentiable int parameter the body counts down: value n·x², gradient 2nx·seed.</summary>
    [Theory]
    [InlineData(0.3, 3, Subnormal)]
    [InlineData(0.3, 3, 1.5)]
    [InlineData(0.0, 3, 1.0)]
    public void Count_down_parameter_is_read_at_entry(double x, int n, double seed)
    {
        var loaded = OneInputProbe.Loaded(s_batch.Value, "R.CountDown");
        var point = new[] { new[] { x }, new[] { (double)n } };
        var adjoints = new[] { new[] { 0.0 } };
        var value = loaded.Backward(point, adjoints, seed);
        Assert.Equal(loaded.Primal(point), value);
        AssertClose(seed * 2 * n * x, adjoints[0][0], $"CountDown({x:R}, {n}) seed {seed:R}");
    }

    /// <summary>
    /// The backward leaves parameter arrays as they were (the harness's contract: only the primal writes them), also
    /// through the seeded pass; its value is the primal's.
    /// </summary>
    [Theory]
    [InlineData(0.3, 1.0)]
    [InlineData(0.3, Subnormal)]
    [InlineData(0.0, Subnormal)]
    public void Side_effect_is_not_repeated_by_the_seeded_pass(double x, double seed)
    {
        var loaded = OneInputProbe.Loaded(s_batch.Value, "R.Tally");
        var point = new[] { new[] { x }, new[] { 5.0 } };
        var adjoints = new[] { new[] { 0.0 }, new[] { 0.0 } };
        var value = loaded.Backward(point, adjoints, seed);
        Assert.Equal(loaded.Primal(point), value);
        Assert.True(point[1][0] == 5.0, $"Tally({x:R}) seed {seed:R}: log[0] went from 5 to {point[1][0]:R}");
        AssertClose(seed * 6 * x, adjoints[0][0], $"Tally({x:R}) seed {seed:R}");
    }

    /// <summary>The user's exception, once, from the backward as from the primal (before any jump).</summary>
    [Fact]
    public void Exception_is_the_primals()
    {
        var loaded = OneInputProbe.Loaded(s_batch.Value, "R.Structured");
        foreach (var seed in new[] { 1.0, Subnormal })
        {
            var thrown = OneInputProbe.Thrown(() => OneInputProbe.Gradient(loaded, 20.0, seed));
            Assert.IsType<ArgumentOutOfRangeException>(thrown);
        }
    }

    /// <summary>Every case accepted, in forward mode with a seeded pass, without generator warnings.</summary>
    [Fact]
    public void All_accepted_in_forward_mode_without_warnings()
    {
        var batch = s_batch.Value;
        foreach (var key in new[] { "R.Halving", "R.CountDown", "R.SquareThenReset", "R.Structured", "R.Tally", "R.Names" })
        {
            OneInputProbe.Loaded(batch, key);
            Assert.Contains("Forward mode", batch.GeneratedSource[key], StringComparison.Ordinal);
            Assert.Empty((batch.GeneratorDiagnostics.GetValueOrDefault(key) ?? new()).Where(d => d.Severity >= Microsoft.CodeAnalysis.DiagnosticSeverity.Warning).Select(d => d.ToString()));
        }
    }

    private static void AssertClose(double expected, double actual, string what)
    {
        var tolerance = Math.Abs(expected) < 2.2250738585072014E-308 ? Math.Max(1e-6 * Math.Abs(expected), 2 * double.Epsilon) : 1e-12 * Math.Abs(expected);
        Assert.True(Math.Abs(actual - expected) <= tolerance, $"{what}: gradient {actual:R}, expected {expected:R}");
    }
}

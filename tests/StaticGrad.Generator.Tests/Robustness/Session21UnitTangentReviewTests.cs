using StaticGrad.Generator.Tests.Correctness.Harness;

namespace StaticGrad.Generator.Tests.Robustness;

/// <summary>
/// Review of session 21's unit tangent (<c>Forward/UnitTangent.cs</c>) and log-quotient rule: bodies that meet or just
/// miss the unit-on-z conditions (z = g(x) first, z assigned nowhere else, nothing else reads x's tangent): z assigned
/// again in a branch or by a compound assignment in a loop, z captured by a local function, x read only by
/// conditions, g sign-changing (a conditional |x|), g = log(a/b) with a == b, a callee first, a guard throwing first,
/// float; each against central finite differences (<see cref="FiniteDifferenceCheck"/>: double
/// |g − fd| ≤ 1e-6·max(1, |fd|) + rounding bound, float 2e-3) and the seed's linearity (seeds 2.5, −0.75, 1e-3, 0).
/// Then the exceptions of the plain C# primal, and the behaviour at a zero scale dz = g′(x)·seed = 0 and where
/// ∂f/∂z overflows while df/dx does not. One compilation.
/// </summary>
public sealed class Session21UnitTangentReviewTests
{
    private const int PointsPerFunction = 3;

    private const string Source = """
        using System;
        using StaticGrad;

        namespace Review21b;

        public static partial class R
        {
            // z assigned again in a branch: not the unit (two assignments).
            // domain: x=0.2..2
            [Differentiable]
            public static double ZInBranch(double x)
            {
                var z = Math.Sin(x);
                if (x > 1.0)
                {
                    z = z * 2.0;
                }

                var y = 0.0;
                for (var k = 0; k < 3; k++)
                {
                    y = (y * z) + 1.0;
                }

                return y;
            }

            // A compound assignment to z in a loop.
            // domain: x=-1..1
            [Differentiable]
            public static double ZCompoundInLoop(double x)
            {
                var z = Math.Exp(x);
                for (var k = 0; k < 3; k++)
                {
                    z += 0.5 * z * z;
                }

                return z;
            }

            // z read by a local function (lifted; its tangent passed as the unit).
            // domain: x=-2..2
            [Differentiable]
            public static double CapturedZ(double x)
            {
                var z = Math.Sin(x);
                double Scale(double t) => t * z;
                var y = 1.0;
                for (var k = 0; k < 3; k++)
                {
                    y = Scale(y) + z;
                }

                return y;
            }

            // x read only by the loop's condition after z = cos(x): z is the unit.
            // domain: x=1.2..1.8
            [Differentiable]
            public static double XOnlyInCondition(double x)
            {
                var z = Math.Cos(x);
                var y = 1.0;
                for (var k = 0; k < x; k++)
                {
                    y = (y * z) + 1.0;
                }

                return y;
            }

            // A sign-changing first statement (a conditional |x|) with a later square root.
            // domain: x=0.3..2
            [Differentiable]
            public static double ConditionalAbsSqrt(double x)
            {
                var z = x > 0.0 ? x : -x;
                var y = 0.0;
                for (var k = 0; k < 2; k++)
                {
                    y = (y * 0.5) + Math.Sqrt(z);
                }

                return y;
            }

            // The unit on z = x², then √z: at x = 0 the scale dz = 2x·seed is 0 while √'(0) = ∞.
            // domain: x=0.3..2
            [Differentiable]
            public static double SqrtOfSquare(double x)
            {
                var z = x * x;
                var y = 0.0;
                for (var k = 0; k < 2; k++)
                {
                    y = (y * 0.5) + Math.Sqrt(z);
                }

                return y;
            }

            // The unit on z = 1e-300·x, then log z: ∂f/∂z = 1/z overflows where z is subnormal, df/dx = 1.5/x does not.
            // domain: x=0.5..2
            [Differentiable]
            public static double LogOfScaled(double x)
            {
                var z = 1e-300 * x;
                var y = 0.0;
                for (var k = 0; k < 2; k++)
                {
                    y = (y * 0.5) + Math.Log(z);
                }

                return y;
            }

            // The first statement a log quotient with a == b: its tangent is exactly 0, so is the scale.
            // domain: x=0.5..2
            [Differentiable]
            public static double LogSameFirst(double x)
            {
                var z = Math.Log(x / x);
                var y = x;
                for (var k = 0; k < 2; k++)
                {
                    y = (y * x) + z;
                }

                return y;
            }

            // The first statement a log quotient sharing x above and below.
            // domain: x=0.5..2
            [Differentiable]
            public static double LogSharedFirst(double x)
            {
                var z = Math.Log((x * x) / (x + 1.0));
                var y = 1.0;
                for (var k = 0; k < 3; k++)
                {
                    y = (y * z) + 0.5;
                }

                return y;
            }

            // float: the unit 1f on z = log(x / 3).
            // domain: x=0.5..2
            [Differentiable]
            public static float LogQuotientFirstF(float x)
            {
                var z = MathF.Log(x / 3f);
                var y = 1f;
                for (var k = 0; k < 3; k++)
                {
                    y = (y * z) + 0.5f;
                }

                return y;
            }

            [Differentiable]
            public static double Callee(double t) => (t * t) + Math.Sin(t);

            // A callee first (a pullback call, not an assignment): the unit is the input's.
            // domain: x=-1.5..1.5
            [Differentiable]
            public static double CalleeFirst(double x)
            {
                var z = Callee(x);
                var y = 1.0;
                for (var k = 0; k < 3; k++)
                {
                    y = (y * z) + Callee(z * 0.5);
                }

                return y;
            }

            // z = x², then z passed to a callee and the callee's result stored back in another variable.
            // domain: x=-1.5..1.5
            [Differentiable]
            public static double ZIntoCallee(double x)
            {
                var z = x * x;
                var w = Callee(z);
                var y = 0.0;
                for (var k = 0; k < 2; k++)
                {
                    y = (y * w) + z;
                }

                return y;
            }

            // A guard first (the input folded), then a log of a quotient of the input and a local.
            // domain: x=0.5..2
            [Differentiable]
            public static double GuardFirst(double x)
            {
                if (x > 100.0)
                {
                    throw new ArgumentOutOfRangeException(nameof(x));
                }

                var b = (x * 0.5) + 1.0;
                var y = 0.0;
                for (var k = 0; k < 2; k++)
                {
                    y = (y * 0.5) + Math.Log(x / b);
                }

                return y;
            }

            // z = g(x) whose target is then an array element's source; the array's tangent store reads the unit.
            // domain: x=0.5..2
            [Differentiable]
            public static double ZIntoArray(double x)
            {
                var z = Math.Exp(-x);
                var a = new double[3];
                a[0] = z;
                for (var k = 1; k < a.Length; k++)
                {
                    a[k] = (a[k - 1] * z) + 1.0;
                }

                return a[2];
            }

            // float input, a double first target: the scale dz is a double, the adjoint a float.
            // domain: x=0.5..2
            [Differentiable]
            public static float WidenedFirstF(float x)
            {
                double z = x * 2.0;
                var y = 1.0;
                for (var k = 0; k < 3; k++)
                {
                    y = (y * z) + 0.5;
                }

                return (float)y;
            }

            // double input, a float first target: the unit stands in float expressions.
            // domain: x=0.5..2
            [Differentiable]
            public static double NarrowedFirst(double x)
            {
                var z = (float)x;
                var w = z;
                for (var k = 0; k < 3; k++)
                {
                    w = (w * 0.5f) + z;
                }

                return w;
            }

            // The unit on z = eˣ, then log z: at x = −720 z is subnormal and ∂f/∂z = 1/z overflows; df/dx = 1.5.
            // domain: x=-3..3
            [Differentiable]
            public static double LogOfExp(double x)
            {
                var z = Math.Exp(x);
                var y = 0.0;
                for (var k = 0; k < 2; k++)
                {
                    y = (y * 0.5) + Math.Log(z);
                }

                return y;
            }

            // A division by the input after z (reads x's tangent): not the unit on z; the input folded.
            // domain: x=0.5..2
            [Differentiable]
            public static double DivideByInputLater(double x)
            {
                var z = Math.Sin(x);
                var y = 1.0;
                for (var k = 0; k < 2; k++)
                {
                    y = (y * z) + (1.0 / x);
                }

                return y;
            }
        }
        """;

    private static readonly IReadOnlyList<MethodUnderTest> s_methods = MethodUnderTest.ReadAll(Source);

    private static readonly Lazy<CompiledBatch> s_batch = new(() => CompiledBatch.Compile(new[] { Source }, s_methods, nullableAnalysis: false));

    public static TheoryData<string> Methods() => MethodUnderTest.Keys(s_methods.Where(m => m.Name is not "Callee"));

    /// <summary>Not NarrowedFirst: (float)x rounds, so double-step differences are noise there (its exact 1.875 is checked below).</summary>
    public static TheoryData<string> SmoothMethods() => MethodUnderTest.Keys(s_methods.Where(m => m.Name is not ("Callee" or "NarrowedFirst")));

    [Theory]
    [MemberData(nameof(SmoothMethods))]
    public void Gradient_and_seed_scaling_match_central_finite_differences(string key)
    {
        OneInputProbe.AssertGradientAndSeeds(s_batch.Value, s_methods, key, PointsPerFunction, 2121, 2.5, -0.75, 1e-3, 0.0);
    }

    /// <summary>Which tangent each takes as the unit (or none: the input assigned).</summary>
    [Theory]
    [InlineData("R.ZInBranch", "(_dx = 1)")]
    [InlineData("R.ZCompoundInLoop", "(_dx = 1)")]
    [InlineData("R.XOnlyInCondition", "(dz = 1)")]
    [InlineData("R.SqrtOfSquare", "(dz = 1)")]
    [InlineData("R.LogSameFirst", "(_dx = 1)")]
    [InlineData("R.LogSharedFirst", "(dz = 1)")]
    [InlineData("R.LogQuotientFirstF", "(dz = 1)")]
    [InlineData("R.CalleeFirst", "(_dx = 1)")]
    [InlineData("R.DivideByInputLater", "(_dx = 1)")]
    public void Takes_the_unit_of(string key, string unit)
    {
        var source = s_batch.Value.GeneratedSource[key];
        Assert.True(source.Contains("// Forward mode: ", StringComparison.Ordinal) && source.Contains(unit, StringComparison.Ordinal), key + ": " + unit + " expected.\n" + source);
    }

    /// <summary>The guard's exception is the plain method's, from the Backward too, under seeds 1 and 0.</summary>
    [Fact]
    public void Guard_exception_is_the_methods()
    {
        var loaded = Loaded("R.GuardFirst");
        Assert.IsType<ArgumentOutOfRangeException>(Unwrap(() => loaded.Primal(new[] { new[] { 200.0 } })));
        Assert.IsType<ArgumentOutOfRangeException>(Unwrap(() => loaded.Backward(new[] { new[] { 200.0 } }, new[] { new[] { 0.0 } }, 1.0)));
        Assert.IsType<ArgumentOutOfRangeException>(Unwrap(() => loaded.Backward(new[] { new[] { 200.0 } }, new[] { new[] { 0.0 } }, 0.0)));
    }

    /// <summary>log(x / x) has the exact derivative 0 everywhere it is defined, for every seed (no NaN from ∞ − ∞).</summary>
    [Fact]
    public void Log_of_x_over_x_contributes_nothing()
    {
        var loaded = Loaded("R.LogSameFirst");
        foreach (var x in new[] { 0.5, 1.0, 1.7 })
        {
            var expected = 3.0 * x * x;
            Assert.Equal(expected, Gradient(loaded, x, 1.0), 12);
        }
    }

    /// <summary>Values: the Backward returns the plain method's value bit for bit.</summary>
    [Theory]
    [MemberData(nameof(Methods))]
    public void Backward_returns_the_plain_value(string key)
    {
        var loaded = Loaded(key);
        foreach (var x in new[] { 0.6, 1.3, 1.7 })
        {
            var primal = loaded.Primal(new[] { new[] { x } });
            var adjoints = new[] { new[] { 0.0 } };
            var value = loaded.Backward(new[] { new[] { x } }, adjoints, 1.0);
            Assert.Equal(primal, value);
        }
    }

    /// <summary>
    /// The narrowed and widened first targets compile (the unit on z only where z has the input's type) and give the
    /// derivative: (float)x at x = 1.25 gives 1.875 (w = 0.5·w + z three times: 1 + 0.5 + 0.25 + 0.125 = 1.875).
    /// </summary>
    [Fact]
    public void Narrowed_first_target_gives_the_derivative()
    {
        Assert.Equal(1.875, Gradient(Loaded("R.NarrowedFirst"), 1.25, 1.0), 6);
        Assert.DoesNotContain("(dz = 1)", s_batch.Value.GeneratedSource["R.NarrowedFirst"], StringComparison.Ordinal);
        Assert.DoesNotContain("(dz = 1)", s_batch.Value.GeneratedSource["R.WidenedFirstF"], StringComparison.Ordinal);
    }

    /// <summary>
    /// With the unit on z = g(x) the result is scaled by dz = g′(x)·seed only at the end, so where ∂f/∂z overflows
    /// while df/dx = ∂f/∂z·g′(x) does not, the result is ∞ (log(eˣ) at x = −720, eˣ subnormal: 1/eˣ overflows). Session
    /// 21's review expected 423db22's 1.5 (its seeded tangent dz/z = 1 per step). Session 22 decided ∞: the reverse
    /// sweep of the same composition gives ∞ (the adjoint of z is 1.5/z = ∞ before it is multiplied by eˣ), and so does
    /// PyTorch (derivatives.yaml: log's <c>grad / self</c>, then exp's <c>grad * result</c>); 1.5 would need a second,
    /// seeded pass where the unit result is not finite (Black–Scholes' NormalCdf would carry it). ∞ is not a silently
    /// wrong finite value. Session22SkippedDefectsTests compares the reverse twin at such points.
    /// </summary>
    [Fact]
    public void Unit_on_z_overflows_where_the_reverse_sweep_and_PyTorch_overflow()
    {
        Assert.Equal(double.PositiveInfinity, Gradient(Loaded("R.LogOfExp"), -720.0, 1.0));
        Assert.Equal(1.5, Gradient(Loaded("R.LogOfExp"), -700.0, 1.0), 12);
    }

    /// <summary>
    /// A zero scale dz = g′(x)·seed = 0 from the first statement under a seed of 1 multiplies the unit result: √(x²) at 0
    /// gives NaN (0 · ∞), as 423db22's seeded pass (0/(2·√0)), the reverse sweep and PyTorch (sqrt's
    /// <c>grad / (2 * result)</c> = ∞, then mul's <c>grad * other</c> with other = 0) do; 0 would be a subgradient of |x|
    /// but hides the singularity the other two modes report (session 22). A zero seed still adds nothing.
    /// </summary>
    [Fact]
    public void Zero_scale_from_the_first_statement_keeps_a_singular_NaN()
    {
        Assert.True(double.IsNaN(Gradient(Loaded("R.SqrtOfSquare"), 0.0, 1.0)));
        Assert.Equal(0.0, Gradient(Loaded("R.SqrtOfSquare"), 0.0, 0.0));
    }

    private static Exception? Unwrap(Action action) => OneInputProbe.Thrown(action);

    private static double Gradient(LoadedMethod loaded, double x, double seed) => OneInputProbe.Gradient(loaded, x, seed);

    private static LoadedMethod Loaded(string key) => OneInputProbe.Loaded(s_batch.Value, key);
}

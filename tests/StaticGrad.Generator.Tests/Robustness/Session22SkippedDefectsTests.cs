using StaticGrad.Generator.Tests.Correctness.Harness;

namespace StaticGrad.Generator.Tests.Robustness;

/// <summary>
/// Session 22's fixes of the four skipped defects, each with adversarial variants. Gradients are checked against
/// central finite differences (<see cref="FiniteDifferenceCheck"/>: double h = 1e-6·max(1, |x|),
/// |g − fd| ≤ 1e-6·max(1, |fd|) + the quotient's rounding bound; float h = 1e-3·max(1, |x|), 2e-3·max(1, |fd|) + its
/// bound) at points chosen on the side that matters; where the NaN or ∞ is on the path that ran, it must stay.
/// <list type="number">
/// <item>A value read only by a <c>?:</c> branch that did not run, in a method without jumps: finite where the true
/// gradient is (DerivativeLiveness: each <c>?:</c> reads on its one-branch path what both branches read).</item>
/// <item>The unit tangent on z = g(x) where ∂f/∂z overflows: ∞, as the reverse sweep (a two-input twin) and PyTorch.</item>
/// <item>A zero scale g′(x) = 0 under a non-zero seed: multiplies (√(x²) at 0: NaN, as the reverse twin); a zero seed
/// adds nothing.</item>
/// <item>A fused reduction loop followed by a statement that throws: the backward throws the primal's exception and
/// leaves the caller's adjoints untouched (the loop is no longer fused).</item>
/// </list>
/// One compilation.
/// </summary>
public sealed class Session22SkippedDefectsTests
{
    private const string Source = """
        using System;
        using System.Linq;
        using StaticGrad;

        namespace Skip22;

        public static partial class S
        {
            // ---- 1. a ?: branch that did not run, no jumps ----

            // Session 21's shape: d overflows on x < 0, read only by the then-branch.
            // domain: x=-1..1 y=0.2..0.9
            [Differentiable]
            public static double CondAfterLoop(double x, double y)
            {
                var d = y;
                var s = 0.0;
                for (var k = 0; k < 5; k++)
                {
                    s += x * k;
                    d = Math.Exp(d * (x < 0 ? 30.0 : 0.1));
                }

                return s + (x > 0 ? d * y : y);
            }

            // domain: x=-1..1 y=0.2..0.9
            [Differentiable]
            public static float CondAfterLoopF(float x, float y)
            {
                var d = y;
                var s = 0f;
                for (var k = 0; k < 5; k++)
                {
                    s += x * k;
                    d = MathF.Exp(d * (x < 0 ? 30f : 0.1f));
                }

                return s + (x > 0 ? d * y : y);
            }

            // No loop at all: the overflowing value is read only by the else-branch of a ?: in a local.
            // domain: _result=-1..1 y=0.85..0.95
            [Differentiable]
            public static double CondNoLoop(double _result, double y)
            {
                var big = Math.Exp(y * 900.0);
                var r = _result > 0 ? y * y : big * 1e-300;
                return (r * _result) + y;
            }

            // Nested ?: — d is read by both inner branches but only under the outer then-branch.
            // domain: x=-1..1 dx=0.2..0.9
            [Differentiable]
            public static double CondNested(double x, double dx)
            {
                var d = dx;
                for (var k = 0; k < 4; k++)
                {
                    d = Math.Exp(d * (x < 0 ? 40.0 : 0.2));
                }

                return x > 0 ? (x > 0.5 ? d * dx : d + dx) : dx * dx * 3.0;
            }

            // A local array's element, read only by the untaken branch.
            // domain: x=-1..1 seed=0.85..0.95
            [Differentiable]
            public static double CondStore(double x, double seed)
            {
                var buf = new double[2];
                buf[0] = Math.Exp(seed * 900.0);
                buf[1] = seed;
                return x < 0 ? buf[1] * x : buf[0] * 1e-300 * x;
            }

            // A callee on the untaken branch's value.
            // domain: x=-1..1 y=0.85..0.95
            [Differentiable]
            public static double CondCallee(double x, double y)
            {
                var d = Math.Exp(y * 900.0);
                var c = x > 0 ? Scaled(d) : y;
                return c * x;
            }

            [Differentiable]
            private static double Scaled(double v) => (v * 1e-300) + Math.Sqrt(v);

            // Float, no loop: MathF overflows from y·200 above 88.7.
            // domain: x=-1..1 y=0.5..0.9
            [Differentiable]
            public static float CondNoLoopF(float x, float y)
            {
                var big = MathF.Exp(y * 200f);
                return x < 0 ? (y * x) + y : (big * 1e-30f) + x;
            }

            // Kept: d is read by both branches (Black–Scholes' tail shape): on either path an overflow must stay.
            // domain: x=-1..1 y=0.85..0.95
            [Differentiable]
            public static double KeptBothBranches(double x, double y)
            {
                var d = Math.Exp(y * 900.0);
                return x > 0 ? 1.0 - (d * 1e-300) : (d * 1e-300) + x;
            }

            // Kept: the overflowing value is read by the branch that ran (x < 0).
            // domain: x=-1..1 y=0.85..0.95
            [Differentiable]
            public static double KeptTakenBranch(double x, double y)
            {
                var d = y;
                for (var k = 0; k < 3; k++)
                {
                    d = Math.Exp(d * 300.0);
                }

                return x < 0 ? (d * 1e-300) + x : x * y;
            }

            // ---- 2. and 3. the unit tangent on z = g(x) ----

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

            // domain: x=-3..3
            [Differentiable]
            public static float LogOfExpF(float x)
            {
                var z = MathF.Exp(x);
                var y = 0f;
                for (var k = 0; k < 2; k++)
                {
                    y = (y * 0.5f) + MathF.Log(z);
                }

                return y;
            }

            // z = x² subnormal at x = 1e-160: ∂f/∂z = 1/z overflows, df/dx = 2/x does not.
            // domain: x=0.2..3
            [Differentiable]
            public static double LogOfSquare(double x)
            {
                var z = x * x;
                var y = 0.0;
                for (var k = 0; k < 2; k++)
                {
                    y = (y * 0.25) + Math.Log(z);
                }

                return y;
            }

            // √(x²) = |x|: singular at 0 (g′(0) = 0, ∂f/∂z = ∞).
            // domain: x=-2..2
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

            // domain: x=-2..2
            [Differentiable]
            public static float SqrtOfSquareF(float x)
            {
                var z = x * x;
                var y = 0f;
                for (var k = 0; k < 2; k++)
                {
                    y = (y * 0.5f) + MathF.Sqrt(z);
                }

                return y;
            }

            // √(1 − cos x): g′(0) = 0 and ∂f/∂z = −∞ at 0 (a kink of √2·|sin(x/2)|).
            // domain: x=-2..2
            [Differentiable]
            public static double SqrtOneMinusCos(double x)
            {
                var z = Math.Cos(x);
                var y = 0.0;
                for (var k = 0; k < 2; k++)
                {
                    y = (y * 0.5) + Math.Sqrt(1.0 - z);
                }

                return y;
            }

            // z = |x| (NormalCdf's shape): g′(0) = 0 and ∂f/∂z finite: the gradient at 0 stays 0, not NaN.
            // domain: x=-2..2
            [Differentiable]
            public static double SinOfAbs(double x)
            {
                var z = Math.Abs(x);
                var y = 0.0;
                for (var k = 0; k < 2; k++)
                {
                    y = (y * 0.5) + Math.Sin(z) + (z * z);
                }

                return y;
            }

            // ---- 4. a fused loop, then a statement that throws ----

            // domain: a[4]=-1..1 n=1..3
            [Differentiable]
            public static double SumThenGuard(double[] a, int n)
            {
                var s = 0.0;
                for (var i = 0; i < a.Length; i++)
                {
                    s += a[i] * a[i];
                }

                if (n == 0)
                {
                    throw new ArgumentOutOfRangeException(nameof(n), "n must be positive");
                }

                return s * n;
            }

            // An array the loop did not read (b may be shorter than n); b[n] is not differentiable.
            // domain: a[4]=-1..1 n=0..3
            [Differentiable]
            public static double SumThenElement(double[] a, int n)
            {
                var s = 0.0;
                for (var i = 0; i < a.Length; i++)
                {
                    s += Math.Sin(a[i]);
                }

                var b = new[] { 1.0, 2.0, 3.0, 4.0 };
                return s + b[n];
            }

            // domain: a[4]=-1..1 n=1..3
            [Differentiable]
            public static double SumThenIntDivision(double[] a, int n)
            {
                var s = 0.0;
                for (var i = 0; i < a.Length; i++)
                {
                    s += a[i] * 2.0;
                }

                var q = 12 / n;
                return s * q;
            }

            // domain: a[4]=-1..1 x=-1..0.8
            [Differentiable]
            public static double SumThenCallee(double[] a, double x)
            {
                var s = 0.0;
                for (var i = 0; i < a.Length; i++)
                {
                    s += a[i] * x;
                }

                var c = Checked(x);
                return s + c;
            }

            [Differentiable]
            private static double Checked(double v) => v > 0.9 ? throw new ArgumentOutOfRangeException(nameof(v), "too big") : v * v;

            // domain: a[4]=-1..1 b[2]=-1..1
            [Differentiable]
            public static double LinqSumThenEmptyAverage(double[] a, double[] b) => a.Sum(v => v * v) + b.Average();

            // domain: a[4]=-1..1 x=-1..1
            [Differentiable]
            public static double SumThenSign(double[] a, double x)
            {
                var s = 0.0;
                for (var i = 0; i < a.Length; i++)
                {
                    s += a[i] * x;
                }

                var sign = Math.Sign(s);
                return s * sign;
            }

            // Two fused-shaped loops: the second's guard throws after both.
            // domain: a[4]=-0.9..0.9 x=-1..1
            [Differentiable]
            public static double TwoSumsThenGuard(double[] a, double x)
            {
                var s = 0.0;
                for (var i = 0; i < a.Length; i++)
                {
                    s += a[i] * x;
                }

                var t = 0.0;
                for (var i = 0; i < a.Length; i++)
                {
                    t += a[i] * a[i];
                }

                if (t > 3.5)
                {
                    throw new InvalidOperationException("too large");
                }

                return s + t;
            }

            // Control: nothing after the loop can throw (the length of an array the loop read): still fused.
            // domain: a[4]=-1..1 x=-1..1
            [Differentiable]
            public static double SumThenLength(double[] a, double x)
            {
                var s = 0.0;
                for (var i = 0; i < a.Length; i++)
                {
                    s += a[i] * x;
                }

                return s / a.Length;
            }
        }
        """;

    /// <summary>The source with a reverse-mode twin of each one-input method (a second, unused input): <c>NameTwin(T x, T unused)</c>.</summary>
    private static readonly string s_source = Source.Replace("public static partial class S\n{\n", "public static partial class S\n{\n" + Twins(Source), StringComparison.Ordinal);

    private static readonly IReadOnlyList<MethodUnderTest> s_methods = MethodUnderTest.ReadAll(s_source);

    private static readonly Lazy<CompiledBatch> s_batch = new(() => CompiledBatch.Compile(new[] { s_source }, s_methods));

    private static string Twins(string source) => string.Concat(System.Text.RegularExpressions.Regex
        .Matches(source, @"( *// domain: x=[^\n]*)\n( *\[Differentiable\]\n *public static (double|float) )(\w+)\((?:double|float) x\)(\n *\{\n.*?\n {4}\}\n)", System.Text.RegularExpressions.RegexOptions.Singleline)
        .Select(m => m.Groups[1].Value + " unused=0..1\n" + m.Groups[2].Value + m.Groups[4].Value + "Twin(" + m.Groups[3].Value + " x, " + m.Groups[3].Value + " unused)" + m.Groups[5].Value + "\n"));

    /// <summary>Every method: accepted, warning-free, and its gradient matches central differences at points of its domain.</summary>
    [Theory]
    [MemberData(nameof(Methods))]
    public void Gradient_matches_central_differences_on_the_domain(string key)
    {
        var batch = s_batch.Value;
        batch.AssertAcceptedAndGradientMatches(key, s_methods, 4);
        var warnings = (batch.GeneratorDiagnostics.GetValueOrDefault(key) ?? new()).Where(d => d.Severity == Microsoft.CodeAnalysis.DiagnosticSeverity.Warning);
        Assert.Empty(warnings.Select(d => d.ToString()));
    }

    /// <summary>Their value overflows on part of the domain (by design): checked at chosen points only.</summary>
    private static readonly HashSet<string> s_pointsOnly = new() { "S.CondNoLoop", "S.CondNoLoopF", "S.CondStore", "S.CondCallee", "S.KeptBothBranches", "S.KeptTakenBranch" };

    public static TheoryData<string> Methods() => MethodUnderTest.Keys(s_methods.Where(m => !s_pointsOnly.Contains(m.Key)));

    /// <summary>1. The overflowing value is read only by the branch that did not run: the gradient is finite and right.</summary>
    [Theory]
    [InlineData("S.CondAfterLoop", -0.8, 0.7)]
    [InlineData("S.CondAfterLoop", -0.3, 0.25)]
    [InlineData("S.CondAfterLoopF", -0.8, 0.7)]
    [InlineData("S.CondNoLoop", 0.6, 0.9)]
    [InlineData("S.CondNested", -0.7, 0.6)]
    [InlineData("S.CondStore", -0.4, 0.9)]
    [InlineData("S.CondCallee", -0.5, 0.9)]
    [InlineData("S.CondNoLoopF", -0.5, 0.8)]
    [InlineData("S.KeptTakenBranch", 0.6, 0.9)]
    public void Untaken_branch_overflow_gives_the_finite_gradient(string key, double x, double y)
    {
        var loaded = Loaded(key);
        var check = new FiniteDifferenceCheck(loaded);
        var point = new[] { new[] { x }, new[] { y } };
        Assert.False(double.IsFinite(Untaken(key, x, y)), key + ": the point must overflow the value the other branch reads");
        check.CheckAgainstFiniteDifferences(point);
        Assert.True(check.Problems.Count == 0, key + ":\n" + check.Report() + "\n" + s_batch.Value.GeneratedSource[key]);
    }

    /// <summary>1. Where the overflowing value is read on the path that ran, ∂/∂y stays ∞ or NaN (the value is ∞ too).</summary>
    [Theory]
    [InlineData("S.KeptBothBranches", 0.5, 0.9)]
    [InlineData("S.KeptBothBranches", -0.5, 0.9)]
    [InlineData("S.KeptTakenBranch", -0.6, 0.9)]
    [InlineData("S.KeptTakenBranch", -0.3, 0.85)]
    [InlineData("S.CondNoLoop", -0.6, 0.9)]
    [InlineData("S.CondStore", 0.4, 0.9)]
    [InlineData("S.CondCallee", 0.5, 0.9)]
    [InlineData("S.CondNoLoopF", 0.5, 0.8)]
    public void Taken_branch_overflow_stays_non_finite(string key, double x, double y)
    {
        var adjoints = new[] { new[] { 0.0 }, new[] { 0.0 } };
        Loaded(key).Backward(new[] { new[] { x }, new[] { y } }, adjoints, 1.0);
        Assert.False(double.IsFinite(adjoints[1][0]), $"{key}({x}, {y}): ∂/∂y = {adjoints[1][0]:R}, expected ∞ or NaN\n{s_batch.Value.GeneratedSource[key]}");
    }

    /// <summary>1. Where both branches read the value (Black–Scholes' <c>x &gt; 0 ? 1 − tail : tail</c>), no run-time test is added.</summary>
    [Fact]
    public void A_value_read_by_both_branches_gets_no_run_time_test()
    {
        Assert.DoesNotContain("!= 0.0)", s_batch.Value.GeneratedSource["S.KeptBothBranches"], StringComparison.Ordinal);
        Assert.Contains("!= 0.0)", s_batch.Value.GeneratedSource["S.CondNoLoop"], StringComparison.Ordinal);
    }

    /// <summary>
    /// 2. and 3. The forward-mode backward (unit tangent) against its reverse-mode twin (a second, unused input) at
    /// points where ∂f/∂z overflows or g′(x) = 0 meets an infinite ∂f/∂z: the same value (∞, NaN), bit for bit or both NaN.
    /// </summary>
    [Theory]
    [InlineData("S.LogOfExp", -720.0, double.PositiveInfinity)]
    [InlineData("S.LogOfExp", -740.0, double.PositiveInfinity)]
    [InlineData("S.LogOfExpF", -100.0, double.PositiveInfinity)]
    [InlineData("S.LogOfSquare", 1e-160, double.PositiveInfinity)]
    [InlineData("S.LogOfSquare", -1e-160, double.NegativeInfinity)]
    [InlineData("S.SqrtOfSquare", 0.0, double.NaN)]
    [InlineData("S.LogOfExp", -744.0, double.PositiveInfinity)]
    [InlineData("S.SqrtOneMinusCos", 0.0, double.NaN)]
    public void Forward_mode_agrees_with_the_reverse_twin_where_the_derivative_is_not_finite(string key, double x, double expected)
    {
        var forward = OneInputProbe.Gradient(Loaded(key), x, 1.0);
        var adjoints = new[] { new[] { 0.0 }, new[] { 0.0 } };
        Loaded(key + "Twin").Backward(new[] { new[] { x }, new[] { 0.5 } }, adjoints, 1.0);
        Assert.Contains("Forward mode", s_batch.Value.GeneratedSource[key], StringComparison.Ordinal);
        Assert.Equal(expected, forward);
        Assert.Equal(expected, adjoints[0][0]);
    }

    /// <summary>2. and 3. Near the same points, where the derivative is in range: central differences.</summary>
    [Theory]
    [InlineData("S.LogOfExp", -700.0)]
    [InlineData("S.LogOfExp", -2.5)]
    [InlineData("S.LogOfExpF", -80.0)]
    [InlineData("S.LogOfSquare", 0.3)]
    [InlineData("S.SqrtOfSquare", 0.4)]
    [InlineData("S.SqrtOfSquare", -0.4)]
    [InlineData("S.SqrtOfSquareF", -0.4)]
    [InlineData("S.SqrtOneMinusCos", 0.5)]
    [InlineData("S.SinOfAbs", 0.7)]
    [InlineData("S.SinOfAbs", 0.0)]
    public void Unit_tangent_matches_central_differences_in_range(string key, double x)
    {
        var check = new FiniteDifferenceCheck(Loaded(key));
        check.CheckAgainstFiniteDifferences(new[] { new[] { x } });
        Assert.True(check.Problems.Count == 0, key + ":\n" + check.Report() + "\n" + s_batch.Value.GeneratedSource[key]);
    }

    /// <summary>3. A zero seed adds nothing, also where the unit result is ∞ (the adjoint keeps its value); a non-zero seed at g′(x) = 0 gives NaN there.</summary>
    [Theory]
    [InlineData("S.SqrtOfSquare")]
    [InlineData("S.SqrtOneMinusCos")]
    [InlineData("S.SqrtOfSquareF")]
    public void Zero_seed_adds_nothing_and_a_zero_scale_multiplies(string key)
    {
        var adjoints = new[] { new[] { 1.25 } };
        Loaded(key).Backward(new[] { new[] { 0.0 } }, adjoints, 0.0);
        Assert.Equal(1.25, adjoints[0][0]);
        Assert.True(double.IsNaN(OneInputProbe.Gradient(Loaded(key), 0.0, 0.5)));
        Assert.True(double.IsNaN(OneInputProbe.Gradient(Loaded(key), 0.0, -3.0)));
    }

    /// <summary>3. g′(x) = 0 with a finite ∂f/∂z (NormalCdf's |x| at 0): still exactly 0, not NaN.</summary>
    [Fact]
    public void Zero_scale_with_a_finite_unit_result_gives_zero()
    {
        Assert.Equal(0.0, OneInputProbe.Gradient(Loaded("S.SinOfAbs"), 0.0, 1.0));
        Assert.Equal(0.0, OneInputProbe.Gradient(Loaded("S.SinOfAbs"), -0.0, 2.0));
    }

    /// <summary>4. The backward throws what the primal throws (type and message), leaving every adjoint untouched.</summary>
    [Theory]
    [InlineData("S.SumThenGuard", new[] { 0.1, 0.2, 0.3, 0.4, 0.0 })]
    [InlineData("S.SumThenElement", new[] { 0.1, 0.2, 0.3, 0.4, 7.0 })]
    [InlineData("S.SumThenElement", new[] { 0.1, 0.2, 0.3, 0.4, -1.0 })]
    [InlineData("S.SumThenIntDivision", new[] { 0.1, 0.2, 0.3, 0.4, 0.0 })]
    [InlineData("S.SumThenCallee", new[] { 0.1, 0.2, 0.3, 0.4, 0.95 })]
    [InlineData("S.SumThenSign", new[] { 0.1, double.NaN, 0.3, 0.4, 0.5 })]
    [InlineData("S.TwoSumsThenGuard", new[] { 0.9, -0.95, 0.99, -0.97, 0.5 })]
    [InlineData("S.SumThenGuard", new double[] { 0.0 })]
    public void Backward_after_a_loop_throws_before_writing_any_adjoint(string key, double[] flat)
    {
        var loaded = Loaded(key);
        var point = Session21LinqReviewTests.SplitShort(loaded.Method, flat);
        Session21LinqReviewTests.AssertThrowsLikeThePrimalAndWritesNothing(loaded, point);
    }

    /// <summary>4. LINQ: the Sum's loop, then an empty Average (InvalidOperationException).</summary>
    [Fact]
    public void Linq_sum_then_empty_average_writes_nothing()
    {
        var loaded = Loaded("S.LinqSumThenEmptyAverage");
        Session21LinqReviewTests.AssertThrowsLikeThePrimalAndWritesNothing(loaded, new[] { new[] { 0.1, 0.2, 0.3, 0.4 }, Array.Empty<double>() });
    }

    /// <summary>4. What may throw after the loop keeps it unfused; the length of an array the loop read does not.</summary>
    [Theory]
    [InlineData("S.SumThenGuard", false)]
    [InlineData("S.SumThenElement", false)]
    [InlineData("S.SumThenIntDivision", false)]
    [InlineData("S.SumThenCallee", false)]
    [InlineData("S.SumThenSign", false)]
    [InlineData("S.TwoSumsThenGuard", false)]
    [InlineData("S.SumThenLength", true)]
    public void Fused_only_when_nothing_after_the_loop_may_throw(string key, bool fused)
    {
        Assert.Equal(fused, s_batch.Value.GeneratedSource[key].Contains("// Fused: ", StringComparison.Ordinal));
    }

    /// <summary>The value only the other branch reads at (x, y), computed as the method computes it: it must overflow for the test to mean anything.</summary>
    private static double Untaken(string key, double x, double y) => key switch
    {
        "S.CondAfterLoop" or "S.KeptTakenBranch" or "S.CondNested" => Iterate(key, x, y),
        "S.CondAfterLoopF" => IterateF(x, y),
        "S.CondNoLoopF" => MathF.Exp((float)y * 200f),
        _ => Math.Exp(y * 900.0),
    };

    private static double Iterate(string key, double x, double y)
    {
        var (trips, factor) = key switch
        {
            "S.CondAfterLoop" => (5, x < 0 ? 30.0 : 0.1),
            "S.CondNested" => (4, x < 0 ? 40.0 : 0.2),
            _ => (3, 300.0),
        };
        var d = y;
        for (var k = 0; k < trips; k++)
        {
            d = Math.Exp(d * factor);
        }

        return d;
    }

    private static double IterateF(double x, double y)
    {
        var d = (float)y;
        for (var k = 0; k < 5; k++)
        {
            d = MathF.Exp(d * (x < 0 ? 30f : 0.1f));
        }

        return d;
    }

    internal static LoadedMethod Loaded(string key) => OneInputProbe.Loaded(s_batch.Value, key);
}

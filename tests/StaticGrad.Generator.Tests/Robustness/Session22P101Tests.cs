using System.Reflection;
using StaticGrad.Generator.Tests.Correctness.Harness;
using StaticGrad.Generator.Tests.RandomPrograms;

namespace StaticGrad.Generator.Tests.Robustness;

/// <summary>
/// Session 22: batch 20261126's P101, a "wrong gradient" (∂/∂a[1] = −4.1e235 where central differences give −4.3e118)
/// that was the checker's: the program takes <c>Math.Sin(q33)</c> of q33 ≈ 1.6e15, 8.1e58 and 9.8e233 on its last trips,
/// whose value is rounding noise and whose derivative <c>cos(q33)·q33′</c> is as large as q33′; Backward is the chain
/// rule's exact value, which central differences cannot see (<see cref="UnresolvedPhase"/>). These tests show (1) P101
/// as drawn: reported without the probe, excused with it, its Tangent still agreeing with Backward; (2) the mechanism
/// cut down (a LINQ <c>Select(…).Sum()</c> and an <c>ArgumentOutOfRangeException.ThrowIfLessThan</c> guard in a
/// counted <c>while</c> loop, six squarings, the sine of the square): Backward minus the Backward with the sine's
/// argument detached is exactly <c>0.5·cos(q)·q′</c> (computed here by the recurrence), and the detached Backward matches
/// central differences of the program itself; (3) 22 variants of the mechanism (sin, cos, tan, SinCos of values grown by
/// squares, LINQ Sum, Select(…).Sum(), Zip(…).Sum(), Max and Average feeding them, the guard before and after, Floor, a
/// tuple array's foreach, while, nested and zero-trip loops, early return, float and double) at points where the
/// arguments stay small, against central differences (<see cref="JacobianProbeCheck"/>: double h = 1e-6,
/// |g − fd| ≤ 1e-6·max(1, |fd|); float h = 1e-2, ≤ 2e-2·max(1, |fd|)). ONE compilation for (2) and (3).
/// </summary>
public sealed class Session22P101Tests
{
    private const string Source = """
        using System;
        using System.Linq;
        using StaticGrad;

        namespace P101Cases;

        public static partial class C
        {
            [Differentiable]
            public static double GrowThenSin(double x, double[] a)
            {
                double q = x;
                for (int k = 0; k < 3; k++)
                {
                    double r = a.Select(lv => (lv - q) * 0.5).Sum();
                    q += r * r * 0.25;
                }

                return Math.Sin(q) * 0.5 + q * 0.1;
            }

            [Differentiable]
            public static double GuardBeforeSum(double x, double[] a)
            {
                double v = 0.0;
                int k = 0;
                while (k < a.Length)
                {
                    k++;
                    ArgumentOutOfRangeException.ThrowIfLessThan(a.Length, 3);
                    v += a.Select(lv => (lv - x) * 0.5).Sum() * 0.5;
                    v += Math.Sin(v * x) * 0.5;
                }

                return v;
            }

            [Differentiable]
            public static double GuardAfterSum(double x, double[] a)
            {
                double v = 0.0;
                int k = 0;
                while (k < a.Length)
                {
                    k++;
                    v += a.Select(lv => (lv - x) * 0.5).Sum() * 0.5;
                    ArgumentOutOfRangeException.ThrowIfGreaterThan(a.Length, 7);
                    v += Math.Cos(v + x) * 0.5;
                }

                return v;
            }

            [Differentiable]
            public static double SumWithSelector(double x, double[] a)
            {
                double v = x;
                for (int i = 0; i < 2; i++)
                {
                    v += a.Sum(lv => lv * Math.Sin(v)) * 0.5;
                }

                return Math.Sin(v * v);
            }

            [Differentiable]
            public static double ZipSum(double x, double[] a)
            {
                double v = x;
                for (int i = 0; i < 2; i++)
                {
                    v += a.Zip(a, (lv, lw) => lv * Math.Tanh(lw * v)).Sum() * 0.5;
                }

                return Math.Cos(v) + v;
            }

            [Differentiable]
            public static double MaxAndAverage(double x, double[] a)
            {
                double v = x;
                for (int i = 0; i < 2; i++)
                {
                    v += a.Max(lv => lv * v) * 0.25 + a.Average() * v * 0.25;
                }

                return Math.Sin(v * 3.0);
            }

            [Differentiable]
            public static double SelectMin(double x, double[] a)
            {
                double v = x;
                v += a.Select(lv => Math.Cos(lv + v)).Min() * 0.5;
                return Math.Tan(v * 0.5);
            }

            [Differentiable]
            public static double SinCosOfGrowth(double x, double[] a)
            {
                double q = x;
                for (int k = 0; k < 3; k++)
                {
                    q = q * q * 0.5 + a[k];
                }

                var (s, c) = Math.SinCos(q);
                return s * c + q;
            }

            [Differentiable]
            public static double FloorInLoop(double x, double[] a)
            {
                double v = x;
                int k = 0;
                while (k < 4)
                {
                    k++;
                    v = 0.5 * v + 0.5 * Math.Sin(Math.Log(1.0 + (Math.Floor(Math.Floor(a[k % 3]) + 1.7) + v) * (Math.Floor(Math.Floor(a[k % 3]) + 1.7) + v)));
                }

                return v;
            }

            [Differentiable]
            public static double TupleArrayForeach(double x, double[] a)
            {
                double v = x;
                for (int i = 0; i < 2; i++)
                {
                    var tp = new (double A, double B)[2];
                    tp[0] = (x, Math.Exp(Math.Sin(a[(i + 1) % 3])));
                    tp[1] = (0.41, v);
                    foreach (var (ta, tb) in tp)
                    {
                        v += ta * tb * 0.25;
                    }
                }

                return Math.Sin(v);
            }

            [Differentiable]
            public static double NestedTriangle(double x, double[] a)
            {
                double p = x * 0.5;
                double q = 0.0;
                for (int j = 0; j < 4; j++)
                {
                    double r = a[j % 3] * 0.25;
                    for (int c = 0; c < j; c++)
                    {
                        r += a[c % 3] * (a[(c + 1) % 3] - p);
                    }

                    q += r * r * 0.25;
                }

                return Math.Sin(q) * 0.5 + p;
            }

            [Differentiable]
            public static double ZeroTripThenSin(double x, double[] a)
            {
                double v = x;
                int k = a.Length;
                while (k < 3)
                {
                    k++;
                    v = v * v * 1e30;
                }

                return Math.Sin(v) + a.Select(lv => lv * v).Sum();
            }

            [Differentiable]
            public static double EarlyReturnBeforeSin(double x, double[] a)
            {
                double v = a.Select(lv => (lv - x) * 0.5).Sum();
                if (x < 0)
                {
                    return v * v;
                }

                ArgumentOutOfRangeException.ThrowIfLessThan(a.Length, 3);
                return Math.Sin(v * x) + v;
            }

            [Differentiable]
            public static double GuardInsideBranch(double x, double[] a)
            {
                double v = x;
                for (int k = 1; k <= a.Length; k++)
                {
                    if (a[k % 3] + a[2 - k % 3] > -0.0)
                    {
                        ArgumentOutOfRangeException.ThrowIfLessThan(a.Length, 3);
                        v += a.Select(lv => (lv - v) * 0.5).Sum() * 0.25;
                    }
                }

                return Math.Cos(v) * v;
            }

            [Differentiable]
            public static double AverageInWhileWithBreak(double x, double[] a)
            {
                double v = x;
                int k = 0;
                while (k < 3)
                {
                    k++;
                    if (v > 5.0)
                    {
                        break;
                    }

                    v += a.Average() * Math.Sin(v) * 0.5;
                }

                return v * v;
            }

            [Differentiable]
            public static double TanOfSelectSum(double x, double[] a)
            {
                double v = a.Select(lv => lv * x).Sum() * 0.2;
                return Math.Tan(v) + v;
            }

            [Differentiable]
            public static float FloatGrowThenSin(float x, float[] a)
            {
                float q = x;
                for (int k = 0; k < 2; k++)
                {
                    float r = a.Select(lv => (lv - q) * 0.5f).Sum();
                    q += r * r * 0.125f;
                }

                return MathF.Sin(q) * 0.5f + q * 0.1f;
            }

            [Differentiable]
            public static float FloatGuardInWhile(float x, float[] a)
            {
                float v = 0.0f;
                int k = 0;
                while (k < a.Length)
                {
                    k++;
                    ArgumentOutOfRangeException.ThrowIfLessThan(a.Length, 3);
                    v += a.Select(lv => (lv - x) * 0.5f).Sum() * 0.25f;
                }

                return MathF.Cos(v) + v;
            }

            [Differentiable]
            public static float FloatZip(float x, float[] a)
            {
                float v = x + a.Zip(a, (lv, lw) => lv * lw).Sum() * 0.25f;
                return MathF.Sin(v) * v;
            }

            [Differentiable]
            public static float FloatFloor(float x, float[] a)
            {
                float v = x;
                for (int k = 0; k < 3; k++)
                {
                    v = 0.5f * v + 0.25f * MathF.Sin(MathF.Floor((a[k] * 0.5f) + 2.2f) + v);
                }

                return v;
            }

            [Differentiable]
            public static float FloatTupleForeach(float x, float[] a)
            {
                var tp = new (float A, float B)[2];
                tp[0] = (x, a[0]);
                tp[1] = (0.5f, x * a[1]);
                float v = 0.0f;
                foreach (var (ta, tb) in tp)
                {
                    v += ta * tb;
                }

                return MathF.Cos(v);
            }

            [Differentiable]
            public static float FloatSinCos(float x, float[] a)
            {
                float q = x * a[2];
                var (s, c) = MathF.SinCos(q + a.Average());
                return s + c * q;
            }
        """;

    /// <summary>
    /// P101's mechanism cut down: the while loop with its guard and its LINQ sum, six squarings, then the sine of the
    /// square (≥ 1.3e19 for |x| in 0.3..1.3: past 2^53). <c>MechanismDetached</c> is the same with the sine's argument
    /// detached: what central differences of <c>Mechanism</c> measure.
    /// </summary>
    private const string MechanismCase = """
            [Differentiable]
            public static double Mechanism(double x, double[] a)
            {
                double v = 0.0;
                int k = 0;
                while (k < a.Length)
                {
                    k++;
                    ArgumentOutOfRangeException.ThrowIfLessThan(a.Length, 3);
                    v += a.Select(lv => (lv - x) * 0.5).Sum() * 0.5;
                    for (int i = 0; i < 2; i++)
                    {
                        x = x * x + 1.5;
                    }
                }

                return v + (x * x * 1e-3) + (Math.Sin(x * x) * 0.5);
            }

        """;

    private static readonly string[] s_doubleCases =
    {
        "GrowThenSin", "GuardBeforeSum", "GuardAfterSum", "SumWithSelector", "ZipSum", "MaxAndAverage", "SelectMin",
        "SinCosOfGrowth", "FloorInLoop", "TupleArrayForeach", "NestedTriangle", "ZeroTripThenSin", "EarlyReturnBeforeSin",
        "GuardInsideBranch", "AverageInWhileWithBreak", "TanOfSelectSum",
    };

    private static readonly string[] s_floatCases = { "FloatGrowThenSin", "FloatGuardInWhile", "FloatZip", "FloatFloor", "FloatTupleForeach", "FloatSinCos" };

    private static readonly string s_source = Source + "\n" + MechanismCase
        + MechanismCase.Replace("Mechanism(", "MechanismDetached(", StringComparison.Ordinal).Replace("Math.Sin(x * x)", "Math.Sin(Autograd.Detach(x * x))", StringComparison.Ordinal)
        + JacobianProbeCheck.ScalarArrayProbes(s_doubleCases.Append("Mechanism").Append("MechanismDetached"), isFloat: false)
        + JacobianProbeCheck.ScalarArrayProbes(s_floatCases, isFloat: true) + "}\n";

    private static readonly Lazy<(Assembly Assembly, Dictionary<string, string> Sources)> s_compiled = new(() => JacobianProbeCheck.Compile(s_source));

    private static Type Cases => s_compiled.Value.Assembly.GetType("P101Cases.C")!;

    public static TheoryData<string> DoubleCases => new(s_doubleCases);

    public static TheoryData<string> FloatCases => new(s_floatCases);

    [Theory]
    [MemberData(nameof(DoubleCases))]
    public void Double_variant_matches_central_differences(string name) => AssertMatches(name, isFloat: false);

    [Theory]
    [MemberData(nameof(FloatCases))]
    public void Float_variant_matches_central_differences(string name) => AssertMatches(name, isFloat: true);

    /// <summary>
    /// The cut-down mechanism at four points: Backward minus the detached Backward is exactly the chain rule's
    /// 0.5·cos(q)·q′ for ∂/∂x (q = x⁶⁴-ish after six squarings, q′ by the recurrence; 1e-9 relative to |q′|, the
    /// scale of both Backwards) and 0 for ∂/∂a; the detached Backward matches central differences of Mechanism itself
    /// (h = 1e-6 relative to |x|, 1e-6·max(1, |fd|)), which see only the smooth part.
    /// </summary>
    [Fact]
    public void Mechanism_backward_is_the_chain_rule_and_differences_see_only_the_smooth_part()
    {
        var full = Cases.GetMethod("MechanismRows")!.CreateDelegate<Func<double[], double[]>>();
        var detached = Cases.GetMethod("MechanismDetachedRows")!.CreateDelegate<Func<double[], double[]>>();
        var primal = Cases.GetMethod("MechanismValue")!.CreateDelegate<Func<double[], double[]>>();
        var random = new Random(22101);
        for (var trial = 0; trial < 4; trial++)
        {
            var x = (0.3 + random.NextDouble()) * (trial % 2 == 0 ? 1 : -1);
            var point = new[] { x, 0.3 + random.NextDouble(), 0.3 + random.NextDouble(), 0.3 + random.NextDouble() };
            var rowsFull = full(point);
            var rowsDetached = detached(point);
            var (gFull, gDetached) = (rowsFull[1], rowsDetached[1]);

            // q = x6², x6 after six squarings x ← x² + 1.5, q′ = 2·x6·Π 2·x_i.
            double xi = x, dxi = 1;
            for (var s = 0; s < 6; s++)
            {
                dxi *= 2 * xi;
                xi = (xi * xi) + 1.5;
            }

            var q = xi * xi;
            var dq = 2 * xi * dxi;
            Assert.True(Math.Abs(q) >= UnresolvedPhase.DoubleLimit, $"q = {q:R} is not past 2^53");
            Assert.True(Math.Abs(gFull - gDetached - (0.5 * Math.Cos(q) * dq)) <= 1e-9 * Math.Abs(dq), $"x = {x:R}: {gFull:R} − {gDetached:R} vs 0.5·cos(q)·q′ = {0.5 * Math.Cos(q) * dq:R}");
            // ∂/∂a[j] is 3 trips × 0.5 × 0.5 exactly, in both: central differences cannot measure it (0.75·h is
            // absorbed by a result near x6² · 1e-3 ≥ 1e16).
            Assert.Equal(rowsFull[0], rowsDetached[0]);
            for (var j = 2; j < 5; j++)
            {
                Assert.Equal(0.75, rowsFull[j], 12);
                Assert.Equal(0.75, rowsDetached[j], 12);
            }

            var h = 1e-6 * Math.Abs(x);
            var fd = (primal(point.Select((p, i) => i == 0 ? x + h : p).ToArray())[0] - primal(point.Select((p, i) => i == 0 ? x - h : p).ToArray())[0]) / (2 * h);
            Assert.True(Math.Abs(gDetached - fd) <= 1e-6 * Math.Max(1, Math.Abs(fd)), $"x = {x:R}: detached Backward {gDetached:R}, central differences {fd:R}, full Backward {gFull:R}");
        }
    }

    /// <summary>
    /// P101 as drawn (batch 20261126, program seed −1050380515, with its helper): without the probe the check reports
    /// its wrong gradients at both points; with it nothing (the Tangent's dot-product checks included) and both points
    /// are counted as excused.
    /// </summary>
    [Fact]
    public void P101_as_drawn_is_excused_only_at_points_past_the_rounding_and_its_tangent_agrees()
    {
        var batch = RandomBatch.Create(20261126, 250);
        var program = batch.Programs.Single(p => p.Seed == -1050380515);
        var helpers = batch.Helpers.Where(h => program.Source.Contains("Helpers." + h.Name + "(", StringComparison.Ordinal)).ToList();
        var source = ProgramGenerator.CompilationUnit("P101AsDrawn", helpers, new[] { program });
        var methods = MethodUnderTest.ReadAll(source).Where(m => m.Name == program.Name).ToList();
        var compiled = CompiledBatch.Compile(new[] { source }, methods);
        var tangents = Forward.TangentAdapters.CompileAgainst(compiled, methods);
        var nonFinite = 0;
        var without = ProgramCheck.Run(compiled, tangents, methods[0], program.Seed, new TwoStepCheck(), ref nonFinite);
        Assert.Contains(without, p => p.Kind == ProblemKind.WrongGradient);
        Assert.DoesNotContain(without, p => p.Kind != ProblemKind.WrongGradient && !ProgramCheck.ComparesWithFiniteDifferences(p));
        var check = new TwoStepCheck();
        var with = ProgramCheck.Run(compiled, tangents, methods[0], program.Seed, check, ref nonFinite, phase: () => UnresolvedPhase.Compile(helpers, program));
        Assert.True(with.Count == 0, string.Join("\n", with.Select(p => p.Text)));
        // Each point's gradient comparisons, and the Tangent's along a direction where that failed too.
        Assert.InRange(check.UnresolvedPhases, ProgramCheck.PointsPerProgram, 2 * ProgramCheck.PointsPerProgram);
    }

    /// <summary>
    /// The probe reroutes exactly Math's and MathF's Sin, Cos, Tan and SinCos (not Sinh, Cosh, Tanh, Asin…), and it
    /// is precise: a program of the same batch taking Math.Sin of ordinary values is not past the limit at its points.
    /// </summary>
    [Fact]
    public void The_probe_reroutes_only_periodic_functions_and_excuses_no_ordinary_point()
    {
        Assert.Equal(
            "Math.Sinh(x) + PhaseProbe.Cos(y) * PhaseProbe.Sin(Math.Tanh(w)) + PhaseProbe.SinCos(z) + Math.Asin(u) + PhaseProbe.Tan(t) + Math.Cosh(s)",
            UnresolvedPhase.Probed("Math.Sinh(x) + MathF.Cos(y) * Math.Sin(Math.Tanh(w)) + Math.SinCos(z) + Math.Asin(u) + Math.Tan(t) + Math.Cosh(s)"));
        var batch = RandomBatch.Create(20261126, 250);
        var others = batch.Programs.Where(p => p.Seed != -1050380515 && p.Source.Contains("Math.Sin(", StringComparison.Ordinal) && !p.Source.Contains("Helpers.", StringComparison.Ordinal)).Take(3).ToList();
        Assert.Equal(3, others.Count);
        foreach (var other in others)
        {
            var method = MethodUnderTest.ReadAll(ProgramGenerator.CompilationUnit("P101Others", Array.Empty<RandomProgram>(), new[] { other })).Single(m => m.Name == other.Name);
            var probe = UnresolvedPhase.Compile(Array.Empty<RandomProgram>(), other);
            Assert.NotNull(probe);
            var random = new Random(other.Seed);
            for (var p = 0; p < ProgramCheck.PointsPerProgram; p++)
            {
                Assert.False(probe.At(FiniteDifferenceCheck.DrawPoint(method, random)), other.Name + " is excused at an ordinary point");
            }
        }
    }

    private static void AssertMatches(string name, bool isFloat)
    {
        var problems = JacobianProbeCheck.Problems(Cases, name, 22, 4, 1, isFloat);
        Assert.True(problems.Count == 0, string.Join("\n", problems) + "\n" + s_compiled.Value.Sources.Single(s => s.Key == "P101Cases.C." + name + ".g.cs").Value);
    }
}

using StaticGrad.Generator.Tests.Correctness.Harness;

namespace StaticGrad.Generator.Tests.Robustness;

/// <summary>
/// Adversarial review of session 21's corpus21 (LINQ Sum, Average, Max and Min over arrays, their Select and Zip,
/// hoisted before the statement as counted loops; tuple-returning local functions read through at each call).
/// Inputs that meet every stated condition but break an unstated assumption: a part of the statement to the left of
/// the reduction that WRITES what the reduction reads (an assignment expression, an increment, a [Differentiable]
/// helper writing the array), reductions in braceless loop and branch bodies, Zip of different lengths with an indexed
/// Select, float sums bit for bit against Enumerable, Max and Min ties, NaN and ±0.0, empty and null arrays, captured
/// variables changed in a loop, and local functions read through with captured variables changed between calls.
/// ONE compiled batch; every Backward against central finite differences (tolerances of
/// <see cref="FiniteDifferenceCheck"/>), its value against the primal bit for bit, and its exceptions (type and message).
/// </summary>
public sealed class Session21LinqReviewTests
{
    private const int PointsPerFunction = 3;

    private const string Source = """
        using System;
        using System.Linq;
        using StaticGrad;

        namespace Review21;

        public static partial class L
        {
            private static readonly float[] FloatTable = { 0.1f, 1e7f, -3.3f, 2.5e-3f, 7.75f };

            // domain: a[4]=-1..1 x=-1..1
            [Differentiable]
            public static double AssignmentBeforeSum(double[] a, double x)
            {
                var r = x;
                var t = (r = x * 2) + a.Sum(v => v * r);
                return t + r;
            }

            // domain: a[4]=-1..1 x=-1..1
            [Differentiable]
            public static double IncrementBeforeSum(double[] a, double x)
            {
                var i = 1;
                var t = x * i++ + a.Sum(v => v * i);
                return t;
            }

            // domain: a[4]=-1..1 x=-1..1
            [Differentiable]
            public static double ElementAssignmentBeforeSum(double[] a, double x)
            {
                var t = (a[0] = x * 3) + a.Sum(v => v * v);
                return t;
            }

            // domain: a[4]=-1..1 x=-1..1
            [Differentiable]
            public static double HelperWritesArrayBeforeSum(double[] a, double x) => Overwrite(a, x) + a.Sum(v => v * v);

            [Differentiable]
            private static double Overwrite(double[] a, double x)
            {
                a[0] = x * 3;
                return x;
            }

            // domain: a[4]=-1..1 x=-1..1
            [Differentiable]
            public static double SelfReferencingAccumulate(double[] a, double x)
            {
                var r = x;
                r = r + a.Sum(v => v * r);
                r += a.Max(v => v * r);
                return r;
            }

            // domain: a[5]=-1..1
            [Differentiable]
            public static double TwoReductionsOneStatement(double[] a) => a.Sum(v => v * v) * a.Max() - a.Min(v => Math.Exp(v)) / a.Average(v => 2 + v);

            // domain: a[3]=-1..1 b[4]=-1..1
            [Differentiable]
            public static double BracelessForEachBody(double[] a, double[] b)
            {
                var s = 0.0;
                foreach (var w in b)
                    s += a.Sum(v => v * w) * w;
                return s;
            }

            // domain: a[3]=-1..1 b[4]=-1..1
            [Differentiable]
            public static double BracelessForEachIf(double[] a, double[] b)
            {
                var s = 0.0;
                foreach (var w in b)
                    if (a.Sum(v => v * w) > 0) s += w * w;
                return s;
            }

            // domain: a[3]=-1..1 x=-1..1
            [Differentiable]
            public static double BracelessForBody(double[] a, double x)
            {
                var s = 0.0;
                for (var i = 0; i < 3; i++)
                    s += a.Sum(v => v * i * x);
                return s;
            }

            // domain: a[3]=-1..1 x=-1..1
            [Differentiable]
            public static double BracelessIfBody(double[] a, double x)
            {
                var s = x;
                if (x > 0)
                    s = a.Sum(v => v * x);
                return s;
            }

            // domain: a[3]=-1..1 x=-1..1
            [Differentiable]
            public static double ElseIfChain(double[] a, double x)
            {
                var s = x;
                if (x > 0.5) s = x * x;
                else if (a.Sum(v => v * x) > 0) s = a.Max() * x;
                else s = a.Min(v => v * v);
                return s;
            }

            // domain: a[3]=-1..1 x=-1..1
            [Differentiable]
            public static double BracelessIfAfterElementRead(double[] a, double x)
            {
                var s = x;
                if (a[0] > 2) s = x; else s = a.Average(v => v * x);
                while (s < 0.5)
                    s += a.Max(v => v * s) * 0.1 + 0.25;
                return s;
            }

            // domain: a[3]=-1..1 x=-1..1
            [Differentiable]
            public static double CapturedChangedInLoop(double[] a, double x)
            {
                var s = 0.0;
                var c = x;
                for (var i = 0; i < 3; i++)
                {
                    s += a.Sum(v => v * c) + a.Max(v => v - c);
                    c = c * x + 0.5;
                }

                return s;
            }

            // domain: a[3]=-1..1 x=-1..1
            [Differentiable]
            public static double RightOfAndAlso(double[] a, double x) => x > 0 && a.Sum() > 0 ? x * x : x;

            // domain: a[3]=-1..1 x=-1..1
            [Differentiable]
            public static double LeftOfOrElse(double[] a, double x) => a.Sum() > 0 || x > 0 ? x * x : x;

            // domain: a[5]=-1..1 b[3]=-1..1
            [Differentiable]
            public static double IndexedSelectZipShorter(double[] a, double[] b) =>
                a.Select((v, i) => v * (i + 1)).Zip(b, (p, q) => p * q).Sum() + b.Zip(a.Select(v => v * v), (p, q) => p - q).Select((d, i) => d * i).Max();

            // domain: a[4]=-1..1
            [Differentiable]
            public static double SelectSelectIndex(double[] a) => a.Select(v => v * 2).Select((y, i) => y * y * (i - 1.5)).Average();

            // domain: a[6]=-10..10
            [Differentiable]
            public static float FloatSums(float[] a) => a.Sum() + a.Average(v => v * v) * 0.5f + a.Sum(v => v * 1e-3f) + a.Select(v => v * v).Sum();

            // domain: x=-1..1
            [Differentiable]
            public static float FloatTableSum(float x) => FloatTable.Sum(w => w * x) + FloatTable.Average(w => w * x * x);

            // domain: a[4]=-1..1
            [Differentiable]
            public static float DoubleArrayFloatSelector(double[] a) => a.Sum(v => (float)(v * v)) + a.Max(v => (float)v);

            // domain: a[4]=-1..1
            [Differentiable]
            public static double FloatArrayDoubleSelector(float[] a) => a.Sum(v => (double)v * v) + a.Min(v => (double)v);

            // domain: a[4]=-1..1
            [Differentiable]
            public static double MaxTies(double[] a) => a.Max(v => v * v) + a.Min(v => Math.Abs(v));

            // domain: a[4]=-1..1 n=1..3
            [Differentiable]
            public static double EmptyOrNot(double[] a, int n)
            {
                var t = a.Sum(v => v * v) + n;
                return t + a.Average() + a.Max(v => v * n) - a.Min();
            }

            // domain: a[4]=-1..1
            [Differentiable]
            public static double ZipEmptyMax(double[] a)
            {
                var none = new double[0];
                return a.Sum() + a.Zip(none, (p, q) => p * q).Max();
            }

            // The same with the loops written out (the fused Sum loop, then a guard that throws).
            // domain: a[4]=-1..1 n=1..3
            [Differentiable]
            public static double HandwrittenSumThenThrow(double[] a, int n)
            {
                var s = 0.0;
                for (var i = 0; i < a.Length; i++)
                    s += a[i];
                if (n == 0) throw new InvalidOperationException("Sequence contains no elements");
                return s + n;
            }

            // domain: a[4]=-1..1 x=-1..1
            [Differentiable]
            public static double SelectorHelperThrows(double[] a, double x) => a.Sum(v => Checked(v * x)) + Checked(x);

            [Differentiable]
            private static double Checked(double v) => v > 0.9 ? throw new ArgumentOutOfRangeException(nameof(v), "too big") : v * v;

            // domain: a[4]=-1..1 x=-1..1
            [Differentiable]
            public static double ThrowingHelperLeftOfThrowingSum(double[] a, double x) => Checked(x) + a.Sum(v => Checked(v));

            // domain: a[4]=-1..1 k=1..3
            [Differentiable]
            public static double IntDivisionSelector(double[] a, int k) => a.Average(v => v / (3 / k));

            // domain: a[4]=-1..1 x=-1..1
            [Differentiable]
            public static double ArrayNull(double[] a, double x) => a.Sum(v => v * x);

            // domain: x=-1..1 y=-1..1
            [Differentiable]
            public static double LocalTupleCapturedChanges(double x, double y)
            {
                var k = x;
                (double A, double B) P(double v) => (v * k, v + k * k);
                var first = P(y);
                k = Math.Sin(y);
                var second = P(x);
                return first.A * second.B + first.B - second.A;
            }

            // domain: x=-1..1 y=-1..1
            [Differentiable]
            public static double LocalTupleInLoop(double x, double y)
            {
                var k = x;
                (double A, double B) Step(double v) => (v * k + y, v - k);
                var s = y;
                for (var i = 0; i < 4; i++)
                {
                    var (a, b) = Step(s);
                    s = a * 0.5 + Math.Cos(b);
                    k = k * 0.9 + s * 0.1;
                }

                return s;
            }

            // domain: x=-1..1 y=-1..1
            [Differentiable]
            public static double LocalTupleRecursive(double x, double y)
            {
                (double A, double B) R(double v, int n) => n == 0 ? (v, v * v) : R(v * 0.5 + y, n - 1);
                var r = R(x, 3);
                return r.A + r.B;
            }

            // domain: a[4]=-1..1 x=-1..1
            [Differentiable]
            public static double LocalTupleUnusedArgumentThrows(double[] a, double x)
            {
                (double A, double B) P(double unused, double v) => (v * v, v);
                var p = P(a[3], x);
                return p.A + p.B;
            }

            // domain: a[6]=-1..1 x=-1..1
            [Differentiable]
            public static double LocalTupleNamedArgumentsOrder(double[] a, double x)
            {
                (double A, double B) P(double u, double v) => (u * v, v);
                var p = P(v: a[4], u: Checked(x));
                return p.A + p.B + x;
            }

            // domain: a[3]=-1..1 z=-1..1
            [Differentiable(Forward = true, Hessian = true)]
            public static double HessLinq(double[] a, double z) => a.Sum(v => Math.Sin(v * z)) * a.Select((v, i) => v * v * (i + 1)).Average() + a.Zip(a, (p, q) => p * q * z).Max();

            // domain: a[3]=-1..1 x=-1..1
            [Differentiable]
            public static double LocalFunctionWritesCapturedBeforeSum(double[] a, double x)
            {
                var c = x;
                double Bump(double v)
                {
                    c = c * v + 1;
                    return v;
                }

                var t = Bump(x) + a.Sum(v => v * c);
                return t + c;
            }

            // domain: a[3]=-1..1 b[3]=-1..1 x=-1..1
            [Differentiable]
            public static double NullSources(double[] a, double[] b, double x) => a.Select(v => v * x).Max() + a.Zip(b, (p, q) => p * q).Sum() + x;

            public static string Outcome(Func<double> run)
            {
                try
                {
                    return "value " + run().ToString("R");
                }
                catch (Exception e)
                {
                    return e.GetType().FullName + ": " + e.Message;
                }
            }

            public static string[] NullCase(double[] a, double[] b)
            {
                var ga = new double[3];
                var gb = new double[3];
                var gx = 0.0;
                return new[] { Outcome(() => NullSources(a, b, 0.5)), Outcome(() => NullSourcesBackward(a, b, 0.5, ga, gb, ref gx)) };
            }

            public static double[] HessianOf(double[] a, double z)
            {
                var h = new double[(a.Length + 1) * (a.Length + 1)];
                HessLinqHessian(a, z, h);
                return h;
            }

            public static double TangentOf(double[] a, double z, double[] da, double dz) => HessLinqTangent(a, z, da, dz).Tangent;
        }
        """;

    private static readonly IReadOnlyList<MethodUnderTest> s_methods = MethodUnderTest.ReadAll(Source);

    private static readonly Lazy<CompiledBatch> s_batch = new(() => CompiledBatch.Compile(new[] { Source }, s_methods));

    /// <summary>Just misses a stated condition (or another part of the body is refused): one error at the offending construct.</summary>
    private static readonly Dictionary<string, (string Id, string Fragment)> s_refused = new()
    {
        // Stated: a reduction inside a branch of '?:' or right of '&&'.
        ["L.RightOfAndAlso"] = ("SG1002", "LINQ 'Sum' inside a condition, a '?:' branch, the right side of '&&' or '||', or a loop test"),

        // Stated: a throwing reduction after a part of the statement that may throw.
        ["L.ThrowingHelperLeftOfThrowingSum"] = ("SG1002", "LINQ 'Sum' after a part of the statement that may throw"),

        // A part left of the reduction that writes what it reads: refused before the LINQ lowering sees it.
        ["L.AssignmentBeforeSum"] = ("SG1002", "assignments inside expressions"),
        ["L.ElementAssignmentBeforeSum"] = ("SG1002", "assignments inside expressions"),
        ["L.IncrementBeforeSum"] = ("SG1002", "increments used as values"),
        ["L.HelperWritesArrayBeforeSum"] = ("SG1002", "'Overwrite' writes to the elements of its parameter 'a'"),

        // A recursive tuple-returning local function (expression-bodied) is refused at the inlining depth limit.
        ["L.LocalTupleRecursive"] = ("SG1002", "calls of the local function 'R'"),
    };

    /// <summary>Always throw at their domain points: checked by <see cref="Backward_throws_what_the_primal_throws"/>.</summary>
    private static readonly HashSet<string> s_throwing = new() { "L.ZipEmptyMax" };

    public static TheoryData<string> Methods() => MethodUnderTest.Keys(s_methods.Where(m => !s_refused.ContainsKey(m.Key) && !s_throwing.Contains(m.Key)));

    public static TheoryData<string> RefusedMethods() => new(s_refused.Keys);

    [Theory]
    [MemberData(nameof(RefusedMethods))]
    public void Refused_with_one_located_error(string key) => s_batch.Value.AssertRefusedWithOneError(key, s_refused[key].Id, s_refused[key].Fragment);

    /// <summary>Each accepted method: gradient against central differences, value bit for bit the primal's (float sums
    /// accumulate in double as Enumerable does), and no generator warning.</summary>
    [Theory]
    [MemberData(nameof(Methods))]
    public void Gradient_matches_value_is_the_primals_and_no_warning(string key)
    {
        var batch = s_batch.Value;
        batch.AssertAcceptedAndGradientMatches(key, s_methods, PointsPerFunction);
        batch.AssertForwardValueIsTheMethods(key, s_methods, 21);
        var warnings = (batch.GeneratorDiagnostics.GetValueOrDefault(key) ?? new()).Where(d => d.Severity == Microsoft.CodeAnalysis.DiagnosticSeverity.Warning);
        Assert.Empty(warnings.Select(d => d.ToString()));
    }

    /// <summary>Values where Enumerable's order matters: float sums of mixed magnitudes, NaN, ±0.0, ties; value bit for bit.</summary>
    [Theory]
    [InlineData("L.FloatSums", new[] { 1e7, 0.1, -1e7, 3.3e-4, 16777217.0, -0.7 })]
    [InlineData("L.FloatSums", new[] { float.MaxValue, float.MaxValue, -float.MaxValue, 1.0, 2.0, 3.0 })]
    [InlineData("L.MaxTies", new[] { double.NaN, 1.0, -1.0, 0.5 })]
    [InlineData("L.MaxTies", new[] { 1.0, double.NaN, -1.0, 0.5 })]
    [InlineData("L.MaxTies", new[] { -0.0, 0.0, 0.0, -0.0 })]
    [InlineData("L.FloatArrayDoubleSelector", new[] { 0.0, -0.0, double.NaN, 1.0 })]
    [InlineData("L.DoubleArrayFloatSelector", new[] { -0.0, 0.0, double.NaN, 1e300 })]
    [InlineData("L.CapturedChangedInLoop", new[] { double.NaN, 1.0, 2.0, 0.5 })]
    public void Value_at_special_points_is_the_primals(string key, double[] flat)
    {
        var loaded = Load(key);
        var point = Correctness.Session20ExceptionTests.Split(loaded.Method, flat);
        var primal = loaded.Primal(FiniteDifferenceCheck.Copy(point));
        var backward = loaded.Backward(FiniteDifferenceCheck.Copy(point), FiniteDifferenceCheck.Zeros(loaded.Method, point), 1.0);
        Assert.True(BitConverter.DoubleToInt64Bits(primal) == BitConverter.DoubleToInt64Bits(backward), $"{key}: {primal:R} != {backward:R}");
    }

    /// <summary>
    /// Max and Min ties: the gradient goes to the FIRST element reaching the extremum (Enumerable keeps the first, with
    /// a strict comparison), a subgradient; PyTorch's full reductions (max(), amax) split it evenly among the ties.
    /// </summary>
    [Fact]
    public void Ties_give_the_first_extremum_the_whole_gradient()
    {
        var loaded = Load("L.MaxTies");
        var point = new[] { new[] { 0.25, -1.0, 1.0, -0.25 } };
        var adjoints = FiniteDifferenceCheck.Zeros(loaded.Method, point);
        loaded.Backward(FiniteDifferenceCheck.Copy(point), adjoints, 1.0);

        // Max(v * v) ties at -1 and 1: d/da1 = 2·(-1); Min(|v|) ties at 0.25 and -0.25: d/da0 = sign(0.25).
        Assert.Equal(new[] { 1.0, -2.0, 0.0, 0.0 }, adjoints[0]);
    }

    /// <summary>The backward throws what the primal throws (type and message), before writing any adjoint.</summary>
    [Theory]
    [InlineData("L.EmptyOrNot", new double[] { 2.0 })]
    [InlineData("L.SelectorHelperThrows", new[] { 0.5, 1.0, 0.2, 0.1, 0.95 })]
    [InlineData("L.SelectorHelperThrows", new[] { 0.1, 0.2, 0.3, 0.4, 0.95 })]
    [InlineData("L.IntDivisionSelector", new[] { 0.1, 0.2, 0.3, 0.4, 0.0 })]
    [InlineData("L.LocalTupleUnusedArgumentThrows", new[] { 0.1, 0.2, 0.3, 0.4 })]
    [InlineData("L.LocalTupleNamedArgumentsOrder", new[] { 0.1, 0.2, 0.3, 0.95 })]
    public void Backward_throws_what_the_primal_throws(string key, double[] flat)
    {
        var loaded = Load(key);
        AssertThrowsLikeThePrimalAndWritesNothing(loaded, SplitShort(loaded.Method, flat));
    }

    /// <summary>
    /// A Sum loop fused by ReductionFusion (reversed iteration by iteration inside the forward sweep) wrote the
    /// caller's adjoints, and a later statement then threw (a hoisted Average, Max or Min of no elements, or any
    /// guard): da = [1, 1, 1, 1] instead of untouched, until session 22 (ReductionFusion.LaterThrows.cs: a loop with a
    /// statement after it that may throw is not fused).
    /// </summary>
    [Theory]
    [InlineData("L.ZipEmptyMax", new[] { 0.1, 0.2, 0.3, 0.4 })]
    [InlineData("L.HandwrittenSumThenThrow", new double[] { 0.1, 0.2, 0.3, 0.4, 0.0 })]
    public void Backward_after_a_fused_sum_throws_before_writing_any_adjoint(string key, double[] flat) => Backward_throws_what_the_primal_throws(key, flat);

    /// <summary>A null array: Enumerable throws ArgumentNullException naming 'source' (Select) or 'second' (Zip).</summary>
    [Theory]
    [InlineData(true, false)]
    [InlineData(false, true)]
    [InlineData(true, true)]
    public void Null_array_throws_what_Enumerable_throws(bool aNull, bool bNull)
    {
        var batch = s_batch.Value;
        Assert.True(batch.Output is not null, string.Join("\n", batch.Failures.Select(f => f.Key + ": " + f.Value)));
        var type = batch.Output!.Value.Assembly.GetType("Review21.L")!;
        var run = type.GetMethod("NullCase")!.CreateDelegate<Func<double[], double[], string[]>>();
        var outcomes = run(aNull ? null! : new[] { 0.1, 0.2, 0.3 }, bNull ? null! : new[] { 0.4, 0.5, 0.6 });
        Assert.StartsWith("System.ArgumentNullException", outcomes[0], StringComparison.Ordinal);
        Assert.Equal(outcomes[0], outcomes[1]);
    }

    /// <summary>LINQ in the Tangent and Hessian outputs: tangent = gradient · direction, Hessian against central differences of the gradient.</summary>
    [Fact]
    public void Tangent_and_Hessian_through_reductions()
    {
        var batch = s_batch.Value;
        var loaded = Load("L.HessLinq");
        var type = batch.Output!.Value.Assembly.GetType("Review21.L")!;
        var hessian = type.GetMethod("HessianOf")!.CreateDelegate<Func<double[], double, double[]>>();
        var tangent = type.GetMethod("TangentOf")!.CreateDelegate<Func<double[], double, double[], double, double>>();
        double[] Gradient(double[] p)
        {
            var point = new[] { p[..3], new[] { p[3] } };
            var adjoints = FiniteDifferenceCheck.Zeros(loaded.Method, point);
            loaded.Backward(point, adjoints, 1.0);
            return adjoints[0].Append(adjoints[1][0]).ToArray();
        }

        var random = new Random(2121);
        var problems = new List<string>();
        for (var trial = 0; trial < 4; trial++)
        {
            var p = Enumerable.Range(0, 4).Select(_ => (random.NextDouble() * 2) - 1).ToArray();
            var g = Gradient(p);
            var h = hessian(p[..3], p[3]);
            for (var i = 0; i < 4; i++)
            {
                var plus = (double[])p.Clone();
                var minus = (double[])p.Clone();
                plus[i] += 1e-5;
                minus[i] -= 1e-5;
                var up = Gradient(plus);
                var down = Gradient(minus);
                for (var j = 0; j < 4; j++)
                {
                    var fd = (up[j] - down[j]) / 2e-5;
                    if (!(Math.Abs(h[(i * 4) + j] - fd) <= 1e-5 * Math.Max(1, Math.Abs(fd))))
                    {
                        problems.Add($"H[{i},{j}] at [{string.Join(", ", p)}]: {h[(i * 4) + j]:R} vs {fd:R}");
                    }
                }
            }

            var v = Enumerable.Range(0, 4).Select(_ => (random.NextDouble() * 2) - 1).ToArray();
            var expected = Enumerable.Range(0, 4).Sum(i => g[i] * v[i]);
            var got = tangent(p[..3], p[3], v[..3], v[3]);
            if (!(Math.Abs(got - expected) <= 1e-10 * Math.Max(1, Math.Abs(expected))))
            {
                problems.Add($"tangent at [{string.Join(", ", p)}] along [{string.Join(", ", v)}]: {got:R} vs {expected:R}");
            }
        }

        Assert.True(problems.Count == 0, string.Join("\n", problems));
    }

    /// <summary>The backward throws what the primal throws at <paramref name="point"/> (type and message) and leaves every adjoint 0.</summary>
    internal static void AssertThrowsLikeThePrimalAndWritesNothing(LoadedMethod loaded, double[][] point)
    {
        var expected = Record.Exception(() => loaded.Primal(FiniteDifferenceCheck.Copy(point)));
        Assert.NotNull(expected);
        var adjoints = FiniteDifferenceCheck.Zeros(loaded.Method, point);
        var actual = Record.Exception(() => loaded.Backward(FiniteDifferenceCheck.Copy(point), adjoints, 1.0));
        Assert.NotNull(actual);
        Assert.Equal((expected!.GetType(), expected.Message), (actual!.GetType(), actual.Message));
        Assert.All(adjoints, a => Assert.All(a, v => Assert.Equal(0.0, v)));
    }

    private static LoadedMethod Load(string key)
    {
        var batch = s_batch.Value;
        Assert.True(batch.Loaded.TryGetValue(key, out var loaded), key + ": " + batch.Failures.GetValueOrDefault(key));
        return loaded!;
    }

    /// <summary>Like <see cref="Correctness.Session20ExceptionTests.Split"/>, but the first array takes what the scalars after it leave (a shorter or empty array).</summary>
    internal static double[][] SplitShort(MethodUnderTest method, double[] flat)
    {
        var scalars = method.Parameters.Count(p => !p.IsSequence);
        var result = new List<double[]>();
        var at = 0;
        foreach (var p in method.Parameters)
        {
            var count = p.IsSequence ? flat.Length - scalars : 1;
            result.Add(flat[at..(at + count)]);
            at += count;
        }

        return result.ToArray();
    }
}

using System.Reflection;
using StaticGrad.Generator.Tests.Correctness.Harness;
using StaticGrad.Generator.Tests.Infrastructure;

namespace StaticGrad.Generator.Tests.Robustness;

/// <summary>
/// Adversarial review of session 19's rosen19 (products of one value and numeric literals differentiated as one term,
/// <c>Derivatives/PowerProductRule.cs</c>, <c>Reverse/ReverseModeTransformer.PowerProducts.cs</c>): what counts as
/// "one value" (locals overwritten between statements and in loops, elements <c>a[i]·a[i]</c> vs <c>a[i]·a[j]</c> with
/// i = j, <c>a[i]·a[i + 0]</c>, struct fields, <c>Vector3</c> component-wise products, casts, negations, builtin calls,
/// <c>Math.Pow</c> mixed in), what counts as a "numeric literal" (int/long literals, a float literal in a double product,
/// <c>const</c> and <c>static readonly</c> fields, [NoGrad] parameters, <c>double.Epsilon</c>, <c>double.MaxValue / 2</c>,
/// <c>-0.0</c>, <c>checked</c>), coefficients ±1 of a negated read (<c>-0.5·(−v)·(−v)</c>), the forward-mode Tangent and
/// Hessian, a Jacobian/tuple result and generic math (<c>T.CreateChecked(3)·v·v</c>). One compilation. Each backward
/// against central finite differences (<see cref="FiniteDifferenceCheck"/>: double step 1e-6, 1e-6 relative; float
/// 1e-3, 2e-3); single-variable double cases also against their analytic derivative (1e-13 relative, which catches a
/// constant folded from the wrong literal value, e.g. 0.1 for 0.1f = 0.100000001490116…); the Hessian against central
/// differences of the backward (h = 1e-5, 1e-5·max(1,|fd|)), the Tangent against gradient·direction (1e-9 relative).
/// <para>
/// Failing at 631a875 (kept as regression tests): <c>IntermediateUnderflow</c> and <c>IntermediateUnderflowFloat</c>.
/// <c>PowerProductRule.Partial</c> multiplies the literals first and checks only the FINAL coefficient for being normal;
/// a running product that passes through a subnormal loses its precision there and is then scaled back into range:
/// <c>1e-200 * u * 1e-123 * u * 1e300</c> folds to <c>1.9762625833649863E-23 * u * g</c> (1e-200·1e-123 = 9.88e-324, two
/// ulps of the subnormals) instead of 2e-23 (gradient 1.2 % low); float <c>1e-20f * u * 1e-25f * u * 1e38f</c> folds to
/// <c>2.8025968E-07f</c> instead of 2e-7 (40 % high). The expression itself never underflows (the reads sit between the
/// literals), and the product rule's terms were exact to rounding.
/// </para>
/// </summary>
public sealed class Session19PowerProductReviewTests
{
    private const int PointsPerFunction = 3;

    private const string Source = """
        using System;
        using System.Numerics;
        using StaticGrad;

        namespace Review19;

        public struct Pt
        {
            public double X;
            public double Y;

            public Pt(double x, double y)
            {
                X = x;
                Y = y;
            }
        }

        public static partial class R
        {
            public const double Hundred = 100.0;

            public static readonly double Scale = 3.0;

            // A float literal in a double product: Roslyn converts it (0.100000001490116…), the fold must use that value.
            // domain: v=-2..2
            [Differentiable]
            public static double FloatLiteralInDouble(double v) => v * v * 0.1f;

            // const field (folds), static readonly field (product rule).
            // domain: v=-2..2
            [Differentiable]
            public static double NamedConstants(double v) => (Hundred * v * v) + (Scale * v * v) + (v * Scale * v * 2.0);

            // Negations around the reads.
            // domain: v=-2..2
            [Differentiable]
            public static double Negations(double v) => (-v * v) + (v * -v) + (-v * -v * 3.0) + ((-2) * v * v);

            // The negated read with coefficient -1: the partial's text is "-" + "(-v)".
            // domain: v=-2..2
            [Differentiable]
            public static double NegatedUnitCoefficient(double v) => (-0.5 * -v * -v) + (0.5 * -v * -v) + (-1.0 / 3.0 * -v * -v * -v);

            // int and long literals, constants spread around, division mixed in, checked.
            // domain: v=-2..2
            [Differentiable]
            public static double IntegerLiterals(double v) => (2 * v * v) + (v * v * 2L) + (v * 2 * v * 3) + (v * v / 2) + checked(3 * v * v) + (v * v * v / 4.0);

            // Extremes: Epsilon (subnormal fold: the product rule), MaxValue / 2 (folds to MaxValue), -0.0 (product rule).
            // domain: v=0.2..0.8
            [Differentiable]
            public static double ExtremeLiterals(double v) => (double.Epsilon * v * v * 1e300) + (8.9884656743115785E+307 * v * v * 1e-300) + (-0.0 * v * v) + (1e-154 * v * v * 1e-154 * 1e300) + (double.MaxValue * v * v * 1e-306);

            // domain: v=0.2..0.8
            [Differentiable]
            public static double MaxFold(double v) => 8.9884656743115785E+307 * v * v;

            // The literals' product passes through a subnormal (1e-200·1e-123 = 9.88e-324, two ulps) before 1e300
            // brings it back: the final coefficient is normal, so it is folded, 1.2 % off. The expression itself never
            // underflows (the reads sit between the literals: 1e-100, 1e-223, 1e-123, 1e177).
            // domain: v=1..2
            [Differentiable]
            public static double IntermediateUnderflow(double v)
            {
                var u = v * 1e100;
                return 1e-200 * u * 1e-123 * u * 1e300;
            }

            // float: 1e-20f·1e-25f = 1.4e-45 (one ulp of the subnormals) before 1e38f: the coefficient 2.8e-7 instead of 2e-7.
            // domain: v=1..2
            [Differentiable]
            public static float IntermediateUnderflowFloat(float v)
            {
                var u = v * 1e10f;
                return 1e-20f * u * 1e-25f * u * 1e38f;
            }

            // float: MaxValue / 2 (folds to float.MaxValue), literals whose fold is subnormal in float (product rule).
            // domain: v=0.2..0.8
            [Differentiable]
            public static float ExtremeFloat(float v) => (1.7014117E+38f * v * v * 1e-37f) + (1e-20f * v * v * 1e-20f * 1e38f) + (v * 0.1f * v * 3f);

            // [NoGrad] scalars and an int parameter as coefficients: not literals.
            // domain: v=-2..2 k=0.5..2 n=1..4
            [Differentiable]
            public static double NonLiteralCoefficients(double v, [NoGrad] double k, int n, [NoGrad] double d) => (k * v * v) + (v * n * v) + (d * v * v * 2.0) + (v * v * (k + 1.0));

            // Casts: the same cast twice, a cast against the uncast value.
            // domain: v=-2..2 f=-2..2
            [Differentiable]
            public static double Casts(double v, float f) => ((float)v * (float)v * 2f) + ((double)f * f) + (f * (double)f * 3.0) + ((float)v * v);

            // Elements: a[i]·a[i], a[i]·a[j] with i = j at run time, a[i]·a[i + 0], a[0 + i]·a[i]·a[i].
            // domain: a[4]=-1..1
            [Differentiable]
            public static double Elements(double[] a)
            {
                var s = 0.0;
                for (var i = 0; i < a.Length; i++)
                {
                    var j = i;
                    s += (a[i] * a[i] * 2.0) + (a[i] * a[j] * 3.0) + (a[i] * a[i + 0]) + (a[0 + i] * a[i] * a[i]);
                }

                return s + (a[1] * a[1 * 1] * 5.0);
            }

            // A local overwritten between statements and in a loop (the reverse reads the restored value).
            // domain: v=-1..1 w=-1..1
            [Differentiable]
            public static double Overwritten(double v, double w)
            {
                var s = 0.0;
                var u = v;
                for (var i = 0; i < 3; i++)
                {
                    s += 3.0 * u * u * u;
                    u = Math.Sin(u) * w + (u * u * 0.5);
                }

                var t = v * w;
                s += t * t * 4.0;
                t = t + 1.0;
                s += t * 2.0 * t;
                v = v * 0.5;
                return s + (v * v * 10.0);
            }

            // Struct fields.
            // domain: x=-2..2 y=-2..2
            [Differentiable]
            public static double StructFields(double x, double y)
            {
                var p = new Pt(x, y);
                var q = p;
                q.X = q.X * 2.0;
                return (p.X * p.X * 3.0) + (p.X * p.Y) + (q.X * p.X * q.X) + (p.Y * 0.5 * p.Y);
            }

            // Vector3: component-wise squares.
            // domain: x=-2..2 y=-2..2 z=-2..2
            [Differentiable]
            public static float Vectors(float x, float y, float z)
            {
                var a = new Vector3(x, y, z);
                var b = a * a * 2f;
                var c = a * 3f * a * a;
                return b.X + (2f * b.Y) + (3f * b.Z) + c.X - c.Z + Vector3.Dot(a * a, a);
            }

            // Builtins: Math.Pow mixed with reads of the same value, a builtin read twice.
            // domain: v=0.2..2
            [Differentiable]
            public static double PowMixed(double v) => (Math.Pow(v, 2) * v * v) + (Math.Sin(v) * Math.Sin(v) * 2.0) + (Math.Pow(v * v, 1.5) * 0.5) + (Math.Exp(v) * 3.0 * Math.Exp(v));

            // Conditionals and squares of products.
            // domain: u=-2..2 w=-2..2
            [Differentiable]
            public static double Products(double u, double w) => ((u * w) * (u * w) * 2.0) + ((u - w) * 0.5 * (u - w)) + ((u > 0.0 ? u : w) * (u > 0.0 ? u : w)) + (u * w * u * w);

            // The read is also the assignment's target: s *= s, s *= 2·s, s = s·s·s·0.5, in a loop (restored in the reverse).
            // domain: v=-1.1..1.1 w=-1..1
            [Differentiable]
            public static double SelfTarget(double v, double w)
            {
                var s = v;
                s *= s;
                s *= 2.0 * s;
                s = s * s * s * 0.5;
                var t = w;
                for (var i = 0; i < 3; i++)
                {
                    t = t * t * 0.5 + w;
                    t *= 3.0 * t;
                    t = Math.Sin(t);
                }

                return s + t;
            }

            // A local array element overwritten by its own square, and a carried element cubed in a fused loop.
            // domain: x[5]=-1..1
            [Differentiable]
            public static double ElementSelf(double[] x)
            {
                var b = new double[x.Length];
                for (var i = 0; i < x.Length; i++)
                {
                    b[i] = x[i] + 0.5;
                    b[i] = b[i] * b[i] * 2.0;
                    b[i] = b[i] * 0.25 * b[i];
                }

                var s = 0.0;
                for (var k = 0; k < x.Length - 1; k++)
                {
                    var d = x[k + 1] - x[k];
                    s += (x[k + 1] * x[k + 1] * x[k + 1] * 2.0) + (d * d * 5.0) + b[k];
                }

                return s;
            }

            // A local function squaring its argument, called on the same value twice.
            // domain: v=-2..2
            [Differentiable]
            public static double LocalFunction(double v)
            {
                double Sq(double x) => x * x * 3.0;
                return Sq(v) * Sq(v) + Sq(v * v);
            }

            // Tangent and Hessian of the same shapes.
            // domain: u=-1.5..1.5 w=-1.5..1.5
            [Differentiable(Forward = true, Hessian = true)]
            public static double HPow(double u, double w) => (100.0 * (w - (u * u)) * (w - (u * u))) + (u * u * u * 0.5) + ((u * w) * (u * w)) + (w * 3.0 * w * w * w);

            // domain: u=-1.5..1.5 w=-1.5..1.5
            [Differentiable(Forward = true)]
            public static float HPowFloat(float u, float w) => (100f * (w - (u * u)) * (w - (u * u))) + (u * u * u * 0.5f) + (w * 0.1f * w);

            public static double[] HPowGrad(double u, double w)
            {
                double du = 0.0, dw = 0.0;
                HPowBackward(u, w, ref du, ref dw);
                return new[] { du, dw };
            }

            public static double[] HPowHess(double u, double w)
            {
                var h = new double[4];
                HPowHessian(u, w, h);
                return h;
            }

            public static double HPowTan(double u, double w, double du, double dw) => HPowTangent(u, w, du, dw).Tangent;

            public static double HPowFloatTan(double u, double w, double du, double dw) => HPowFloatTangent((float)u, (float)w, (float)du, (float)dw).Tangent;
        }
        """;

    /// <summary>Jacobian/tuple results and generic math (not harness-shaped: called by reflection).</summary>
    private const string HelperSource = """
        using System;
        using System.Numerics;
        using StaticGrad;

        namespace Review19;

        public static partial class H
        {
            [Differentiable(Jacobian = true)]
            public static (double X, double Y) Pair(double a, double b) => ((2 * a * a) + (-0.5 * -b * -b), (a * 0.1f * a) + ((a * b) * (a * b)));

            public static double[] PairValue(double[] p) { var v = Pair(p[0], p[1]); return new[] { v.X, v.Y }; }

            public static double[] PairRows(double[] p)
            {
                var d = new double[4];
                var v = PairJacobian(p[0], p[1], ref d[0], ref d[1], ref d[2], ref d[3]);
                return new[] { v.X, v.Y, d[0], d[1], d[2], d[3] };
            }

            [Differentiable]
            public static T Gen<T>(T v) where T : IFloatingPointIeee754<T> => (T.CreateChecked(3) * v * v) + (v * T.CreateChecked(0.5) * v * v) + (T.One * v * v) + (-T.One * v * v);
        }
        """;

    private static readonly IReadOnlyList<MethodUnderTest> s_methods = MethodUnderTest.ReadAll(Source);

    private static readonly Lazy<CompiledBatch> s_batch = new(() => CompiledBatch.Compile(new[] { Source, HelperSource }, s_methods, new BuildProperties(("StaticGradForward", "true")), nullableAnalysis: false));

    /// <summary>Analytic derivatives of the single-variable double cases.</summary>
    private static readonly Dictionary<string, Func<double, double>> s_analytic = new(StringComparer.Ordinal)
    {
        ["R.FloatLiteralInDouble"] = v => 2 * (double)0.1f * v,
        ["R.NamedConstants"] = v => (200 * v) + (6 * v) + (12 * v),
        ["R.Negations"] = v => (-2 * v) + (-2 * v) + (6 * v) + (-4 * v),
        ["R.NegatedUnitCoefficient"] = v => (-v) + v + (v * v),
        ["R.IntegerLiterals"] = v => (4 * v) + (4 * v) + (12 * v) + v + (6 * v) + (0.75 * v * v),
        ["R.MaxFold"] = v => double.MaxValue * v,
        ["R.IntermediateUnderflow"] = v => 2e177 * v,
        ["R.LocalFunction"] = v => (36 * v * v * v) + (12 * v * v * v),
        ["R.PowMixed"] = v => (4 * v * v * v) + (4 * Math.Sin(v) * Math.Cos(v)) + (1.5 * v * v) + (6 * Math.Exp(2 * v)),
    };

    public static TheoryData<string> Methods() => MethodUnderTest.Keys(s_methods);

    public static TheoryData<string> AnalyticMethods() => new(s_analytic.Keys);

    [Theory]
    [MemberData(nameof(Methods))]
    public void Gradient_matches_central_finite_differences(string key)
    {
        s_batch.Value.AssertAcceptedAndGradientMatches(key, s_methods, PointsPerFunction);
    }

    /// <summary>The gradient equals the analytic derivative to 1e-13 relative (finite differences cannot see a wrong last digits of a folded constant).</summary>
    [Theory]
    [MemberData(nameof(AnalyticMethods))]
    public void Gradient_matches_the_analytic_derivative(string key)
    {
        var batch = s_batch.Value;
        Assert.True(batch.Loaded.TryGetValue(key, out var loaded), key + ": " + batch.Failures.GetValueOrDefault(key));
        var method = loaded!.Method;
        var random = new Random(1919);
        var problems = new List<string>();
        for (var p = 0; p < 5; p++)
        {
            var point = FiniteDifferenceCheck.DrawPoint(method, random);
            var gradient = FiniteDifferenceCheck.Zeros(method, point);
            loaded.Backward(FiniteDifferenceCheck.Copy(point), gradient, 1.0);
            var expected = s_analytic[key](point[0][0]);
            if (!(Math.Abs(gradient[0][0] - expected) <= 1e-13 * Math.Abs(expected)))
            {
                problems.Add($"v = {point[0][0]:R}: gradient {gradient[0][0]:R}, analytic {expected:R}");
            }
        }

        Assert.True(problems.Count == 0, key + ":\n" + string.Join("\n", problems) + "\n" + batch.Describe(method));
    }

    /// <summary>The generator reports no warning for any method of the batch.</summary>
    [Fact]
    public void No_generator_warnings()
    {
        var batch = s_batch.Value;
        Assert.Null(batch.GeneratorException);
        var warnings = batch.GeneratorDiagnostics.SelectMany(p => p.Value.Where(d => d.Severity >= Microsoft.CodeAnalysis.DiagnosticSeverity.Warning).Select(d => p.Key + ": " + d)).ToList();
        Assert.True(warnings.Count == 0, string.Join("\n", warnings));
    }

    /// <summary>The Hessian against central differences of the backward, the Tangent against gradient·direction.</summary>
    [Fact]
    public void Hessian_and_tangent_match()
    {
        var type = LoadedType("Review19.R");
        double[] Grad(double u, double w) => (double[])type.GetMethod("HPowGrad")!.Invoke(null, new object[] { u, w })!;
        var random = new Random(1919);
        var problems = new List<string>();
        for (var point = 0; point < 3; point++)
        {
            var x = new[] { (random.NextDouble() * 3) - 1.5, (random.NextDouble() * 3) - 1.5 };
            var hessian = (double[])type.GetMethod("HPowHess")!.Invoke(null, new object[] { x[0], x[1] })!;
            const double h = 1e-5;
            for (var j = 0; j < 2; j++)
            {
                var xp = (double[])x.Clone();
                var xm = (double[])x.Clone();
                xp[j] += h;
                xm[j] -= h;
                var gp = Grad(xp[0], xp[1]);
                var gm = Grad(xm[0], xm[1]);
                for (var i = 0; i < 2; i++)
                {
                    var fd = (gp[i] - gm[i]) / (2 * h);
                    if (!(Math.Abs(hessian[(i * 2) + j] - fd) <= 1e-5 * Math.Max(1, Math.Abs(fd))))
                    {
                        problems.Add($"at ({x[0]:R}, {x[1]:R}) H[{i},{j}] = {hessian[(i * 2) + j]:R}, fd {fd:R}");
                    }
                }
            }

            var d = new[] { (random.NextDouble() * 2) - 1, (random.NextDouble() * 2) - 1 };
            var g = Grad(x[0], x[1]);
            var expected = (d[0] * g[0]) + (d[1] * g[1]);
            var tangent = (double)type.GetMethod("HPowTan")!.Invoke(null, new object[] { x[0], x[1], d[0], d[1] })!;
            if (!(Math.Abs(tangent - expected) <= 1e-9 * Math.Max(1, Math.Abs(expected))))
            {
                problems.Add($"at ({x[0]:R}, {x[1]:R}) tangent {tangent:R}, gradient·direction {expected:R}");
            }

            // float: against the analytic directional derivative (float tolerance).
            var (u, w) = ((float)x[0], (float)x[1]);
            var gu = (-400.0 * u * (w - (u * u))) + (1.5 * u * u);
            var gw = (200.0 * (w - (u * u))) + (0.2 * w);
            var expectedFloat = ((float)d[0] * gu) + ((float)d[1] * gw);
            var tangentFloat = (double)type.GetMethod("HPowFloatTan")!.Invoke(null, new object[] { x[0], x[1], d[0], d[1] })!;
            if (!(Math.Abs(tangentFloat - expectedFloat) <= 1e-4 * Math.Max(1, Math.Abs(expectedFloat))))
            {
                problems.Add($"at ({x[0]:R}, {x[1]:R}) float tangent {tangentFloat:R}, analytic {expectedFloat:R}");
            }
        }

        Assert.True(problems.Count == 0, string.Join("\n", problems));
    }

    [Fact]
    public void Jacobian_rows_match_central_differences()
    {
        var type = LoadedType("Review19.H");
        var problems = JacobianProbeCheck.Problems(type, "Pair", 19, 2, 2, false);
        Assert.True(problems.Count == 0, string.Join("\n", problems));
    }

    /// <summary>Generic math: the backward of <c>Gen&lt;double&gt;</c> and <c>Gen&lt;float&gt;</c> against the analytic derivative 6v + 1.5v².</summary>
    [Fact]
    public void Generic_math_backward_matches()
    {
        var type = LoadedType("Review19.H");
        var backward = type.GetMethods().Where(m => m.Name == "GenBackward").OrderByDescending(m => m.GetParameters().Length).FirstOrDefault();
        Assert.True(backward is not null, "no GenBackward: " + string.Join(", ", type.GetMethods().Select(m => m.Name)) + "\n" + string.Join("\n", s_batch.Value.GeneratorDiagnostics.SelectMany(p => p.Value)));
        var problems = new List<string>();
        foreach (var v in new[] { -1.3, 0.4, 1.7 })
        {
            foreach (var scalar in new[] { typeof(double), typeof(float) })
            {
                var closed = backward!.MakeGenericMethod(scalar);
                var parameters = closed.GetParameters();
                var args = new object?[parameters.Length];
                object Of(double x) => scalar == typeof(double) ? x : (object)(float)x;
                args[0] = Of(v);
                for (var i = 1; i < parameters.Length; i++)
                {
                    args[i] = parameters[i].Name == "seed" || (parameters[i].HasDefaultValue && !parameters[i].ParameterType.IsByRef) ? Of(1.0) : Of(0.0);
                }

                closed.Invoke(null, args);
                var gradient = Convert.ToDouble(args[1], System.Globalization.CultureInfo.InvariantCulture);
                var expected = (6 * v) + (1.5 * v * v);
                var tolerance = scalar == typeof(double) ? 1e-13 : 1e-5;
                if (!(Math.Abs(gradient - expected) <= tolerance * Math.Max(1, Math.Abs(expected))))
                {
                    problems.Add($"{scalar.Name} v = {v}: gradient {gradient:R}, analytic {expected:R}");
                }
            }
        }

        Assert.True(problems.Count == 0, string.Join("\n", problems));
    }

    /// <summary>The new rule fires where it should (so the cases exercise it) and stays off for non-literal coefficients.</summary>
    [Fact]
    public void Folds_where_expected()
    {
        var sources = s_batch.Value.GeneratedSource;
        Assert.Contains("200.0 * v * ", sources["R.NamedConstants"], StringComparison.Ordinal);
        Assert.Contains("1.7976931348623157E+308 * v * ", sources["R.MaxFold"], StringComparison.Ordinal);
        Assert.DoesNotContain("Infinity", sources["R.ExtremeLiterals"], StringComparison.Ordinal);
        Assert.DoesNotContain("Infinity", sources["R.ExtremeFloat"], StringComparison.Ordinal);
    }

    private static Type LoadedType(string name)
    {
        var batch = s_batch.Value;
        Assert.Null(batch.GeneratorException);
        Assert.True(batch.Output is not null, "the batch did not compile: " + string.Join("\n", batch.Failures.Select(f => f.Key + ": " + f.Value)));
        return batch.Output!.Value.Assembly.GetType(name)!;
    }
}

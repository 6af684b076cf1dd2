using StaticGrad.Generator.Tests.Infrastructure;

namespace StaticGrad.Generator.Tests.Compiler;

/// <summary>
/// Baselines of the everyday constructs a user reads in the generated code: local functions inlined into the method
/// (and a recursive one lifted to private members),
/// guards that run in the forward sweep and nowhere else, and a pattern switch. Each is compiled clean and its
/// gradient checked against central finite differences (relative and absolute tolerance 1e-6).
/// </summary>
public sealed class EverydayBaselineTests
{
    public static TheoryData<string> Cases => new(s_cases.Keys);

    private static readonly Dictionary<string, (string Source, double[] Point)> s_cases = new()
    {
        ["LocalFunctions"] = ("""
            public static partial class Physics
            {
                [Differentiable]
                public static double SpringEnergy(double x, double v, double k, double dt)
                {
                    double Force(double position) => -k * position;
                    static double Kinetic(double velocity) => 0.5 * velocity * velocity;
                    for (int i = 0; i < 3; i++)
                    {
                        v += Force(x) * dt;
                        x += v * dt;
                    }

                    return Kinetic(v) + 0.5 * k * x * x;
                }
            }

            public static class Check
            {
                public static double F(double[] p) => Physics.SpringEnergy(p[0], p[1], p[2], p[3]);
                public static void G(double[] p, double[] g) => Physics.SpringEnergyBackward(p[0], p[1], p[2], p[3], ref g[0], ref g[1], ref g[2], ref g[3]);
            }
            """, new[] { 0.4, -0.2, 1.5, 0.1 }),
        ["Guards"] = ("""
            public static partial class Statistics
            {
                [Differentiable]
                public static double NormalLogDensity(double x, double mu, double sigma)
                {
                    ArgumentOutOfRangeException.ThrowIfNegativeOrZero(sigma);
                    if (double.IsNaN(x))
                        throw new ArgumentException("x is NaN", nameof(x));
                    System.Diagnostics.Debug.Assert(double.IsFinite(mu), $"mu = {mu}");
                    double z = (x - mu) / sigma;
                    return -0.5 * z * z - Math.Log(sigma);
                }
            }

            public static class Check
            {
                public static double F(double[] p) => Statistics.NormalLogDensity(p[0], p[1], p[2]);
                public static void G(double[] p, double[] g) => Statistics.NormalLogDensityBackward(p[0], p[1], p[2], ref g[0], ref g[1], ref g[2]);
            }
            """, new[] { 0.3, -0.1, 1.7 }),
        ["PatternSwitch"] = ("""
            public static partial class Losses
            {
                [Differentiable]
                public static double Huber(double r, double delta) => Math.Abs(r) switch
                {
                    var a when a <= delta => 0.5 * r * r,
                    var a => delta * (a - 0.5 * delta),
                };
            }

            public static class Check
            {
                public static double F(double[] p) => Losses.Huber(p[0], p[1]);
                public static void G(double[] p, double[] g) => Losses.HuberBackward(p[0], p[1], ref g[0], ref g[1]);
            }
            """, new[] { 1.6, 1.0 }),
        ["GenericMath"] = ("""
            public static partial class Activations
            {
                [Differentiable]
                public static T Swish<T>(T x, T beta) where T : System.Numerics.IFloatingPointIeee754<T>
                {
                    T sigmoid = T.One / (T.One + T.Exp(-beta * x));
                    T y = x * sigmoid;
                    for (int i = 0; i < 2; i++)
                    {
                        y = y * T.CreateChecked(0.5) + T.Sqrt(x * x + T.One);
                    }

                    return y;
                }
            }

            public static class Check
            {
                public static double F(double[] p) => Activations.Swish(p[0], p[1]);
                public static void G(double[] p, double[] g) => Activations.SwishBackward(p[0], p[1], ref g[0], ref g[1]);
            }
            """, new[] { 0.7, 1.3 }),
        ["RecursiveLocalFunction"] = ("""
            public static partial class Fractions
            {
                [Differentiable]
                public static double TanByContinuedFraction(double x, int depth)
                {
                    double Tail(int k) => k > depth ? 2 * k - 1 : 2 * k - 1 - x * x / Tail(k + 1);
                    return x / Tail(1);
                }
            }

            public static class Check
            {
                public static double F(double[] p) => Fractions.TanByContinuedFraction(p[0], 4);
                public static void G(double[] p, double[] g) => Fractions.TanByContinuedFractionBackward(p[0], 4, ref g[0]);
            }
            """, new[] { 0.6 }),
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Generated_code_matches_baseline_compiles_clean_and_is_right(string name)
    {
        var (body, point) = s_cases[name];
        var source = "using System;\nusing StaticGrad;\n\nnamespace Samples;\n\n" + body;
        var output = GeneratorHarness.Run(source);
        GeneratorHarness.AssertClean(output);
        Assert.Empty(output.AnalyzerDiagnostics);
        Baselines.Verify("EverydayBaselineTests." + name, output);

        var check = GeneratorHarness.Load(output.OutputCompilation).GetType("Samples.Check")!;
        var f = check.GetMethod("F")!.CreateDelegate<Func<double[], double>>();
        var g = check.GetMethod("G")!.CreateDelegate<Action<double[], double[]>>();
        var gradient = new double[point.Length];
        g(point, gradient);
        var report = FiniteDifferences.Check(f, point, gradient, relativeTolerance: 1e-6, absoluteTolerance: 1e-6);
        Assert.True(report.Passed, report.ToString());
    }
}

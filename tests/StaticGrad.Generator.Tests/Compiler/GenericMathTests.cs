using System.Reflection;
using System.Text;
using StaticGrad.Generator.Tests.Infrastructure;

namespace StaticGrad.Generator.Tests.Compiler;

/// <summary>
/// Generic math: [Differentiable] methods over <c>T : IFloatingPointIeee754&lt;T&gt;</c> (and narrower interfaces) get a
/// generic backward and tangent. Each is instantiated with double, float and (two of them) Half: the double gradient is checked
/// against central finite differences (relative and absolute tolerance 1e-6), the float and Half gradients against the
/// same differences within 2e-3 and 3e-2 (their precision), and every tangent against a central difference along a
/// random direction within the same tolerances.
/// </summary>
public sealed class GenericMathTests
{
    private const string Functions = """
        using System;
        using System.Numerics;
        using StaticGrad;

        namespace Generic;

        public static partial class G
        {
            [Differentiable(Forward = true)]
            public static T Gaussian<T>(T x, T mu, T sigma) where T : IFloatingPointIeee754<T>
            {
                if (T.IsNaN(x) || sigma <= T.Zero)
                    throw new ArgumentOutOfRangeException(nameof(sigma));
                T z = (x - mu) / sigma;
                return T.Exp(-z * z / T.CreateChecked(2)) / (sigma * T.Sqrt(T.CreateChecked(2) * T.Pi));
            }

            [Differentiable(Forward = true)]
            public static T BabylonianSqrt<T>(T a) where T : IFloatingPointIeee754<T>
            {
                T half = T.One / (T.One + T.One);
                T y = a;
                for (int i = 0; i < 6; i++)
                {
                    y = half * (y + a / y);
                }

                return y;
            }

            [Differentiable(Forward = true)]
            public static T Softplus<T>(T x) where T : IFloatingPointIeee754<T> => T.Log(T.One + T.Exp(x));

            [Differentiable(Forward = true)]
            public static T SoftplusSum<T>(T a, T b) where T : IFloatingPointIeee754<T> => Softplus(a) + Softplus(a * b) * b;

            [Differentiable(Forward = true)]
            public static T Norm<T>(T x, T y) where T : INumber<T>, IRootFunctions<T> => T.Sqrt(x * x + y * y + T.One);

            [Differentiable(Forward = true)]
            public static T Blend<T>(T x, T y) where T : IFloatingPointIeee754<T>
            {
                T s = T.Zero;
                s += T.Atan2(y, x) * T.Hypot(x, y);
                s -= T.Pow(T.Abs(x) + T.One, y) * T.Tanh(x);
                s *= T.Max(x, y) > T.Zero ? T.Cos(x) : T.Sin(y);
                s += x switch
                {
                    < 0 => -x,
                    _ => x * T.E,
                };
                return s + T.CreateChecked(0.25) * T.Log2(T.One + x * x);
            }

            [Differentiable(Forward = true)]
            public static T LogSumExp<T>(T[] values) where T : IFloatingPointIeee754<T>
            {
                T m = values[0];
                for (int i = 1; i < values.Length; i++)
                {
                    if (values[i] > m)
                        m = values[i];
                }

                T sum = T.Zero;
                foreach (var v in values)
                    sum += T.Exp(v - m);
                return m + T.Log(sum);
            }

            [Differentiable(Forward = true, Hessian = true)]
            public static T Rosen<T>(T x, T y) where T : IFloatingPointIeee754<T>
            {
                T a = T.One - x;
                T b = y - x * x;
                return a * a + T.CreateChecked(100) * b * b + T.Sin(x * y);
            }

            [Differentiable(Forward = true)]
            public static T GridPair<T>(T x, T y) where T : IFloatingPointIeee754<T>
            {
                var g = new T[2, 2];
                g[0, 0] = x * y;
                g[0, 1] = T.Sin(x);
                g[1, 0] = y;
                g[1, 1] = x - y;
                return GridEnergy(g) + x * GridEnergy(g);
            }

            [Differentiable(Forward = true)]
            public static T GridEnergy<T>(T[,] g) where T : IFloatingPointIeee754<T> => g[0, 0] * g[1, 1] + g[0, 1] * g[0, 1] + T.Exp(g[1, 0]);

            [Differentiable(Forward = true)]
            public static double CallsGeneric(double a, double b) => SoftplusSum(a, b) * a + Gaussian(a, 0.5, 1.5);
        }
        """;

    /// <summary>Name, number of parameters, whether the one parameter is an array, a point, the instantiations besides double.</summary>
    private static readonly (string Name, int Arity, bool Array, double[] Point, string[] Others)[] s_cases =
    {
        ("Gaussian", 3, false, new[] { 0.3, -0.2, 1.3 }, new[] { "float", "Half" }),
        ("BabylonianSqrt", 1, false, new[] { 2.7 }, new[] { "float" }),
        ("SoftplusSum", 2, false, new[] { 0.4, -0.7 }, new[] { "float" }),
        ("Norm", 2, false, new[] { 0.8, -1.1 }, new[] { "float", "Half" }),
        ("Blend", 2, false, new[] { 0.6, 0.9 }, new[] { "float" }),
        ("LogSumExp", 4, true, new[] { 0.1, 1.2, -0.4, 0.9 }, new[] { "float" }),
        ("CallsGeneric", 2, false, new[] { 0.4, 0.3 }, Array.Empty<string>()),
        ("GridPair", 2, false, new[] { 0.6, -0.4 }, new[] { "float" }),
        ("Rosen", 2, false, new[] { 0.7, 0.4 }, new[] { "float" }),
    };

    /// <summary>The tolerance of each instantiation: its precision (Half has 11 significant bits).</summary>
    private static double Tolerance(string type) => type switch
    {
        "double" => 1e-6,
        "float" => 2e-3,
        _ => 3e-2,
    };

    public static TheoryData<string> Cases => new(s_cases.Select(c => c.Name));

    private static readonly Lazy<Assembly> s_assembly = new(() =>
    {
        var output = GeneratorHarness.Run(Functions, Wrappers());
        GeneratorHarness.AssertClean(output);
        Assert.Empty(output.AnalyzerDiagnostics);
        return GeneratorHarness.Load(output.OutputCompilation);
    });

    [Theory]
    [MemberData(nameof(Cases))]
    public void Generic_backward_and_tangent_match_finite_differences_for_double_and_float(string name)
    {
        var (_, arity, _, point, others) = s_cases.Single(c => c.Name == name);
        var check = s_assembly.Value.GetType("Generic.Check")!;
        var f = check.GetMethod("F_" + name + "_d")!.CreateDelegate<Func<double[], double>>();
        var random = new Random(name.Length);
        var direction = Enumerable.Range(0, arity).Select(_ => random.NextDouble() - 0.5).ToArray();
        const double h = 1e-5;
        var directional = (f(Shift(point, direction, h)) - f(Shift(point, direction, -h))) / (2 * h);
        foreach (var type in others.Prepend("double"))
        {
            var (suffix, tolerance) = (Suffix(type), Tolerance(type));
            var g = check.GetMethod("G_" + name + "_" + suffix)!.CreateDelegate<Action<double[], double[]>>();
            var t = check.GetMethod("T_" + name + "_" + suffix)!.CreateDelegate<Func<double[], double[], double>>();
            var gradient = new double[arity];
            g(point, gradient);
            var report = FiniteDifferences.Check(f, point, gradient, relativeTolerance: tolerance, absoluteTolerance: tolerance);
            Assert.True(report.Passed, name + " (" + suffix + "): " + report);
            var tangent = t(point, direction);
            Assert.True(Math.Abs(tangent - directional) <= tolerance * Math.Max(1, Math.Abs(directional)), $"{name} ({suffix}): tangent {tangent}, central difference {directional}");
        }
    }

    /// <summary>
    /// The generic Hessian (Hessian = true) for double and float against central differences of the double gradient
    /// (step 1e-5: 1e-5 relative for double, 2e-3 for float).
    /// </summary>
    [Fact]
    public void Generic_hessian_matches_central_differences_of_the_gradient()
    {
        var check = s_assembly.Value.GetType("Generic.Check")!;
        var g = check.GetMethod("G_Rosen_d")!.CreateDelegate<Action<double[], double[]>>();
        var point = new[] { 0.7, 0.4 };
        const double h = 1e-5;
        foreach (var (suffix, tolerance) in new[] { ("d", 1e-5), ("f", 2e-3) })
        {
            var hessian = new double[4];
            check.GetMethod("H_Rosen_" + suffix)!.CreateDelegate<Action<double[], double[]>>()(point, hessian);
            for (var j = 0; j < 2; j++)
            {
                var (plus, minus) = (new double[2], new double[2]);
                g(point.Select((x, i) => i == j ? x + h : x).ToArray(), plus);
                g(point.Select((x, i) => i == j ? x - h : x).ToArray(), minus);
                for (var i = 0; i < 2; i++)
                {
                    var expected = (plus[i] - minus[i]) / (2 * h);
                    Assert.True(Math.Abs(hessian[i * 2 + j] - expected) <= tolerance * Math.Max(1, Math.Abs(expected)), $"({suffix}) H[{i},{j}] = {hessian[i * 2 + j]}, central difference {expected}");
                }
            }
        }
    }

    private static string Suffix(string type) => type.Substring(0, 1).ToLowerInvariant();

    private static double[] Shift(double[] p, double[] v, double h) => p.Select((x, i) => x + h * v[i]).ToArray();

    /// <summary>The Check class: for each case, the value, gradient and tangent over double[] for each instantiation.</summary>
    private static string Wrappers()
    {
        var s = new StringBuilder("using System;\n\nnamespace Generic;\n\npublic static class Check\n{\n");
        foreach (var (name, arity, array, _, others) in s_cases)
        {
            foreach (var type in others.Prepend("double"))
            {
                var suffix = Suffix(type);
                string Args(string source) => array
                    ? (type == "double" ? source : "System.Array.ConvertAll(" + source + ", q => (" + type + ")q)")
                    : string.Join(", ", Enumerable.Range(0, arity).Select(i => "(" + type + ")" + source + "[" + i + "]"));
                s.Append($"    public static double F_{name}_{suffix}(double[] p) => (double)G.{name}({Args("p")});\n");
                if (array)
                {
                    s.Append($"    public static void G_{name}_{suffix}(double[] p, double[] g) {{ var a = new {type}[g.Length]; G.{name}Backward({Args("p")}, a); for (int i = 0; i < g.Length; i++) g[i] = (double)a[i]; }}\n");
                }
                else
                {
                    var locals = string.Join(" ", Enumerable.Range(0, arity).Select(i => $"{type} a{i} = default;"));
                    var refs = string.Join(", ", Enumerable.Range(0, arity).Select(i => "ref a" + i));
                    var copies = string.Join(" ", Enumerable.Range(0, arity).Select(i => $"g[{i}] = (double)a{i};"));
                    s.Append($"    public static void G_{name}_{suffix}(double[] p, double[] g) {{ {locals} G.{name}Backward({Args("p")}, {refs}); {copies} }}\n");
                }

                s.Append($"    public static double T_{name}_{suffix}(double[] p, double[] v) => (double)G.{name}Tangent({Args("p")}, {Args("v")}).Tangent;\n");
            }
        }

        s.Append("    public static void H_Rosen_d(double[] p, double[] h) => G.RosenHessian(p[0], p[1], h);\n");
        s.Append("    public static void H_Rosen_f(double[] p, double[] h) { var f = new float[4]; G.RosenHessian((float)p[0], (float)p[1], f); for (int i = 0; i < 4; i++) h[i] = f[i]; }\n");
        return s.Append("}\n").ToString();
    }
}

using System.Collections.Immutable;
using System.Reflection;
using StaticGrad.Generator.Tests.Infrastructure;

namespace StaticGrad.Generator.Tests.Forward;

/// <summary>
/// [Differentiable(Hessian = true)]: the generated HessianVector and Hessian checked against central finite
/// differences of the generated gradient (Backward), for scalar code, loops with overwrites and early returns, local
/// arrays, calls (also under ?: and with arrays), [NoGrad]/Detach, float, and everyday C# (a guard, a local function, a
/// pattern switch, double.Hypot/LogP1/SinPi). Each case's source has a <c>Check</c>
/// class: <c>G(p, g)</c> writes the gradient, <c>Hv(p, v, hv)</c> H·v (returning ⟨∇f, v⟩) and <c>H(p, h)</c> the dense
/// Hessian, all at a flat point <c>p</c>. Tolerance: double |a − b| ≤ 1e-6·max(1, |b|) with step 1e-5 (the difference
/// quotient's truncation error is O(h²)·f''' ≈ 1e-10, its rounding ≈ ε·|∇f|/h ≈ 1e-11); float step 1e-2 and 3e-2.
/// </summary>
public sealed class HessianTests
{
    private static readonly Dictionary<string, (string Source, double[] Point, bool IsFloat)> s_cases = new()
    {
        ["Scalar"] = ("""
            public static partial class Scalar
            {
                [Differentiable(Hessian = true)]
                public static double F(double x, double y) =>
                    (1 - x) * (1 - x) + 10 * (y - x * x) * (y - x * x) + Math.Sin(x * y) + Math.Exp(0.1 * x) / (1 + y * y)
                    + Math.Pow(x * x + 1, 1.5) + Math.Atan2(y, 2 + x) + Math.Sqrt(x * x + y * y + 1) * Math.Tanh(y);
            }

            public static class Check
            {
                public static void G(double[] p, double[] g) => Scalar.FBackward(p[0], p[1], ref g[0], ref g[1]);
                public static double Hv(double[] p, double[] v, double[] hv) => Scalar.FHessianVector(p[0], p[1], v[0], v[1], ref hv[0], ref hv[1]);
                public static void H(double[] p, double[] h) => Scalar.FHessian(p[0], p[1], h);
            }
            """, new[] { 0.7, -0.4 }, false),
        ["LoopsAndArrays"] = ("""
            public static partial class Loops
            {
                [Differentiable(Hessian = true)]
                public static double Horner(double[] c, double x, int n)
                {
                    Span<double> powers = stackalloc double[c.Length];
                    var scratch = new double[c.Length];
                    var acc = 0.0;
                    for (var k = 0; k < n; k++)
                    {
                        for (var i = c.Length - 1; i >= 0; i--)
                        {
                            acc = acc * x + c[i] * c[i];
                            powers[i] = acc * acc;
                            scratch[i] = Math.Sin(powers[i]);
                            if (acc > 1e6)
                            {
                                return Math.Log(acc);
                            }
                        }

                        acc = acc > 2 ? Math.Sqrt(acc) : acc * x;
                    }

                    var total = acc;
                    for (var i = 0; i < c.Length; i++)
                    {
                        if (i % 2 == 1)
                        {
                            continue;
                        }

                        total += scratch[i] * powers[i];
                    }

                    return total;
                }
            }

            public static class Check
            {
                public static void G(double[] p, double[] g) => Loops.HornerBackward(p[..3], p[3], 2, g.AsSpan(0, 3), ref g[3]);
                public static double Hv(double[] p, double[] v, double[] hv) => Loops.HornerHessianVector(p[..3], p[3], 2, v.AsSpan(0, 3), v[3], hv.AsSpan(0, 3), ref hv[3]);
                public static void H(double[] p, double[] h) => Loops.HornerHessian(p[..3], p[3], 2, h);
            }
            """, new[] { 0.5, -0.3, 0.8, 0.9 }, false),
        ["Calls"] = ("""
            public static partial class Helpers
            {
                [Differentiable(Hessian = true)]
                public static double Square(double x) => x * x;

                [Differentiable(Hessian = true)]
                public static double Norm2(double[] v, [NoGrad] double scale)
                {
                    var s = 0.0;
                    for (var i = 0; i < v.Length; i++)
                    {
                        s += scale * v[i] * v[i] * v[i];
                    }

                    return s;
                }
            }

            public partial class Model
            {
                [Differentiable(Hessian = true)]
                public double Cube(double x) => x * x * Math.Cos(x);

                [Differentiable(Hessian = true)]
                public double Energy(double x, double y, [NoGrad] double w)
                {
                    var local = new double[2];
                    local[0] = x * y;
                    local[1] = Helpers.Square(y - x);
                    var e = Helpers.Norm2(local, w) + (x > 0 ? Cube(x * y) : Helpers.Square(y));
                    // The argument for Norm2's [NoGrad] parameter carries a derivative: second order follows it too.
                    return e + Helpers.Norm2(local, x) + w * x * y;
                }
            }

            public static class Check
            {
                public static void G(double[] p, double[] g) => new Model().EnergyBackward(p[0], p[1], 0.75, ref g[0], ref g[1]);
                public static double Hv(double[] p, double[] v, double[] hv) => new Model().EnergyHessianVector(p[0], p[1], 0.75, v[0], v[1], ref hv[0], ref hv[1]);
                public static void H(double[] p, double[] h) => new Model().EnergyHessian(p[0], p[1], 0.75, h);
            }
            """, new[] { 0.6, 1.1 }, false),
        ["Float"] = ("""
            public static partial class Single
            {
                [Differentiable(Hessian = true)]
                public static float Logistic(float x, float w)
                {
                    var z = w * x;
                    for (var i = 0; i < 3; i++)
                    {
                        z = MathF.Tanh(z) + w * z;
                    }

                    return 1f / (1f + MathF.Exp(-z));
                }
            }

            public static class Check
            {
                public static void G(double[] p, double[] g) { float dx = 0, dw = 0; Single.LogisticBackward((float)p[0], (float)p[1], ref dx, ref dw); g[0] = dx; g[1] = dw; }
                public static double Hv(double[] p, double[] v, double[] hv)
                {
                    float hx = 0, hw = 0;
                    var r = Single.LogisticHessianVector((float)p[0], (float)p[1], (float)v[0], (float)v[1], ref hx, ref hw);
                    hv[0] += hx;
                    hv[1] += hw;
                    return r;
                }

                public static void H(double[] p, double[] h)
                {
                    var f = new float[4];
                    Single.LogisticHessian((float)p[0], (float)p[1], f);
                    for (var i = 0; i < 4; i++) h[i] = f[i];
                }
            }
            """, new[] { 0.6, -0.8 }, true),
        ["Everyday"] = ("""
            public static partial class Everyday
            {
                [Differentiable(Hessian = true)]
                public static double F(double x, double y)
                {
                    ArgumentOutOfRangeException.ThrowIfGreaterThan(x, 100.0);
                    double Soft(double t) => double.LogP1(Math.Exp(t));
                    double r = double.Hypot(x, y + 2);
                    double s = r switch { < 1 => r * r, _ => Soft(r) + double.SinPi(0.1 * x) * y };
                    return s + Soft(x * y);
                }
            }

            public static class Check
            {
                public static void G(double[] p, double[] g) => Everyday.FBackward(p[0], p[1], ref g[0], ref g[1]);
                public static double Hv(double[] p, double[] v, double[] hv) => Everyday.FHessianVector(p[0], p[1], v[0], v[1], ref hv[0], ref hv[1]);
                public static void H(double[] p, double[] h) => Everyday.FHessian(p[0], p[1], h);
            }
            """, new[] { 0.7, -0.4 }, false),
        ["StructResultCalls"] = ("""
            public struct Pair
            {
                public double A;
                public double B;
            }

            public static partial class Calls
            {
                [Differentiable(Hessian = true)]
                public static double F(double x, double y)
                {
                    var (s, c) = Polar(x, y);
                    var p = Mix(x * y, y);
                    return s * c + p.A * p.B + Math.Sin(p.A);
                }

                [Differentiable(Hessian = true)]
                public static (double S, double C) Polar(double r, double t)
                {
                    var u = r * Math.Sin(t);
                    var v = r * Math.Cos(t);
                    return (u * u, v + u);
                }

                [Differentiable(Hessian = true)]
                public static Pair Mix(double a, double b)
                {
                    var e = Math.Exp(0.3 * a);
                    return new Pair { A = e * b, B = a - b * b };
                }
            }

            public static class Check
            {
                public static void G(double[] p, double[] g) => Calls.FBackward(p[0], p[1], ref g[0], ref g[1]);
                public static double Hv(double[] p, double[] v, double[] hv) => Calls.FHessianVector(p[0], p[1], v[0], v[1], ref hv[0], ref hv[1]);
                public static void H(double[] p, double[] h) => Calls.FHessian(p[0], p[1], h);
            }
            """, new[] { 0.8, -0.6 }, false),
        ["MixedStructResult"] = ("""
            public struct Reading
            {
                public double Level;
                public float Gain;
            }

            public static partial class Mixed
            {
                [Differentiable(Hessian = true)]
                public static Reading M(double x, double y)
                {
                    var level = Math.Exp(0.4 * x) * y;
                    var gain = MathF.Sin((float)(x * y)) + (float)y * (float)y;
                    return new Reading { Level = level, Gain = gain };
                }
            }

            public static class Check
            {
                public static void G(double[] p, double[] g) => Mixed.MBackward(p[0], p[1], ref g[0], ref g[1], new Reading { Level = 0.7, Gain = -1.3f });
                public static double Hv(double[] p, double[] v, double[] hv) => Mixed.MHessianVector(p[0], p[1], 0.7, -1.3f, default, v[0], v[1], ref hv[0], ref hv[1]);
                public static void H(double[] p, double[] h) => Mixed.MHessian(p[0], p[1], 0.7, -1.3f, default, h);
            }
            """, new[] { 0.5, 0.9 }, true),
        ["UserOperators"] = ("""
            public partial struct Twist
            {
                public double A;
                public double B;

                [Differentiable(Hessian = true)]
                public static Twist operator +(Twist p, Twist q)
                {
                    var a = p.A * q.B;
                    return new Twist { A = a, B = p.B + Math.Exp(0.5 * q.A) };
                }

                [Differentiable(Hessian = true)]
                public static double operator *(Twist p, Twist q)
                {
                    var a = p.A * q.A;
                    return a * a + p.B * q.B;
                }
            }

            public static partial class Operators
            {
                [Differentiable(Hessian = true)]
                public static double F(double x, double y)
                {
                    var a = new Twist { A = x, B = y };
                    var b = new Twist { A = y, B = x * y };
                    var c = a + b;
                    c += a;
                    return (a * c) + Math.Sin(c.B);
                }
            }

            public static class Check
            {
                public static void G(double[] p, double[] g) => Operators.FBackward(p[0], p[1], ref g[0], ref g[1]);
                public static double Hv(double[] p, double[] v, double[] hv) => Operators.FHessianVector(p[0], p[1], v[0], v[1], ref hv[0], ref hv[1]);
                public static void H(double[] p, double[] h) => Operators.FHessian(p[0], p[1], h);
            }
            """, new[] { 0.7, -0.4 }, false),
        ["UserOperatorsFloat"] = ("""
            public partial struct Spin
            {
                public float X;
                public float Y;

                [Differentiable(Hessian = true)]
                public static Spin operator *(Spin p, float k)
                {
                    var s = MathF.Sin(k);
                    return new Spin { X = p.X * s - p.Y * k, Y = p.Y * s + p.X * k };
                }

                [Differentiable(Hessian = true)]
                public static float operator *(Spin p, Spin q)
                {
                    var d = p.X * q.X + p.Y * q.Y;
                    return d * d;
                }
            }

            public static partial class FloatOperators
            {
                [Differentiable(Hessian = true)]
                public static float F(float x, float y)
                {
                    var a = new Spin { X = x, Y = y };
                    var b = a * (x - y);
                    return (a * b) + b.X * y;
                }
            }

            public static class Check
            {
                public static void G(double[] p, double[] g)
                {
                    float gx = 0, gy = 0;
                    FloatOperators.FBackward((float)p[0], (float)p[1], ref gx, ref gy);
                    (g[0], g[1]) = (gx, gy);
                }

                public static double Hv(double[] p, double[] v, double[] hv)
                {
                    float hx = 0, hy = 0;
                    var d = FloatOperators.FHessianVector((float)p[0], (float)p[1], (float)v[0], (float)v[1], ref hx, ref hy);
                    (hv[0], hv[1]) = (hx, hy);
                    return d;
                }

                public static void H(double[] p, double[] h)
                {
                    var f = new float[4];
                    FloatOperators.FHessian((float)p[0], (float)p[1], f);
                    for (var i = 0; i < 4; i++)
                    {
                        h[i] = f[i];
                    }
                }
            }
            """, new[] { 0.6, 0.4 }, true),
        ["RecursiveLocal"] = ("""
            public static partial class Recursive
            {
                [Differentiable(Hessian = true)]
                public static double F(double x, double a)
                {
                    double scale = Math.Exp(0.5 * a);
                    double Even(double v, int m) => m == 0 ? v * v * scale : Odd(v * 0.9, m - 1);
                    double Odd(double v, int m) => m == 0 ? Math.Sin(v) : Even(v + a, m - 1) * v;
                    return Even(x, 3) + Odd(x * a, 2);
                }
            }

            public static class Check
            {
                public static void G(double[] p, double[] g) => Recursive.FBackward(p[0], p[1], ref g[0], ref g[1]);
                public static double Hv(double[] p, double[] v, double[] hv) => Recursive.FHessianVector(p[0], p[1], v[0], v[1], ref hv[0], ref hv[1]);
                public static void H(double[] p, double[] h) => Recursive.FHessian(p[0], p[1], h);
            }
            """, new[] { 0.6, 0.3 }, false),
    };

    public static TheoryData<string> Cases => new(s_cases.Keys);

    private static readonly Dictionary<string, (GeneratorOutput Output, Type Check)> s_compiled = new();

    private static (GeneratorOutput Output, Type Check) Compile(string name)
    {
        lock (s_compiled)
        {
            if (!s_compiled.TryGetValue(name, out var compiled))
            {
                var output = GeneratorHarness.Run("using System;\nusing StaticGrad;\n\nnamespace Samples;\n\n" + s_cases[name].Source);
                GeneratorHarness.AssertClean(output);
                compiled = (output, GeneratorHarness.Load(output.OutputCompilation).GetType("Samples.Check")!);
                s_compiled[name] = compiled;
            }

            return compiled;
        }
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Hessian_file_matches_baseline(string name)
    {
        var output = Compile(name).Output;
        var hessians = output with { Sources = output.Sources.Where(s => s.HintName.EndsWith(".Hessian.g.cs", StringComparison.Ordinal)).ToImmutableArray() };
        Assert.NotEmpty(hessians.Sources);
        Baselines.Verify("HessianTests." + name, hessians);
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Hessian_vector_product_matches_finite_differences_of_the_gradient(string name)
    {
        var (_, point, isFloat) = s_cases[name];
        HessianFiniteDifferences.AssertHessianVector(Compile(name).Check, string.Empty, point, isFloat, name);
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Dense_hessian_is_symmetric_and_matches_finite_differences_of_the_gradient(string name)
    {
        var (_, point, isFloat) = s_cases[name];
        HessianFiniteDifferences.AssertDenseHessian(Compile(name).Check, string.Empty, point, isFloat, name);
    }

    [Fact]
    public void Dense_hessian_refuses_a_buffer_that_is_too_small()
    {
        var (_, check) = Compile("Scalar");
        var error = Assert.Throws<TargetInvocationException>(() => Invoke(check, "H", new[] { 0.1, 0.2 }, new double[3]));
        Assert.IsType<ArgumentException>(error.InnerException);
    }

    [Fact]
    public void Methods_without_the_opt_in_get_no_second_order_file()
    {
        var output = GeneratorHarness.Run("""
            using StaticGrad;
            namespace Samples;
            public static partial class Plain
            {
                [Differentiable]
                public static double F(double x) => x * x * x;
            }
            """);
        GeneratorHarness.AssertClean(output);
        Assert.Equal(new[] { "Samples.Plain.F.Tangent.g.cs", "Samples.Plain.F.Tensor.g.cs", "Samples.Plain.F.g.cs" }, output.Sources.Select(s => s.HintName).ToArray());
    }

    private static object? Invoke(Type check, string name, params object[] arguments) => HessianFiniteDifferences.Invoke(check, name, arguments);
}

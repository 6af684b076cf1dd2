using System.Reflection;
using StaticGrad.Generator.Tests.Infrastructure;

namespace StaticGrad.Generator.Tests.Hygiene;

/// <summary>
/// Parameters named like the generated members that generated code calls (<c>{Name}HessianVector</c>,
/// <c>{Name}JvpBackward</c>, <c>{Name}Backward</c>, <c>{Name}Tangent</c>, the method itself): those calls are qualified
/// (<c>global::Type.</c> or <c>this.</c>), so the parameter cannot shadow them. Compiled without any diagnostic and
/// checked against central finite differences: gradients of the method (step 1e-6, |a − b| ≤ 1e-6·max(1, |b|)), the
/// Hessian-vector product of the gradient (step 1e-5, same tolerance).
/// </summary>
public sealed class ShadowingParameterTests
{
    private const string Source = """
        using System;
        using StaticGrad;

        namespace Hostile;

        public struct Point
        {
            public double X;
            public double Y;
        }

        public static partial class Static
        {
            [Differentiable(Hessian = true)]
            public static double Sq(double x) => x * x;

            // FHessianVector is called by FHessian, FJvpBackward by FHessianVector, SqBackward by FBackward.
            [Differentiable(Hessian = true)]
            public static double F(double x, double FHessianVector, double FJvpBackward, double SqBackward) =>
                Sq(x) * Math.Sin(FHessianVector) + FJvpBackward * x * FHessianVector + Math.Exp(0.1 * SqBackward * x);

            // The Tensor overload's lambdas call G and GBackward.
            [Differentiable(Tensor = true)]
            public static double G(double G, double GBackward) => Math.Tanh(G * GBackward) + G;

            // The struct wrappers call the flattened HBackward and HTangent.
            [Differentiable(Forward = true)]
            public static double H(Point p, double HBackward, double HTangent) => p.X * p.Y * HBackward + Math.Cos(p.X * HTangent);
        }

        public partial class Instance
        {
            [Differentiable(Hessian = true)]
            public double Cube(double x, double CubeJvpBackward, double CubeHessianVector) =>
                x * x * x * CubeJvpBackward + Math.Log(1 + CubeHessianVector * CubeHessianVector) * x;
        }

        public static class Check
        {
            public static double F(double[] p) => Static.F(p[0], p[1], p[2], p[3]);
            public static void FG(double[] p, double[] g) => Static.FBackward(p[0], p[1], p[2], p[3], ref g[0], ref g[1], ref g[2], ref g[3]);
            public static void FH(double[] p, double[] h) => Static.FHessian(p[0], p[1], p[2], p[3], h);
            public static double G(double[] p) => Static.G(p[0], p[1]);
            public static void GG(double[] p, double[] g)
            {
                var a = Tensor.FromArray(new[] { p[0] }, requiresGrad: true);
                var b = Tensor.FromArray(new[] { p[1] }, requiresGrad: true);
                Static.G(a, b).Sum().Backward();
                g[0] = a.Grad!.ToArray()[0];
                g[1] = b.Grad!.ToArray()[0];
            }
            public static double H(double[] p) => Static.H(new Point { X = p[0], Y = p[1] }, p[2], p[3]);
            public static void HG(double[] p, double[] g)
            {
                var d = default(Point);
                Static.HBackward(new Point { X = p[0], Y = p[1] }, p[2], p[3], ref d, ref g[2], ref g[3]);
                g[0] = d.X;
                g[1] = d.Y;
            }
            public static void HT(double[] p, double[] g)
            {
                for (var i = 0; i < 4; i++)
                {
                    var t = new double[4];
                    t[i] = 1;
                    g[i] = Static.HTangent(new Point { X = p[0], Y = p[1] }, p[2], p[3], new Point { X = t[0], Y = t[1] }, t[2], t[3]).Tangent;
                }
            }
            public static double Cube(double[] p) => new Instance().Cube(p[0], p[1], p[2]);
            public static void CubeG(double[] p, double[] g) => new Instance().CubeBackward(p[0], p[1], p[2], ref g[0], ref g[1], ref g[2]);
            public static void CubeH(double[] p, double[] h) => new Instance().CubeHessian(p[0], p[1], p[2], h);
        }
        """;

    private static readonly Lazy<Type> s_check = new(() => GeneratorHarness.CompileAndLoad(Source).GetType("Hostile.Check")!);

    [Theory]
    [InlineData("F", "FG", new[] { 0.3, 0.7, -0.4, 0.5 })]
    [InlineData("G", "GG", new[] { 0.6, -0.8 })]
    [InlineData("H", "HG", new[] { 0.9, -0.2, 1.3, 0.4 })]
    [InlineData("H", "HT", new[] { 0.9, -0.2, 1.3, 0.4 })]
    [InlineData("Cube", "CubeG", new[] { 0.8, 1.2, -0.6 })]
    public void Gradient_matches_finite_differences(string function, string gradient, double[] point)
    {
        var g = new double[point.Length];
        Invoke(gradient, point, g);
        for (var i = 0; i < point.Length; i++)
        {
            var expected = (Value(function, Shifted(point, i, 1e-6)) - Value(function, Shifted(point, i, -1e-6))) / 2e-6;
            Assert.True(Math.Abs(g[i] - expected) <= 1e-6 * Math.Max(1, Math.Abs(expected)), $"{gradient}[{i}] = {g[i]}, finite differences {expected}");
        }
    }

    [Theory]
    [InlineData("FG", "FH", new[] { 0.3, 0.7, -0.4, 0.5 })]
    [InlineData("CubeG", "CubeH", new[] { 0.8, 1.2, -0.6 })]
    public void Hessian_matches_finite_differences_of_the_gradient(string gradient, string hessian, double[] point)
    {
        var n = point.Length;
        var h = new double[n * n];
        Invoke(hessian, point, h);
        for (var j = 0; j < n; j++)
        {
            var plus = new double[n];
            var minus = new double[n];
            Invoke(gradient, Shifted(point, j, 1e-5), plus);
            Invoke(gradient, Shifted(point, j, -1e-5), minus);
            for (var i = 0; i < n; i++)
            {
                var expected = (plus[i] - minus[i]) / 2e-5;
                Assert.True(Math.Abs(h[(i * n) + j] - expected) <= 1e-6 * Math.Max(1, Math.Abs(expected)), $"{hessian}[{i},{j}] = {h[(i * n) + j]}, finite differences {expected}");
            }
        }
    }

    private static double[] Shifted(double[] point, int index, double step)
    {
        var shifted = (double[])point.Clone();
        shifted[index] += step;
        return shifted;
    }

    private static double Value(string function, double[] point) => (double)Invoke(function, point)!;

    private static object? Invoke(string name, params object[] arguments) =>
        s_check.Value.GetMethod(name, BindingFlags.Public | BindingFlags.Static)!.Invoke(null, arguments);
}

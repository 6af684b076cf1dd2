using System.Reflection;
using StaticGrad.Generator.Tests.Infrastructure;

namespace StaticGrad.Generator.Tests.Compiler;

/// <summary>Every construct of the body language, compiled by the generator and checked against finite differences.</summary>
public sealed class ConstructTests
{
    private const string Source = """
        using System;
        using StaticGrad;

        namespace Constructs;

        public static partial class F
        {
            private const double Scale = 2.5;
            private static readonly double Offset = 0.25;

            [Differentiable] public static double Rosenbrock(double x, double y) => (1 - x) * (1 - x) + 100 * (y - x * x) * (y - x * x);
            [Differentiable] public static double Reassign(double x) { var t = x * x; t = t * x; t = Math.Sin(t) + t; t += x; t *= 2; t -= x / 3; t /= 1.5; return t; }
            [Differentiable] public static double UnaryMinus(double x, double y) => -x * -(y - x);
            [Differentiable] public static double Constants(double x) => Scale * x * x + Offset * x + Math.PI;
            [Differentiable] public static double Trig(double x) => Math.Sin(x) * Math.Cos(x) + Math.Tan(x / 3) + Math.Asin(x / 4) + Math.Acos(x / 5) + Math.Atan(x) + Math.Atan2(x, 2.0);
            [Differentiable] public static double Hyperbolic(double x) => Math.Sinh(x) + Math.Cosh(x / 2) + Math.Tanh(x);
            [Differentiable] public static double Logs(double x) => Math.Exp(x) + Math.Log(x) + Math.Log(x, 3.0) + Math.Log10(x) + Math.Log2(x) + Math.Sqrt(x) + Math.Cbrt(x);
            [Differentiable] public static double Powers(double x, double y) => Math.Pow(x, y) + Math.Pow(x, 3) + Math.Pow(2.0, y);
            [Differentiable] public static double Piecewise(double x, double y) => Math.Abs(x) + Math.Min(x, y) + Math.Max(x * 2, y) + Math.Clamp(x, -1.0, 1.5) + Math.FusedMultiplyAdd(x, y, x) + Math.CopySign(x, y) + Math.Floor(x) * y;
            [Differentiable] public static double Branches(double x, double y) { double r; if (x > y) { r = x * y; } else if (x < 0) { r = -x; } else { r = y * y; } return r + (x > 1 ? x * x : y); }
            [Differentiable] public static double Ternary(double x) => x > 0 ? Math.Sqrt(x) : x * x;
            [Differentiable] public static double Switch(double x, int mode) { double r = 0; switch (mode) { case 0: r = x; break; case 1: case 2: r = x * x; break; default: r = Math.Sin(x); break; } return r * 2; }
            [Differentiable] public static double Loop(double x, int n) { var s = 0.0; for (int i = 0; i < n; i++) { s = s * x + i; } return s; }
            [Differentiable] public static double WhileLoop(double x) { var p = x; int k = 0; while (p < 100) { p = p * 1.5 + x; k++; } return p + k; }
            [Differentiable] public static double DoLoop(double x) { var p = x; int k = 0; do { p = Math.Sin(p) + x; k++; } while (k < 4); return p; }
            [Differentiable] public static double BreakContinue(double x) { var s = 0.0; for (int i = 0; i < 10; i++) { if (i % 2 == 0) continue; s += x * i; if (s > 20) break; s = s * 1.01; } return s; }
            [Differentiable] public static double NestedEarlyReturn(double x, double y) { var acc = 1.0; for (int i = 0; i < 4; i++) { for (int j = 0; j < 4; j++) { acc = acc * x + y; if (acc > 50) return acc * 2; } } return acc; }
            [Differentiable] public static double MidReturn(double x) { if (x > 2) return x * x; var y = x * 3; if (y < 0) { return -y; } return y + 1; }
            [Differentiable] public static float FloatMath(float x, float y) { var t = MathF.Sin(x) * y; t = t + MathF.Exp(y / 4) + (float)Math.Sqrt(x); return t * t; }
            [Differentiable] public static double MixedCast(double x, float y) => x * y + (double)(float)x;
            [Differentiable] public static double DetachAndNoGrad(double x, double y) { var a = Autograd.Detach(x * y) * x; double b; using (Autograd.NoGrad()) { b = x * x; } return a + b * y; }
            [Differentiable] public static double NoGradParam(double x, [NoGrad] double c) => x * c + c * c;
            [Differentiable] public static double Calls(double x, double y) => Rosenbrock(x, y) * 2 + Helper.Square(x) + Reassign(y);
            [Differentiable] public static double Recursive(double x, int n) => n == 0 ? x : x * Recursive(x, n - 1);
            [Differentiable] public static double IntCounter(double x) { int n = 3; n++; n += 2; n--; var r = x; for (var i = 0; i < n; i++) r = r * 0.9 + 1; return r; }
            [Differentiable] public static double LongAndBool(double x, long m, bool flag) { long k = m * 2; var r = flag ? x * k : x; if (flag && k > 3) r += x; return r; }
            [Differentiable] public static double Remainder(double x, double y) => x % y + y;
            [Differentiable] public static double ParamReassigned(double x, double y) { x = x * y; y = y + x; x = x * x; return x + y; }
            [Differentiable] public static double ExpressionBody(double x) => x * x * x;
        }

        public static partial class Helper
        {
            [Differentiable] public static double Square(double v) => v * v;
        }

        public partial class Instance
        {
            private readonly double _weight = 3.0;
            [Differentiable] public double Scaled(double x) => _weight * x * x + Twice(x);
            [Differentiable] public double Twice(double x) => 2 * x;
        }
        """;

    private static readonly Lazy<Assembly> s_assembly = new(() => GeneratorHarness.CompileAndLoad(Source));

    public static TheoryData<string, object[]> Cases => new()
    {
        { "Rosenbrock", new object[] { -1.2, 1.0 } },
        { "Reassign", new object[] { 0.7 } },
        { "UnaryMinus", new object[] { 0.7, -0.3 } },
        { "Constants", new object[] { 1.3 } },
        { "Trig", new object[] { 0.6 } },
        { "Hyperbolic", new object[] { 0.4 } },
        { "Logs", new object[] { 1.7 } },
        { "Powers", new object[] { 1.3, 2.2 } },
        { "Piecewise", new object[] { 0.8, -0.4 } },
        { "Piecewise", new object[] { -2.1, 0.9 } },
        { "Branches", new object[] { 2.0, 1.0 } },
        { "Branches", new object[] { -1.0, 1.0 } },
        { "Branches", new object[] { 0.5, 1.0 } },
        { "Ternary", new object[] { 2.0 } },
        { "Ternary", new object[] { -2.0 } },
        { "Switch", new object[] { 0.3, 0 } },
        { "Switch", new object[] { 0.3, 2 } },
        { "Switch", new object[] { 0.3, 7 } },
        { "Loop", new object[] { 0.9, 6 } },
        { "WhileLoop", new object[] { 1.1 } },
        { "DoLoop", new object[] { 0.4 } },
        { "BreakContinue", new object[] { 1.3 } },
        { "BreakContinue", new object[] { 0.2 } },
        { "NestedEarlyReturn", new object[] { 1.5, 0.5 } },
        { "NestedEarlyReturn", new object[] { 0.5, 0.1 } },
        { "MidReturn", new object[] { 3.0 } },
        { "MidReturn", new object[] { 1.0 } },
        { "MidReturn", new object[] { -1.0 } },
        { "NoGradParam", new object[] { 0.7, 1.9 } },
        { "Calls", new object[] { 0.4, 0.9 } },
        { "Recursive", new object[] { 1.1, 4 } },
        { "IntCounter", new object[] { 0.6 } },
        { "LongAndBool", new object[] { 0.6, 2L, true } },
        { "LongAndBool", new object[] { 0.6, 2L, false } },
        { "Remainder", new object[] { 5.3, 1.7 } },
        { "ParamReassigned", new object[] { 0.6, 1.2 } },
        { "ExpressionBody", new object[] { 0.6 } },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Gradient_matches_finite_differences(string method, object[] arguments)
    {
        GradientAssert.MatchesFiniteDifferences(s_assembly.Value, "Constructs.F", method, arguments);
    }

    [Fact]
    public void Float_gradient_matches_finite_differences()
    {
        GradientAssert.MatchesFiniteDifferences(s_assembly.Value, "Constructs.F", "FloatMath", new object[] { 0.8f, 1.1f }, tolerance: 2e-2);
    }

    [Fact]
    public void Float_parameter_in_double_code_matches_finite_differences()
    {
        // (float)x rounds to float precision, so the difference quotient is only good to about 1e-4.
        GradientAssert.MatchesFiniteDifferences(s_assembly.Value, "Constructs.F", "MixedCast", new object[] { 0.3, 1.5f }, tolerance: 1e-3);
    }

    [Fact]
    public void Detach_and_NoGrad_stop_the_derivative()
    {
        // a = Detach(x·y)·x and b = x² computed under NoGrad: d/dx (a + b·y) = x·y, d/dy = b = x² (not the full derivative).
        var backward = s_assembly.Value.GetType("Constructs.F")!.GetMethod("DetachAndNoGradBackward")!;
        var arguments = new object[] { 0.7, 1.9, 0.0, 0.0, 1.0 };
        backward.Invoke(null, arguments);

        Assert.Equal(0.7 * 1.9, (double)arguments[2], 12);
        Assert.Equal(0.7 * 0.7, (double)arguments[3], 12);
    }

    [Fact]
    public void Instance_method_treats_fields_as_constants()
    {
        GradientAssert.MatchesFiniteDifferences(s_assembly.Value, "Constructs.Instance", "Scaled", new object[] { 0.8 });
    }
}

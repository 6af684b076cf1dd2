using StaticGrad.Generator.Tests.Infrastructure;

namespace StaticGrad.Generator.Tests.Robustness;

/// <summary>
/// Named arguments written in another order than the parameters' are evaluated in the order written (C#'s rule), by
/// every lowering that expands or reprints a call: System.Numerics constructors (<c>Vector3</c>, <c>Complex</c>) and
/// functions (<c>Vector3.Lerp</c>), <c>Math</c> builtins, generic-math calls (<c>T.Atan2</c>), user struct constructors,
/// [Differentiable] callees and local functions. Each method is called at a point where two arguments throw different
/// exceptions (<c>a[4]</c> of a 4-element array, written first, and <c>Checked(x)</c> at x = 0.95): the Backward must
/// throw what the primal throws (type and message). At points inside the domain the Backward's value is the primal's bit
/// for bit and its gradient matches central differences (step 1e-6, tolerance 1e-6·max(1, |fd|); for the Vector3
/// methods, which compute in float, step 1e-3 and tolerance 1e-3·max(1, |fd|)).
/// The side-effect case records the order of three calls in a log: the Backward's forward sweep logs the primal's order.
/// </summary>
public sealed class Session23ArgumentOrderTests
{
    private const string Source = """
        using System;
        using System.Collections.Generic;
        using System.Numerics;
        using StaticGrad;

        namespace Session23ArgumentOrder;

        public readonly struct P2
        {
            public P2(double u, double v) { U = u; V = v; }
            public double U { get; }
            public double V { get; }
        }

        public static partial class A
        {
            public static readonly List<int> Log = new();

            [Differentiable]
            private static double Checked(double v) => v > 0.9 ? throw new ArgumentOutOfRangeException(nameof(v), "too big") : v * v;

            [Differentiable]
            private static T CheckedT<T>(T v) where T : IFloatingPointIeee754<T> => v > T.CreateChecked(0.9) ? throw new ArgumentOutOfRangeException(nameof(v), "too big") : v * v;

            [Differentiable]
            private static double Two(double u, double v) => u * v + v;

            private static double Note(int tag)
            {
                Log.Add(tag);
                return 1.0;
            }

            [Differentiable]
            public static double VectorConstructor(double[] a, double x)
            {
                var v = new Vector3(z: (float)a[4], x: (float)Checked(x), y: (float)x);
                return v.X * v.Y + v.Z;
            }

            [Differentiable]
            public static double VectorLerp(double[] a, double x)
            {
                var p = new Vector3((float)x, 1f, 2f);
                var q = new Vector3(2f, (float)x, 0.5f);
                var r = Vector3.Lerp(amount: (float)a[4], value2: q * (float)Checked(x), value1: p);
                return r.X + r.Y * r.Z;
            }

            [Differentiable]
            public static double ComplexConstructor(double[] a, double x)
            {
                var c = new Complex(imaginary: a[4], real: Checked(x));
                return (c * c).Real + c.Imaginary;
            }

            [Differentiable]
            public static double MathAtan2(double[] a, double x) => Math.Atan2(x: a[4] + 2.0, y: Checked(x));

            [Differentiable]
            public static T GenericAtan2<T>(T[] a, T x) where T : IFloatingPointIeee754<T> => T.Atan2(x: a[4] + T.CreateChecked(2), y: CheckedT(x));

            [Differentiable]
            public static double GenericAtan2AtDouble(double[] a, double x) => GenericAtan2(a, x);

            [Differentiable]
            public static double UserStruct(double[] a, double x)
            {
                var p = new P2(v: a[4], u: Checked(x));
                return p.U * p.V + p.U;
            }

            [Differentiable]
            public static double Callee(double[] a, double x) => Two(v: a[4], u: Checked(x));

            [Differentiable]
            public static double LocalFunction(double[] a, double x)
            {
                double L(double u, double v) => u * v - u;
                return L(v: a[4], u: Checked(x));
            }

            [Differentiable]
            public static double SideEffects(double[] a, double x)
            {
                var v = new Vector3(z: (float)(x * Note(3)), x: (float)(a[0] * Note(1)), y: (float)(x * Note(2)));
                return v.X * v.Y + v.Z * (float)Math.Atan2(x: a[1] * Note(5), y: x * Note(4));
            }
        }
        """;

    private static readonly Lazy<Type> s_type = new(() =>
    {
        var output = GeneratorHarness.Run(Source);
        GeneratorHarness.AssertClean(output);
        Assert.Empty(output.AnalyzerDiagnostics.Select(d => d.ToString()));
        return GeneratorHarness.Load(output.OutputCompilation).GetType("Session23ArgumentOrder.A")!;
    });

    public static TheoryData<string> Methods() => new("VectorConstructor", "VectorLerp", "ComplexConstructor", "MathAtan2", "GenericAtan2AtDouble", "UserStruct", "Callee", "LocalFunction");

    /// <summary>a[4] is written first and throws first, as in the primal (in parameter order Checked(x) would throw first).</summary>
    [Theory]
    [MemberData(nameof(Methods))]
    public void Backward_throws_the_exception_of_the_argument_written_first(string name)
    {
        var (primal, backward) = Outcomes(name, new[] { 0.1, 0.2, 0.3, 0.4 }, 0.95);
        Assert.StartsWith("System.IndexOutOfRangeException", primal, StringComparison.Ordinal);
        Assert.Equal(primal, backward);
    }

    /// <summary>With a[4] there, Checked(x) throws: the same exception from both.</summary>
    [Theory]
    [MemberData(nameof(Methods))]
    public void Backward_throws_the_second_arguments_exception_when_the_first_does_not_throw(string name)
    {
        var (primal, backward) = Outcomes(name, new[] { 0.1, 0.2, 0.3, 0.4, 0.5 }, 0.95);
        Assert.StartsWith("System.ArgumentOutOfRangeException", primal, StringComparison.Ordinal);
        Assert.Equal(primal, backward);
    }

    [Theory]
    [MemberData(nameof(Methods))]
    public void Gradient_matches_central_differences_and_value_is_the_primals(string name)
    {
        // Vector3.Lerp is expanded as value1 + (value2 − value1)·amount; the runtime's Lerp rounds differently in float
        // (noticed, not an argument-order matter): within float's precision there, bit for bit elsewhere. Vector3
        // computes in float: a step of 1e-6 would measure float's rounding, so 1e-3 and a float tolerance.
        var isFloat = name.StartsWith("Vector", StringComparison.Ordinal);
        AssertGradient(s_type.Value, name, name == "VectorLerp" ? 1e-6 : 0, isFloat ? 1e-3 : 1e-6, isFloat ? 1e-3 : 1e-6);
    }

    /// <summary>
    /// At a = (0.3, −0.2, 0.5, 0.1, 0.7), x = 0.6: the Backward's value is the primal's (bit for bit when
    /// <paramref name="valueTolerance"/> is 0, else within it relative) and its gradient is central differences' (step
    /// <paramref name="h"/>, within <paramref name="tolerance"/>·max(1, |fd|)).
    /// </summary>
    internal static void AssertGradient(Type type, string name, double valueTolerance, double h, double tolerance)
    {
        var f = Primal(type, name);
        var a = new[] { 0.3, -0.2, 0.5, 0.1, 0.7 };
        const double x = 0.6;
        var da = new double[5];
        var dx = 0.0;
        var value = Backward(type, name)(a, x, da, ref dx, 1.0);
        var primal = f(a, x);
        Assert.True(valueTolerance > 0 ? Math.Abs(primal - value) <= valueTolerance * Math.Max(1, Math.Abs(primal)) : BitConverter.DoubleToInt64Bits(primal) == BitConverter.DoubleToInt64Bits(value), $"{name}: Backward value {value:R}, primal {primal:R}");
        var fx = (f(a, x + h) - f(a, x - h)) / (2 * h);
        Assert.True(Math.Abs(dx - fx) <= tolerance * Math.Max(1, Math.Abs(fx)), $"{name}: d/dx {dx:R}, central differences {fx:R}");
        for (var i = 0; i < a.Length; i++)
        {
            var (up, down) = ((double[])a.Clone(), (double[])a.Clone());
            up[i] += h;
            down[i] -= h;
            var fd = (f(up, x) - f(down, x)) / (2 * h);
            Assert.True(Math.Abs(da[i] - fd) <= tolerance * Math.Max(1, Math.Abs(fd)), $"{name}: d/da[{i}] {da[i]:R}, central differences {fd:R}");
        }
    }

    /// <summary>The primal throws an exception whose name starts with <paramref name="exception"/>, and the Backward throws the same, type and message.</summary>
    internal static void AssertThrowsAsThePrimal(Type type, string name, double[] a, double x, string exception)
    {
        var da = new double[a.Length];
        var dx = 0.0;
        var primal = Outcome(() => Primal(type, name)(a, x));
        Assert.StartsWith(exception, primal, StringComparison.Ordinal);
        Assert.Equal(primal, Outcome(() => Backward(type, name)(a, x, da, ref dx, 1.0)));
    }

    /// <summary>The calls in the arguments run in the order written: 3, 1, 2 for the Vector3, then 5, 4 for Atan2.</summary>
    [Fact]
    public void Side_effects_happen_in_the_order_written()
    {
        var type = s_type.Value;
        var log = (List<int>)type.GetField("Log")!.GetValue(null)!;
        var a = new[] { 0.3, -0.2, 0.5, 0.1, 0.7 };
        log.Clear();
        _ = Primal(type, "SideEffects")(a, 0.6);
        Assert.Equal(new[] { 3, 1, 2, 5, 4 }, log);
        log.Clear();
        var da = new double[5];
        var dx = 0.0;
        Backward(type, "SideEffects")(a, 0.6, da, ref dx, 1.0);
        Assert.Equal(new[] { 3, 1, 2, 5, 4 }, log.Take(5));
    }

    internal static Func<double[], double, double> Primal(Type type, string name) =>
        type.GetMethod(name, new[] { typeof(double[]), typeof(double) })!.CreateDelegate<Func<double[], double, double>>();

    internal delegate double BackwardDelegate(double[] a, double x, Span<double> da, ref double dx, double seed);

    internal static BackwardDelegate Backward(Type type, string name) =>
        type.GetMethods().Single(m => m.Name == name + "Backward" && m.GetParameters().Length == 5 && m.GetParameters()[0].ParameterType == typeof(double[]))
            .CreateDelegate<BackwardDelegate>();

    private static (string Primal, string Backward) Outcomes(string name, double[] a, double x)
    {
        var type = s_type.Value;
        var f = Primal(type, name);
        var b = Backward(type, name);
        var da = new double[a.Length];
        var dx = 0.0;
        return (Outcome(() => f(a, x)), Outcome(() => b(a, x, da, ref dx, 1.0)));
    }

    internal static string Outcome(Func<double> run)
    {
        try
        {
            return "value " + run().ToString("R", System.Globalization.CultureInfo.InvariantCulture);
        }
        catch (Exception e)
        {
            return e.GetType().FullName + ": " + e.Message;
        }
    }
}

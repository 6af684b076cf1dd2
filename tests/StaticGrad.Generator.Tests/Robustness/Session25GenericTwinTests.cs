using System.Reflection;
using StaticGrad.Generator.Tests.Infrastructure;

namespace StaticGrad.Generator.Tests.Robustness;

/// <summary>
/// Batch 20264100 P12: a generic-math method cannot test a <c>T</c> with a relational pattern, so where a double method
/// writes <c>(s is &gt; -1.125 and &lt; 0.25 ? x : y) * (s is &gt; -1.125 and &lt; 0.25 ? x : y)</c> (whose lowering repeats
/// <c>s</c>, so the two factors are one value and the reverse writes the square's one term <c>2·u·g</c>), the generic
/// one binds <c>s</c> in each factor (<c>s is var first &amp;&amp; …</c>, <c>s is var second &amp;&amp; …</c>). The two variables
/// made the factors differ, and the reverse added the product rule's two terms to the adjoint one after the other:
/// one ulp off the double method's gradient. A pattern variable bound to the value an earlier one of the same block
/// holds is now read as that one (Lowering/StatementLowering.SharedPatternValues.cs). Each generic method here is
/// compared at double with a double method and at float with a float method written as their users would, bit for bit
/// (value, Backward's value and gradient at seed 0.75, or the same exception) over a grid of 81 points; the constants
/// are exact in float and double so that only the differentiation could differ. Variants: P12's statement, switch
/// expressions over one computed subject (their arms bind <c>dx</c>, <c>seed</c>, <c>_result</c>, <c>_tape</c>), in a loop
/// over a local array (n = 0: no trip; n = 4: the primal's IndexOutOfRangeException), in a generic callee, across two
/// statements (the second statement's two bindings are read as the first statement's). Controls where the variables must stay two (one is written later; what the value reads is written
/// between the bindings; the value calls a user method) match central differences and keep both variables.
/// </summary>
public sealed class Session25GenericTwinTests
{
    private const string Source = """
        using System;
        using System.Numerics;
        using StaticGrad;

        namespace Session25GenericTwin;

        public static partial class C
        {
            [Differentiable]
            public static T Minimal<T>(int n, T x, T y) where T : IFloatingPointIeee754<T>
            {
                T v = T.Tanh(T.Log(T.One + (((T.CopySign(y, y) > x ? y : y) is var first && (first > -T.CreateChecked(1.125) && first < T.CreateChecked(0.25))) ? x : y) * (((T.CopySign(y, y) > x ? y : y) is var second && (second > -T.CreateChecked(1.125) && second < T.CreateChecked(0.25))) ? x : y)));
                return T.Sin(x) + T.CreateChecked(0.5) * v;
            }

            [Differentiable]
            public static double MinimalD(int n, double x, double y)
            {
                double v = Math.Tanh(Math.Log(1.0 + ((Math.CopySign(y, y) > x ? y : y) is > -1.125 and < 0.25 ? x : y) * ((Math.CopySign(y, y) > x ? y : y) is > -1.125 and < 0.25 ? x : y)));
                return Math.Sin(x) + 0.5 * v;
            }

            [Differentiable]
            public static float MinimalF(int n, float x, float y)
            {
                float v = MathF.Tanh(MathF.Log(1f + ((MathF.CopySign(y, y) > x ? y : y) is > -1.125f and < 0.25f ? x : y) * ((MathF.CopySign(y, y) > x ? y : y) is > -1.125f and < 0.25f ? x : y)));
                return MathF.Sin(x) + 0.5f * v;
            }

            [Differentiable]
            public static T Switches<T>(int n, T x, T y) where T : IFloatingPointIeee754<T>
            {
                T w = T.Cos(y) * x + ((x * x > T.CreateChecked(0.25) ? y : x) switch { var dx when dx > T.CreateChecked(0.5) => x, var seed when seed < -T.CreateChecked(0.75) => y * T.CreateChecked(1.5), _ => x + y })
                    * ((x * x > T.CreateChecked(0.25) ? y : x) switch { var _result when _result > T.CreateChecked(0.5) => x, var _tape when _tape < -T.CreateChecked(0.75) => y * T.CreateChecked(1.5), _ => x + y });
                return w;
            }

            [Differentiable]
            public static double SwitchesD(int n, double x, double y)
            {
                double w = Math.Cos(y) * x + ((x * x > 0.25 ? y : x) switch { > 0.5 => x, < -0.75 => y * 1.5, _ => x + y })
                    * ((x * x > 0.25 ? y : x) switch { > 0.5 => x, < -0.75 => y * 1.5, _ => x + y });
                return w;
            }

            [Differentiable]
            public static float SwitchesF(int n, float x, float y)
            {
                float w = MathF.Cos(y) * x + ((x * x > 0.25f ? y : x) switch { > 0.5f => x, < -0.75f => y * 1.5f, _ => x + y })
                    * ((x * x > 0.25f ? y : x) switch { > 0.5f => x, < -0.75f => y * 1.5f, _ => x + y });
                return w;
            }

            [Differentiable]
            public static T Loop<T>(int n, T x, T y) where T : IFloatingPointIeee754<T>
            {
                var t = new T[3];
                for (int i = 0; i < t.Length; i++)
                {
                    t[i] = x * T.CreateChecked(i + 1) - y;
                }

                T r = T.Zero;
                for (int i = 0; i < n; i++)
                {
                    r += T.Sin(x) * T.CreateChecked(0.25) + ((t[i] * y is var _t0 && (_t0 > -T.CreateChecked(0.5) && _t0 < T.CreateChecked(0.75))) ? x : t[i]) * ((t[i] * y is var _t1 && (_t1 > -T.CreateChecked(0.5) && _t1 < T.CreateChecked(0.75))) ? x : t[i]);
                }

                return r;
            }

            [Differentiable]
            public static double LoopD(int n, double x, double y)
            {
                var t = new double[3];
                for (int i = 0; i < t.Length; i++)
                {
                    t[i] = x * (i + 1) - y;
                }

                double r = 0.0;
                for (int i = 0; i < n; i++)
                {
                    r += Math.Sin(x) * 0.25 + (t[i] * y is > -0.5 and < 0.75 ? x : t[i]) * (t[i] * y is > -0.5 and < 0.75 ? x : t[i]);
                }

                return r;
            }

            [Differentiable]
            public static float LoopF(int n, float x, float y)
            {
                var t = new float[3];
                for (int i = 0; i < t.Length; i++)
                {
                    t[i] = x * (i + 1) - y;
                }

                float r = 0f;
                for (int i = 0; i < n; i++)
                {
                    r += MathF.Sin(x) * 0.25f + (t[i] * y is > -0.5f and < 0.75f ? x : t[i]) * (t[i] * y is > -0.5f and < 0.75f ? x : t[i]);
                }

                return r;
            }

            [Differentiable]
            private static T Square<T>(T s, T x, T y) where T : IFloatingPointIeee754<T> =>
                T.Exp(x) * y + ((s * s is var first && first > T.CreateChecked(0.25)) ? x : y) * ((s * s is var second && second > T.CreateChecked(0.25)) ? x : y);

            [Differentiable]
            private static double SquareD(double s, double x, double y) => Math.Exp(x) * y + (s * s is > 0.25 ? x : y) * (s * s is > 0.25 ? x : y);

            [Differentiable]
            private static float SquareF(float s, float x, float y) => MathF.Exp(x) * y + (s * s is > 0.25f ? x : y) * (s * s is > 0.25f ? x : y);

            [Differentiable]
            public static T Callee<T>(int n, T x, T y) where T : IFloatingPointIeee754<T> => x * y + Square(x - y, x, y) + Square<T>(y, y, x);

            [Differentiable]
            public static double CalleeD(int n, double x, double y) => x * y + SquareD(x - y, x, y) + SquareD(y, y, x);

            [Differentiable]
            public static float CalleeF(int n, float x, float y) => x * y + SquareF(x - y, x, y) + SquareF(y, y, x);

            [Differentiable]
            public static T Statements<T>(int n, T x, T y) where T : IFloatingPointIeee754<T>
            {
                T p = (x - y is var first && first < T.CreateChecked(0.125)) ? x : y;
                T q = ((x - y is var second && second < T.CreateChecked(0.125)) ? x * y : y) * ((x - y is var third && third < T.CreateChecked(0.125)) ? x * y : y);
                return T.Atan(x) * y + p + q;
            }

            [Differentiable]
            public static double StatementsD(int n, double x, double y)
            {
                double p = x - y is < 0.125 ? x : y;
                double q = (x - y is < 0.125 ? x * y : y) * (x - y < 0.125 ? x * y : y);
                return Math.Atan(x) * y + p + q;
            }

            [Differentiable]
            public static float StatementsF(int n, float x, float y)
            {
                float p = x - y is < 0.125f ? x : y;
                float q = (x - y is < 0.125f ? x * y : y) * (x - y < 0.125f ? x * y : y);
                return MathF.Atan(x) * y + p + q;
            }

            [Differentiable]
            public static T WrittenLater<T>(int n, T x, T y) where T : IFloatingPointIeee754<T>
            {
                T p = ((x * y is var first && first > T.CreateChecked(0.25)) ? x : y) * ((x * y is var second && second > T.CreateChecked(0.25)) ? x : y);
                if (second < T.Zero)
                {
                    second = second * x;
                }

                return p + second;
            }

            [Differentiable]
            public static T WrittenBetween<T>(int n, T x, T y) where T : IFloatingPointIeee754<T>
            {
                T p = (x * y is var first && first > T.CreateChecked(0.25)) ? x : y;
                x = x * T.CreateChecked(1.5);
                T q = (x * y is var second && second > T.CreateChecked(0.25)) ? x : y;
                return p * q + first * second;
            }

            [Differentiable]
            private static T Twice<T>(T v) where T : IFloatingPointIeee754<T> => v + v;

            [Differentiable]
            public static T CallsUser<T>(int n, T x, T y) where T : IFloatingPointIeee754<T> =>
                ((Twice(x) + y is var first && first > T.Zero) ? x : y) * ((Twice(x) + y is var second && second > T.Zero) ? x : y);
        }
        """;

    private static readonly Lazy<(GeneratorOutput Output, Type Type)> s_batch = new(() =>
    {
        var output = GeneratorHarness.Run(Source);
        GeneratorHarness.AssertClean(output);
        return (output, GeneratorHarness.Load(output.OutputCompilation).GetType("Session25GenericTwin.C")!);
    });

    private static IEnumerable<double> Grid => Enumerable.Range(0, 9).Select(k => -1.5 + 0.37 * k + 0.0123);

    [Fact]
    public void P12s_second_binding_is_read_as_the_first_and_the_square_is_one_term()
    {
        var text = s_batch.Value.Output.Source("Session25GenericTwin.C.Minimal.g.cs");
        Assert.DoesNotContain("second", text, StringComparison.Ordinal);
        Assert.Contains("first", text, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Minimal", 0)]
    [InlineData("Switches", 0)]
    [InlineData("Loop", 3)]
    [InlineData("Loop", 0)]
    [InlineData("Loop", 4)]
    [InlineData("Callee", 0)]
    [InlineData("Statements", 0)]
    public void Generic_method_is_the_double_and_float_methods_bit_for_bit(string name, int n)
    {
        var type = s_batch.Value.Type;
        foreach (var x in Grid)
        {
            foreach (var y in Grid)
            {
                var d = Run(type, name + "D", null, n, x, y);
                var g = Run(type, name, typeof(double), n, x, y);
                Assert.True(d.Text == g.Text, $"{name}({n}, {x:R}, {y:R}) at double: double method {d.Text}; generic {g.Text}");
                var f = Run(type, name + "F", null, n, (float)x, (float)y);
                var h = Run(type, name, typeof(float), n, (float)x, (float)y);
                Assert.True(f.Text == h.Text, $"{name}({n}, {(float)x:R}, {(float)y:R}) at float: float method {f.Text}; generic {h.Text}");
            }
        }
    }

    [Theory]
    [InlineData("Minimal", 0)]
    [InlineData("Switches", 0)]
    [InlineData("Loop", 3)]
    [InlineData("Callee", 0)]
    [InlineData("Statements", 0)]
    [InlineData("WrittenLater", 0)]
    [InlineData("WrittenBetween", 0)]
    [InlineData("CallsUser", 0)]
    public void Generic_gradient_matches_central_differences(string name, int n)
    {
        var type = s_batch.Value.Type;
        var (compared, kinks) = (0, 0);
        var primal = Primal(type, name, n);
        foreach (var x in Grid)
        {
            foreach (var y in Grid)
            {
                var backward = Run(type, name, typeof(double), n, x, y);
                for (var k = 0; k < 2; k++)
                {
                    double At(double h) => (primal(k == 0 ? x + h : x, k == 1 ? y + h : y) - primal(k == 0 ? x - h : x, k == 1 ? y - h : y)) / (2 * h);
                    var (coarse, fine) = (At(1e-5), At(1e-6));
                    if (Math.Abs(coarse - fine) > 1e-5 * Math.Max(1, Math.Abs(fine)))
                    {
                        // A branch boundary within the steps: no derivative to compare.
                        kinks++;
                        continue;
                    }

                    var adjoint = (k == 0 ? backward.Dx : backward.Dy) / 0.75;
                    Assert.True(Math.Abs(adjoint - fine) <= 1e-6 * Math.Max(1, Math.Abs(fine)), $"{name} at ({x:R}, {y:R}), partial {k}: Backward {adjoint:R}, central differences {fine:R}");
                    compared++;
                }
            }
        }

        Assert.True(kinks <= compared / 10, $"{name}: {kinks} kinks for {compared} comparisons");
    }

    [Theory]
    [InlineData("WrittenLater", "second")]
    [InlineData("WrittenBetween", "second")]
    [InlineData("CallsUser", "second")]
    public void Variables_that_may_differ_stay_two(string name, string variable)
    {
        var text = s_batch.Value.Output.Source("Session25GenericTwin.C." + name + ".g.cs");
        Assert.Contains("T " + variable + " = T.Zero;", text, StringComparison.Ordinal);
    }

    private static Func<double, double, double> Primal(Type type, string name, int n)
    {
        var method = type.GetMethods().Single(m => m.Name == name && m.GetParameters().Length == 3 && m.GetParameters()[1].ParameterType != typeof(StaticGrad.Tensor)).MakeGenericMethod(typeof(double));
        return (x, y) => (double)method.Invoke(null, new object[] { n, x, y })!;
    }

    /// <summary>The primal's value, Backward's value and adjoints at seed 0.75, or the exception each throws, as text.</summary>
    private static (string Text, double Dx, double Dy) Run<T>(Type type, string name, Type? generic, int n, T x, T y)
        where T : struct
    {
        var primal = type.GetMethods().Single(m => m.Name == name && m.GetParameters().Length == 3 && m.GetParameters()[1].ParameterType != typeof(StaticGrad.Tensor));
        var backward = type.GetMethods().Single(m => m.Name == name + "Backward" && m.GetParameters().Length == 6 && m.GetParameters()[1].ParameterType != typeof(StaticGrad.Tensor));
        if (generic is not null)
        {
            primal = primal.MakeGenericMethod(generic);
            backward = backward.MakeGenericMethod(generic);
        }

        var seed = typeof(T) == typeof(float) ? (object)0.75f : 0.75;
        var arguments = new object[] { n, x, y, default(T), default(T), seed };
        var value = Outcome(primal, new object[] { n, x, y });
        var backwardValue = Outcome(backward, arguments);
        var (dx, dy) = (Convert.ToDouble(arguments[3]), Convert.ToDouble(arguments[4]));
        return ($"value {value}, Backward {backwardValue}, adjoints {dx:R}, {dy:R}", dx, dy);
    }

    private static string Outcome(MethodInfo method, object[] arguments)
    {
        try
        {
            return Convert.ToDouble(method.Invoke(null, arguments)).ToString("R", System.Globalization.CultureInfo.InvariantCulture);
        }
        catch (TargetInvocationException e)
        {
            return e.InnerException!.GetType().Name;
        }
    }
}

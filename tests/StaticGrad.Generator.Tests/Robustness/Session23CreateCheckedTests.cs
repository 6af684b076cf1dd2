using StaticGrad.Generator.Tests.Infrastructure;

namespace StaticGrad.Generator.Tests.Robustness;

/// <summary>
/// <c>T.CreateChecked</c> (Saturating, Truncating) of a compile-time constant is that constant at T, printed once
/// (<c>T.CreateChecked(1.6799999475479126)</c>, not wrapped twice) and folded like the double method's literal: batch
/// 20262905 P16's generic twin was one ulp off the float program because the power-products rule did not see the
/// constant. Each generic method here is compared at float with a float method written as its user would, bit for bit
/// (value, Backward's value and gradient at seed 0.75), and at double with the double method. A double literal
/// converted to float rounds once (<c>T.CreateChecked(1.68)</c> at float is <c>(float)1.68</c>); a long beyond 2^53
/// keeps the conversion: 2^60 + 2^36 + 1 through double would round to 2^60 at float, directly it is 2^60 + 2^37.
/// </summary>
public sealed class Session23CreateCheckedTests
{
    private const string Source = """
        using System;
        using System.Numerics;
        using StaticGrad;

        namespace Session23CreateChecked;

        public static partial class C
        {
            [Differentiable]
            public static T P16<T>(T m) where T : IFloatingPointIeee754<T> => T.Cbrt(T.One + T.CreateChecked(1.68f) * m * (T.CreateChecked(1.68f) * m));

            [Differentiable]
            public static float P16F(float m) => MathF.Cbrt(1f + 1.68f * m * (1.68f * m));

            [Differentiable]
            public static double P16D(double m) => Math.Cbrt(1.0 + (double)1.68f * m * ((double)1.68f * m));

            [Differentiable]
            public static T DoubleLiteral<T>(T m) where T : IFloatingPointIeee754<T> => T.CreateSaturating(1.68) * m * m + T.CreateTruncating(1.0 / 3.0) * m;

            [Differentiable]
            public static float DoubleLiteralF(float m) => (float)1.68 * m * m + (float)(1.0 / 3.0) * m;

            [Differentiable]
            public static double DoubleLiteralD(double m) => 1.68 * m * m + 1.0 / 3.0 * m;

            [Differentiable]
            public static T BigLong<T>(T m) where T : IFloatingPointIeee754<T> => T.CreateChecked(1152921573326323713L) * m + T.CreateChecked(3) * m * m;

            [Differentiable]
            public static float BigLongF(float m) => (float)1152921573326323713L * m + 3f * m * m;

            [Differentiable]
            public static double BigLongD(double m) => (double)1152921573326323713L * m + 3.0 * m * m;
        }
        """;

    private static readonly Lazy<(GeneratorOutput Output, Type Type)> s_batch = new(() =>
    {
        var output = GeneratorHarness.Run(Source);
        GeneratorHarness.AssertClean(output);
        return (output, GeneratorHarness.Load(output.OutputCompilation).GetType("Session23CreateChecked.C")!);
    });

    [Fact]
    public void A_constant_is_printed_once_as_the_constant()
    {
        var text = s_batch.Value.Output.Source("Session23CreateChecked.C.P16.g.cs");
        Assert.DoesNotContain("T.CreateChecked(T.CreateChecked(", text, StringComparison.Ordinal);
        Assert.Contains("T.CreateChecked(1.6799999475479126)", text, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("P16")]
    [InlineData("DoubleLiteral")]
    [InlineData("BigLong")]
    public void Generic_method_is_the_float_and_double_methods_bit_for_bit(string name)
    {
        var type = s_batch.Value.Type;
        foreach (var m in new[] { -1.3, -0.4, 0.05, 0.7, 2.5 })
        {
            var (fv, fb, fg) = Run<float>(type, name + "F", null, (float)m);
            var (gv, gb, gg) = Run<float>(type, name, typeof(float), (float)m);
            Assert.True(fv.Equals(gv) && fb.Equals(gb) && fg.Equals(gg), $"{name} at float {m}: generic {gv:R}, {gb:R}, {gg:R}; float method {fv:R}, {fb:R}, {fg:R}");
            var (dv, db, dg) = Run<double>(type, name + "D", null, m);
            var (hv, hb, hg) = Run<double>(type, name, typeof(double), m);
            Assert.True(dv.Equals(hv) && db.Equals(hb) && dg.Equals(hg), $"{name} at double {m}: generic {hv:R}, {hb:R}, {hg:R}; double method {dv:R}, {db:R}, {dg:R}");
        }
    }

    private static (T Value, T BackwardValue, T Gradient) Run<T>(Type type, string name, Type? generic, T m)
        where T : struct
    {
        var primal = type.GetMethods().Single(x => x.Name == name && x.GetParameters().Length == 1 && x.GetParameters()[0].ParameterType != typeof(StaticGrad.Tensor));
        var backward = type.GetMethods().Single(x => x.Name == name + "Backward" && x.GetParameters().Length == 3);
        if (generic is not null)
        {
            primal = primal.MakeGenericMethod(generic);
            backward = backward.MakeGenericMethod(generic);
        }

        var seed = typeof(T) == typeof(float) ? (object)0.75f : 0.75;
        var arguments = new object[] { m, default(T), seed };
        var value = (T)primal.Invoke(null, new object[] { m })!;
        var backwardValue = (T)backward.Invoke(null, arguments)!;
        return (value, backwardValue, (T)arguments[1]);
    }
}

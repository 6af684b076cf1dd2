using StaticGrad.Generator.Tests.Correctness.Harness;

namespace StaticGrad.Generator.Tests.Robustness;

/// <summary>
/// Session 24: random batch 20263101's P158, a NaN gradient where the derivative is finite. A statement that runs once
/// per reversal calls a scalar callee's backward with seed 1 in the forward sweep and saves its partials
/// (<c>ReverseModeTransformer.CalleePartials</c>); the reverse multiplies them by the call's adjoint. P158's helper H6
/// grows its local past 1e308 (v += v·v/4, twelve times), so its partial under seed 1 is ∞; the next callee (Horner) is
/// a saturated Tanh whose partial is exactly 0, so the adjoint reaching H6 is 0 and 0 · ∞ gave NaN. The derivative is
/// 0 on that path (sech² of a value past 1e308 times anything the chain can reach), and PyTorch, whose backward only
/// ever carries the seeded adjoint (0 · each finite local factor), gives the finite gradient. The fix: a non-finite
/// saved partial sends the reverse to the callee's backward seeded with the adjoint (the code without saved partials).
/// In forward mode H6's tangent is ∞ itself (its true value is past 1e308), and Horner's Tanh tangent ∞ · 0 was NaN: at an
/// argument past the range Tanh's tangent is now 0 (<c>TangentTransformer.SaturatedTanh</c>), so the Tangent agrees too.
/// Checks: central differences, h = 1e-6·max(1, |x|) in double, 1e-3·max(1, |x|) in float; |g − fd| ≤ 1e-6·max(1, |fd|)
/// in double, 2e-3·max(1, |fd|) in float. ONE compilation.
/// </summary>
public sealed class Session24NanGradientTests
{
    private const string Source = """
        using System;
        using StaticGrad;

        namespace Nan24;

        public static partial class N
        {
            // P158's H6 cut down: past 1e308 from u = 1.2 on (at u = 1 the value is 2.4e283 and the partial 3.0e286).
            [Differentiable]
            public static double Grow(double u)
            {
                var v = u;
                for (var k = 0; k < 12; k++)
                {
                    v += v * v * 0.5;
                }

                return v;
            }

            // P158's Horner cut down: a Tanh that saturates, so its partial is exactly 0 at a large argument.
            [Differentiable]
            public static double Squash(double z)
            {
                var t = Math.Tanh(z);
                return Math.Exp(-t * t) * (0.5 * t + 0.25);
            }

            // The minimal P158: ∂/∂x = 0.5 where Grow overflows (the Squash path is flat), NaN before session 24.
            [Differentiable]
            public static double Minimal(double x) => (x * 0.5) + Squash(Grow(x));

            // Float: past 3.4e38 from u = 1.7 on; at 1.5 the value (4.8e35) is finite and the partial is not.
            [Differentiable]
            public static float GrowF(float u)
            {
                var v = u;
                for (var k = 0; k < 8; k++)
                {
                    v += v * v * 0.5f;
                }

                return v;
            }

            [Differentiable]
            public static float SquashF(float z) => MathF.Tanh(z) * 0.5f;

            [Differentiable]
            public static float MinimalF(float x) => (x * 0.5f) + SquashF(GrowF(x));

            // A non-zero adjoint under an overflowing partial: exp(1e9·x) at x = 7e-7 is 1e304 and its partial 1e313
            // = ∞ under seed 1, while 1e-20 · (the partial) is 1e293, the seeded backward's value.
            [Differentiable]
            public static double Steep(double u) => Math.Exp(1e9 * u);

            [Differentiable]
            public static double ScaledSteep(double x) => 1e-20 * Steep(x);

            // Two inputs, one partial ∞ and one finite: the fallback's one backward call pays both. Its reverse is the
            // reverse sweep (two inputs), whose seeded backward is finite only where the local overflows on the last
            // step (u = 1.044..1.298): from u = 1.3 on a factor 1 + v is ∞ itself and 0 · ∞ is NaN, as in PyTorch.
            [Differentiable]
            public static double GrowPair(double u, double w)
            {
                var v = u;
                for (var k = 0; k < 12; k++)
                {
                    v += v * v * 0.5;
                }

                return v + (3.0 * w);
            }

            [Differentiable]
            public static double Pair(double x, double y) => (x * y) + Squash(GrowPair(x, y)) + (y * 0.25);

            // Inside a helper called from a [Differentiable] method.
            [Differentiable]
            public static double Inner(double x) => Squash(Grow(x)) + (x * x);

            [Differentiable]
            public static double Outer(double x) => 2.0 * Inner(x) + Math.Sin(x);

            // In a loop (a reduction over an array: the loop's own reverse, fused or not).
            [Differentiable]
            public static double InLoop(double[] a)
            {
                var s = 0.0;
                for (var i = 0; i < a.Length; i++)
                {
                    s += Squash(Grow(a[i])) + (a[i] * 0.5);
                }

                return s;
            }

            // Early return, and an element the user's code reads out of range (k = 3 on two elements throws).
            [Differentiable]
            public static double EarlyReturn(double x, [NoGrad] double[] a, int k)
            {
                var y = Squash(Grow(x + a[k]));
                if (x > 1.5)
                {
                    return y + x;
                }

                return y + (x * x);
            }

            // A callee whose loop may run zero times (n = 0: Grow is the identity and nothing overflows).
            [Differentiable]
            public static double GrowN(double u, int n)
            {
                var v = u;
                for (var k = 0; k < n; k++)
                {
                    v += v * v * 0.5;
                }

                return v;
            }

            [Differentiable]
            public static double ZeroTrip(double x, int n) => Squash(GrowN(x, n)) + x;

            // Nested loops in the callee (P158's H6: while over k, for over i).
            [Differentiable]
            public static double GrowNested(double u)
            {
                var v = u;
                var k = 0;
                while (k < 3)
                {
                    k++;
                    for (var i = 0; i < 4; i++)
                    {
                        v += v * v * 0.5;
                    }
                }

                return v;
            }

            [Differentiable]
            public static double Nested(double x) => Squash(GrowNested(x)) - (x * 0.25);

            // The user's names are the generated ones (hygiene): _c, _dc, _t0, seed, dx, _result.
            [Differentiable]
            public static double Hygiene(double seed, double dx)
            {
                var _c = Grow(seed);
                var _dc = Squash(_c);
                var _t0 = _dc + (dx * seed);
                var _result = _t0;
                return _result;
            }
        }
        """;

    private static readonly IReadOnlyList<MethodUnderTest> s_methods = MethodUnderTest.ReadAll(Source);

    private static readonly Lazy<CompiledBatch> s_batch = new(() => CompiledBatch.Compile(new[] { Source }, s_methods));

    private static Type Cases
    {
        get
        {
            var batch = s_batch.Value;
            Assert.True(batch.Output is not null, string.Join("\n", batch.Failures.Select(f => f.Key + ": " + f.Value)));
            return batch.Output!.Value.Assembly.GetType("Nan24.N")!;
        }
    }

    public static TheoryData<string, double[]> ScalarPoints() => new()
    {
        // x: a point where Grow overflows (1.3, 1.6, 1.9), one where it does not (0.5), and P158's own kind of point.
        { "Minimal", new[] { 1.3 } },
        { "Minimal", new[] { 1.6 } },
        { "Minimal", new[] { 1.9 } },
        { "Minimal", new[] { 0.5 } },
        { "MinimalF", new[] { 1.8 } },
        { "MinimalF", new[] { 2.0 } },
        { "MinimalF", new[] { 1.5 } },
        { "MinimalF", new[] { 0.5 } },
        { "Pair", new[] { 1.15, 0.7 } },
        { "Pair", new[] { 1.25, -0.2 } },
        { "Pair", new[] { 0.4, -0.3 } },
        { "Outer", new[] { 1.7 } },
        { "Outer", new[] { 0.3 } },
        { "Nested", new[] { 1.4 } },
        { "Nested", new[] { 0.2 } },
        { "Hygiene", new[] { 1.5, 0.8 } },
        { "Hygiene", new[] { 0.6, -0.8 } },
    };

    /// <summary>The gradient against central differences: finite where the derivative is (the point of session 24).</summary>
    [Theory]
    [MemberData(nameof(ScalarPoints))]
    public void Gradient_is_finite_and_matches_central_differences(string name, double[] point)
    {
        var isFloat = name.EndsWith('F');
        var gradient = Backward(name, point, Array.Empty<object>(), 1.0, out var value);
        Assert.Equal(Primal(name, point, Array.Empty<object>()), value);
        for (var i = 0; i < point.Length; i++)
        {
            var fd = Central(x => Primal(name, x, Array.Empty<object>()), point, i, isFloat);
            Assert.True(double.IsFinite(gradient[i]), $"{name} at ({string.Join(", ", point)}): ∂/∂x{i} = {gradient[i]}, central differences {fd}\n{s_batch.Value.GeneratedSource["N." + name]}");
            AssertClose(fd, gradient[i], isFloat, $"{name} ∂/∂x{i} at ({string.Join(", ", point)})");
        }
    }

    /// <summary>The fallback carries the adjoint: 1e-20 · ∂Steep is 1e293 where Steep's partial under seed 1 is ∞.</summary>
    [Fact]
    public void A_non_zero_adjoint_under_an_overflowing_partial_gives_the_seeded_derivative()
    {
        const double x = 7e-7;
        var gradient = Backward("ScaledSteep", new[] { x }, Array.Empty<object>(), 1.0, out _);
        var expected = 1e-20 * 1e9 * Math.Exp(1e9 * x);
        Assert.True(double.IsFinite(expected) && expected > 1e290, expected.ToString(System.Globalization.CultureInfo.InvariantCulture));
        AssertClose(expected, gradient[0], isFloat: false, "ScaledSteep");

        // Seeds scale it (accumulation contract), and a zero seed adds exactly zero.
        AssertClose(expected * -2.5, Backward("ScaledSteep", new[] { x }, Array.Empty<object>(), -2.5, out _)[0], isFloat: false, "ScaledSteep seed −2.5");
        Assert.Equal(0.0, Backward("ScaledSteep", new[] { x }, Array.Empty<object>(), 0.0, out _)[0]);
    }

    /// <summary>In a loop over an array: every element's partial, at elements that overflow and elements that do not.</summary>
    [Fact]
    public void In_a_loop_each_element_gets_its_derivative()
    {
        var a = new[] { 1.6, 0.3, 1.25, -0.4 };
        Assert.True(s_batch.Value.Loaded.TryGetValue("N.InLoop", out var loaded), s_batch.Value.Failures.GetValueOrDefault("N.InLoop"));
        var da = new double[a.Length];
        var value = loaded!.Backward(new[] { (double[])a.Clone() }, new[] { da }, 1.0);
        Assert.Equal(loaded.Primal(new[] { (double[])a.Clone() }), value);
        for (var i = 0; i < a.Length; i++)
        {
            var fd = Central(x => loaded.Primal(new[] { x }), a, i, isFloat: false);
            AssertClose(fd, da[i], isFloat: false, $"InLoop ∂/∂a[{i}]");
        }
    }

    /// <summary>Early return on both paths, and the user's IndexOutOfRangeException still thrown by the backward.</summary>
    [Fact]
    public void Early_return_and_the_users_exception()
    {
        var a = new[] { 0.0, 0.2 };
        foreach (var x in new[] { 1.6, 1.3, 0.4 })
        {
            var gradient = Backward("EarlyReturn", new[] { x }, new object[] { a, 1 }, 1.0, out _);
            var fd = Central(p => Primal("EarlyReturn", p, new object[] { a, 1 }), new[] { x }, 0, isFloat: false);
            AssertClose(fd, gradient[0], isFloat: false, $"EarlyReturn at {x}");
        }

        Assert.Throws<IndexOutOfRangeException>(() => Primal("EarlyReturn", new[] { 1.6 }, new object[] { a, 3 }));
        Assert.Throws<IndexOutOfRangeException>(() => Backward("EarlyReturn", new[] { 1.6 }, new object[] { a, 3 }, 1.0, out _));
    }

    /// <summary>A callee whose loop runs zero times (nothing overflows) or twelve times (it does).</summary>
    [Fact]
    public void Zero_trip_and_overflowing_trips()
    {
        foreach (var (x, n) in new[] { (1.6, 0), (0.4, 0), (1.6, 12), (0.4, 12) })
        {
            var gradient = Backward("ZeroTrip", new[] { x }, new object[] { n }, 1.0, out _);
            var fd = Central(p => Primal("ZeroTrip", p, new object[] { n }), new[] { x }, 0, isFloat: false);
            AssertClose(fd, gradient[0], isFloat: false, $"ZeroTrip at ({x}, {n})");
        }
    }

    /// <summary>The generated reverse tests the saved partials and calls the seeded backward when one is not finite.</summary>
    [Fact]
    public void The_reverse_falls_back_to_the_seeded_backward()
    {
        var generated = s_batch.Value.GeneratedSource["N.Minimal"];
        Assert.Contains("double.IsFinite(", generated, StringComparison.Ordinal);
        Assert.Contains("GrowBackward(x, ref ", generated, StringComparison.Ordinal);
        Assert.Contains("float.IsFinite(", s_batch.Value.GeneratedSource["N.MinimalF"], StringComparison.Ordinal);
        Assert.Empty(s_batch.Value.GeneratorDiagnostics.Values.SelectMany(d => d).Where(d => d.Severity >= Microsoft.CodeAnalysis.DiagnosticSeverity.Warning).Select(d => d.ToString()));
    }

    /// <summary>
    /// The Tangent against central differences, where Grow's value and tangent pass the range (Tanh's tangent at an
    /// argument of ±∞ is 0) and where they do not.
    /// </summary>
    [Theory]
    [InlineData("Minimal", 1.3)]
    [InlineData("Minimal", 1.9)]
    [InlineData("Minimal", 0.5)]
    [InlineData("MinimalF", 1.8)]
    [InlineData("MinimalF", 0.5)]
    [InlineData("Outer", 1.7)]
    [InlineData("Outer", 0.3)]
    [InlineData("Nested", 1.4)]
    [InlineData("Nested", 0.2)]
    public void Tangent_matches_central_differences(string name, double x)
    {
        var isFloat = name.EndsWith('F');
        var tangent = Cases.GetMethods().Single(m => m.Name == name + "Tangent" && m.GetParameters().Length == 2);
        var t = isFloat
            ? ((float, float))tangent.Invoke(null, new object[] { (float)x, 1f })! is var (_, tf) ? tf : 0
            : ((double, double))tangent.Invoke(null, new object[] { x, 1.0 })! is var (_, td) ? td : 0;
        var fd = Central(p => Primal(name, p, Array.Empty<object>()), new[] { x }, 0, isFloat);
        Assert.True(double.IsFinite(t), $"{name} Tangent at {x} = {t}\n{s_batch.Value.GeneratedSource["N." + name]}");
        AssertClose(fd, t, isFloat, name + " Tangent");
    }

    private static LoadedMethod Loaded(string name)
    {
        Assert.True(s_batch.Value.Loaded.TryGetValue("N." + name, out var loaded), s_batch.Value.Failures.GetValueOrDefault("N." + name));
        return loaded!;
    }

    /// <summary>The adapters' arguments: each differentiable scalar, then <paramref name="rest"/> (arrays as they are, an int as itself).</summary>
    private static double[][] Arguments(double[] point, object[] rest) =>
        point.Select(p => new[] { p }).Concat(rest.Select(r => r is double[] array ? (double[])array.Clone() : new[] { Convert.ToDouble(r, System.Globalization.CultureInfo.InvariantCulture) })).ToArray();

    private static double Primal(string name, double[] point, object[] rest) => Loaded(name).Primal(Arguments(point, rest));

    /// <summary>The generated backward through its adapter: the value, and the partials of the differentiable scalars.</summary>
    private static double[] Backward(string name, double[] point, object[] rest, double seed, out double value)
    {
        var arguments = Arguments(point, rest);
        var adjoints = arguments.Select(a => new double[a.Length]).ToArray();
        value = Loaded(name).Backward(arguments, adjoints, seed);
        return adjoints.Take(point.Length).Select(a => a[0]).ToArray();
    }

    private static double Central(Func<double[], double> f, double[] point, int index, bool isFloat)
    {
        var h = (isFloat ? 1e-3 : 1e-6) * Math.Max(1.0, Math.Abs(point[index]));
        var plus = (double[])point.Clone();
        var minus = (double[])point.Clone();
        plus[index] += h;
        minus[index] -= h;
        return (f(plus) - f(minus)) / (2 * h);
    }

    private static void AssertClose(double expected, double actual, bool isFloat, string what)
    {
        var tolerance = (isFloat ? 2e-3 : 1e-6) * Math.Max(1.0, Math.Abs(expected));
        Assert.True(Math.Abs(expected - actual) <= tolerance, $"{what}: {actual}, expected {expected} (tolerance {tolerance})");
    }
}

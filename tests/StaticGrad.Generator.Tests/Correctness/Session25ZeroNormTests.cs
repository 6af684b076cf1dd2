using System.Reflection;
using StaticGrad.Generator.Tests.Infrastructure;
using StaticGrad.Generator.Tests.Robustness;

namespace StaticGrad.Generator.Tests.Correctness;

/// <summary>
/// The System.Numerics norms at the zero vector (Compiler/Derivatives/NormRule): <c>Vector2/3/4.Length</c>,
/// <c>Distance(a, a)</c>, <c>Quaternion.Length</c>, <c>Complex.Abs</c> and <c>Magnitude</c> have the subgradient 0
/// there, as PyTorch's norm backward (its <c>norm_backward</c> masks a zero norm), where the chain rule through √
/// gave 0·∞ = NaN. Checked in the Backward, the Tangent and the Hessian (0 at a zero norm, as PyTorch's double
/// backward of the masked rule): exactly 0 at zero; x/‖x‖ next to zero (1e-150 components in double, 1e-18 in float:
/// relative 1e-12 and 1e-6); finite where the squares underflow (1e-300, float 1e-30: the norm the primal computes
/// is 0, so is the subgradient); central differences away from zero (double: step 1e-6, tolerance 1e-7·max(1, |fd|);
/// float: step 1e-2 in float arithmetic, tolerance 2e-3·max(1, |fd|), as the rule-table tests); in a loop summing
/// spring lengths with coincident ends, in a [Differentiable] callee. A hand-written <c>Math.Sqrt(x * x + y * y)</c>
/// keeps its NaN at 0, as torch.sqrt's backward. One compilation.
/// </summary>
public sealed class Session25ZeroNormTests
{
    private const string Source = """
        using System;
        using System.Numerics;
        using StaticGrad;

        namespace Session25ZeroNorm;

        public static partial class N
        {
            [Differentiable(Forward = true)]
            public static float Length2(float x, float y) => new Vector2(x, y).Length();

            [Differentiable(Forward = true)]
            public static float Length3(float x, float y, float z) => new Vector3(x, y, z).Length();

            [Differentiable]
            public static float Length4(float x, float y, float z, float w) => new Vector4(x, y, z, w).Length();

            [Differentiable]
            public static float Distance2(float ax, float ay, float bx, float by) => Vector2.Distance(new Vector2(ax, ay), new Vector2(bx, by));

            [Differentiable(Forward = true)]
            public static float Distance3(float ax, float ay, float az, float bx, float by, float bz) =>
                Vector3.Distance(new Vector3(ax, ay, az), new Vector3(bx, by, bz));

            [Differentiable]
            public static float Distance4(float ax, float ay, float az, float aw, float bx, float by, float bz, float bw) =>
                Vector4.Distance(new Vector4(ax, ay, az, aw), new Vector4(bx, by, bz, bw));

            [Differentiable]
            public static float QuaternionLength(float x, float y, float z, float w) => new Quaternion(x, y, z, w).Length();

            [Differentiable(Forward = true, Hessian = true)]
            public static double ComplexAbs(double re, double im) => Complex.Abs(new Complex(re, im));

            [Differentiable]
            public static double ComplexMagnitude(double re, double im) => new Complex(re, im).Magnitude;

            // Springs between consecutive points (x, y) with rest length `rest`: coincident ends are a zero distance.
            [Differentiable]
            public static float Springs(float[] xy, float rest)
            {
                var energy = 0f;
                for (var k = 0; k + 3 < xy.Length; k += 2)
                {
                    var d = Vector2.Distance(new Vector2(xy[k], xy[k + 1]), new Vector2(xy[k + 2], xy[k + 3]));
                    energy += ((d - rest) * (d - rest)) + d;
                }

                return energy;
            }

            [Differentiable]
            public static float Gap(Vector3 a, Vector3 b) => Vector3.Distance(a, b);

            // The callee's distance to (1, 2, 3): zero at that point.
            [Differentiable]
            public static float ViaCallee(float x, float y, float z) => 2f * Gap(new Vector3(x, y, z), new Vector3(1f, 2f, 3f));

            // Double parameters around a float distance: the Hessian of a Vector3 norm.
            [Differentiable(Hessian = true)]
            public static double DistanceHessian(double x, double y, double z) =>
                Vector3.Distance(new Vector3((float)x, (float)y, (float)z), new Vector3(1f, -2f, 0.5f));

            // The control: a square root the user wrote keeps sqrt's rule (NaN at 0, as torch.sqrt).
            [Differentiable]
            public static double HandWritten(double x, double y) => Math.Sqrt((x * x) + (y * y));

            public static float[] SpringsGradient(float[] xy, float rest)
            {
                var dXy = new float[xy.Length];
                float dRest = 0;
                SpringsBackward(xy, rest, dXy, ref dRest);
                return dXy;
            }

            public static double[] ComplexGradient(double[] p)
            {
                double dre = 0, dim = 0;
                ComplexAbsBackward(p[0], p[1], ref dre, ref dim);
                return new[] { dre, dim };
            }

            public static double[] ComplexHessianAt(double[] p)
            {
                var h = new double[4];
                ComplexAbsHessian(p[0], p[1], h);
                return h;
            }

            public static double[] DistanceHessianAt(double[] p)
            {
                var h = new double[9];
                DistanceHessianHessian(p[0], p[1], p[2], h);
                return h;
            }
        }
        """;

    /// <summary>Each method with a point where its norm is exactly zero (a Distance's two ends equal and not zero).</summary>
    public static TheoryData<string, double[]> ZeroPoints() => new()
    {
        { "Length2", new[] { 0.0, 0.0 } },
        { "Length3", new[] { 0.0, 0.0, 0.0 } },
        { "Length4", new[] { 0.0, 0.0, 0.0, 0.0 } },
        { "Distance2", new[] { 0.5, -1.5, 0.5, -1.5 } },
        { "Distance3", new[] { 0.25, 2.0, -3.0, 0.25, 2.0, -3.0 } },
        { "Distance4", new[] { 1.0, 2.0, 3.0, 4.0, 1.0, 2.0, 3.0, 4.0 } },
        { "QuaternionLength", new[] { 0.0, 0.0, 0.0, 0.0 } },
        { "ComplexAbs", new[] { 0.0, 0.0 } },
        { "ComplexMagnitude", new[] { 0.0, 0.0 } },
        { "ViaCallee", new[] { 1.0, 2.0, 3.0 } },
    };

    /// <summary>Away from zero, each method at a point with both signs.</summary>
    public static TheoryData<string, double[]> GenericPoints() => new()
    {
        { "Length2", new[] { 0.6, -0.8 } },
        { "Length3", new[] { 0.3, -1.2, 0.7 } },
        { "Length4", new[] { 0.3, -1.2, 0.7, 0.4 } },
        { "Distance2", new[] { 0.5, -1.5, -0.25, 0.75 } },
        { "Distance3", new[] { 0.25, 2.0, -3.0, -0.5, 1.0, -2.5 } },
        { "Distance4", new[] { 1.0, 2.0, 3.0, 4.0, 0.5, 2.5, 2.0, 4.5 } },
        { "QuaternionLength", new[] { 0.3, -1.2, 0.7, 0.4 } },
        { "ComplexAbs", new[] { 0.6, -0.8 } },
        { "ComplexMagnitude", new[] { -1.3, 0.4 } },
        { "ViaCallee", new[] { 0.5, 2.5, 2.0 } },
    };

    private static readonly Lazy<(Type Type, string Generated)> s_compiled = new(() =>
    {
        var output = GeneratorHarness.Run(Source);
        GeneratorHarness.AssertClean(output);
        var generated = string.Join("\n", output.Sources.Select(s => s.Source));
        return (GeneratorHarness.Load(output.OutputCompilation).GetType("Session25ZeroNorm.N")!, generated);
    });

    [Theory]
    [MemberData(nameof(ZeroPoints))]
    public void At_a_zero_norm_the_gradient_is_zero(string name, double[] point)
    {
        var (value, gradient) = Backward(name, point);
        Assert.Equal(0.0, value);
        Assert.All(gradient, g => Assert.True(g == 0.0, name + ": " + string.Join(", ", gradient)));
    }

    /// <summary>Next to zero the norm is not zero and the mask does not act: the gradient is x/‖x‖ (a Distance's a − b over it).</summary>
    [Theory]
    [InlineData("Length3", 1e-18)]
    [InlineData("Distance3", 1e-18)]
    [InlineData("Length2", 1e-18)]
    [InlineData("Length4", 1e-18)]
    [InlineData("QuaternionLength", 1e-18)]
    [InlineData("ComplexAbs", 1e-150)]
    [InlineData("ComplexMagnitude", 1e-150)]
    public void Next_to_zero_the_gradient_is_the_unit_vector(string name, double scale)
    {
        var isDistance = name.StartsWith("Distance", StringComparison.Ordinal);
        var components = name switch
        {
            "Length2" or "ComplexAbs" or "ComplexMagnitude" => 2,
            "Length3" or "Distance3" => 3,
            _ => 4,
        };
        var x = Enumerable.Range(0, components).Select(i => (i % 2 == 0 ? 1.0 : -2.0) * (i + 1) * scale).ToArray();
        var point = isDistance ? x.Concat(new double[components]).ToArray() : x;
        var isFloat = scale > 1e-30;
        if (isFloat)
        {
            x = x.Select(v => (double)(float)v).ToArray();
        }

        var norm = Math.Sqrt(x.Sum(v => (v / scale) * (v / scale))) * scale;
        var (_, gradient) = Backward(name, point);
        var tolerance = isFloat ? 1e-6 : 1e-12;
        for (var i = 0; i < components; i++)
        {
            var expected = x[i] / norm;
            Assert.True(Math.Abs(gradient[i] - expected) <= tolerance * Math.Abs(expected), $"{name} ∂/∂x{i}: {gradient[i]:R}, x/‖x‖ {expected:R}");
            if (isDistance)
            {
                Assert.True(Math.Abs(gradient[components + i] + expected) <= tolerance * Math.Abs(expected), $"{name} ∂/∂b{i}: {gradient[components + i]:R}, −x/‖x‖ {-expected:R}");
            }
        }
    }

    /// <summary>
    /// Where the squares underflow (1e-300 in double, 1e-30 in float) the norm the Backward computes is 0, as the primal
    /// expansion's (and System.Numerics' float Length); the subgradient is then 0: finite, no ∞ from g / (2·0).
    /// </summary>
    [Theory]
    [InlineData("Length3", 1e-30)]
    [InlineData("Distance3", 1e-30)]
    [InlineData("QuaternionLength", 1e-30)]
    [InlineData("ComplexAbs", 1e-300)]
    public void Where_the_squares_underflow_the_gradient_is_finite(string name, double scale)
    {
        var components = name == "ComplexAbs" ? 2 : name == "QuaternionLength" ? 4 : 3;
        var x = Enumerable.Range(0, components).Select(i => (i + 1) * scale).ToArray();
        var point = name == "Distance3" ? x.Concat(new double[components]).ToArray() : x;
        var (value, gradient) = Backward(name, point);
        Assert.Equal(0.0, value);
        Assert.All(gradient, g => Assert.True(g == 0.0, name + ": " + string.Join(", ", gradient)));
    }

    [Theory]
    [MemberData(nameof(GenericPoints))]
    public void Away_from_zero_the_gradient_matches_central_differences(string name, double[] point)
    {
        var (value, gradient) = Backward(name, point);
        var isFloat = Method(name).ReturnType == typeof(float);
        Assert.Equal(Primal(name, point), value);
        for (var i = 0; i < point.Length; i++)
        {
            var fd = CentralDifference(p => Primal(name, p), point, i, isFloat ? 1e-2 : 1e-6);
            var tolerance = isFloat ? 2e-3 : 1e-7;
            Assert.True(Math.Abs(gradient[i] - fd) <= tolerance * Math.Max(1, Math.Abs(fd)), $"{name} ∂/∂p{i} at ({string.Join(", ", point)}): {gradient[i]:R}, fd {fd:R}");
        }
    }

    /// <summary>A chain of springs with two coincident pairs: each zero distance contributes nothing, the others (2(d − rest) + 1)·(a − b)/d.</summary>
    [Fact]
    public void In_a_loop_zero_distances_contribute_zero()
    {
        var xy = new[] { 0.5f, 1f, 0.5f, 1f, 1.5f, -0.5f, 1.5f, -0.5f, 2f, 0.25f };
        const float rest = 0.75f;
        var dxy = (float[])Method("SpringsGradient").Invoke(null, new object[] { xy, rest })!;
        var expected = new double[xy.Length];
        for (var k = 0; k + 3 < xy.Length; k += 2)
        {
            double ux = xy[k] - xy[k + 2], uy = xy[k + 1] - xy[k + 3];
            var d = Math.Sqrt((ux * ux) + (uy * uy));
            if (d == 0)
            {
                continue;
            }

            var scale = ((2 * (d - rest)) + 1) / d;
            expected[k] += scale * ux;
            expected[k + 1] += scale * uy;
            expected[k + 2] -= scale * ux;
            expected[k + 3] -= scale * uy;
        }

        for (var i = 0; i < xy.Length; i++)
        {
            Assert.True(Math.Abs(dxy[i] - expected[i]) <= 1e-5 * Math.Max(1, Math.Abs(expected[i])), $"∂/∂xy[{i}]: {dxy[i]:R}, expected {expected[i]:R}");
        }
    }

    [Fact]
    public void In_a_loop_away_from_zero_the_gradient_matches_central_differences()
    {
        var xy = new[] { 0.5f, 1f, -0.25f, 1.5f, 1.5f, -0.5f, 0.75f, 0.5f };
        const float rest = 0.75f;
        var dxy = (float[])Method("SpringsGradient").Invoke(null, new object[] { xy, rest })!;
        float Energy(float[] p) => (float)Method("Springs").Invoke(null, new object[] { p, rest })!;
        for (var i = 0; i < xy.Length; i++)
        {
            var up = (float[])xy.Clone();
            var down = (float[])xy.Clone();
            up[i] += 1e-2f;
            down[i] -= 1e-2f;
            var fd = (Energy(up) - (double)Energy(down)) / (up[i] - (double)down[i]);
            Assert.True(Math.Abs(dxy[i] - fd) <= 2e-3 * Math.Max(1, Math.Abs(fd)), $"∂/∂xy[{i}]: {dxy[i]:R}, fd {fd:R}");
        }
    }

    /// <summary>The Tangent is the gradient along the direction: 0 at a zero norm, ∇f·v away from it.</summary>
    [Theory]
    [InlineData("Length2", true)]
    [InlineData("Length3", true)]
    [InlineData("Distance3", true)]
    [InlineData("ComplexAbs", true)]
    [InlineData("Length2", false)]
    [InlineData("Length3", false)]
    [InlineData("Distance3", false)]
    [InlineData("ComplexAbs", false)]
    public void Tangent_is_zero_at_zero_and_the_gradient_along_v_elsewhere(string name, bool atZero)
    {
        var point = (atZero ? ZeroPoints() : GenericPoints()).Select(row => ((string)row[0], (double[])row[1])).Single(r => r.Item1 == name).Item2;
        var direction = point.Select((_, i) => (i % 3) - 0.75).ToArray();
        var method = Method(name + "Tangent");
        var parameters = method.GetParameters();
        var args = point.Concat(direction).Select((v, i) => Convert.ChangeType(v, parameters[i].ParameterType, System.Globalization.CultureInfo.InvariantCulture)).ToArray();
        var result = method.Invoke(null, args)!;
        var tangent = Convert.ToDouble(result.GetType().GetField("Item2")!.GetValue(result), System.Globalization.CultureInfo.InvariantCulture);
        var (_, gradient) = Backward(name, point);
        var expected = gradient.Select((g, i) => g * Convert.ToDouble(args[point.Length + i], System.Globalization.CultureInfo.InvariantCulture)).Sum();
        if (atZero)
        {
            Assert.Equal(0.0, tangent);
        }
        else
        {
            var tolerance = method.ReturnType.GetGenericArguments()[0] == typeof(float) ? 1e-5 : 1e-12;
            Assert.True(Math.Abs(tangent - expected) <= tolerance * Math.Max(1, Math.Abs(expected)), $"{name}: tangent {tangent:R}, ∇f·v {expected:R}");
        }
    }

    /// <summary>
    /// The Hessian of a norm is undefined at zero; StaticGrad's is 0 there (the reverse of the masked tangent, as
    /// PyTorch's double backward of the masked norm), and (I − uuᵀ)/‖x‖ elsewhere, against central differences of the
    /// Backward's gradient (step 1e-5, tolerance 1e-5·max(1, |fd|)).
    /// </summary>
    [Fact]
    public void Hessian_is_zero_at_zero_and_matches_differences_of_the_gradient_elsewhere()
    {
        var type = s_compiled.Value.Type;
        double[] Call(string name, double[] p) => (double[])type.GetMethod(name)!.Invoke(null, new object[] { p })!;
        Assert.All(Call("ComplexHessianAt", new[] { 0.0, 0.0 }), h => Assert.Equal(0.0, h));
        Assert.All(Call("DistanceHessianAt", new[] { 1.0, -2.0, 0.5 }), h => Assert.Equal(0.0, h));
        foreach (var point in new[] { new[] { 0.6, -0.8 }, new[] { -1.3, 0.4 }, new[] { 1e-3, 2e-3 } })
        {
            var hessian = Call("ComplexHessianAt", point);
            // Next to zero (‖x‖ ≈ 2e-3) the Hessian is ≈ 1/‖x‖ and curves too fast for the step 1e-5: the exact form only.
            var problems = point[0] == 1e-3 ? new List<string>() : HessianProbeCheck.Problems(p => Call("ComplexGradient", p), point, hessian);
            var norm = Math.Sqrt((point[0] * point[0]) + (point[1] * point[1]));
            for (var i = 0; i < 2; i++)
            {
                for (var j = 0; j < 2; j++)
                {
                    var exact = ((i == j ? 1 : 0) - (point[i] * point[j] / (norm * norm))) / norm;
                    if (Math.Abs(hessian[(i * 2) + j] - exact) > 1e-10 * Math.Max(1, Math.Abs(exact)))
                    {
                        problems.Add($"H[{i},{j}] at ({point[0]}, {point[1]}) = {hessian[(i * 2) + j]:R}, (I − uuᵀ)/‖x‖ {exact:R}");
                    }
                }
            }

            Assert.True(problems.Count == 0, string.Join("\n", problems));
        }

        // The float distance's Hessian away from zero: finite and symmetric positive semidefinite along the radius (0 there).
        var far = Call("DistanceHessianAt", new[] { 0.25, 0.5, -1.0 });
        Assert.All(far, h => Assert.True(double.IsFinite(h)));
        var r = new[] { 0.25 - 1.0, 0.5 + 2.0, -1.0 - 0.5 };
        var radial = Enumerable.Range(0, 3).Sum(i => Enumerable.Range(0, 3).Sum(j => r[i] * far[(i * 3) + j] * r[j]));
        Assert.True(Math.Abs(radial) <= 1e-5 * r.Sum(v => v * v), "r·H·r = " + radial);
    }

    /// <summary>Math.Sqrt is not a norm: the user's own √(x² + y²) keeps sqrt's rule, NaN at 0 (0 · ∞), as torch.sqrt.</summary>
    [Fact]
    public void A_hand_written_square_root_keeps_its_NaN_at_zero()
    {
        var (value, gradient) = Backward("HandWritten", new[] { 0.0, 0.0 });
        Assert.Equal(0.0, value);
        Assert.All(gradient, g => Assert.True(double.IsNaN(g), "HandWritten: " + string.Join(", ", gradient)));
    }

    /// <summary>The mask is one compare and select per norm, on the square root's value, not one per component.</summary>
    [Fact]
    public void The_mask_is_one_select_per_norm()
    {
        var generated = s_compiled.Value.Generated;
        var start = generated.IndexOf("public static float Distance3Backward", StringComparison.Ordinal);
        Assert.True(start >= 0, generated);
        var end = generated.IndexOf("public static", start + 1, StringComparison.Ordinal);
        var body = end > start ? generated[start..end] : generated[start..];
        Assert.Equal(1, CountOf(body, "== 0f ? 0f :"));
        Assert.Equal(1, CountOf(body, "MathF.Sqrt("));
        var hand = generated[generated.IndexOf("public static double HandWrittenBackward", StringComparison.Ordinal)..];
        hand = hand[..hand.IndexOf("return", StringComparison.Ordinal)];
        Assert.DoesNotContain("== 0.0 ? 0.0", hand, StringComparison.Ordinal);
    }

    private static int CountOf(string text, string part)
    {
        var count = 0;
        for (var at = text.IndexOf(part, StringComparison.Ordinal); at >= 0; at = text.IndexOf(part, at + part.Length, StringComparison.Ordinal))
        {
            count++;
        }

        return count;
    }

    /// <summary>The method of that name over numbers and arrays (not the Tensor overload the project may add).</summary>
    private static MethodInfo Method(string name) =>
        s_compiled.Value.Type.GetMethods().Single(m => m.Name == name && m.GetParameters().All(p => p.ParameterType.IsByRef || (p.ParameterType.Namespace == "System" && !p.ParameterType.Name.StartsWith("Span", StringComparison.Ordinal))));

    private static double Primal(string name, double[] point)
    {
        var method = Method(name);
        var parameters = method.GetParameters();
        return Convert.ToDouble(method.Invoke(null, point.Select((v, i) => Convert.ChangeType(v, parameters[i].ParameterType, System.Globalization.CultureInfo.InvariantCulture)).ToArray()), System.Globalization.CultureInfo.InvariantCulture);
    }

    /// <summary>The Backward's value and partials at <paramref name="point"/> (scalar parameters, seed 1).</summary>
    private static (double Value, double[] Gradient) Backward(string name, double[] point)
    {
        var method = Method(name + "Backward");
        var parameters = method.GetParameters();
        var scalar = parameters[0].ParameterType;
        var args = new object[parameters.Length];
        for (var i = 0; i < point.Length; i++)
        {
            args[i] = Convert.ChangeType(point[i], scalar, System.Globalization.CultureInfo.InvariantCulture);
            args[point.Length + i] = Convert.ChangeType(0.0, scalar, System.Globalization.CultureInfo.InvariantCulture);
        }

        args[^1] = Convert.ChangeType(1.0, parameters[^1].ParameterType, System.Globalization.CultureInfo.InvariantCulture);
        var value = Convert.ToDouble(method.Invoke(null, args), System.Globalization.CultureInfo.InvariantCulture);
        return (value, Enumerable.Range(0, point.Length).Select(i => Convert.ToDouble(args[point.Length + i], System.Globalization.CultureInfo.InvariantCulture)).ToArray());
    }

    private static double CentralDifference(Func<double[], double> f, double[] point, int i, double h)
    {
        var up = (double[])point.Clone();
        var down = (double[])point.Clone();
        up[i] += h;
        down[i] -= h;
        return (f(up) - f(down)) / (2 * h);
    }
}

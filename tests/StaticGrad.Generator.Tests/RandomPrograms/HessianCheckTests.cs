using StaticGrad.Generator.Tests.Correctness.Harness;

namespace StaticGrad.Generator.Tests.RandomPrograms;

/// <summary>
/// <see cref="HessianCheck"/> can fail: on f(x, y) = x²·y + sin(x·y), with the gradient written by hand as the
/// "generated Backward", the exact H·v and dense Hessian pass, and a product, a returned ⟨∇f, v⟩ or a dense entry off by
/// 1e-3 is reported; with a "Detach" reference (y detached: f = x²·y₀ + sin(x·y₀), whose Hessian in x is 2·y₀ −
/// y₀²·sin(x·y₀)), the reference path reports a product computed without the detachment, for a double program through
/// its own reference and for a float one through its double twin's. No compilation: delegates only.
/// </summary>
public sealed class HessianCheckTests
{
    private static readonly MethodUnderTest FloatMethod = MethodUnderTest.ReadAll("""
        public static class S
        {
            // domain: x=-1..1 y=-1..1
            [Differentiable]
            public static float F(float x, float y) => 0;
        }
        """).Single();

    private static readonly MethodUnderTest Method = MethodUnderTest.ReadAll("""
        public static class S
        {
            // domain: x=-1..1 y=-1..1
            [Differentiable]
            public static double F(double x, double y) => 0;
        }
        """).Single();

    private static double[,] Hessian(double x, double y)
    {
        var (s, c) = (Math.Sin(x * y), Math.Cos(x * y));
        return new[,] { { 2 * y - y * y * s, 2 * x + c - x * y * s }, { 2 * x + c - x * y * s, -x * x * s } };
    }

    private static LoadedMethod Loaded(Func<double[][], double[][], double>? reference = null, MethodUnderTest? method = null)
    {
        var any = typeof(Math).GetMethod(nameof(Math.Sin))!;
        return new LoadedMethod(
            method ?? Method,
            p => p[0][0] * p[0][0] * p[1][0] + Math.Sin(p[0][0] * p[1][0]),
            (p, d, seed) =>
            {
                var (x, y) = (p[0][0], p[1][0]);
                d[0][0] += seed * (2 * x * y + y * Math.Cos(x * y));
                d[1][0] += seed * (x * x + x * Math.Cos(x * y));
                return x * x * y + Math.Sin(x * y);
            },
            reference,
            any,
            any);
    }

    /// <summary>H·v and the dense Hessian from <paramref name="hessian"/>, the returned value off by <paramref name="valueError"/>.</summary>
    private static HessianRunner Runner(Func<double, double, double[,]> hessian, double valueError = 0, double denseError = 0) => new(
        (p, v, hv) =>
        {
            var (x, y) = (p[0][0], p[1][0]);
            var h = hessian(x, y);
            hv[0][0] += h[0, 0] * v[0][0] + h[0, 1] * v[1][0];
            hv[1][0] += h[1, 0] * v[0][0] + h[1, 1] * v[1][0];
            return (2 * x * y + y * Math.Cos(x * y)) * v[0][0] + (x * x + x * Math.Cos(x * y)) * v[1][0] + valueError;
        },
        (p, dense) =>
        {
            var h = hessian(p[0][0], p[1][0]);
            (dense[0], dense[1], dense[2], dense[3]) = (h[0, 0], h[0, 1], h[1, 0], h[1, 1] + denseError);
        });

    [Fact]
    public void The_exact_Hessian_passes_and_planted_errors_are_reported()
    {
        var check = new HessianCheck();
        Assert.Empty(check.Run(Loaded(), Runner(Hessian), needsReference: false, seed: 3));
        Assert.True(check.Compared >= 2 * HessianCheck.Directions + 4, $"{check.Compared} entries compared");
        Assert.Equal(1, check.DenseChecked);

        var offProduct = check.Run(Loaded(), Runner((x, y) => { var h = Hessian(x, y); h[1, 0] += 1e-3; return h; }), needsReference: false, seed: 3);
        Assert.Contains(offProduct, p => p.StartsWith("(H·v) along", StringComparison.Ordinal) && p.Contains("entry y", StringComparison.Ordinal));
        Assert.Contains(offProduct, p => p.Contains("not symmetric", StringComparison.Ordinal));

        Assert.Contains(check.Run(Loaded(), Runner(Hessian, valueError: 1e-3), needsReference: false, seed: 3), p => p.StartsWith("HessianVector returned", StringComparison.Ordinal));
        Assert.Contains(check.Run(Loaded(), Runner(Hessian, denseError: 1e-3), needsReference: false, seed: 3), p => p.StartsWith("H[·, 1] (dense)", StringComparison.Ordinal));
    }

    [Fact]
    public void A_detached_program_is_checked_against_second_differences_of_its_reference()
    {
        // y detached: the reference keeps y at the base point, the "generated" Hessian has only its xx entry.
        static double Reference(double[][] p, double[][] p0) => p[0][0] * p[0][0] * p0[1][0] + Math.Sin(p[0][0] * p0[1][0]);
        static double[,] Detached(double x, double y) => new[,] { { 2 * y - y * y * Math.Sin(x * y), 0 }, { 0, 0 } };
        var check = new HessianCheck();
        Assert.Empty(check.Run(Loaded(Reference), Runner(Detached), needsReference: true, seed: 5));
        Assert.Equal(1, check.ThroughReference);

        var problems = check.Run(Loaded(Reference), Runner(Hessian), needsReference: true, seed: 5);
        Assert.Contains(problems, p => p.Contains("second differences of the reference", StringComparison.Ordinal));
    }

    [Fact]
    public void A_detached_float_program_is_checked_through_its_double_twin()
    {
        // The float program has no reference of its own worth differencing twice; its twin's (in double) is used.
        static double Reference(double[][] p, double[][] p0) => p[0][0] * p[0][0] * p0[1][0] + Math.Sin(p[0][0] * p0[1][0]);
        static double[,] Detached(double x, double y) => new[,] { { 2 * y - y * y * Math.Sin(x * y), 0 }, { 0, 0 } };
        var twin = new DoubleTwin(p => Reference(p, p), Reference);
        var check = new HessianCheck();
        Assert.Empty(check.Run(Loaded(method: FloatMethod), Runner(Detached), needsReference: true, seed: 5, () => twin));
        Assert.Equal(1, check.FloatThroughTwin);

        var problems = check.Run(Loaded(method: FloatMethod), Runner(Hessian), needsReference: true, seed: 5, () => twin);
        Assert.Contains(problems, p => p.Contains("second differences of the reference", StringComparison.Ordinal));

        Assert.Empty(check.Run(Loaded(method: FloatMethod), Runner(Hessian), needsReference: true, seed: 5, () => null));
        Assert.Equal(1, check.FloatWithoutTwin);
    }
}

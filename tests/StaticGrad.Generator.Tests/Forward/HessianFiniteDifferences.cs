using System.Reflection;

namespace StaticGrad.Generator.Tests.Forward;

/// <summary>
/// The checks every Hessian test makes, on a compiled <c>Check</c> class whose methods <c>{prefix}G(p, g)</c>,
/// <c>{prefix}Hv(p, v, hv)</c> and <c>{prefix}H(p, h)</c> take a flat point: H·v against central differences of the
/// generated gradient, (∇f(p + hv) − ∇f(p − hv)) / 2h, the returned ⟨∇f, v⟩, and the dense Hessian column by column
/// (and its symmetry). Tolerance: double |a − b| ≤ 1e-6·max(1, |b|) with step 1e-5 (the quotient's truncation error is
/// O(h²)·f''' ≈ 1e-10, its rounding ≈ ε·|∇f|/h ≈ 1e-11); float step 1e-2 and 3e-2.
/// </summary>
internal static class HessianFiniteDifferences
{
    public static (double Step, double Tolerance) For(bool isFloat) => isFloat ? (1e-2, 3e-2) : (1e-5, 1e-6);

    public static void AssertHessianVector(Type check, string prefix, double[] point, bool isFloat, string name)
    {
        var n = point.Length;
        var (step, tolerance) = For(isFloat);
        var random = new Random(17);
        for (var trial = 0; trial < 3; trial++)
        {
            var v = Enumerable.Range(0, n).Select(_ => random.NextDouble() * 2 - 1).ToArray();
            var hv = new double[n];
            var directional = (double)Invoke(check, prefix + "Hv", point, v, hv)!;
            var plus = Gradient(check, prefix, point.Zip(v, (p, d) => p + step * d).ToArray());
            var minus = Gradient(check, prefix, point.Zip(v, (p, d) => p - step * d).ToArray());
            for (var i = 0; i < n; i++)
            {
                var fd = (plus[i] - minus[i]) / (2 * step);
                Assert.True(Math.Abs(hv[i] - fd) <= tolerance * Math.Max(1, Math.Abs(fd)), $"{name}: (H·v)[{i}] = {hv[i]:R} but finite differences of the gradient give {fd:R} (v = {string.Join(", ", v)})");
            }

            var gradient = Gradient(check, prefix, point);
            var expected = gradient.Zip(v, (g, d) => g * d).Sum();
            Assert.True(Math.Abs(directional - expected) <= tolerance * Math.Max(1, Math.Abs(expected)), $"{name}: HessianVector returned {directional:R}, ⟨∇f, v⟩ = {expected:R}");
        }
    }

    public static void AssertDenseHessian(Type check, string prefix, double[] point, bool isFloat, string name)
    {
        var n = point.Length;
        var (step, tolerance) = For(isFloat);
        var h = Enumerable.Repeat(double.NaN, n * n).ToArray();
        Invoke(check, prefix + "H", point, h);
        for (var j = 0; j < n; j++)
        {
            var plus = Gradient(check, prefix, point.Select((p, k) => k == j ? p + step : p).ToArray());
            var minus = Gradient(check, prefix, point.Select((p, k) => k == j ? p - step : p).ToArray());
            for (var i = 0; i < n; i++)
            {
                var fd = (plus[i] - minus[i]) / (2 * step);
                Assert.True(Math.Abs(h[i * n + j] - fd) <= tolerance * Math.Max(1, Math.Abs(fd)), $"{name}: H[{i},{j}] = {h[i * n + j]:R} but finite differences of the gradient give {fd:R}");
                Assert.True(Math.Abs(h[i * n + j] - h[j * n + i]) <= tolerance * Math.Max(1, Math.Abs(h[i * n + j])), $"{name}: H[{i},{j}] = {h[i * n + j]:R} but H[{j},{i}] = {h[j * n + i]:R}");
            }
        }
    }

    public static double[] Gradient(Type check, string prefix, double[] point)
    {
        var g = new double[point.Length];
        Invoke(check, prefix + "G", point, g);
        return g;
    }

    public static object? Invoke(Type check, string name, params object[] arguments) =>
        (check.GetMethod(name, BindingFlags.Public | BindingFlags.Static) ?? throw new InvalidOperationException(check.Name + " has no method " + name)).Invoke(null, arguments);
}

using StaticGrad.Generator.Tests.Correctness.Harness;

namespace StaticGrad.Generator.Tests.Forward;

/// <summary>
/// The dot-product test of forward against reverse mode: for a scalar function f, ⟨J·v, w⟩ = w·(∂f/∂x·v) from the
/// generated Tangent must equal ⟨v, Jᵀ·w⟩ = Σ v·(w·∂f/∂x) from the generated Backward with seed w, and both must
/// return f's value. Tolerance: |a − b| ≤ tol·(1 + Σ|terms|), tol = 1e-10 for double and 1e-4 for float (the two
/// modes sum the same products in different orders, so the error scales with the magnitude of the terms).
/// </summary>
public static class DotProductCheck
{
    public static string? Check(
        MethodUnderTest method,
        Func<double[][], double[][], double[]> tangent,
        Func<double[][], double[][], double, double> backward,
        double[][] point,
        Random random)
    {
        var isFloat = method.ReturnsFloat || method.Parameters.Any(p => p.IsSinglePrecision);
        var direction = point.Select(v => v.Select(_ => 0.0).ToArray()).ToArray();
        for (var i = 0; i < method.Parameters.Count; i++)
        {
            if (method.Parameters[i].IsDifferentiable)
            {
                for (var j = 0; j < direction[i].Length; j++)
                {
                    direction[i][j] = method.Parameters[i].IsSinglePrecision ? (float)(random.NextDouble() * 2 - 1) : random.NextDouble() * 2 - 1;
                }
            }
        }

        var w = isFloat ? (float)(0.5 + random.NextDouble()) : 0.5 + random.NextDouble();
        var forward = tangent(Copy(point), direction);
        var adjoints = point.Select(v => new double[v.Length]).ToArray();
        var value = backward(Copy(point), adjoints, w);
        var reverse = 0.0;
        var magnitude = Math.Abs(w * forward[1]);
        for (var i = 0; i < method.Parameters.Count; i++)
        {
            if (method.Parameters[i].IsDifferentiable)
            {
                for (var j = 0; j < direction[i].Length; j++)
                {
                    reverse += direction[i][j] * adjoints[i][j];
                    magnitude += Math.Abs(direction[i][j] * adjoints[i][j]);
                }
            }
        }

        if (!double.IsFinite(value) || !double.IsFinite(reverse))
        {
            // Overflow at this point: both modes must see it (the caller redraws such points for the primal).
            return double.IsFinite(forward[0]) && double.IsFinite(forward[1]) && double.IsFinite(value)
                ? $"Backward is not finite ({value:R}, ⟨v, Jᵀ·w⟩ = {reverse:R}) but Tangent is ({forward[0]:R}, {forward[1]:R}) at {Format(point)}"
                : null;
        }

        var tolerance = isFloat ? 1e-4 : 1e-10;
        if (!(Math.Abs(w * forward[1] - reverse) <= tolerance * (1 + magnitude)))
        {
            return $"⟨J·v, w⟩ = {w * forward[1]:R} but ⟨v, Jᵀ·w⟩ = {reverse:R} (w = {w:R}) at {Format(point)} along {Format(direction)}";
        }

        if (!(Math.Abs(forward[0] - value) <= tolerance * (1 + Math.Abs(value))))
        {
            return $"Tangent returned the value {forward[0]:R} but Backward returned {value:R} at {Format(point)}";
        }

        return null;
    }

    private static double[][] Copy(double[][] point) => point.Select(v => (double[])v.Clone()).ToArray();

    private static string Format(double[][] values) => "(" + string.Join(", ", values.Select(v => v.Length == 1 ? v[0].ToString("R", System.Globalization.CultureInfo.InvariantCulture) : "[" + string.Join(", ", v.Select(x => x.ToString("R", System.Globalization.CultureInfo.InvariantCulture))) + "]")) + ")";
}

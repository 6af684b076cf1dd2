using System.Globalization;

namespace StaticGrad.Benchmarks.Checking;

/// <summary>The largest disagreement between two gradients, under ADBench's criterion.</summary>
/// <param name="Error">max over entries of |x − y| / max(1, |x| + |y|).</param>
/// <param name="Index">The entry where it occurs.</param>
public readonly record struct GradientComparison(double Error, int Index, double Expected, double Actual)
{
    /// <summary>ADBench's tolerance between two exact gradients.</summary>
    public const double ExactTolerance = 1e-8;

    public static GradientComparison Compare(ReadOnlySpan<double> expected, ReadOnlySpan<double> actual)
    {
        if (expected.Length != actual.Length)
        {
            throw new ArgumentException($"Gradients of different lengths: {expected.Length} and {actual.Length}.");
        }

        var worst = new GradientComparison(0.0, -1, double.NaN, double.NaN);
        for (var i = 0; i < expected.Length; i++)
        {
            var error = Math.Abs(expected[i] - actual[i]) / Math.Max(1.0, Math.Abs(expected[i]) + Math.Abs(actual[i]));
            if (double.IsNaN(error) || error > worst.Error || worst.Index < 0)
            {
                worst = new GradientComparison(double.IsNaN(error) ? double.PositiveInfinity : error, i, expected[i], actual[i]);
            }
        }

        return worst;
    }

    public override string ToString() => Index < 0
        ? "empty gradient"
        : string.Create(CultureInfo.InvariantCulture, $"max error {Error:E2} at entry {Index} (expected {Expected:R}, got {Actual:R})");
}

namespace StaticGrad.Benchmarks.Checking;

/// <summary>Central finite differences, the baseline every AD tool is compared with (2 objective calls per parameter).</summary>
public static class FiniteDifferences
{
    /// <summary>The default step: about the cube root of the double epsilon, which balances truncation and rounding.</summary>
    public const double DefaultStep = 1e-5;

    /// <summary>
    /// Writes ∂f/∂p for every entry p of <paramref name="parameters"/> (concatenated, in order) into
    /// <paramref name="gradient"/>. Each entry is perturbed in place by ±h·max(1, |p|) and restored.
    /// </summary>
    public static void Central(Func<double> objective, double[][] parameters, Span<double> gradient, double step = DefaultStep)
    {
        var offset = 0;
        foreach (var array in parameters)
        {
            for (var i = 0; i < array.Length; i++)
            {
                gradient[offset + i] = CentralAt(objective, array, i, step);
            }

            offset += array.Length;
        }

        if (offset != gradient.Length)
        {
            throw new ArgumentException($"The gradient has {gradient.Length} entries but the parameters have {offset}.", nameof(gradient));
        }
    }

    /// <summary>∂f/∂array[index] by central differences; the entry is restored afterwards.</summary>
    public static double CentralAt(Func<double> objective, double[] array, int index, double step = DefaultStep)
    {
        var saved = array[index];
        var h = step * Math.Max(1.0, Math.Abs(saved));
        array[index] = saved + h;
        var forward = objective();
        array[index] = saved - h;
        var backward = objective();
        array[index] = saved;
        return (forward - backward) / (2.0 * h);
    }
}

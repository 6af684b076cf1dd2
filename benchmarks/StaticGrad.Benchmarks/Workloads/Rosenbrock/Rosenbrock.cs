namespace StaticGrad.Benchmarks.Workloads.Rosenbrock;

/// <summary>The n-dimensional Rosenbrock function in sum form, f(x) = Σ_{i&lt;n−1} 100·(x_{i+1} − x_i²)² + (1 − x_i)².</summary>
public static partial class Rosenbrock
{
#if GENERATED_ROSENBROCK
    [Differentiable]
#endif
    public static double Value(double[] x)
    {
        var sum = 0.0;
        for (var i = 0; i < x.Length - 1; i++)
        {
            var valley = x[i + 1] - (x[i] * x[i]);
            var slope = 1.0 - x[i];
            sum += (100.0 * valley * valley) + (slope * slope);
        }

        return sum;
    }

    /// <summary>
    /// The classic start (−1.2, 1, −1.2, 1, …) with a bounded perturbation so that no two entries are alike; the same
    /// for every implementation, far from the minimum (all ones).
    /// </summary>
    public static double[] StartPoint(int n)
    {
        var x = new double[n];
        for (var i = 0; i < n; i++)
        {
            x[i] = (i % 2 == 0 ? -1.2 : 1.0) + (0.1 * Math.Sin(i));
        }

        return x;
    }
}

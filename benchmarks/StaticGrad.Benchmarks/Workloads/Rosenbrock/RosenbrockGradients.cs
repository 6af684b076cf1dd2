using StaticGrad.Benchmarks.Checking;

namespace StaticGrad.Benchmarks.Workloads.Rosenbrock;

/// <summary>The Rosenbrock gradient by every implementation; each returns f(x) and writes ∇f(x).</summary>
public static class RosenbrockGradients
{
#if GENERATED_ROSENBROCK
    public const bool HasGenerated = true;
#else
    public const bool HasGenerated = false;
#endif

    /// <summary>∂f/∂x_i = −400·x_i·(x_{i+1} − x_i²) − 2·(1 − x_i) + 200·(x_i − x_{i−1}²), each term where it exists.</summary>
    public static double HandWritten(double[] x, Span<double> gradient)
    {
        gradient.Clear();
        var sum = 0.0;
        for (var i = 0; i < x.Length - 1; i++)
        {
            var valley = x[i + 1] - (x[i] * x[i]);
            var slope = 1.0 - x[i];
            sum += (100.0 * valley * valley) + (slope * slope);
            gradient[i] += (-400.0 * x[i] * valley) - (2.0 * slope);
            gradient[i + 1] += 200.0 * valley;
        }

        return sum;
    }

#if GENERATED_ROSENBROCK
    public static double Generated(double[] x, Span<double> gradient)
    {
        gradient.Clear();
        return Rosenbrock.ValueBackward(x, gradient);
    }
#endif

    public static double Tape(double[] x, Span<double> gradient) => RosenbrockTape.Gradient(x, gradient);

    public static double FiniteDifferences(double[] x, Span<double> gradient)
    {
        Checking.FiniteDifferences.Central(() => Rosenbrock.Value(x), [x], gradient);
        return Rosenbrock.Value(x);
    }
}

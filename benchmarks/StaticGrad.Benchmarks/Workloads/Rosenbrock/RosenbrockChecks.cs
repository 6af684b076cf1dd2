using StaticGrad.Benchmarks.Checking;

namespace StaticGrad.Benchmarks.Workloads.Rosenbrock;

public static class RosenbrockChecks
{
    public static readonly int[] Dimensions = [2, 100, 10_000];

    public static void Run(Verifier verifier)
    {
        verifier.Section("Rosenbrock");
        verifier.Absolute("n=2 at (1, 1) is the minimum", 0.0, Rosenbrock.Value([1.0, 1.0]), 0.0);
        verifier.Value("n=2 at (-1.2, 1)", 24.2, Rosenbrock.Value([-1.2, 1.0]), 1e-15);
        foreach (var n in Dimensions)
        {
            var x = Rosenbrock.StartPoint(n);
            var hand = new double[n];
            var value = RosenbrockGradients.HandWritten(x, hand);
            verifier.Value($"n={n} hand-written gradient's value vs objective", Rosenbrock.Value(x), value, 1e-15);
            var fd = new double[n];
            RosenbrockGradients.FiniteDifferences(x, fd);
            verifier.Gradient($"n={n} hand-written vs central differences", hand, fd, Verifier.FiniteDifferenceTolerance(value));
            var tape = new double[n];
            verifier.Value($"n={n} tape's value vs objective", value, RosenbrockGradients.Tape(x, tape), 1e-13);
            verifier.Gradient($"n={n} tape vs hand-written", hand, tape, GradientComparison.ExactTolerance);
#if GENERATED_ROSENBROCK
            var generated = new double[n];
            verifier.Value($"n={n} generated backward's value vs objective", Rosenbrock.Value(x), RosenbrockGradients.Generated(x, generated), 1e-15);
            verifier.Gradient($"n={n} generated vs hand-written", hand, generated, GradientComparison.ExactTolerance);
#else
            verifier.Skip($"n={n} generated", "ROSENBROCK is not in StaticGradGeneratedWorkloads (the generator cannot differentiate it yet)");
#endif
        }
    }
}

using StaticGrad.Benchmarks.Checking;

namespace StaticGrad.Benchmarks.Workloads.Lstm;

public static class LstmChecks
{
    public static void Run(Verifier verifier)
    {
        // A short sequence keeps the central differences (2 objectives per parameter) fast; the benchmark runs c = 1024.
        var problem = new LstmProblem(layers: 2, hidden: 14, steps: 20);
        verifier.Section($"LSTM l={problem.Layers} b={problem.Hidden} c={problem.Steps}");
        var loss = problem.Loss();
        var hand = new double[problem.ParameterCount];
        verifier.Value("hand-written BPTT's loss vs Loss", loss, LstmGradients.HandWritten(problem, new LstmHandGradient(), hand), 1e-14);
        var fd = new double[problem.ParameterCount];
        LstmGradients.FiniteDifferences(problem, fd);
        verifier.Gradient($"hand-written vs central differences ({problem.ParameterCount} parameters)", hand, fd, Verifier.FiniteDifferenceTolerance(loss));
#if GENERATED_LSTM
        var generated = new double[problem.ParameterCount];
        verifier.Value("generated backward's loss", loss, LstmGradients.Generated(problem, generated), 1e-14);
        verifier.Gradient("generated vs hand-written", hand, generated, GradientComparison.ExactTolerance);
#else
        verifier.Skip("generated", "LSTM is not in StaticGradGeneratedWorkloads");
#endif
    }
}

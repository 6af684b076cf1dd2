using StaticGrad.Benchmarks.Checking;
using StaticGrad.Benchmarks.Infrastructure;

namespace StaticGrad.Benchmarks.Workloads.Mlp;

public static class MlpChecks
{
    public static void Run(Verifier verifier)
    {
        verifier.Section($"MLP {MlpProblem.Inputs}→{MlpProblem.Hidden}→{MlpProblem.Outputs}, tanh, MSE, batch {MlpProblem.Batch}");
        var problem = new MlpProblem();
        var loss = problem.Loss();
        var hand = new double[problem.ParameterCount];
        verifier.Value("hand-written backprop's loss vs Loss", loss, MlpGradients.HandWritten(problem, hand), 1e-14);
        var fd = new double[problem.ParameterCount];
        MlpGradients.FiniteDifferences(problem, fd);
        verifier.Gradient($"hand-written vs central differences ({problem.ParameterCount} parameters)", hand, fd, Verifier.FiniteDifferenceTolerance(loss));
        var tape = new double[problem.ParameterCount];
        verifier.Value("tape's loss", loss, MlpGradients.Tape(problem, tape), 1e-13);
        verifier.Gradient("tape vs hand-written", hand, tape, GradientComparison.ExactTolerance);
#if GENERATED_MLP
        var generated = new double[problem.ParameterCount];
        verifier.Value("generated backward's loss", loss, MlpGradients.Generated(problem, generated), 1e-14);
        verifier.Gradient("generated vs hand-written", hand, generated, GradientComparison.ExactTolerance);
        verifier.Note($"generated backward: tape reserved {TapeProbe.ReservedBytesAfter(() => MlpGradients.Generated(problem, new double[problem.ParameterCount])) / 1e3:F1} KB (at least its peak, less than twice it)");
#else
        verifier.Skip("generated", "MLP is not in StaticGradGeneratedWorkloads (the generator cannot differentiate it yet)");
#endif
    }
}

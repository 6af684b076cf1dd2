using StaticGrad.Benchmarks.Checking;

namespace StaticGrad.Benchmarks.Workloads.Lifted;

/// <summary>The lifted GELU and the one built from runtime ops agree in value and gradient before either is timed.</summary>
public static class LiftedChecks
{
    public static void Run(Verifier verifier)
    {
        verifier.Section($"Lifted elementwise GELU on {LiftedBenchmarkSize.Elements} elements (one node) vs runtime ops");
        var lifted = GeluKernel.Input(LiftedBenchmarkSize.Elements, requiresGrad: true);
        var liftedOut = GeluKernel.Gelu(lifted);
        liftedOut.Sum().Backward();
        var byOps = GeluKernel.Input(LiftedBenchmarkSize.Elements, requiresGrad: true);
        var byOpsOut = GeluKernel.GeluByOps(byOps);
        byOpsOut.Sum().Backward();
        verifier.Gradient("lifted vs runtime-op values", byOpsOut.ToArray(), liftedOut.Detach().ToArray(), GradientComparison.ExactTolerance);
        verifier.Gradient("lifted vs runtime-op gradients", byOps.Grad!.ToArray(), lifted.Grad!.ToArray(), GradientComparison.ExactTolerance);
    }
}

/// <summary>The size of the lifted-op benchmark.</summary>
public static class LiftedBenchmarkSize
{
    public const int Elements = 100_000;
}

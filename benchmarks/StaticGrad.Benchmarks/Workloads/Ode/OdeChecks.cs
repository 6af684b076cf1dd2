using StaticGrad.Benchmarks.Checking;
using StaticGrad.CompilerServices;

namespace StaticGrad.Benchmarks.Workloads.Ode;

public static class OdeChecks
{
    /// <summary>The benchmarked horizon: 10⁶ RK4 steps (t = 100).</summary>
    public const int Steps = 1_000_000;

    public static readonly int[] Snapshots = [10, 100];

    public static void Run(Verifier verifier)
    {
        // Central differences over 10⁴ steps (12 objectives); the benchmark's horizon is checked against the store-all sweep.
        var small = new OdeProblem(10_000);
        verifier.Section($"Predator-prey ODE, {Steps:N0} RK4 steps");
        var fd = new double[OdeProblem.GradientLength];
        for (int i = 0; i < fd.Length; i++)
        {
            fd[i] = small.FiniteDifference(i, 1e-6);
        }

#if GENERATED_ODE
        double loss = small.Objective();
        var loop = new double[OdeProblem.GradientLength];
        verifier.Value("10^4 steps: generated loop's loss vs objective", loss, small.GeneratedLoop(loop), 1e-12);
        verifier.Gradient("10^4 steps: generated loop vs central differences", fd, loop, Verifier.FiniteDifferenceTolerance(loss));
        var stored = new double[OdeProblem.GradientLength];
        verifier.Value("10^4 steps: store-every-state loss", loss, small.StoreEveryState(stored), 1e-12);
        verifier.Gradient("10^4 steps: store-every-state vs generated loop", loop, stored, GradientComparison.ExactTolerance);

        var problem = new OdeProblem(Steps);
        var reference = new double[OdeProblem.GradientLength];
        double longLoss = problem.StoreEveryState(reference);
        verifier.Note($"store every state: {(Steps + 1) * 16L / 1e6:F1} MB of states");
        foreach (int snapshots in Snapshots)
        {
            var checkpointed = new double[OdeProblem.GradientLength];
            verifier.Value($"Revolve, {snapshots} snapshots: loss", longLoss, problem.Checkpointed(snapshots, checkpointed, out var statistics), 0);
            verifier.Gradient($"Revolve, {snapshots} snapshots vs store every state (same pullbacks on the same states)", reference, checkpointed, 1e-15);
            verifier.Note($"Revolve, {snapshots} snapshots: t = {statistics.Repetitions}, {statistics.Advances / (double)Steps:F2} advances per step, peak {statistics.PeakStates} states = {statistics.PeakStates * 16} bytes");
        }

        // The one-loop backward's tape, measured on a fresh thread so that earlier calls' growth does not count.
        long tapeBytes = 0;
        var tapeGradient = new double[OdeProblem.GradientLength];
        var thread = new Thread(() =>
        {
            problem.GeneratedLoop(tapeGradient);
            tapeBytes = AdTape.Current.ReservedBytes;
        });
        thread.Start();
        thread.Join();
        verifier.Gradient("10^6 steps: generated loop vs store every state", reference, tapeGradient, GradientComparison.ExactTolerance);
        verifier.Note($"generated loop: tape reserved {tapeBytes / 1e6:F1} MB (at least its peak, less than twice it)");
#else
        verifier.Skip("generated", "ODE is not in StaticGradGeneratedWorkloads");
#endif
    }
}

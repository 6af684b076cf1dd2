using BenchmarkDotNet.Attributes;
using StaticGrad.Benchmarks.Workloads.Ode;

namespace StaticGrad.Benchmarks.Suites;

/// <summary>
/// 10⁶ RK4 steps of a predator–prey model: the gradient with a tape of every step (the generated loop), with a buffer
/// of every state, and under binomial checkpointing (<see cref="Checkpoint"/>) with 10 and 100 snapshots.
/// </summary>
[MemoryDiagnoser]
public class OdeBenchmarks
{
    private readonly double[] _gradient = new double[OdeProblem.GradientLength];
    private OdeProblem _problem = null!;

    [GlobalSetup]
    public void Setup() => _problem = new OdeProblem(OdeChecks.Steps);

    [Benchmark]
    public double Objective() => _problem.Objective();

#if GENERATED_ODE
    [Benchmark(Baseline = true)]
    public double GeneratedLoop() => _problem.GeneratedLoop(_gradient);

    [Benchmark]
    public double StoreEveryState() => _problem.StoreEveryState(_gradient);

    [Benchmark]
    public double Revolve10() => _problem.Checkpointed(10, _gradient, out _);

    [Benchmark]
    public double Revolve100() => _problem.Checkpointed(100, _gradient, out _);
#endif
}

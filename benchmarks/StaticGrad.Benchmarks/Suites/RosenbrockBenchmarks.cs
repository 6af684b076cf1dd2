using BenchmarkDotNet.Attributes;
using StaticGrad.Benchmarks.Workloads.Rosenbrock;

namespace StaticGrad.Benchmarks.Suites;

/// <summary>Rosenbrock in sum form: value and gradient in n dimensions.</summary>
[MemoryDiagnoser]
public class RosenbrockBenchmarks
{
    private double[] _x = null!;
    private double[] _gradient = null!;

    [Params(2, 100, 10_000)]
    public int N { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _x = Rosenbrock.StartPoint(N);
        _gradient = new double[N];
    }

    [Benchmark]
    public double Objective() => Rosenbrock.Value(_x);

    [Benchmark(Baseline = true)]
    public double HandWritten() => RosenbrockGradients.HandWritten(_x, _gradient);

#if GENERATED_ROSENBROCK
    [Benchmark]
    public double Generated() => RosenbrockGradients.Generated(_x, _gradient);
#endif

    [Benchmark]
    public double Tape() => RosenbrockGradients.Tape(_x, _gradient);

    [Benchmark]
    public double FiniteDifferences() => RosenbrockGradients.FiniteDifferences(_x, _gradient);
}

using BenchmarkDotNet.Attributes;
using StaticGrad.Benchmarks.Workloads.Lstm;

namespace StaticGrad.Benchmarks.Suites;

/// <summary>ADBench's LSTM objective (l = 2, b = 14, c = 1024): loss and gradient.</summary>
[MemoryDiagnoser]
public class LstmBenchmarks
{
    private LstmProblem _problem = null!;
    private LstmHandGradient _workspace = null!;
    private double[] _gradient = null!;

    [GlobalSetup]
    public void Setup()
    {
        _problem = new LstmProblem();
        _workspace = new LstmHandGradient();
        _gradient = new double[_problem.ParameterCount];
    }

    [Benchmark]
    public double Objective() => _problem.Loss();

    [Benchmark(Baseline = true)]
    public double HandWritten() => LstmGradients.HandWritten(_problem, _workspace, _gradient);

#if GENERATED_LSTM
    [Benchmark]
    public double Generated() => LstmGradients.Generated(_problem, _gradient);
#endif
}

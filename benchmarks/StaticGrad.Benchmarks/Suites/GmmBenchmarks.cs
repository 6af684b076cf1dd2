using BenchmarkDotNet.Attributes;
using StaticGrad.Benchmarks.Infrastructure;
using StaticGrad.Benchmarks.Workloads.Gmm;

namespace StaticGrad.Benchmarks.Suites;

/// <summary>ADBench GMM: objective and full gradient (alphas, means, icf) per instance.</summary>
[MemoryDiagnoser]
public class GmmBenchmarks
{
    private GmmInstance _instance = null!;
    private double[] _gradient = null!;
    private GmmTape _tape = null!;

    [ParamsSource(nameof(Instances))]
    public string Instance { get; set; } = GmmCatalog.Benchmarked[0];

    public static IEnumerable<string> Instances => GmmCatalog.Benchmarked;

    [GlobalSetup]
    public void Setup()
    {
        _instance = GmmCatalog.Get(Instance, AdbenchData.Directory);
        _gradient = new double[_instance.ParameterCount];
        _tape = new GmmTape(_instance);
    }

    [Benchmark]
    public double Objective() => GmmObjective.Evaluate(_instance);

    [Benchmark(Baseline = true)]
    public double HandWritten() => GmmGradients.HandWritten(_instance, _gradient);

#if GENERATED_GMM
    [Benchmark]
    public double Generated() => GmmGradients.Generated(_instance, _gradient);
#endif

    [Benchmark]
    public double Tape() => _tape.Gradient(_gradient);

    [Benchmark]
    public double FiniteDifferences() => GmmGradients.FiniteDifferences(_instance, _gradient);
}

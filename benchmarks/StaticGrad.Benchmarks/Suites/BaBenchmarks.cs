using BenchmarkDotNet.Attributes;
using StaticGrad.Benchmarks.Infrastructure;
using StaticGrad.Benchmarks.Workloads.Ba;

namespace StaticGrad.Benchmarks.Suites;

/// <summary>
/// ADBench bundle adjustment: the residuals (the objective) and the full sparse Jacobian (2p rows of 15 entries,
/// p rows of 1) per instance. Every variant runs on all p observations; finite differences are the block-wise
/// central differences of <see cref="BaJacobians.FiniteDifferences"/> (30 projections per observation).
/// </summary>
[MemoryDiagnoser]
public class BaBenchmarks
{
    private BaInstance _instance = null!;
    private BaJacobian _jacobian = null!;
    private double[] _residuals = null!;
    private BaTape _tape = null!;

    [ParamsSource(nameof(Files))]
    public string File { get; set; } = BaCatalog.Benchmarked[0];

    public static IEnumerable<string> Files => BaCatalog.Benchmarked;

    [GlobalSetup]
    public void Setup()
    {
        _instance = BaCatalog.Get(File, AdbenchData.Directory);
        _jacobian = new BaJacobian(_instance);
        _residuals = new double[_instance.ResidualCount];
        _tape = new BaTape(_instance);
    }

    [Benchmark]
    public double Objective()
    {
        BaObjective.Evaluate(_instance, _residuals);
        return _residuals[0];
    }

    [Benchmark(Baseline = true)]
    public double HandWritten() => BaJacobians.HandWritten(_instance, _jacobian);

#if GENERATED_BA
    [Benchmark]
    public double Generated() => BaJacobians.Generated(_instance, _jacobian);
#endif

    [Benchmark]
    public double Tape() => _tape.Jacobian(_jacobian);

    [Benchmark]
    public double FiniteDifferences() => BaJacobians.FiniteDifferences(_instance, _jacobian);
}

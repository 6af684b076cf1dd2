using BenchmarkDotNet.Attributes;
using StaticGrad.Benchmarks.Infrastructure;
using StaticGrad.Benchmarks.Workloads.Gmm;
using StaticGrad.Benchmarks.Workloads.Rosenbrock;

namespace StaticGrad.Benchmarks.Suites;

// A/A controls of the harness: the hand-written gradient timed twice, as "HandWritten" and as "Generated", so that
// the table's "generated ÷ hand" column shows what the harness alone does to a ratio (order, warm-up, tiering).
// They run only when asked for (Selection.ControlEnvironmentVariable = 1), e.g.
// STATICGRAD_BENCHMARKS_CONTROL=1 dotnet run -c Release --project benchmarks/StaticGrad.Benchmarks -- --short --filter '*Control*'

/// <summary>A/A control on ADBench GMM: the hand-written gradient against itself, per instance.</summary>
public class GmmControlBenchmarks
{
    private GmmInstance _instance = null!;
    private double[] _gradient = null!;

    [ParamsSource(nameof(Instances))]
    public string Instance { get; set; } = GmmCatalog.Benchmarked[0];

    public static IEnumerable<string> Instances => GmmCatalog.Benchmarked;

    [GlobalSetup]
    public void Setup()
    {
        _instance = GmmCatalog.Get(Instance, AdbenchData.Directory);
        _gradient = new double[_instance.ParameterCount];
    }

    [Benchmark(Baseline = true)]
    public double HandWritten() => GmmGradients.HandWritten(_instance, _gradient);

    [Benchmark]
    public double Generated() => GmmGradients.HandWritten(_instance, _gradient);
}

/// <summary>A/A control on Rosenbrock: the hand-written gradient against itself, per n.</summary>
public class RosenbrockControlBenchmarks
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

    [Benchmark(Baseline = true)]
    public double HandWritten() => RosenbrockGradients.HandWritten(_x, _gradient);

    [Benchmark]
    public double Generated() => RosenbrockGradients.HandWritten(_x, _gradient);
}

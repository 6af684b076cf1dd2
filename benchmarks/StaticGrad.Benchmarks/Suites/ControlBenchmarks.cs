using BenchmarkDotNet.Attributes;

namespace StaticGrad.Benchmarks.Suites;

/// <summary>
/// A/A control of the harness: a suite's hand-written gradient timed twice, as "HandWritten" and as "Generated", so
/// that the table's "generated ÷ hand" column shows what the harness alone does to a ratio (order, warm-up, tiering).
/// Run only when asked for (<see cref="Selection.ControlEnvironmentVariable"/> = 1), e.g.
/// <c>STATICGRAD_BENCHMARKS_CONTROL=1 dotnet run -c Release --project benchmarks/StaticGrad.Benchmarks -- --short --filter '*Control*'</c>.
/// </summary>
public abstract class ControlBenchmarks<TSuite>
    where TSuite : new()
{
    protected TSuite Suite { get; } = new();

    [GlobalSetup]
    public void Setup() => SetUp(Suite);

    [Benchmark(Baseline = true)]
    public double HandWritten() => Hand(Suite);

    [Benchmark]
    public double Generated() => Hand(Suite);

    protected abstract void SetUp(TSuite suite);

    protected abstract double Hand(TSuite suite);
}

/// <summary>A/A control on ADBench GMM, per instance.</summary>
// Not sealed: BenchmarkDotNet refuses a sealed benchmark class.
public class GmmControlBenchmarks : ControlBenchmarks<GmmBenchmarks>
{
    [ParamsSource(nameof(Instances))]
    public string Instance { get => Suite.Instance; set => Suite.Instance = value; }

    public static IEnumerable<string> Instances => GmmBenchmarks.Instances;

    protected override void SetUp(GmmBenchmarks suite) => suite.Setup();

    protected override double Hand(GmmBenchmarks suite) => suite.HandWritten();
}

/// <summary>A/A control on Rosenbrock, per n.</summary>
// Not sealed: BenchmarkDotNet refuses a sealed benchmark class.
public class RosenbrockControlBenchmarks : ControlBenchmarks<RosenbrockBenchmarks>
{
    [ParamsSource(nameof(Sizes))]
    public int N { get => Suite.N; set => Suite.N = value; }

    public static IEnumerable<int> Sizes => [2, 100, 10_000];

    protected override void SetUp(RosenbrockBenchmarks suite) => suite.Setup();

    protected override double Hand(RosenbrockBenchmarks suite) => suite.HandWritten();
}

using BenchmarkDotNet.Attributes;
using StaticGrad.Benchmarks.Workloads.BlackScholes;

namespace StaticGrad.Benchmarks.Suites;

/// <summary>Monte-Carlo call price with pathwise Greeks over fixed seeded normals.</summary>
[MemoryDiagnoser]
public class MonteCarloBenchmarks
{
    private readonly double[] _option = BlackScholesGradients.DefaultOption();
    private readonly double[] _greeks = new double[4];
    private double[] _normals = null!;

    [Params(10_000)]
    public int Paths { get; set; }

    [GlobalSetup]
    public void Setup() => _normals = BlackScholesGradients.Normals(Paths);

    [Benchmark]
    public double Objective() => BlackScholes.MonteCarloCallPrice(_option[0], _option[1], _option[2], _option[3], BlackScholesGradients.DefaultStrike, _normals);

    [Benchmark(Baseline = true)]
    public double HandWritten() => BlackScholesGradients.MonteCarloHandWritten(_option, BlackScholesGradients.DefaultStrike, _normals, _greeks);

#if GENERATED_BLACKSCHOLES
    [Benchmark]
    public double Generated() => BlackScholesGradients.MonteCarloGenerated(_option, BlackScholesGradients.DefaultStrike, _normals, _greeks);
#endif

    [Benchmark]
    public double Tape() => BlackScholesTape.MonteCarloGradient(_option, BlackScholesGradients.DefaultStrike, _normals, _greeks);

    [Benchmark]
    public double FiniteDifferences() => BlackScholesGradients.MonteCarloFiniteDifferences(_option, BlackScholesGradients.DefaultStrike, _normals, _greeks);
}

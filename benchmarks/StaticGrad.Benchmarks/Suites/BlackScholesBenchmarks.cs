using BenchmarkDotNet.Attributes;
using StaticGrad.Benchmarks.Workloads.BlackScholes;

namespace StaticGrad.Benchmarks.Suites;

/// <summary>Black–Scholes call price and its four first-order Greeks.</summary>
[MemoryDiagnoser]
public class BlackScholesBenchmarks
{
    private readonly double[] _option = BlackScholesGradients.DefaultOption();
    private readonly double[] _greeks = new double[4];

    [Benchmark]
    public double Objective() => BlackScholes.CallPrice(_option[0], _option[1], _option[2], _option[3], BlackScholesGradients.DefaultStrike);

    [Benchmark(Baseline = true)]
    public double HandWritten() => BlackScholesGradients.HandWritten(_option, BlackScholesGradients.DefaultStrike, _greeks);

#if GENERATED_BLACKSCHOLES
    [Benchmark]
    public double Generated() => BlackScholesGradients.Generated(_option, BlackScholesGradients.DefaultStrike, _greeks);
#endif

    [Benchmark]
    public double Tape() => BlackScholesTape.Gradient(_option, BlackScholesGradients.DefaultStrike, _greeks);

    [Benchmark]
    public double FiniteDifferences() => BlackScholesGradients.FiniteDifferences(_option, BlackScholesGradients.DefaultStrike, _greeks);
}

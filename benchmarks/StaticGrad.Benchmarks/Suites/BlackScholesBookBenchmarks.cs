using BenchmarkDotNet.Attributes;
using StaticGrad.Benchmarks.Workloads.BlackScholes;

namespace StaticGrad.Benchmarks.Suites;

/// <summary>
/// Black–Scholes' Greeks over a book of 64 options (one operation = the whole book), beside
/// <see cref="BlackScholesBenchmarks"/>' one option priced again and again: in the book d1 and d2 change sign from one
/// option to the next, as in a portfolio, where the single option lets the branch predictor learn Φ's path exactly
/// (session 22, docs/benchmarks.md). Every column runs the same loop.
/// </summary>
[MemoryDiagnoser]
public class BlackScholesBookBenchmarks
{
    private readonly BlackScholesBook _book = BlackScholesBook.Create();

    [Benchmark]
    public double Objective() => _book.Sweep<ObjectiveOnly>();

    [Benchmark(Baseline = true)]
    public double HandWritten() => _book.Sweep<HandWrittenGreeks>();

#if GENERATED_BLACKSCHOLES
    [Benchmark]
    public double Generated() => _book.Sweep<GeneratedGreeks>();
#endif

    [Benchmark]
    public double Tape() => _book.Sweep<TapeGreeks>();

    [Benchmark]
    public double FiniteDifferences() => _book.Sweep<FiniteDifferenceGreeks>();
}

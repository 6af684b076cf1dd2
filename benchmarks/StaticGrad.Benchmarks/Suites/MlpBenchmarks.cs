using BenchmarkDotNet.Attributes;
using StaticGrad.Benchmarks.Workloads.Mlp;

namespace StaticGrad.Benchmarks.Suites;

/// <summary>One MLP training step (gradient of the batch loss, then SGD) at batch 64.</summary>
[MemoryDiagnoser]
public class MlpBenchmarks
{
    private MlpProblem _problem = null!;
    private double[] _gradient = null!;
    private MlpTapeModel _tapeModel = null!;

    [GlobalSetup]
    public void Setup()
    {
        _problem = new MlpProblem();
        _gradient = new double[_problem.ParameterCount];
        _tapeModel = new MlpTapeModel(_problem);
    }

    [Benchmark]
    public double Objective() => _problem.Loss();

    [Benchmark(Baseline = true)]
    public double HandWritten() => Step(MlpGradients.HandWritten(_problem, _gradient));

#if GENERATED_MLP
    [Benchmark]
    public double Generated() => Step(MlpGradients.Generated(_problem, _gradient));
#endif

    [Benchmark]
    public double Tape() => _tapeModel.Step();

    [Benchmark]
    public double FiniteDifferences() => Step(MlpGradients.FiniteDifferences(_problem, _gradient));

    private double Step(double loss)
    {
        _problem.Update(_gradient);
        return loss;
    }
}

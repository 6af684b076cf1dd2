using BenchmarkDotNet.Attributes;
using StaticGrad.Benchmarks.Workloads.Mlp;
using StaticGrad.Benchmarks.Workloads.TensorMethods;

namespace StaticGrad.Benchmarks.Suites;

/// <summary>
/// One MLP training step (batch 64, the sizes of <see cref="MlpBenchmarks"/>) written as a Tensor-bodied
/// [Differentiable] method: the runtime tape vs the generated static backward vs the fused node.
/// </summary>
[MemoryDiagnoser]
public class TensorMethodBenchmarks
{
    private TensorMlpModel _tape = null!;
    private TensorMlpModel _static = null!;
    private TensorMlpModel _fused = null!;

    [GlobalSetup]
    public void Setup()
    {
        var problem = new MlpProblem();
        _tape = new TensorMlpModel(problem);
        _static = new TensorMlpModel(problem);
        _fused = new TensorMlpModel(problem);

        // A fast gradient that is wrong is worthless: the static one must equal the tape's before anything is timed.
        var expected = _tape.TapeGradients();
        var actual = _static.StaticGradients();
        for (var i = 0; i < expected.Length; i++)
        {
            var difference = (expected[i] - actual[i]).Abs().Max().Item();
            if (difference > 1e-12)
            {
                throw new InvalidOperationException($"Static backward gradient {i} differs from the tape by {difference}.");
            }
        }
    }

    [Benchmark(Baseline = true)]
    public double Tape() => _tape.TapeStep();

    [Benchmark]
    public double StaticBackward() => _static.StaticStep();

    [Benchmark]
    public double Fused() => _fused.FusedStep();
}

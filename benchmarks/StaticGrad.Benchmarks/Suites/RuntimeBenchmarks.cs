using BenchmarkDotNet.Attributes;
using StaticGrad.Benchmarks.Workloads.Runtime;

namespace StaticGrad.Benchmarks.Suites;

/// <summary>
/// The tensor runtime's kernels (issue 17): matrix products, an elementwise chain, an MLP training step, softmax,
/// reductions and broadcasting, forward and backward, on one thread (<see cref="Autograd.NumThreads"/> = 1, set in the
/// setup rather than with <c>DOTNET_PROCESSOR_COUNT=1</c>, which delays tiered compilation tenfold); the same workloads
/// run side by side with TorchSharp in benchmarks/TorchSharpComparison.
/// </summary>
[MemoryDiagnoser]
public class RuntimeMatMulBenchmarks
{
    private RuntimeWorkloads _workloads = null!;

    [Params(64, 256, 1024)]
    public int Size { get; set; }

    [Params(DType.Float64, DType.Float32)]
    public DType DType { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        Autograd.NumThreads = 1;
        _workloads = new RuntimeWorkloads(Size, DType);
    }

    [Benchmark]
    public Tensor MatMul() => _workloads.MatMul();
}

/// <inheritdoc cref="RuntimeMatMulBenchmarks"/>
[MemoryDiagnoser]
public class RuntimeGraphBenchmarks
{
    private RuntimeWorkloads _workloads = null!;

    [Params(DType.Float64, DType.Float32)]
    public DType DType { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        Autograd.NumThreads = 1;
        _workloads = new RuntimeWorkloads(2, DType);
    }

    [Benchmark]
    public void ElementwiseChain() => _workloads.ElementwiseChain();

    [Benchmark]
    public void MlpStep() => _workloads.MlpStep();

    [Benchmark]
    public void Softmax() => _workloads.Softmax();

    [Benchmark]
    public void SumDim() => _workloads.SumDim();

    [Benchmark]
    public void BroadcastAdd() => _workloads.BroadcastAdd();
}

using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Diagnosers;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Toolchains.InProcess.Emit;
using StaticGrad;
using SgDType = StaticGrad.DType;
using StaticGrad.Benchmarks.Workloads.Runtime;
using TorchSharp;

namespace TorchSharpComparison;

/// <summary>
/// One BenchmarkDotNet run, in ONE process (in-process toolchain), of every runtime workload on StaticGrad and on
/// TorchSharp, one thread each; the Ratio column is StaticGrad's time over TorchSharp's (the baseline) per workload.
/// Run with <c>DOTNET_PROCESSOR_COUNT=1</c> so that <see cref="Autograd.NumThreads"/> is 1.
/// </summary>
public sealed class ComparisonConfig : ManualConfig
{
    public ComparisonConfig()
    {
        AddJob(Job.Default.WithToolchain(InProcessEmitToolchain.Instance).WithWarmupCount(8).WithIterationCount(15).WithId("InProcess"));
        AddDiagnoser(MemoryDiagnoser.Default);
        AddColumnProvider(DefaultColumnProviders.Instance);
        AddColumn(CategoriesColumn.Default);
        AddLogger(BenchmarkDotNet.Loggers.ConsoleLogger.Default);
        AddExporter(BenchmarkDotNet.Exporters.MarkdownExporter.GitHub);
        WithOrderer(new BenchmarkDotNet.Order.DefaultOrderer(BenchmarkDotNet.Order.SummaryOrderPolicy.Declared));
        AddLogicalGroupRules(BenchmarkLogicalGroupRule.ByCategory);
        Options |= ConfigOptions.JoinSummary;
    }
}

/// <summary>Sets one thread on both libraries.</summary>
public abstract class OneThread
{
    protected static void SetOneThread()
    {
        torch.set_num_threads(1);
        Autograd.NumThreads = 1;
    }
}

/// <summary>C = A·B for n = 64, 256, 1024.</summary>
public class MatMulComparison : OneThread
{
    private RuntimeWorkloads _s = null!;
    private TorchWorkloads _t = null!;

    [Params(64, 256, 1024)]
    public int Size { get; set; }

    [Params("f64", "f32")]
    public string DType { get; set; } = "f64";

    [GlobalSetup]
    public void Setup()
    {
        SetOneThread();
        _s = new RuntimeWorkloads(Size, DType == "f64" ? SgDType.Float64 : SgDType.Float32);
        _t = new TorchWorkloads(Size, DType == "f64" ? torch.ScalarType.Float64 : torch.ScalarType.Float32);
    }

    [Benchmark(Baseline = true)]
    [BenchmarkCategory("MatMul")]
    public void MatMulTorchSharp() => _t.MatMul();

    [Benchmark]
    [BenchmarkCategory("MatMul")]
    public Tensor MatMulStaticGrad() => _s.MatMul();
}

/// <summary>The graph workloads: elementwise chain, MLP step, softmax, Sum(dim), broadcast add, forward and backward.</summary>
public class GraphComparison : OneThread
{
    private RuntimeWorkloads _s = null!;
    private TorchWorkloads _t = null!;

    [Params("f64", "f32")]
    public string DType { get; set; } = "f64";

    [GlobalSetup]
    public void Setup()
    {
        SetOneThread();
        _s = new RuntimeWorkloads(2, DType == "f64" ? SgDType.Float64 : SgDType.Float32);
        _t = new TorchWorkloads(2, DType == "f64" ? torch.ScalarType.Float64 : torch.ScalarType.Float32);
    }

    [Benchmark(Baseline = true)]
    [BenchmarkCategory("Chain")]
    public void ChainTorchSharp() => _t.ElementwiseChain();

    [Benchmark]
    [BenchmarkCategory("Chain")]
    public void ChainStaticGrad() => _s.ElementwiseChain();

    [Benchmark(Baseline = true)]
    [BenchmarkCategory("Mlp")]
    public void MlpTorchSharp() => _t.MlpStep();

    [Benchmark]
    [BenchmarkCategory("Mlp")]
    public void MlpStaticGrad() => _s.MlpStep();

    [Benchmark(Baseline = true)]
    [BenchmarkCategory("Softmax")]
    public void SoftmaxTorchSharp() => _t.Softmax();

    [Benchmark]
    [BenchmarkCategory("Softmax")]
    public void SoftmaxStaticGrad() => _s.Softmax();

    [Benchmark(Baseline = true)]
    [BenchmarkCategory("SumDim")]
    public void SumDimTorchSharp() => _t.SumDim();

    [Benchmark]
    [BenchmarkCategory("SumDim")]
    public void SumDimStaticGrad() => _s.SumDim();

    [Benchmark(Baseline = true)]
    [BenchmarkCategory("BroadcastAdd")]
    public void BroadcastAddTorchSharp() => _t.BroadcastAdd();

    [Benchmark]
    [BenchmarkCategory("BroadcastAdd")]
    public void BroadcastAddStaticGrad() => _s.BroadcastAdd();
}

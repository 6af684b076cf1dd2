using BenchmarkDotNet.Attributes;
using StaticGrad.Benchmarks.Workloads.Lifted;

namespace StaticGrad.Benchmarks.Suites;

/// <summary>
/// A [Differentiable] scalar GELU lifted to tensors (ONE graph node whose backward runs the generated scalar gradient
/// per element) against the same function built from runtime tensor ops (a node and a temporary per op), on 10⁵
/// float64 elements: forward + backward with grad, and the forward alone under NoGrad.
/// </summary>
[MemoryDiagnoser]
public class LiftedBenchmarks
{
    private Tensor _x = null!;

    [GlobalSetup]
    public void Setup() => _x = GeluKernel.Input(LiftedBenchmarkSize.Elements, requiresGrad: true);

    [Benchmark(Baseline = true)]
    public double LiftedForwardBackward()
    {
        _x.Grad = null;
        var y = GeluKernel.Gelu(_x).Sum();
        y.Backward();
        return y.Item();
    }

    [Benchmark]
    public double RuntimeOpsForwardBackward()
    {
        _x.Grad = null;
        var y = GeluKernel.GeluByOps(_x).Sum();
        y.Backward();
        return y.Item();
    }

    [Benchmark]
    public double LiftedForwardNoGrad()
    {
        using (Autograd.NoGrad())
        {
            return GeluKernel.Gelu(_x).Sum().Item();
        }
    }

    [Benchmark]
    public double RuntimeOpsForwardNoGrad()
    {
        using (Autograd.NoGrad())
        {
            return GeluKernel.GeluByOps(_x).Sum().Item();
        }
    }
}

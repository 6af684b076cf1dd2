namespace StaticGrad.Tests.Kernels;

using StaticGrad;

/// <summary>Elementwise kernels split over threads give bit-identical results to one thread, tails included.</summary>
public class ParallelElementwiseTests
{
    [Theory]
    [InlineData(DType.Float64)]
    [InlineData(DType.Float32)]
    public void ResultsDoNotDependOnTheThreadCount(DType dtype)
    {
        // Not a multiple of 64 or of any vector width, so the last chunk ends in a scalar tail.
        var x = Tensor.Randn([300_007], seed: 11, dtype: dtype) * 4.0;
        var y = Tensor.Randn([300_007], seed: 12, dtype: dtype);
        Func<Tensor>[] ops = [() => x.Exp(), () => x.Tanh(), () => x.Sigmoid(), () => x * y, () => x - 3.5, () => 2.0 / y];
        int saved = Autograd.NumThreads;
        try
        {
            foreach (var op in ops)
            {
                Autograd.NumThreads = 1;
                var one = op().ToArray();
                Autograd.NumThreads = 4;
                var four = op().ToArray();
                Assert.Equal(one, four);
            }
        }
        finally
        {
            Autograd.NumThreads = saved;
        }
    }

    [Fact]
    public void SmallTensorsAndOneThreadRunOnTheCallingThread()
    {
        Assert.Equal(1, ParallelElementwise.Chunks((2 * ParallelElementwise.MinElementsPerThread) - 1));
        int saved = Autograd.NumThreads;
        try
        {
            Autograd.NumThreads = 1;
            Assert.Equal(1, ParallelElementwise.Chunks(10_000_000));
            Autograd.NumThreads = 3;
            Assert.Equal(3, ParallelElementwise.Chunks(10_000_000));
        }
        finally
        {
            Autograd.NumThreads = saved;
        }
    }
}

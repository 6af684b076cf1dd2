using StaticGrad.Optim;

namespace StaticGrad.Tests.Optim;

/// <summary>Optimizers update parameters and their state tensors in place, without parameter-sized temporaries.</summary>
public sealed class InPlaceUpdateTests
{
    private const int Size = 100_000;

    private static long AllocatedBySteps(Optimizer optimizer, int steps)
    {
        optimizer.Step();
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < steps; i++)
        {
            optimizer.Step();
        }

        return (GC.GetAllocatedBytesForCurrentThread() - before) / steps;
    }

    public static TheoryData<string> Optimizers => new() { "sgd", "sgd-momentum", "adam", "adamw-amsgrad" };

    private static Optimizer Create(string name, Tensor p) => name switch
    {
        "sgd" => new Sgd([p], lr: 0.01),
        "sgd-momentum" => new Sgd([p], lr: 0.01, momentum: 0.9, weightDecay: 1e-4, nesterov: true),
        "adam" => new Adam([p], lr: 0.01),
        _ => new AdamW([p], lr: 0.01, amsgrad: true),
    };

    [Theory]
    [MemberData(nameof(Optimizers))]
    public void AStepAllocatesFarLessThanTheParameter(string name)
    {
        var p = Tensor.Randn([Size], seed: 1).SetRequiresGrad();
        p.Grad = Tensor.Randn([Size], seed: 2);
        var optimizer = Create(name, p);
        long perStep = AllocatedBySteps(optimizer, 5);

        // A copy of the parameter alone would be 800 kB; bookkeeping (state lookups, the step counter) stays small.
        Assert.True(perStep < 4096, $"{name}: {perStep} bytes per step");
    }

    [Fact]
    public void StateTensorsAreTheSameObjectsAcrossSteps()
    {
        var p = Tensor.Randn([8], seed: 3).SetRequiresGrad();
        p.Grad = Tensor.Randn([8], seed: 4);
        var optimizer = new Adam([p], lr: 0.1);
        optimizer.Step();
        var m = optimizer.State[p]["exp_avg"];
        var before = m.ToArray();
        optimizer.Step();
        Assert.Same(m, optimizer.State[p]["exp_avg"]);
        Assert.NotEqual(before, m.ToArray());
        Assert.Equal(1, m.Version);
        Assert.Equal(2, p.Version);
    }

    [Fact]
    public void ANonContiguousLeafIsUpdatedThroughItsStrides()
    {
        var p = Tensor.FromArray([1.0, 2, 3, 4, 5, 6], [2, 3]).T.SetRequiresGrad();
        Assert.False(p.IsContiguous);
        p.Grad = Tensor.Ones([3, 2]);
        new Sgd([p], lr: 0.5).Step();
        Assert.Equal(new[] { 0.5, 3.5, 1.5, 4.5, 2.5, 5.5 }, p.ToArray());
        Assert.Equal(1, p.Version);
    }
}

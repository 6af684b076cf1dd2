namespace StaticGrad.Tests.Tensors;

using StaticGrad;
using StaticGrad.Nn;
using StaticGrad.Optim;

/// <summary>
/// What a backward pass gives back to the pool without a collection, counted exactly: runs alone (the pool's counters
/// are shared by every test).
/// </summary>
[Collection(StoragePoolCapCollection.Name)]
public class BackwardArenaReturnTests
{
    private const int N = 4096;

    [Fact]
    public void APlainPassReturnsItsIntermediateGradientsAndKeepsTheLeafGradient()
    {
        var x = Tensor.Randn([N], seed: 21).SetRequiresGrad();
        var y = (x * x).Exp().Sum();
        long before = StoragePool.ReturnedByBackward;
        y.Backward();

        // The gradient of exp and one of the two products of x·x go back; the other product becomes x.Grad.
        Assert.True(StoragePool.ReturnedByBackward - before >= 2, $"{StoragePool.ReturnedByBackward - before} returned");
        var xs = x.ToArray();
        var grad = x.Grad!.ToArray();
        for (int i = 0; i < N; i++)
        {
            double expected = 2 * xs[i] * Math.Exp(xs[i] * xs[i]);
            Assert.True(Math.Abs(grad[i] - expected) <= 1e-12 * Math.Max(1, Math.Abs(expected)), $"{i}: {grad[i]} vs {expected}");
        }
    }

    [Fact]
    public void APassThatRecordsAGraphReturnsNothing()
    {
        var x = Tensor.Randn([N], seed: 22).SetRequiresGrad();
        var y = (x * x * x).Sum();
        long before = StoragePool.ReturnedByBackward;
        var g = Autograd.Grad(y, x, createGraph: true)!;
        Assert.Equal(before, StoragePool.ReturnedByBackward);

        // Second derivative of Σx³ is 6x: the first-order gradient's graph is intact.
        var gg = Autograd.Grad(g.Sum(), x)!.ToArray();
        var xs = x.ToArray();
        for (int i = 0; i < N; i++)
        {
            Assert.True(Math.Abs(gg[i] - (6 * xs[i])) <= 1e-12 * Math.Max(1, Math.Abs(gg[i])), $"{i}: {gg[i]} vs 6·{xs[i]}");
        }
    }

    [Fact]
    public void ReturnedStoragesArePoisonedAndEscapedOnesAreKept()
    {
        var arena = StorageArena.Open()!;
        Tensor returned, escaped, small;
        try
        {
            returned = Tensor.Zeros([N]);
            escaped = Tensor.Ones([N]);
            escaped._storage.Escaped = true;
            small = Tensor.Ones([8]);
        }
        finally
        {
            arena.Close(release: true);
        }

        Assert.ThrowsAny<ArgumentException>(() => returned.ToArray());
        Assert.All(escaped.ToArray(), v => Assert.Equal(1.0, v));
        Assert.All(small.ToArray(), v => Assert.Equal(1.0, v));
    }

    [Fact]
    public void ASuspendedArenaRecordsNothingAndAFailedPassReturnsNothing()
    {
        var arena = StorageArena.Open()!;
        Tensor during, after;
        try
        {
            using (StorageArena.Suspend())
            {
                during = Tensor.Ones([N]);
            }

            after = Tensor.Ones([N]);
        }
        finally
        {
            arena.Close(release: false);
        }

        Assert.All(during.ToArray(), v => Assert.Equal(1.0, v));
        Assert.All(after.ToArray(), v => Assert.Equal(1.0, v));
    }

    [Fact]
    public void ATrainingStepReturnsItsBackwardArraysEveryStep()
    {
        var model = new Sequential(new Linear(784, 128, dtype: DType.Float32, generator: new RandomGenerator(5)), new ReLU(), new Linear(128, 10, dtype: DType.Float32, generator: new RandomGenerator(6)));
        var sgd = new Sgd(model.Parameters(), lr: 0.01);
        var images = Tensor.Randn([64, 784], seed: 7, dtype: DType.Float32);
        var labels = Tensor.FromArray(Enumerable.Range(0, 64).Select(i => (long)(i % 10)).ToArray());
        var loss = new CrossEntropyLoss();
        void Step()
        {
            sgd.ZeroGrad();
            loss.Forward(model.Forward(images), labels).Backward();
            sgd.Step();
        }

        for (int i = 0; i < 5; i++)
        {
            Step();
        }

        const int steps = 20;
        long before = StoragePool.ReturnedByBackward;
        for (int i = 0; i < steps; i++)
        {
            Step();
        }

        // Per step at least the weight gradient of the first layer before its transpose, the hidden gradients and the
        // scores' gradient come back.
        long perStep = (StoragePool.ReturnedByBackward - before) / steps;
        Assert.True(perStep >= 3, $"{perStep} arrays returned per step");
    }
}

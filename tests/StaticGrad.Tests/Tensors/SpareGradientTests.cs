namespace StaticGrad.Tests.Tensors;

using StaticGrad;
using StaticGrad.Nn;
using StaticGrad.Optim;

/// <summary>
/// <c>ZeroGrad()</c> (set to none) keeps a gradient that no user code ever saw as the leaf's spare, and the next backward
/// pass writes into its storage: the values, versions and identities the user can see are PyTorch's, and a gradient the
/// user read is never written again.
/// </summary>
public class SpareGradientTests
{
    [Fact]
    public void ATrainingLoopThatSetsGradientsToNoneReusesEachGradientsStorage()
    {
        var model = new Sequential(new Linear(40, 30, generator: new RandomGenerator(1)), new ReLU(), new Linear(30, 5, generator: new RandomGenerator(2)));
        var sgd = new Sgd(model.Parameters(), lr: 0.05);
        var input = Tensor.Randn([16, 40], seed: 3);
        var target = Tensor.FromArray(Enumerable.Range(0, 16).Select(i => (long)(i % 5)).ToArray());
        var loss = new CrossEntropyLoss();
        var parameters = model.Parameters().ToList();
        Storage[]? previous = null;
        for (int step = 0; step < 6; step++)
        {
            sgd.ZeroGrad();
            Assert.All(parameters, p => Assert.Null(p.GradRaw));
            loss.Forward(model.Forward(input), target).Backward();

            // The reference: the same gradients from Autograd.Grad, which never touches the leaves' Grad.
            var expected = Autograd.Grad(loss.Forward(model.Forward(input), target), parameters.Cast<Tensor>().ToList());
            var storages = parameters.Select(p => p.GradRaw!._storage).ToArray();
            for (int k = 0; k < parameters.Count; k++)
            {
                Assert.Equal(expected[k]!.ToArray(), parameters[k].GradRaw!.ToArray());
                if (previous is not null && storages[k].Length >= StoragePool.MinPooledLength)
                {
                    Assert.Same(previous[k], storages[k]);
                }
            }

            previous = storages;
            sgd.Step();
        }
    }

    [Fact]
    public void AGradientTheUserReadIsNeverWrittenByLaterSteps()
    {
        var w = Tensor.Randn([30, 40], seed: 4).SetRequiresGrad();
        var x = Tensor.Randn([8, 40], seed: 5);
        var sgd = new Sgd([w], lr: 0.01);
        var held = new List<(Tensor Grad, double[] Values)>();
        for (int step = 0; step < 8; step++)
        {
            sgd.ZeroGrad();
            (x.MatMul(w.T) * (step + 1.0)).Sum().Backward();
            if (step % 2 == 0)
            {
                var g = w.Grad!;
                held.Add((g, g.ToArray()));
            }

            sgd.Step();
        }

        Assert.Equal(4, held.Select(h => h.Grad).Distinct().Count());
        Assert.Equal(4, held.Select(h => h.Grad._storage).Distinct().Count());
        foreach (var (grad, values) in held)
        {
            Assert.Equal(values, grad.ToArray());
        }
    }

    [Fact]
    public void AReusedGradientHasTheVersionPyTorchGives()
    {
        // Stolen buffer (x·3 sends a fresh contiguous gradient to x): PyTorch's grad keeps the buffer's version 0.
        var x = Tensor.Randn([600], seed: 6).SetRequiresGrad();
        // Copied gradient (w reaches the product through a transpose, a view): PyTorch's copy is at version 1.
        var w = Tensor.Randn([20, 30], seed: 7).SetRequiresGrad();
        var a = Tensor.Randn([10, 30], seed: 8);
        var sgd = new Sgd([x, w], lr: 0.01);
        int[]? first = null;
        Storage[]? storages = null;
        for (int step = 0; step < 3; step++)
        {
            sgd.ZeroGrad();
            ((x * 3.0).Sum() + a.MatMul(w.T).Sum()).Backward();
            var versions = new[] { x.GradRaw!.Version, w.GradRaw!.Version };
            var now = new[] { x.GradRaw!._storage, w.GradRaw!._storage };
            first ??= versions;
            storages ??= now;
            Assert.Equal(new[] { 0, 1 }, versions);
            Assert.Same(storages[0], now[0]);
            Assert.Same(storages[1], now[1]);
            Assert.All(x.GradRaw!.ToArray(), v => Assert.Equal(3.0, v));
        }
    }

    [Fact]
    public void AGradientAssignedByTheUserIsNeverReused()
    {
        var w = Tensor.Randn([500], seed: 9).SetRequiresGrad();
        var mine = Tensor.Ones([500]);
        w.Grad = mine;
        var sgd = new Sgd([w], lr: 0.01);
        sgd.ZeroGrad();
        (w * 2.0).Sum().Backward();
        Assert.All(mine.ToArray(), v => Assert.Equal(1.0, v));
        Assert.NotSame(mine._storage, w.GradRaw!._storage);
    }

    [Fact]
    public void AThreadReadingGradientsWhileAnotherTrainsOnlyEverSeesWholeGradientsThatStayPut()
    {
        var w = Tensor.Randn([2000], seed: 10).SetRequiresGrad();
        var basis = Tensor.Randn([2000], seed: 11);
        var b = basis.ToArray();
        var sgd = new Sgd([w], lr: 0);
        var held = new System.Collections.Concurrent.ConcurrentBag<(Tensor Grad, double[] Values)>();
        var done = 0;
        var reader = new Thread(() =>
        {
            while (Volatile.Read(ref done) == 0)
            {
                if (w.Grad is { } g && held.Count < 200)
                {
                    held.Add((g, g.ToArray()));
                }
            }
        });
        reader.Start();
        // At least 300 steps, and on a loaded machine more, until the reader thread has been scheduled and kept some.
        var clock = System.Diagnostics.Stopwatch.StartNew();
        for (int step = 0; step < 300 || (held.Count < 20 && clock.Elapsed < TimeSpan.FromSeconds(30)); step++)
        {
            sgd.ZeroGrad();
            (w * basis * (step + 1.0)).Sum().Backward();
        }

        Volatile.Write(ref done, 1);
        reader.Join();
        Assert.NotEmpty(held);
        foreach (var (grad, values) in held)
        {
            // Each gradient the reader got is (step + 1)·basis for one step, whole, and unchanged since.
            double c = values[0] / b[0];
            Assert.Equal(Math.Round(c), c, 9);
            for (int i = 0; i < b.Length; i++)
            {
                Assert.True(Math.Abs(values[i] - (c * b[i])) <= 1e-9 * Math.Max(1, Math.Abs(values[i])), $"element {i}: {values[i]} vs {c}·{b[i]}");
            }

            Assert.Equal(values, grad.ToArray());
        }
    }
}

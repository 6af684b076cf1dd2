namespace StaticGrad.Tests.Tensors;

using StaticGrad;
using StaticGrad.Nn;

/// <summary>
/// A backward pass returns its intermediate gradients' arrays to the pool when it ends (<see cref="StorageArena"/>);
/// every tensor the user can still reach keeps its values while later passes of the same sizes reuse those arrays.
/// A tensor whose storage was wrongly returned fails on access (the storage is poisoned) or shows another pass's data.
/// </summary>
public class BackwardArenaTests
{
    private const int N = 4096;

    [Fact]
    public void LeafGradientsSurviveLaterPassesThatReuseTheirArrays()
    {
        var x = Tensor.Randn([N], seed: 11).SetRequiresGrad();
        (x * x).Exp().Sum().Backward();
        var xs = x.ToArray();
        var grad = x.Grad!;
        var snapshot = grad.ToArray();
        for (int i = 0; i < N; i++)
        {
            // d/dx exp(x²) = 2x·exp(x²); tolerance 1e-12 relative.
            double expected = 2 * xs[i] * Math.Exp(xs[i] * xs[i]);
            Assert.True(Math.Abs(snapshot[i] - expected) <= 1e-12 * Math.Max(1, Math.Abs(expected)), $"{i}: {snapshot[i]} vs {expected}");
        }

        Churn([N]);
        Assert.Equal(snapshot, grad.ToArray());
        Assert.Same(grad, x.Grad);
    }

    [Fact]
    public void RetainedGradientsOfNonLeavesSurvive()
    {
        var x = Tensor.Randn([N], seed: 12).SetRequiresGrad();
        var h = x.Tanh();
        h.RetainGrad();
        var g = (h * h).Exp();
        g.RetainGrad();
        (g * 3.0).Sum().Backward();
        var hGrad = h.Grad!.ToArray();
        var gGrad = g.Grad!.ToArray();
        var hs = h.ToArray();
        for (int i = 0; i < N; i++)
        {
            Assert.Equal(3.0, gGrad[i]);
            double expected = 3.0 * 2 * hs[i] * Math.Exp(hs[i] * hs[i]);
            Assert.True(Math.Abs(hGrad[i] - expected) <= 1e-12 * Math.Max(1, Math.Abs(expected)));
        }

        Churn([N]);
        Assert.Equal(hGrad, h.Grad!.ToArray());
        Assert.Equal(gGrad, g.Grad!.ToArray());
    }

    [Fact]
    public void ResultsOfAutogradGradSurvive()
    {
        var x = Tensor.Randn([N], seed: 13).SetRequiresGrad();
        var h = x * x;
        var y = (h.Exp() + h.Sin()).Sum();
        var grads = Autograd.Grad(y, [h, x]);
        var gh = grads[0]!.ToArray();
        var gx = grads[1]!.ToArray();
        var hs = h.ToArray();
        var xs = x.ToArray();
        for (int i = 0; i < N; i++)
        {
            double expected = Math.Exp(hs[i]) + Math.Cos(hs[i]);
            Assert.True(Math.Abs(gh[i] - expected) <= 1e-12 * Math.Max(1, Math.Abs(expected)));
            Assert.True(Math.Abs(gx[i] - (2 * xs[i] * expected)) <= 1e-12 * Math.Max(1, Math.Abs(2 * xs[i] * expected)));
        }

        Churn([N]);
        Assert.Equal(gh, grads[0]!.ToArray());
        Assert.Equal(gx, grads[1]!.ToArray());
    }

    [Fact]
    public void ForwardResultsViewsAndDetachedAliasesSurvive()
    {
        var x = Tensor.Randn([64, 64], seed: 14).SetRequiresGrad();
        var a = x * 2.0;
        var view = a.View(N).Narrow(0, 100, 1000);
        var transposed = a.T;
        var detached = (x + 1.0).Detach();
        var soft = a.Softmax(1);
        var logSoft = a.LogSoftmax(0);
        var loss = (soft * a).Sum() + logSoft.Sum() + view.Sum() + transposed.Exp().Sum();
        var kept = new[] { a, view, transposed, detached, soft, logSoft };
        var snapshots = kept.Select(t => t.ToArray()).ToArray();
        loss.Backward();
        var grad = x.Grad!.ToArray();
        Churn([64, 64]);
        for (int i = 0; i < kept.Length; i++)
        {
            Assert.Equal(snapshots[i], kept[i].ToArray());
        }

        Assert.Equal(grad, x.Grad!.ToArray());
    }

    [Fact]
    public void GradientsAUserFunctionKeepsOrReturnsSurvive()
    {
        var x = Tensor.Randn([N], seed: 15).SetRequiresGrad();
        var stash = new List<Tensor>();
        var y = Stash.Apply(x * 3.0, stash).Exp().Sum();
        y.Backward();
        Assert.Single(stash);
        var kept = stash[0].ToArray();
        var grad = x.Grad!.ToArray();
        var xs = x.ToArray();
        for (int i = 0; i < N; i++)
        {
            // The function passes its output gradient exp(3x) through unchanged; d/dx = 3·exp(3x).
            Assert.True(Math.Abs(kept[i] - Math.Exp(3 * xs[i])) <= 1e-12 * Math.Exp(3 * xs[i]), $"{i}: {kept[i]}");
            Assert.True(Math.Abs(grad[i] - (3 * kept[i])) <= 1e-12 * Math.Max(1, Math.Abs(grad[i])));
        }

        Churn([N]);
        Assert.Equal(kept, stash[0].ToArray());
        Assert.Equal(grad, x.Grad!.ToArray());
    }

    [Fact]
    public void RetainGraphAllowsASecondPassThatAccumulatesTheSameGradient()
    {
        var x = Tensor.Randn([N], seed: 16).SetRequiresGrad();
        var h = x.Sigmoid();
        var y = (h * x).Exp().Sum();
        y.Backward(retainGraph: true);
        var first = x.Grad!.ToArray();
        Churn([N]);
        y.Backward();
        var second = x.Grad!.ToArray();
        for (int i = 0; i < N; i++)
        {
            Assert.True(Math.Abs(second[i] - (2 * first[i])) <= 1e-12 * Math.Max(1, Math.Abs(second[i])), $"{i}: {second[i]} vs 2·{first[i]}");
        }

        var hValues = h.ToArray();
        Churn([N]);
        Assert.Equal(hValues, h.ToArray());
        Assert.Equal(second, x.Grad!.ToArray());
    }

    [Fact]
    public void BackwardIntoChosenNonLeafInputsKeepsTheirGradients()
    {
        var x = Tensor.Randn([N], seed: 17).SetRequiresGrad();
        var h = x.Exp();
        var y = (h * h).Sum();
        y.Backward(inputs: [h]);
        Assert.Null(x.Grad);
        var gh = h.Grad!.ToArray();
        var hs = h.ToArray();
        for (int i = 0; i < N; i++)
        {
            Assert.True(Math.Abs(gh[i] - (2 * hs[i])) <= 1e-12 * Math.Max(1, Math.Abs(gh[i])), $"{i}: {gh[i]} vs 2·{hs[i]}");
        }

        Churn([N]);
        Assert.Equal(gh, h.Grad!.ToArray());
    }

    [Fact]
    public void AFailedPassLeavesEveryTensorIntactAndLaterPassesRight()
    {
        var x = Tensor.Randn([N], seed: 18).SetRequiresGrad();
        var h = x * 2.0;
        var y = (h.Exp() * h).Sum();
        h.AddInPlace(1.0);
        Assert.Throws<InvalidOperationException>(() => y.Backward());
        var hs = h.ToArray();
        Churn([N]);
        Assert.Equal(hs, h.ToArray());

        x.Grad = null;
        (x * x).Sum().Backward();
        var xs = x.ToArray();
        var grad = x.Grad!.ToArray();
        for (int i = 0; i < N; i++)
        {
            Assert.Equal(2 * xs[i], grad[i]);
        }
    }

    [Fact]
    public void ThreadsRunningBackwardAtOnceKeepEveryGradientTheyWereGiven()
    {
        const int steps = 25;
        RunOnThreads(4, (t, failures) =>
        {
            var w = Tensor.Randn([N], seed: 100 + t).SetRequiresGrad();
            var ws = w.ToArray();
            var kept = new List<(Tensor Grad, double C)>();
            for (int s = 0; s < steps; s++)
            {
                double c = 0.5 + (0.1 * s) + t;
                w.Grad = null;
                ((w * c).Tanh() * w).Sum().Backward();
                kept.Add((w.Grad!, c));
                _ = (w * c).Exp() + w;
            }

            // d/dw Σ tanh(c·w)·w = tanh(c·w) + c·w·(1 − tanh²(c·w)); tolerance 1e-12.
            foreach (var (grad, c) in kept)
            {
                var values = grad.ToArray();
                for (int i = 0; i < N; i++)
                {
                    double th = Math.Tanh(c * ws[i]);
                    double expected = th + (c * ws[i] * (1 - (th * th)));
                    if (Math.Abs(values[i] - expected) > 1e-12 * Math.Max(1, Math.Abs(expected)))
                    {
                        failures.Add($"thread {t}, c {c}, element {i}: {values[i]} vs {expected}");
                        break;
                    }
                }
            }
        });
    }

    [Fact]
    public void ThreadsTrainingTheirOwnLayersKeepTheirGradients()
    {
        RunOnThreads(3, (t, failures) =>
        {
            var model = new Sequential(new Linear(32, 64, generator: new RandomGenerator(200 + t)), new ReLU(), new Linear(64, 16, generator: new RandomGenerator(300 + t)));
            var input = Tensor.Randn([48, 32], seed: 400 + t);
            var target = Tensor.FromArray(Enumerable.Range(0, 48).Select(i => (long)((i + t) % 16)).ToArray());
            var loss = new CrossEntropyLoss();
            for (int s = 0; s < 20; s++)
            {
                foreach (var p in model.Parameters())
                {
                    p.Grad = null;
                }

                loss.Forward(model.Forward(input), target).Backward();
                var grads = model.Parameters().Select(p => (p.Grad!, p.Grad!.ToArray())).ToList();

                // A second pass over the same graph shape reuses whatever the first one returned.
                var again = loss.Forward(model.Forward(input), target);
                var fresh = Autograd.Grad(again, model.Parameters().Cast<Tensor>().ToList());
                for (int k = 0; k < grads.Count; k++)
                {
                    var (held, snapshot) = grads[k];
                    if (!snapshot.SequenceEqual(held.ToArray()) || !snapshot.SequenceEqual(fresh[k]!.ToArray()))
                    {
                        failures.Add($"thread {t}, step {s}, parameter {k}");
                    }
                }

                using (Autograd.NoGrad())
                {
                    foreach (var p in model.Parameters())
                    {
                        p.SubInPlace(p.Grad! * 0.1);
                    }
                }
            }
        });
    }

    /// <summary>Runs <paramref name="body"/> on that many threads at once; it records what it finds wrong, and so does an exception.</summary>
    private static void RunOnThreads(int threads, Action<int, System.Collections.Concurrent.ConcurrentBag<string>> body)
    {
        var failures = new System.Collections.Concurrent.ConcurrentBag<string>();
        var workers = Enumerable.Range(0, threads).Select(t => new Thread(() =>
        {
            try
            {
                body(t, failures);
            }
            catch (Exception e)
            {
                failures.Add($"thread {t}: {e}");
            }
        })).ToList();
        workers.ForEach(w => w.Start());
        workers.ForEach(w => w.Join());
        Assert.Empty(failures);
    }

    /// <summary>Backward passes and forward results of the given shape with other values: they rent the arrays earlier passes returned.</summary>
    private static void Churn(int[] shape)
    {
        for (int i = 0; i < 30; i++)
        {
            var z = Tensor.Randn(shape, seed: 1000 + i).SetRequiresGrad();
            ((z * z).Exp() * (z.Tanh() + 5.0)).Sum().Backward();
            _ = (z * -3.0) + z.Grad!;
        }
    }

    /// <summary>Identity whose backward keeps the gradient it receives and returns that same tensor: user code the arena cannot follow.</summary>
    private sealed class Stash : CustomFunction
    {
        private readonly List<Tensor> _kept;

        private Stash(Tensor x, List<Tensor> kept)
            : base("StashBackward", x)
        {
            _kept = kept;
        }

        public static Tensor Apply(Tensor x, List<Tensor> kept)
        {
            Tensor y;
            using (Autograd.NoGrad())
            {
                y = x.Detach();
            }

            return new Stash(x, kept).Record(y);
        }

        protected override void Backward(Tensor gradOutput, Tensor?[] gradInputs)
        {
            _kept.Add(gradOutput);
            gradInputs[0] = gradOutput;
        }
    }
}

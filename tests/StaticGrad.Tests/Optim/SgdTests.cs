using StaticGrad.Optim;

namespace StaticGrad.Tests.Optim;

using Autograd = StaticGrad.Autograd;

public sealed class SgdTests
{
    [Fact]
    public void Nesterov_step_follows_PyTorchs_rule_with_fused_multiply_adds()
    {
        var p = Tensor.FromArray([1.0, -2.0], requiresGrad: true);
        var optimizer = new Sgd([p], lr: 0.1, momentum: 0.9, weightDecay: 0.01, nesterov: true);
        double[] values = [1.0, -2.0];
        double[]? buffer = null;
        double[][] grads = [[0.3, -0.7], [1.1, 0.2], [-0.4, 0.5]];
        foreach (var grad in grads)
        {
            p.Grad = Tensor.FromArray(grad);
            optimizer.Step();
            var g = grad.Select((gi, i) => Math.FusedMultiplyAdd(0.01, values[i], gi)).ToArray();
            buffer = buffer is null ? g : buffer.Select((b, i) => Math.FusedMultiplyAdd(1.0, g[i], b * 0.9)).ToArray();
            var b2 = buffer;
            g = g.Select((gi, i) => Math.FusedMultiplyAdd(0.9, b2[i], gi)).ToArray();
            values = values.Select((v, i) => Math.FusedMultiplyAdd(-0.1, g[i], v)).ToArray();
            // Bit for bit: the same operations in the same order.
            Assert.Equal(values, p.ToArray());
            Assert.Equal(buffer, optimizer.State[p]["momentum_buffer"].ToArray());
        }
    }

    [Fact]
    public void Maximize_ascends()
    {
        var p = Tensor.FromArray([1.0], requiresGrad: true);
        var optimizer = new Sgd([p], lr: 0.5, maximize: true);
        p.Grad = Tensor.FromArray([2.0]);
        optimizer.Step();
        Assert.Equal([2.0], p.ToArray());
    }

    [Fact]
    public void Float32_parameters_are_updated_in_float32()
    {
        var p = Tensor.FromArray(new float[] { 7f, 0.3f }, requiresGrad: true);
        var optimizer = new Sgd([p], lr: 0.1);
        p.Grad = Tensor.FromArray(new float[] { 256f, 0.7f });
        optimizer.Step();
        Assert.Equal(DType.Float32, p.DType);
        Assert.Equal(
            new[] { MathF.FusedMultiplyAdd(-0.1f, 256f, 7f), MathF.FusedMultiplyAdd(-0.1f, 0.7f, 0.3f) },
            p.ToArray<float>());
    }

    [Fact]
    public void Changing_a_groups_learning_rate_takes_effect_at_the_next_step()
    {
        var p = Tensor.FromArray([1.0], requiresGrad: true);
        var optimizer = new Sgd([p], lr: 0.5);
        p.Grad = Tensor.FromArray([1.0]);
        optimizer.Step();
        optimizer.ParamGroups[0].Lr = 0.25;
        optimizer.Step();
        Assert.Equal([0.25], p.ToArray());
    }

    [Fact]
    public void Zeroing_keeps_a_zero_gradient_and_clears_a_graph_attached_to_it()
    {
        var x = Tensor.FromArray([1.0, 2.0], requiresGrad: true);
        (x * x * x).Sum().Backward(createGraph: true);
        Assert.NotNull(x.Grad!.GradFn);
        var optimizer = new Sgd([x], lr: 0.1);
        optimizer.ZeroGrad(setToNone: false);
        Assert.Null(x.Grad!.GradFn);
        Assert.False(x.Grad.RequiresGrad);
        Assert.Equal([0.0, 0.0], x.Grad.ToArray());
    }

    [Fact]
    public void A_duplicate_parameter_warns_and_is_updated_once()
    {
        var w = Tensor.FromArray([1.0], requiresGrad: true);
        var warnings = new List<string>();
        var thread = Environment.CurrentManagedThreadId;
        void OnWarning(object? sender, AutogradWarningEventArgs e)
        {
            if (Environment.CurrentManagedThreadId == thread)
            {
                warnings.Add(e.Message);
            }
        }

        Autograd.Warning += OnWarning;
        Sgd optimizer;
        try
        {
            optimizer = new Sgd([w, w], lr: 1);
        }
        finally
        {
            Autograd.Warning -= OnWarning;
        }

        Assert.Equal(
            ["optimizer contains a parameter group with duplicate parameters; in future, this will cause an error; see github.com/pytorch/pytorch/issues/40967 for more information"],
            warnings);
        w.Grad = Tensor.FromArray([1.0]);
        optimizer.Step();
        Assert.Equal([0.0], w.ToArray());
        Assert.Equal(1, w.Version);
    }

    [Theory]
    [InlineData(-0.1, 0, 0, false, "Invalid learning rate: -0.1")]
    [InlineData(0.1, -1, 0, false, "Invalid momentum value: -1.0")]
    [InlineData(0.1, 0, -0.5, false, "Invalid weight_decay value: -0.5")]
    [InlineData(0.1, 0, 0, true, "Nesterov momentum requires a momentum and zero dampening")]
    public void Invalid_options_raise_PyTorchs_messages(double lr, double momentum, double weightDecay, bool nesterov, string message)
    {
        var p = Tensor.FromArray([1.0], requiresGrad: true);
        var error = Assert.Throws<ArgumentException>(() => new Sgd([p], lr, momentum, weightDecay: weightDecay, nesterov: nesterov));
        Assert.StartsWith(message + " (Parameter", error.Message, StringComparison.Ordinal);
    }
}

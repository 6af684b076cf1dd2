using StaticGrad.Optim;

namespace StaticGrad.Tests.Optim;

public sealed class AdamTests
{
    [Theory]
    [InlineData(0.0, false, false)]
    [InlineData(0.1, false, false)]
    [InlineData(0.1, true, false)]
    [InlineData(0.0, false, true)]
    public void Steps_follow_the_reference_algorithm(double weightDecay, bool decoupled, bool amsgrad)
    {
        var p = Tensor.FromArray([0.5, -1.5, 2.0], requiresGrad: true);
        var optimizer = new Adam([p], lr: 0.01, beta1: 0.8, beta2: 0.99, eps: 1e-6, weightDecay: weightDecay, amsgrad: amsgrad, decoupledWeightDecay: decoupled);
        double[] values = [0.5, -1.5, 2.0];
        var m = new double[3];
        var v = new double[3];
        var vMax = new double[3];
        double[][] grads = [[0.1, -0.2, 0.3], [1.0, 0.5, -0.25], [-0.3, 0.3, 0.0], [0.05, -4.0, 2.0]];
        for (var t = 1; t <= grads.Length; t++)
        {
            p.Grad = Tensor.FromArray(grads[t - 1]);
            optimizer.Step();
            for (var i = 0; i < 3; i++)
            {
                var g = grads[t - 1][i];
                if (decoupled)
                {
                    values[i] *= 1 - (0.01 * weightDecay);
                }
                else
                {
                    g += weightDecay * values[i];
                }

                m[i] = (0.8 * m[i]) + (0.2 * g);
                v[i] = (0.99 * v[i]) + (0.01 * g * g);
                vMax[i] = Math.Max(vMax[i], v[i]);
                var mHat = m[i] / (1 - Math.Pow(0.8, t));
                var vHat = (amsgrad ? vMax[i] : v[i]) / (1 - Math.Pow(0.99, t));
                values[i] -= 0.01 * mHat / (Math.Sqrt(vHat) + 1e-6);
            }

            // The textbook formula and PyTorch's grouping of the same arithmetic differ in rounding only.
            Assert.Equal(values, p.ToArray(), (a, b) => Math.Abs(a - b) < 1e-12);
        }

        var keys = optimizer.State[p].Keys.Order(StringComparer.Ordinal).ToList();
        Assert.Equal(amsgrad ? ["exp_avg", "exp_avg_sq", "max_exp_avg_sq", "step"] : ["exp_avg", "exp_avg_sq", "step"], keys);
        Assert.Equal(4.0, optimizer.State[p]["step"].Item());
        Assert.Equal(4, p.Version);
    }

    [Fact]
    public void AdamW_decouples_weight_decay_by_default()
    {
        var a = Tensor.FromArray([1.0], requiresGrad: true);
        var b = Tensor.FromArray([1.0], requiresGrad: true);
        var adamW = new AdamW([a], lr: 0.1);
        var adam = new Adam([b], lr: 0.1, weightDecay: 0.01, decoupledWeightDecay: true);
        Assert.Equal(0.01, adamW.ParamGroups[0].WeightDecay);
        Assert.True(adamW.ParamGroups[0].DecoupledWeightDecay);
        a.Grad = Tensor.FromArray([0.5]);
        b.Grad = Tensor.FromArray([0.5]);
        adamW.Step();
        adam.Step();
        Assert.Equal(b.ToArray(), a.ToArray());
        Assert.True(a.Item() < 0.9);
    }

    [Fact]
    public void Float32_parameters_stay_float32()
    {
        var p = Tensor.FromArray(new float[] { 1f, 2f }, requiresGrad: true);
        var optimizer = new Adam([p], lr: 0.1);
        p.Grad = Tensor.FromArray(new float[] { 1f, -1f });
        optimizer.Step();
        Assert.Equal(DType.Float32, p.DType);
        Assert.Equal(DType.Float32, optimizer.State[p]["exp_avg"].DType);
        Assert.Equal([0.9, 2.1], p.ToArray(), (x, y) => Math.Abs(x - y) < 1e-6);
    }

    [Theory]
    [InlineData(-1.0, 0.9, 0.999, 1e-8, 0.0, "Invalid learning rate: -1.0")]
    [InlineData(0.1, 1.0, 0.999, 1e-8, 0.0, "Invalid beta parameter at index 0: 1.0")]
    [InlineData(0.1, 0.9, -0.5, 1e-8, 0.0, "Invalid beta parameter at index 1: -0.5")]
    [InlineData(0.1, 0.9, 0.999, -1e-08, 0.0, "Invalid epsilon value: -1e-08")]
    [InlineData(0.1, 0.9, 0.999, 1e-8, -0.25, "Invalid weight_decay value: -0.25")]
    public void Invalid_options_raise_PyTorchs_messages(double lr, double beta1, double beta2, double eps, double weightDecay, string message)
    {
        var p = Tensor.FromArray([1.0], requiresGrad: true);
        var error = Assert.Throws<ArgumentException>(() => new Adam([p], lr, beta1, beta2, eps, weightDecay));
        Assert.StartsWith(message + " (Parameter", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_group_without_gradients_gets_no_state_and_no_update()
    {
        var trained = Tensor.FromArray([1.0], requiresGrad: true);
        var idle = Tensor.FromArray([1.0], requiresGrad: true);
        var optimizer = new Adam([new ParamGroup([trained]), new ParamGroup([idle]) { Lr = 1.0 }], lr: 0.1);
        trained.Grad = Tensor.FromArray([1.0]);
        optimizer.Step();
        Assert.True(optimizer.State.ContainsKey(trained));
        Assert.False(optimizer.State.ContainsKey(idle));
        Assert.Equal([1.0], idle.ToArray());
        Assert.Equal(0, idle.Version);
    }
}

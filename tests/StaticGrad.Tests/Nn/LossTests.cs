using StaticGrad.Nn;

namespace StaticGrad.Tests.Nn;

public sealed class LossTests
{
    [Fact]
    public void Mse_is_the_mean_squared_error_and_its_gradient()
    {
        var input = Tensor.FromArray([1.0, 2.0, 4.0], requiresGrad: true);
        var target = Tensor.FromArray([1.5, 2.0, 3.0]);
        var loss = new MseLoss().Forward(input, target);
        // (0.25 + 0 + 1) / 3, exact to a few ulp.
        Assert.Equal(1.25 / 3, loss.Item(), 15);
        loss.Backward();
        Assert.Equal([-1.0 / 3, 0.0, 2.0 / 3], input.Grad!.ToArray(), (a, b) => Math.Abs(a - b) < 1e-15);
        Assert.Equal(1.25, new MseLoss(Reduction.Sum).Forward(input, target).Item());
        Assert.Equal([0.25, 0.0, 1.0], new MseLoss(Reduction.None).Forward(input, target).ToArray());
    }

    [Fact]
    public void Mse_refuses_mismatched_shapes_instead_of_broadcasting()
    {
        var error = Assert.Throws<ArgumentException>(() => new MseLoss().Forward(Tensor.Ones([3, 1]), Tensor.Ones([3])));
        Assert.StartsWith("MseLoss: the target's shape [3] differs from the input's shape [3, 1].", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Cross_entropy_matches_log_softmax_and_its_gradient_is_softmax_minus_one_hot()
    {
        double[] scores = [1.0, 2.0, 0.5, -1.0, 0.0, 3.0];
        var input = Tensor.FromArray(scores, [2, 3], requiresGrad: true);
        var target = Tensor.FromArray(new long[] { 1, 2 });
        var loss = new CrossEntropyLoss().Forward(input, target);

        var expected = 0.0;
        var expectedGrad = new double[6];
        for (var i = 0; i < 2; i++)
        {
            var row = scores.Skip(3 * i).Take(3).ToArray();
            var logSum = Math.Log(row.Sum(Math.Exp));
            var k = (int)(i == 0 ? 1 : 2);
            expected += (logSum - row[k]) / 2;
            for (var j = 0; j < 3; j++)
            {
                expectedGrad[(3 * i) + j] = (Math.Exp(row[j] - logSum) - (j == k ? 1 : 0)) / 2;
            }
        }

        Assert.Equal(expected, loss.Item(), 14);
        loss.Backward();
        Assert.Equal(expectedGrad, input.Grad!.ToArray(), (a, b) => Math.Abs(a - b) < 1e-14);
    }

    [Fact]
    public void Cross_entropy_validates_its_target()
    {
        var scores = Tensor.Zeros([2, 3]);
        Assert.Equal(
            "expected scalar type Long but found torch.float64",
            Assert.Throws<ArgumentException>(() => new CrossEntropyLoss().Forward(scores, Tensor.FromArray([0.0, 1.0]))).Message.Split(" (Parameter")[0]);
        Assert.Equal(
            "Target 3 is out of bounds.",
            Assert.Throws<ArgumentException>(() => new CrossEntropyLoss().Forward(scores, Tensor.FromArray(new long[] { 0, 3 }))).Message.Split(" (Parameter")[0]);
        Assert.Throws<ArgumentException>(() => new CrossEntropyLoss().Forward(scores, Tensor.FromArray(new long[] { 0 })));
    }

    [Fact]
    public void Activations_apply_their_function()
    {
        var x = Tensor.FromArray([-1.0, 0.0, 2.0]);
        Assert.Equal([0.0, 0.0, 2.0], new ReLU().Forward(x).ToArray());
        Assert.Equal(x.ToArray().Select(Math.Tanh), new Tanh().Forward(x).ToArray(), (a, b) => Math.Abs(a - b) < 1e-15);
        Assert.Equal(x.ToArray().Select(v => 1 / (1 + Math.Exp(-v))), new Sigmoid().Forward(x).ToArray(), (a, b) => Math.Abs(a - b) < 1e-15);
    }
}

using StaticGrad.Nn;

namespace StaticGrad.Tests.Nn;

using Autograd = StaticGrad.Autograd;

public sealed class LinearTests
{
    [Fact]
    public void Parameters_have_PyTorch_shapes_and_kaiming_uniform_bounds()
    {
        var layer = new Linear(16, 5, generator: new RandomGenerator(3));
        Assert.Equal([5, 16], layer.Weight.Shape);
        Assert.Equal([5], layer.Bias!.Shape);
        var bound = 1 / Math.Sqrt(16);
        Assert.All(layer.Weight.ToArray(), w => Assert.InRange(w, -bound, bound));
        Assert.All(layer.Bias.ToArray(), b => Assert.InRange(b, -bound, bound));
        // Not degenerate: the values spread over most of the interval.
        Assert.True(layer.Weight.ToArray().Max() - layer.Weight.ToArray().Min() > bound);
        Assert.Equal(DType.Float64, layer.Weight.DType);
        // Initialised in place, as PyTorch's uniform_, so the version counter reads 1.
        Assert.Equal(1, layer.Weight.Version);
        Assert.True(layer.Weight.IsLeaf);
        Assert.Null(layer.Weight.Grad);
    }

    [Fact]
    public void The_same_seed_gives_the_same_weights()
    {
        var a = new Linear(4, 3, generator: new RandomGenerator(42));
        var b = new Linear(4, 3, generator: new RandomGenerator(42));
        var c = new Linear(4, 3, generator: new RandomGenerator(43));
        Assert.Equal(a.Weight.ToArray(), b.Weight.ToArray());
        Assert.Equal(a.Bias!.ToArray(), b.Bias!.ToArray());
        Assert.NotEqual(a.Weight.ToArray(), c.Weight.ToArray());
    }

    [Fact]
    public void Forward_is_x_times_W_transposed_plus_b_as_one_addmm()
    {
        var layer = new Linear(2, 3, dtype: DType.Float64);
        using (Autograd.NoGrad())
        {
            layer.Weight.CopyFrom(Tensor.FromArray([1.0, 2.0, 3.0, 4.0, 5.0, 6.0], [3, 2]));
            layer.Bias!.CopyFrom(Tensor.FromArray([0.5, -0.5, 1.0]));
        }

        var x = Tensor.FromArray([1.0, 1.0, 2.0, -1.0], [2, 2]);
        var y = layer.Forward(x);
        Assert.Equal([2, 3], y.Shape);
        // Exact: small integers and halves.
        Assert.Equal([3.5, 6.5, 12.0, 0.5, 1.5, 5.0], y.ToArray());
        Assert.Equal("AddmmBackward0", y.GradFn!.Name);
        y.Sum().Backward();
        Assert.Equal([3.0, 0.0, 3.0, 0.0, 3.0, 0.0], layer.Weight.Grad!.ToArray());
        Assert.Equal([2.0, 2.0, 2.0], layer.Bias.Grad!.ToArray());
    }

    [Fact]
    public void A_vector_input_and_a_layer_without_bias_work()
    {
        var layer = new Linear(2, 1, bias: false, dtype: DType.Float32);
        Assert.Null(layer.Bias);
        Assert.Single(layer.Parameters());
        using (Autograd.NoGrad())
        {
            layer.Weight.CopyFrom(Tensor.FromArray(new float[] { 2f, -1f }, [1, 2]));
        }

        var y = layer.Forward(Tensor.FromArray(new float[] { 3f, 4f }));
        Assert.Equal(DType.Float32, y.DType);
        Assert.Equal([2.0], y.ToArray());
    }

    [Fact]
    public void Invalid_arguments_are_rejected()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new Linear(-1, 2));
        Assert.Throws<ArgumentOutOfRangeException>(() => new Linear(2, 2, dtype: DType.Int64));
        Assert.Throws<ArgumentNullException>(() => new Linear(2, 2).Weight = null!);
    }
}

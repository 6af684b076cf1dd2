using StaticGrad.Nn;

namespace StaticGrad.Tests.Nn;

/// <summary>
/// Every layer's backward against central differences (<see cref="GradCheck"/>, float64, eps 1e-6, atol 1e-5,
/// rtol 1e-3), for every input that requires grad.
/// </summary>
public sealed class LayerGradCheckTests
{
    [Fact]
    public void Conv2d_with_groups_stride_padding_dilation_and_bias()
    {
        var x = Tensor.Randn([2, 4, 5, 5], 11, requiresGrad: true);
        var w = Tensor.Randn([4, 2, 3, 3], 12, requiresGrad: true);
        var b = Tensor.Randn([4], 13, requiresGrad: true);
        Assert.True(StaticGrad.GradCheck.Check(i => Functional.Conv2d(i[0], i[1], i[2], (2, 1), (1, 2), (1, 2), groups: 2), [x, w, b]).Passed);
    }

    [Fact]
    public void Conv2d_without_bias_and_with_only_the_weight_requiring_grad()
    {
        var x = Tensor.Randn([1, 2, 4, 6], 14);
        var w = Tensor.Randn([3, 2, 2, 3], 15, requiresGrad: true);
        Assert.True(StaticGrad.GradCheck.Check(i => Functional.Conv2d(i[0], i[1], null, stride: 2, padding: 1), [x, w]).Passed);
    }

    [Fact]
    public void Batch_norm_in_training_with_affine_parameters()
    {
        var x = Tensor.Randn([3, 2, 2, 3], 21, requiresGrad: true);
        var w = (Tensor.Rand([2], 22) + 0.5).SetRequiresGrad();
        var b = Tensor.Randn([2], 23, requiresGrad: true);
        Assert.True(StaticGrad.GradCheck.Check(i => Functional.BatchNorm(i[0], null, null, i[1], i[2], training: true), [x, w, b]).Passed);
    }

    [Fact]
    public void Batch_norm_in_evaluation_with_running_statistics()
    {
        var x = Tensor.Randn([2, 3, 2, 2], 24, requiresGrad: true);
        var w = Tensor.Randn([3], 25, requiresGrad: true);
        var b = Tensor.Randn([3], 26, requiresGrad: true);
        var mean = Tensor.Randn([3], 27);
        var variance = Tensor.Rand([3], 28) + 0.5;
        Assert.True(StaticGrad.GradCheck.Check(i => Functional.BatchNorm(i[0], mean, variance, i[1], i[2], training: false), [x, w, b]).Passed);
    }

    [Fact]
    public void Batch_norm_in_training_without_affine_parameters()
    {
        var x = Tensor.Randn([4, 2, 3], 29, requiresGrad: true);
        Assert.True(StaticGrad.GradCheck.Check(i => Functional.BatchNorm(i[0], null, null, training: true), [x]).Passed);
    }

    [Fact]
    public void Max_pool_with_padding_dilation_and_ceil_mode()
    {
        var x = Tensor.Randn([2, 2, 6, 7], 31, requiresGrad: true);
        Assert.True(StaticGrad.GradCheck.Check(i => Functional.MaxPool2d(i[0], (3, 2), (2, 2), (1, 1), (1, 2), ceilMode: true), [x]).Passed);
        Assert.True(StaticGrad.GradCheck.Check(i => Functional.MaxPool2d(i[0], 3, 2, 1), [x]).Passed);
    }

    [Fact]
    public void Adaptive_average_pool_to_one_by_one_and_to_overlapping_windows()
    {
        var x = Tensor.Randn([2, 2, 5, 7], 41, requiresGrad: true);
        Assert.True(StaticGrad.GradCheck.Check(i => Functional.AdaptiveAvgPool2d(i[0], 1), [x]).Passed);
        Assert.True(StaticGrad.GradCheck.Check(i => Functional.AdaptiveAvgPool2d(i[0], (3, 4)), [x]).Passed);
    }

    [Fact]
    public void Dropout_with_a_fixed_mask()
    {
        var x = Tensor.Randn([3, 4], 51, requiresGrad: true);
        Assert.True(StaticGrad.GradCheck.Check(i => Functional.Dropout(i[0], 0.3, training: true, new RandomGenerator(5)), [x]).Passed);
    }

    [Fact]
    public void Flatten_of_a_batch()
    {
        var x = Tensor.Randn([2, 3, 2, 2], 61, requiresGrad: true);
        Assert.True(StaticGrad.GradCheck.Check(i => new Flatten().Forward(i[0]), [x]).Passed);
    }

    [Fact]
    public void Basic_block_with_downsample_for_its_input_and_every_parameter()
    {
        var block = new BasicBlock(2, 3, stride: 2, generator: new RandomGenerator(71));
        var x = Tensor.Randn([2, 2, 4, 4], 72, requiresGrad: true);

        // The block reads its own parameters; GradCheck perturbs them in place through the same tensors.
        Tensor[] inputs = [x, .. block.Parameters()];
        Assert.True(StaticGrad.GradCheck.Check(i => block.Forward(i[0]), inputs).Passed);
    }
}

using StaticGrad.Nn;

namespace StaticGrad.Tests.Nn;

/// <summary>The layers' modes, buffers, randomness and errors, as PyTorch defines them.</summary>
public sealed class LayerSemanticsTests
{
    [Fact]
    public void A_frozen_batch_norm_in_eval_mode_passes_gradients_to_its_input_only_and_keeps_its_statistics()
    {
        var bn = new BatchNorm2d(3);
        bn.Forward(Tensor.Randn([4, 3, 2, 2], 1) * 2 + 1);
        var mean = bn.RunningMean!.ToArray();
        var variance = bn.RunningVar!.ToArray();
        bn.SetRequiresGrad(false);
        bn.Eval();

        var x = Tensor.Randn([2, 3, 2, 2], 2, requiresGrad: true);
        var y = bn.Forward(x);
        y.Sum().Backward();

        Assert.Equal("NativeBatchNormBackward0", y.GradFn!.Name);
        Assert.Null(bn.Weight!.Grad);
        Assert.Null(bn.Bias!.Grad);
        Assert.Equal(mean, bn.RunningMean!.ToArray());
        Assert.Equal(variance, bn.RunningVar!.ToArray());
        Assert.Equal(1.0, bn.NumBatchesTracked!.Item());

        // In evaluation the input gradient is γ/√(var + eps), the same for every element of a channel.
        var grad = x.Grad!.ToArray();
        for (int c = 0; c < 3; c++)
        {
            Assert.Equal(1 / Math.Sqrt(variance[c] + 1e-5), grad[c * 4], 12);
        }
    }

    [Fact]
    public void A_frozen_batch_norm_in_training_mode_still_updates_its_running_statistics()
    {
        var bn = new BatchNorm2d(2, momentum: 0.5);
        bn.SetRequiresGrad(false);
        var x = Tensor.FromArray([1.0, 3, 5, 7, 0, 0, 2, 2], [2, 2, 2, 1]);
        var y = bn.Forward(x);

        // Channel 0 holds 1, 3, 0, 0 (mean 1, unbiased variance 2); channel 1 holds 5, 7, 2, 2 (mean 4, variance 6).
        Assert.Equal([0.5, 2.0], bn.RunningMean!.ToArray());
        Assert.Equal([1.5, 3.5], bn.RunningVar!.ToArray());
        Assert.Equal(DType.Int64, bn.NumBatchesTracked!.DType);
        Assert.Equal(1.0, bn.NumBatchesTracked.Item());
        Assert.Null(y.GradFn);
    }

    [Fact]
    public void Batch_norm_without_momentum_keeps_the_cumulative_average_of_the_batches()
    {
        var bn = new BatchNorm2d(1, momentum: null);
        var means = new List<double>();
        for (int i = 0; i < 3; i++)
        {
            var batch = Tensor.Randn([5, 1, 2, 2], 10 + i) + i;
            means.Add(batch.Mean().Item());
            bn.Forward(batch);
        }

        Assert.Equal(3.0, bn.NumBatchesTracked!.Item());
        Assert.Equal(means.Average(), bn.RunningMean!.Item(), 12);
    }

    [Fact]
    public void Batch_norm_without_running_statistics_normalises_with_the_batch_in_eval_mode_too()
    {
        var bn = new BatchNorm2d(2, trackRunningStats: false);
        bn.Eval();
        var y = bn.Forward(Tensor.Randn([3, 2, 2, 2], 3) * 5 + 2);
        Assert.Null(bn.RunningMean);
        Assert.Empty(bn.Buffers());
        Assert.Equal(0.0, y.Mean().Item(), 12);
    }

    [Fact]
    public void Batch_norm_rejects_a_single_value_per_channel_in_training_and_non_4d_input()
    {
        var bn = new BatchNorm2d(3);
        var single = Assert.Throws<ArgumentException>(() => bn.Forward(Tensor.Zeros([1, 3, 1, 1])));
        Assert.StartsWith("Expected more than 1 value per channel when training, got input size torch.Size([1, 3, 1, 1])", single.Message);
        var rank = Assert.Throws<ArgumentException>(() => bn.Forward(Tensor.Zeros([2, 3, 4])));
        Assert.StartsWith("expected 4D input (got 3D input)", rank.Message);
    }

    [Fact]
    public void Dropout_scales_the_kept_elements_drops_about_p_and_repeats_with_the_same_seed()
    {
        var x = Tensor.Ones([100, 100], requiresGrad: true);
        var y = new Dropout(0.25, new RandomGenerator(9)).Forward(x);
        var values = y.ToArray();
        Assert.All(values, v => Assert.True(v == 0 || Math.Abs(v - (1 / 0.75)) < 1e-15));

        // 10 000 Bernoulli(0.25) draws: the dropped fraction is within 4 standard deviations (0.0043 each) of 0.25.
        Assert.InRange(values.Count(v => v == 0) / 10000.0, 0.25 - 0.0175, 0.25 + 0.0175);
        Assert.Equal(values, new Dropout(0.25, new RandomGenerator(9)).Forward(x).ToArray());
        y.Sum().Backward();
        Assert.Equal(values, x.Grad!.ToArray());
    }

    [Fact]
    public void Dropout_in_eval_mode_or_with_p_zero_returns_the_input_and_p_one_zeroes_everything()
    {
        var x = Tensor.Randn([3, 3], 4, requiresGrad: true);
        var layer = new Dropout(0.5);
        layer.Eval();
        Assert.Same(x, layer.Forward(x));
        Assert.Same(x, new Dropout(0).Forward(x));
        Assert.All(new Dropout(1).Forward(x).ToArray(), v => Assert.Equal(0.0, v));
        Assert.Throws<ArgumentOutOfRangeException>(() => new Dropout(1.5));
    }

    [Fact]
    public void Flatten_keeps_the_batch_dimension_by_default_and_views_contiguous_input()
    {
        var x = Tensor.Randn([2, 3, 4, 5], 5, requiresGrad: true);
        var y = new Flatten().Forward(x);
        Assert.Equal([2, 60], y.Shape);
        Assert.Equal("ViewBackward0", y.GradFn!.Name);
        Assert.Equal([2, 12, 5], new Flatten(1, 2).Forward(x).Shape);
        Assert.Equal([120], new Flatten(0).Forward(x).Shape);
        Assert.Equal(x.ToArray(), y.ToArray());
        Assert.Throws<ArgumentOutOfRangeException>(() => new Flatten(2, 1).Forward(x));
    }

    [Fact]
    public void Conv2d_accepts_an_unbatched_image_and_reports_channel_and_size_errors_like_pytorch()
    {
        var conv = new Conv2d(2, 3, 3, padding: 1, generator: new RandomGenerator(6));
        var image = Tensor.Randn([2, 4, 4], 7);
        Assert.Equal(conv.Forward(image.Unsqueeze(0)).Squeeze(0).ToArray(), conv.Forward(image).ToArray());

        var channels = Assert.Throws<ArgumentException>(() => conv.Forward(Tensor.Zeros([1, 5, 4, 4])));
        Assert.StartsWith("Given groups=1, weight of size [3, 2, 3, 3], expected input[1, 5, 4, 4] to have 2 channels, but got 5 channels instead", channels.Message);
        var small = Assert.Throws<ArgumentException>(() => Functional.Conv2d(Tensor.Zeros([1, 2, 2, 2]), conv.Weight));
        Assert.StartsWith("Calculated padded input size per channel: (2 x 2). Kernel size: (3 x 3). Kernel size can't be greater than actual input size", small.Message);
        Assert.Throws<ArgumentException>(() => new Conv2d(3, 4, 3, groups: 2));
    }

    [Fact]
    public void Float32_layers_agree_with_float64_to_single_precision()
    {
        var x = Tensor.Randn([2, 3, 6, 6], 8);
        var w = Tensor.Randn([4, 3, 3, 3], 9);
        var reference = Functional.MaxPool2d(Functional.BatchNorm(Functional.Conv2d(x, w, padding: 1), null, null, training: true), 2);
        var single = Functional.MaxPool2d(
            Functional.BatchNorm(Functional.Conv2d(x.ToDType(DType.Float32), w.ToDType(DType.Float32), padding: 1), null, null, training: true), 2);
        Assert.Equal(DType.Float32, single.DType);
        LayerAssert.Close(reference, single, atol: 1e-5, rtol: 1e-5, what: "float32");
    }

    [Fact]
    public void Max_pool_propagates_nan_and_rejects_padding_over_half_the_kernel()
    {
        var x = Tensor.FromArray([1.0, double.NaN, 3, 4], [1, 1, 2, 2]);
        Assert.True(double.IsNaN(Functional.MaxPool2d(x, 2).Item()));
        var e = Assert.Throws<ArgumentException>(() => Functional.MaxPool2d(x, 2, 1, padding: 2));
        Assert.StartsWith("pad should be smaller than or equal to half of kernel size", e.Message);
    }

    [Fact]
    public void Basic_block_names_its_parameters_and_buffers_as_torchvision_does()
    {
        var block = new BasicBlock(4, 8, stride: 2);
        Assert.Equal(
            ["conv1.weight", "bn1.weight", "bn1.bias", "conv2.weight", "bn2.weight", "bn2.bias", "downsample.0.weight", "downsample.1.weight", "downsample.1.bias"],
            block.NamedParameters().Select(p => p.Name));
        Assert.Equal(
            ["bn1.running_mean", "bn1.running_var", "bn1.num_batches_tracked", "bn2.running_mean", "bn2.running_var", "bn2.num_batches_tracked",
             "downsample.1.running_mean", "downsample.1.running_var", "downsample.1.num_batches_tracked"],
            block.NamedBuffers().Select(b => b.Name));
        Assert.Null(new BasicBlock(4, 4).Downsample);
        Assert.Equal([2, 8, 3, 3], block.Forward(Tensor.Randn([2, 4, 6, 6], 1)).Shape);
    }

    [Fact]
    public void A_create_graph_pass_through_a_layer_fails_loudly_instead_of_dropping_second_order_terms()
    {
        var x = Tensor.Randn([2, 2, 4, 4], 1, requiresGrad: true);
        var w = Tensor.Randn([3, 2, 3, 3], 2, requiresGrad: true);
        Func<Tensor, Tensor>[] layers =
        [
            t => Functional.Conv2d(t, w),
            t => Functional.BatchNorm(t, null, null, training: true),
            t => Functional.MaxPool2d(t, 2),
            t => Functional.AdaptiveAvgPool2d(t, 1),
        ];
        string[] names = ["ConvolutionBackward0", "NativeBatchNormBackward0", "MaxPool2DWithIndicesBackward0", "MeanBackward1"];
        for (int i = 0; i < layers.Length; i++)
        {
            var e = Assert.Throws<NotSupportedException>(() => StaticGrad.Autograd.Grad(layers[i](x).Sum(), x, createGraph: true));
            Assert.StartsWith(names[i] + " does not support double backward", e.Message);
            Assert.NotNull(StaticGrad.Autograd.Grad(layers[i](x).Sum(), x));
        }
    }
}

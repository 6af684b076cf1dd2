using StaticGrad.Nn;

namespace StaticGrad.Tests.Nn;

/// <summary>
/// Forward values, gradients, running statistics and node names of the layers against libtorch's (Data/README.md).
/// Every case backpropagates <c>sum(output · grad_output)</c> with a fixed random <c>grad_output</c>.
/// </summary>
public sealed class LayerReferenceTests
{
    public static TheoryData<string> ConvCases => LayerReference.Names("conv2d");

    public static TheoryData<string> BatchNormCases => LayerReference.Names("batch_norm");

    public static TheoryData<string> MaxPoolCases => LayerReference.Names("max_pool2d");

    public static TheoryData<string> AdaptiveCases => LayerReference.Names("adaptive_avg_pool2d");

    [Theory]
    [MemberData(nameof(ConvCases))]
    public void Conv2d_matches_libtorch(string name)
    {
        var c = LayerReference.Case(name);
        var input = c.Tensor("input", requiresGrad: true);
        var weight = c.Tensor("weight", requiresGrad: true);
        var bias = c.Has("bias") ? c.Tensor("bias", requiresGrad: true) : null;
        var output = Functional.Conv2d(input, weight, bias, c.Pair("stride"), c.Pair("padding"), c.Pair("dilation"), c.Int("groups"));
        LayerAssert.Close(c.Tensor("output"), output, what: "output");
        Assert.Equal(c.GradFn, output.GradFn!.Name);
        (output * c.Tensor("grad_output")).Sum().Backward();
        LayerAssert.Close(c.Tensor("grad_input"), input.Grad, what: "grad_input");
        LayerAssert.Close(c.Tensor("grad_weight"), weight.Grad, what: "grad_weight");
        if (bias is not null)
        {
            LayerAssert.Close(c.Tensor("grad_bias"), bias.Grad, what: "grad_bias");
        }
    }

    [Theory]
    [MemberData(nameof(BatchNormCases))]
    public void Batch_norm_matches_libtorch_including_the_running_statistics(string name)
    {
        var c = LayerReference.Case(name);
        var input = c.Tensor("input", requiresGrad: true);
        var weight = c.Has("weight") ? c.Tensor("weight", requiresGrad: true) : null;
        var bias = c.Has("bias") ? c.Tensor("bias", requiresGrad: true) : null;
        var runningMean = c.Tensor("running_mean");
        var runningVar = c.Tensor("running_var");
        var output = Functional.BatchNorm(input, runningMean, runningVar, weight, bias, c.Bool("training"), c.Number("momentum"), c.Number("eps"));
        LayerAssert.Close(c.Tensor("output"), output, what: "output");
        LayerAssert.Close(c.Tensor("running_mean_after"), runningMean, what: "running_mean");
        LayerAssert.Close(c.Tensor("running_var_after"), runningVar, what: "running_var");
        Assert.Equal(c.GradFn, output.GradFn!.Name);
        (output * c.Tensor("grad_output")).Sum().Backward();
        LayerAssert.Close(c.Tensor("grad_input"), input.Grad, what: "grad_input");
        if (weight is not null)
        {
            LayerAssert.Close(c.Tensor("grad_weight"), weight.Grad, what: "grad_weight");
            LayerAssert.Close(c.Tensor("grad_bias"), bias!.Grad, what: "grad_bias");
        }
    }

    [Theory]
    [MemberData(nameof(MaxPoolCases))]
    public void Max_pool_matches_libtorch_including_ties(string name)
    {
        var c = LayerReference.Case(name);
        var input = c.Tensor("input", requiresGrad: true);
        var output = Functional.MaxPool2d(input, c.Pair("kernel_size"), c.Pair("stride"), c.Pair("padding"), c.Pair("dilation"), c.Bool("ceil_mode"));
        LayerAssert.Close(c.Tensor("output"), output, what: "output");
        Assert.Equal(c.GradFn, output.GradFn!.Name);
        (output * c.Tensor("grad_output")).Sum().Backward();
        LayerAssert.Close(c.Tensor("grad_input"), input.Grad, what: "grad_input");
    }

    [Theory]
    [MemberData(nameof(AdaptiveCases))]
    public void Adaptive_average_pool_matches_libtorch(string name)
    {
        var c = LayerReference.Case(name);
        var input = c.Tensor("input", requiresGrad: true);
        var output = Functional.AdaptiveAvgPool2d(input, c.Pair("output_size"));
        LayerAssert.Close(c.Tensor("output"), output, what: "output");
        Assert.Equal(c.GradFn, output.GradFn!.Name);
        (output * c.Tensor("grad_output")).Sum().Backward();
        LayerAssert.Close(c.Tensor("grad_input"), input.Grad, what: "grad_input");
    }

    [Fact]
    public void Basic_block_with_downsample_matches_libtorch_in_training_mode()
    {
        var c = LayerReference.Case("basic_block_downsample");
        var input = c.Tensor("input", requiresGrad: true);
        var inPlanes = input.Shape[1];
        var planes = c.Tensor("conv1_weight").Shape[0];
        var block = new BasicBlock(inPlanes, planes, c.Int("stride"));
        using (StaticGrad.Autograd.NoGrad())
        {
            block.Conv1.Weight.CopyFrom(c.Tensor("conv1_weight"));
            block.Conv2.Weight.CopyFrom(c.Tensor("conv2_weight"));
            ((Conv2d)block.Downsample![0]).Weight.CopyFrom(c.Tensor("downsample_weight"));
        }

        var output = block.Forward(input);
        LayerAssert.Close(c.Tensor("output"), output, what: "output");
        (output * c.Tensor("grad_output")).Sum().Backward();
        LayerAssert.Close(c.Tensor("grad_input"), input.Grad, what: "grad_input");
        LayerAssert.Close(c.Tensor("grad_conv1_weight"), block.Conv1.Weight.Grad, what: "conv1");
        LayerAssert.Close(c.Tensor("grad_conv2_weight"), block.Conv2.Weight.Grad, what: "conv2");
        LayerAssert.Close(c.Tensor("grad_downsample_weight"), ((Conv2d)block.Downsample[0]).Weight.Grad, what: "downsample");
    }

    [Fact]
    public void Dropout_in_training_is_a_product_with_a_mask_as_on_libtorchs_cpu()
    {
        var x = Tensor.Randn([2, 3], 1, requiresGrad: true);
        Assert.Equal(LayerReference.GradFn("dropout_train"), Functional.Dropout(x, 0.5).GradFn!.Name);
    }
}

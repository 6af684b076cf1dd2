namespace StaticGrad.Tests.Autograd;

using StaticGrad;

public class BackwardTests
{
    private static Tensor T(double[] v, bool rg = false) => Tensor.FromArray(v, requiresGrad: rg);

    [Fact]
    public void MulSumBackwardAccumulatesAndFreesSavedTensors()
    {
        var x = T([1, 2, 3], rg: true);
        var loss = (x * x).Sum();
        Assert.Equal("SumBackward0", loss.GradFn!.Name);
        loss.Backward();
        Assert.Equal(new[] { 2.0, 4, 6 }, x.Grad!.ToArray());
        var ex = Assert.Throws<InvalidOperationException>(() => loss.Backward());
        Assert.Equal(AutogradMessages.BackwardTwice, ex.Message);
        Assert.Equal(new[] { 2.0, 4, 6 }, x.Grad!.ToArray());
    }

    [Fact]
    public void GraphWithoutSavedTensorsCanBeBackpropagatedTwice()
    {
        var x = T([1, 2, 3], rg: true);
        var z = (x + 1).Sum();
        z.Backward();
        z.Backward();
        Assert.Equal(new[] { 2.0, 2, 2 }, x.Grad!.ToArray());
    }

    [Fact]
    public void RetainGraphAllowsSecondPass()
    {
        var x = T([1, 2]);
        var w = T([3, -1], rg: true);
        var h = x * w;
        var loss1 = (h * h).Sum();
        var loss2 = (h * 3.0).Sum();
        loss1.Backward(retainGraph: true);
        loss2.Backward();
        Assert.Equal(new[] { 9.0, -2 }, w.Grad!.ToArray());
    }

    [Fact]
    public void ImplicitGradientOnlyForOneElement()
    {
        var x = T([1, 2], rg: true);
        var y = x * 2;
        var ex = Assert.Throws<InvalidOperationException>(() => y.Backward());
        Assert.Equal("grad can be implicitly created only for scalar outputs", ex.Message);
        var c = T([1, 2]);
        var ex2 = Assert.Throws<InvalidOperationException>(() => c.Backward());
        Assert.Equal("element 0 of tensors does not require grad and does not have a grad_fn", ex2.Message);
    }

    [Fact]
    public void GradientShapeMismatch()
    {
        var x = T([1, 2], rg: true);
        var y = x * 2;
        var ex = Assert.Throws<ArgumentException>(() => y.Backward(T([1, 1, 1])));
        Assert.Equal("Mismatch in shape: grad_output[0] has a shape of torch.Size([3]) and output[0] has a shape of torch.Size([2]).", ex.Message);
    }

    [Fact]
    public void SavedOutputModifiedRaisesVersionError()
    {
        var a = T([1, 2, 3], rg: true);
        var output = a.Sigmoid();
        var c = output.Detach();
        c.ZeroInPlace();
        var ex = Assert.Throws<InvalidOperationException>(() => output.Sum().Backward());
        Assert.Equal("one of the variables needed for gradient computation has been modified by an inplace operation: [torch.DoubleTensor [3]], which is output 0 of SigmoidBackward0, is at version 1; expected version 0 instead. Hint: enable anomaly detection to find the operation that failed to compute its gradient, with torch.autograd.set_detect_anomaly(True, check_nan=False).", ex.Message);
    }
}

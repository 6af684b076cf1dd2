namespace StaticGrad.Tests.Autograd;

using StaticGrad;

public class AutogradGradTests
{
    private static Tensor T(double[] v, bool rg = false) => Tensor.FromArray(v, requiresGrad: rg);

    [Fact]
    public void GradReturnsGradientsWithoutPopulatingGrad()
    {
        var x = T([1, 2], rg: true);
        var y = (x * x * 3.0).Sum();
        var g = StaticGrad.Autograd.Grad(y, x)!;
        Assert.Equal(new[] { 6.0, 12 }, g.ToArray());
        Assert.Null(x.Grad);
    }

    [Fact]
    public void UnusedAndNonRequiringInputsRaiseUnlessAllowed()
    {
        var a = T([1, 2], rg: true);
        var b = T([3, 4], rg: true);
        var c = T([5, 6]);
        var y = (a * 2).Sum();
        var unused = Assert.Throws<InvalidOperationException>(() => StaticGrad.Autograd.Grad(y, new[] { a, b }, retainGraph: true));
        Assert.Equal(AutogradMessages.UnusedInput, unused.Message);
        var grads = StaticGrad.Autograd.Grad(y, new[] { a, b }, retainGraph: true, allowUnused: true);
        Assert.Equal(new[] { 2.0, 2 }, grads[0]!.ToArray());
        Assert.Null(grads[1]);
        var noGrad = Assert.Throws<InvalidOperationException>(() => StaticGrad.Autograd.Grad(y, new[] { c }));
        Assert.Equal("One of the differentiated Tensors does not require grad", noGrad.Message);
    }

    [Fact]
    public void BackwardInputsAccumulatesOnlyIntoListedTensors()
    {
        var a = T([1, 2], rg: true);
        var b = T([3, 4], rg: true);
        (a * b).Sum().Backward(inputs: new[] { a });
        Assert.Equal(new[] { 3.0, 4 }, a.Grad!.ToArray());
        Assert.Null(b.Grad);
    }

    [Fact]
    public void GradWithRespectToNonLeaf()
    {
        var x = T([1, 2], rg: true);
        var h = x * 3.0;
        var y = (h * h).Sum();
        Assert.Equal(new[] { 6.0, 12 }, StaticGrad.Autograd.Grad(y, h)!.ToArray());
    }

    [Fact]
    public void MultipleRootsNameTheOffendingIndex()
    {
        var x = T([1, 2], rg: true);
        var ex = Assert.Throws<InvalidOperationException>(() =>
            StaticGrad.Autograd.Backward(new[] { x.Sum(), T([1.0]).Sum() }));
        Assert.Equal("element 1 of tensors does not require grad and does not have a grad_fn", ex.Message);
    }

    [Fact]
    public void CreateGraphGivesSecondDerivatives()
    {
        var x = T([1, 2], rg: true);
        var y = (x * x * x).Sum();
        var dy = StaticGrad.Autograd.Grad(y, x, createGraph: true)!;
        Assert.Equal(new[] { 3.0, 12 }, dy.ToArray());
        Assert.True(dy.RequiresGrad);
        var d2 = StaticGrad.Autograd.Grad(dy.Sum(), x)!;
        Assert.Equal(new[] { 6.0, 12 }, d2.ToArray());
    }

    [Fact]
    public void BackwardWithCreateGraphRecordsCopyBackwardsAndWarnsOnce()
    {
        var warnings = new List<string>();
        void Handler(object? s, AutogradWarningEventArgs e) => warnings.Add(e.Message);
        StaticGrad.Autograd.Warning += Handler;
        try
        {
            var x = T([1, 2], rg: true);
            (x * x * x).Sum().Backward(createGraph: true);
            Assert.Equal(new[] { 3.0, 12 }, x.Grad!.ToArray());
            Assert.True(x.Grad!.RequiresGrad);
            Assert.Equal("CopyBackwards", x.Grad!.GradFn!.Name);
            var x2 = T([1.0], rg: true);
            (x2 * x2).Sum().Backward(createGraph: true);
            Assert.True(warnings.Count(w => w == AutogradMessages.CreateGraphWarning) <= 1);
        }
        finally
        {
            StaticGrad.Autograd.Warning -= Handler;
        }
    }

    [Fact]
    public void FreezingBetweenForwardAndBackwardLeavesGradNull()
    {
        var w = T([1, 2], rg: true);
        var v = T([3, 4], rg: true);
        var loss = (w * v).Sum();
        w.RequiresGrad = false;
        loss.Backward();
        Assert.Null(w.Grad);
        Assert.Equal(new[] { 1.0, 2 }, v.Grad!.ToArray());
    }

    [Fact]
    public void SavedTensorsAreFreedAfterBackward()
    {
        var x = T([1, 2], rg: true);
        var y = x.Exp();
        Assert.Equal(y.ToArray(), y.GradFn!.SavedTensors[0].ToArray());
        y.Sum().Backward();
        var ex = Assert.Throws<InvalidOperationException>(() => y.GradFn!.SavedTensors);
        Assert.Equal(AutogradMessages.BackwardTwice, ex.Message);
    }

    [Fact]
    public void DeepGraphsDoNotOverflowTheStack()
    {
        var x = T([1.0], rg: true);
        var y = x;
        for (int i = 0; i < 100_000; i++)
        {
            y = y + 1e-6;
        }

        y.Sum().Backward();
        Assert.Equal(1.0, x.Grad!.Item());
    }

    [Fact]
    public void GradientDTypeIsCastToTheOutput()
    {
        var x = T([1, 2], rg: true);
        (x * 2).Backward(Tensor.FromArray(new float[] { 1, 1 }));
        Assert.Equal(DType.Float64, x.Grad!.DType);
        Assert.Equal(new[] { 2.0, 2 }, x.Grad!.ToArray());
    }

    [Fact]
    public void ImplicitGradientWorksForAnyOneElementShape()
    {
        foreach (var shape in new[] { Array.Empty<int>(), new[] { 1 }, new[] { 1, 1 } })
        {
            var x = Tensor.Full(shape, 3.0, requiresGrad: true);
            (x * x).Backward();
            Assert.Equal(6.0, x.Grad!.Item());
        }
    }
}

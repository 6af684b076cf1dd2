namespace StaticGrad.Tests.Autograd;

using StaticGrad;

public class RequiresGradTests
{
    private static Tensor T(double[] v, bool rg = false) => Tensor.FromArray(v, requiresGrad: rg);

    [Fact]
    public void FactoriesDefaultToLeavesWithoutGrad()
    {
        foreach (var t in new[] { T([1, 2]), Tensor.Zeros([2]), Tensor.Ones([2, 2]), Tensor.Randn([3], seed: 1) })
        {
            Assert.False(t.RequiresGrad);
            Assert.True(t.IsLeaf);
            Assert.Null(t.GradFn);
            Assert.Null(t.Grad);
            Assert.Equal(0, t.Version);
        }

        var r = Tensor.Ones([2], requiresGrad: true);
        Assert.True(r.RequiresGrad);
        Assert.True(r.IsLeaf);
    }

    [Fact]
    public void LeafMeansNoGradFnEvenForOperationResults()
    {
        var a = Tensor.Randn([10, 10], seed: 3);
        var w = Tensor.Randn([10, 5], seed: 4);
        Assert.True((2.0 * a).IsLeaf);
        Assert.True(a.Mm(w).IsLeaf);
        w.RequiresGrad = true;
        var c = a.Mm(w);
        Assert.False(c.IsLeaf);
        Assert.Equal("MmBackward0", c.GradFn!.Name);
        Assert.True(c.RequiresGrad);
    }

    [Theory]
    [InlineData(true, false, true)]
    [InlineData(false, true, true)]
    [InlineData(false, false, false)]
    [InlineData(true, true, true)]
    public void RequiresGradPropagatesAsAnOr(bool ra, bool rb, bool expected)
    {
        var a = T([1, 2, 3], ra);
        var b = T([4, 5, 6], rb);
        var c = a + b;
        Assert.Equal(expected, c.RequiresGrad);
        Assert.Equal(!expected, c.IsLeaf);
        Assert.Equal(expected ? "AddBackward0" : null, c.GradFn?.Name);
    }

    [Fact]
    public void MixedIntegerAndFloatPromoteAndGradientReachesOnlyTheFloat()
    {
        var w = T([0.5, 0.25], rg: true);
        var i = Tensor.FromArray(new long[] { 1, 2 });
        var y = w * i;
        Assert.Equal(DType.Float64, y.DType);
        Assert.Equal("MulBackward0", y.GradFn!.Name);
        y.Sum().Backward();
        Assert.Equal(new[] { 1.0, 2.0 }, w.Grad!.ToArray());
        Assert.Null(i.Grad);
    }

    [Fact]
    public void NonDifferentiableOutputsAreLeaves()
    {
        var x = T([0.4, -1.6, 2.5], rg: true);
        foreach (var t in new[] { x.ArgMax(), x.Gt(0.0), x.Long(), x.Detach().ToDType(DType.Int64) })
        {
            Assert.False(t.RequiresGrad);
            Assert.True(t.IsLeaf);
        }

        Assert.Equal(DType.Int64, x.ArgMax().DType);
        Assert.Equal(2.0, x.ArgMax().Item());
        Assert.Equal(new[] { true, false, true }, x.Gt(0.0).ToArray<bool>());
        Assert.Equal(new long[] { 0, -1, 2 }, x.Long().ToArray<long>());
        Assert.Equal("RoundBackward0", x.Round().GradFn!.Name);
        Assert.Equal(new[] { 0.0, -2, 2 }, x.Round().ToArray());
        Assert.Equal("SignBackward0", x.Sign().GradFn!.Name);
        x.Round().Sum().Backward();
        Assert.Equal(new[] { 0.0, 0, 0 }, x.Grad!.ToArray());
    }

    [Fact]
    public void SetterOnNonLeafRaisesForBothValues()
    {
        var y = T([1, 2], rg: true) * 2;
        var off = Assert.Throws<InvalidOperationException>(() => y.RequiresGrad = false);
        Assert.Equal(AutogradMessages.RequiresGradNonLeafWithHint, off.Message);
        var on = Assert.Throws<InvalidOperationException>(() => y.RequiresGrad = true);
        Assert.Equal("you can only change requires_grad flags of leaf variables.", on.Message);
        Assert.True(y.RequiresGrad);
        Assert.Equal("MulBackward0", y.GradFn!.Name);
    }

    [Fact]
    public void MethodIsANoOpForTrueAndRaisesForFalseOnNonLeaf()
    {
        var y = T([1, 2], rg: true) * 2;
        Assert.Same(y, y.SetRequiresGrad());
        var ex = Assert.Throws<InvalidOperationException>(() => y.SetRequiresGrad(false));
        Assert.StartsWith("you can only change requires_grad flags of leaf variables. If you want", ex.Message);
        var leaf = T([1, 2]);
        Assert.Same(leaf, leaf.SetRequiresGrad());
        Assert.True(leaf.RequiresGrad);
        leaf.SetRequiresGrad(false);
        Assert.False(leaf.RequiresGrad);
    }

    [Fact]
    public void OnlyFloatingTensorsCanRequireGradWithThreeMessages()
    {
        var factory = Assert.Throws<ArgumentException>(() => Tensor.FromArray(new long[] { 3, 4 }, requiresGrad: true));
        Assert.StartsWith("Only Tensors of floating point and complex dtype can require gradients", factory.Message);
        Assert.Throws<ArgumentException>(() => Tensor.Zeros([2], DType.Int64, requiresGrad: true));
        var i = Tensor.FromArray(new long[] { 3, 4 });
        var setter = Assert.Throws<InvalidOperationException>(() => i.RequiresGrad = true);
        Assert.Equal("only Tensors of floating point and complex dtype can require gradients", setter.Message);
        var method = Assert.Throws<InvalidOperationException>(() => i.SetRequiresGrad());
        Assert.Equal("only Tensors of floating point dtype can require gradients", method.Message);
        i.RequiresGrad = false;
        Assert.Throws<InvalidOperationException>(() => Tensor.FromArray(new[] { true }).SetRequiresGrad());
        Assert.True(Tensor.FromArray(new float[] { 1 }).SetRequiresGrad().RequiresGrad);
    }

    [Fact]
    public void RetainGradOnNonLeafPopulatesGradWithoutWarning()
    {
        var warnings = new List<string>();
        void Handler(object? s, AutogradWarningEventArgs e) => warnings.Add(e.Message);
        StaticGrad.Autograd.Warning += Handler;
        try
        {
            var x = T([1, 2], rg: true);
            var y = x * 2;
            y.RetainGrad();
            Assert.True(y.RetainsGrad);
            (y * y).Sum().Backward();
            Assert.Equal(new[] { 4.0, 8 }, y.Grad!.ToArray());
            Assert.Equal(new[] { 8.0, 16 }, x.Grad!.ToArray());
            Assert.DoesNotContain(AutogradMessages.NonLeafGradAccess, warnings);

            var z = x * 3;
            Assert.Null(z.Grad);
            Assert.Contains(AutogradMessages.NonLeafGradAccess, warnings);

            x.RetainGrad();
            Assert.False(x.RetainsGrad);
            var ex = Assert.Throws<InvalidOperationException>(() => T([1.0]).RetainGrad());
            Assert.Equal("can't retain_grad on Tensor that has requires_grad=False", ex.Message);
        }
        finally
        {
            StaticGrad.Autograd.Warning -= Handler;
        }
    }

    [Fact]
    public void RetainedGradAccumulatesAcrossPasses()
    {
        var x = T([1, 2], rg: true);
        var y = x * 2;
        y.RetainGrad();
        var loss = (y * y).Sum();
        loss.Backward(retainGraph: true);
        loss.Backward();
        Assert.Equal(new[] { 8.0, 16 }, y.Grad!.ToArray());
    }

    [Fact]
    public void GradAssignmentChecksDTypeAndSize()
    {
        var x = T([1, 2], rg: true);
        var size = Assert.Throws<ArgumentException>(() => x.Grad = T([1, 2, 3]));
        Assert.StartsWith("attempting to assign a gradient of size '[3]' to a tensor of size '[2]'. Please ensure that the gradient and the tensor are the same size", size.Message);
        var dtype = Assert.Throws<ArgumentException>(() => x.Grad = Tensor.FromArray(new float[] { 1, 2 }));
        Assert.StartsWith("attempting to assign a gradient with dtype 'float' to a tensor with grad_dtype 'Double'.", dtype.Message);
        x.Grad = T([1, 1]);
        Assert.Equal(new[] { 1.0, 1 }, x.Grad!.ToArray());
        x.Grad = null;
        Assert.Null(x.Grad);
    }
}

namespace StaticGrad.Tests.Autograd;

using StaticGrad;

/// <summary>The engine adds gradients into its buffers in place only when no one else holds them (PyTorch's InputBuffer).</summary>
public class GradientBufferTests
{
    private static Tensor T(double[] v, bool rg = false) => Tensor.FromArray(v, requiresGrad: rg);

    [Fact]
    public void TwoContributionsAreSummedInPlaceLikePyTorch()
    {
        var x = T([1, 2], rg: true);
        (x * x).Sum().Backward();
        Assert.Equal(new[] { 2.0, 4 }, x.Grad!.ToArray());
        Assert.Equal(1, x.Grad!.Version);
        Assert.False(x.Grad!.RequiresGrad);
        Assert.True(x.Grad!.IsLeaf);
    }

    [Fact]
    public void UserGradientIsNeverWrittenInto()
    {
        var x = T([1, 2], rg: true);
        var v = T([1, 1]);
        (x + x).Backward(v);
        Assert.Equal(new[] { 2.0, 2 }, x.Grad!.ToArray());
        Assert.Equal(new[] { 1.0, 1 }, v.ToArray());
        Assert.Equal(0, v.Version);
        var y = x * 1.0;
        y.Backward(v);
        Assert.Equal(new[] { 1.0, 1 }, v.ToArray());
    }

    [Fact]
    public void SharedBufferIsNotAliasedAcrossLeaves()
    {
        var a = T([1, 2], rg: true);
        var b = T([3, 4], rg: true);
        var s = a + b;
        var loss = (s + a * 2.0 + b * 3.0).Sum();
        loss.Backward();
        Assert.Equal(new[] { 3.0, 3 }, a.Grad!.ToArray());
        Assert.Equal(new[] { 4.0, 4 }, b.Grad!.ToArray());
    }

    [Fact]
    public void GradResultsAreNotMutatedByLaterAccumulation()
    {
        var x = T([1, 2], rg: true);
        var h = x * 1.0;
        var y = (h + h * 2.0).Sum();
        var grads = StaticGrad.Autograd.Grad(new[] { y }, new[] { h, x });
        Assert.Equal(new[] { 3.0, 3 }, grads[0]!.ToArray());
        Assert.Equal(new[] { 3.0, 3 }, grads[1]!.ToArray());
    }
}

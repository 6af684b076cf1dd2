namespace StaticGrad.Tests.Autograd;

using StaticGrad;

public class DetachAndInPlaceTests
{
    private static Tensor T(double[] v, bool rg = false) => Tensor.FromArray(v, requiresGrad: rg);

    [Fact]
    public void DetachSharesStorageAndVersionCounter()
    {
        var x = T([1, 2, 3], rg: true);
        var d = x.Detach();
        Assert.True(d.IsLeaf);
        Assert.False(d.RequiresGrad);
        d.ZeroInPlace();
        Assert.Equal(new[] { 0.0, 0, 0 }, x.ToArray());
        Assert.Equal(1, x.Version);
        Assert.Equal(1, d.Version);
    }

    [Fact]
    public void DetachCutsTheGraph()
    {
        var x = T([1, 2, 3], rg: true);
        var y = x * 3.0;
        (y.Detach() * x).Sum().Backward();
        Assert.Equal(new[] { 3.0, 6, 9 }, x.Grad!.ToArray());
        var x2 = T([1, 2, 3], rg: true);
        var y2 = x2 * 3.0;
        (y2 * x2).Sum().Backward();
        Assert.Equal(new[] { 6.0, 12, 18 }, x2.Grad!.ToArray());
    }

    [Fact]
    public void DataHasAFreshVersionCounterAndHidesInPlaceChanges()
    {
        var a = T([1, 2, 3], rg: true);
        var output = a.Sigmoid();
        output.Data.ZeroInPlace();
        Assert.Equal(0, output.Version);
        output.Sum().Backward();
        Assert.Equal(new[] { 0.0, 0, 0 }, a.Grad!.ToArray());
    }

    [Fact]
    public void DetachInPlaceMakesALeafAndRejectsViews()
    {
        var x = T([1, 2], rg: true);
        var y = x * 2;
        Assert.Same(y, y.DetachInPlace());
        Assert.True(y.IsLeaf);
        Assert.False(y.RequiresGrad);
        var ex = Assert.Throws<InvalidOperationException>(() => T([1, 2, 3]).Slice(0, 1).DetachInPlace());
        Assert.Equal(AutogradMessages.DetachViewInPlace, ex.Message);
    }

    [Fact]
    public void DetachInPlaceOfSavedInputBreaksBackwardButSavedOutputDoesNot()
    {
        var x = T([1, 2], rg: true);
        var a = x * 1.0;
        var b = a.Pow(2.0);
        a.DetachInPlace();
        var ex = Assert.Throws<InvalidOperationException>(() => b.Sum().Backward());
        Assert.Equal(AutogradMessages.SavedTensorDetachedInPlace, ex.Message);

        var x2 = T([1, 2], rg: true);
        var y = x2.Exp();
        var saved = y.ToArray();
        var s = y.Sum();
        y.DetachInPlace();
        s.Backward();

        // ExpBackward multiplies by its saved output, whose values an in-place detach leaves alone (the runtime's
        // vector exp, within 1 ulp of Math.Exp).
        Assert.Equal(saved, x2.Grad!.ToArray());
        Assert.Equal(Math.Exp(1), saved[0], 1e-15);
        Assert.Equal(Math.Exp(2), saved[1], 1e-15);
    }

    [Fact]
    public void VersionCounterSequence()
    {
        var t = Tensor.Zeros([3]);
        var seen = new List<int> { t.Version };
        t.AddInPlace(1);
        seen.Add(t.Version);
        t.MulInPlace(2);
        seen.Add(t.Version);
        t[0] = Tensor.Scalar(5.0);
        seen.Add(t.Version);
        t.ZeroInPlace();
        seen.Add(t.Version);
        t.CopyFrom(Tensor.Ones([3]));
        seen.Add(t.Version);
        _ = t + 1;
        seen.Add(t.Version);
        var v = t.Slice(0, 1);
        v.AddInPlace(1);
        seen.Add(t.Version);
        Assert.Equal(new[] { 0, 1, 2, 3, 4, 5, 5, 6 }, seen);
        Assert.Equal(6, v.Version);
        Assert.Equal(new[] { 1.0, 2, 2 }, t.ToArray());
    }

    [Fact]
    public void InPlaceOnLeafRequiringGradRaisesBeforeChangingData()
    {
        var x = T([1, 2], rg: true);
        foreach (var op in new Action[] { () => x.AddInPlace(1), () => x.ZeroInPlace(), () => x.CopyFrom(T([3, 4])), () => x.SubInPlace(1) })
        {
            var ex = Assert.Throws<InvalidOperationException>(op);
            Assert.Equal("a leaf Variable that requires grad is being used in an in-place operation.", ex.Message);
        }

        Assert.Equal(new[] { 1.0, 2 }, x.ToArray());
        var view = Assert.Throws<InvalidOperationException>(() => x[0] = Tensor.Scalar(5.0));
        Assert.Equal("a view of a leaf Variable that requires grad is being used in an in-place operation.", view.Message);
        Assert.Throws<InvalidOperationException>(() => x.Slice(0, 0, 1).MulInPlace(2));
        Assert.Equal(0, x.Version);
    }

    [Fact]
    public void InPlaceOnLeafUnderNoGradIsTheManualUpdatePattern()
    {
        var w = T([1, 2], rg: true);
        (w * w).Sum().Backward();
        using (StaticGrad.Autograd.NoGrad())
        {
            w.SubInPlace(w.Grad!, alpha: 0.1);
        }

        Assert.True(w.IsLeaf);
        Assert.True(w.RequiresGrad);
        Assert.Equal(1, w.Version);
        Assert.Equal(0.8, w.At(0), 12);
        Assert.Equal(1.6, w.At(1), 12);
    }

    [Fact]
    public void InPlaceOnNonLeafRebasesHistory()
    {
        var x = T([1, 2], rg: true);
        var y = x * 1.0;
        y.AddInPlace(1);
        Assert.Equal("AddBackward0", y.GradFn!.Name);
        Assert.Equal(1, y.Version);
        y.Sum().Backward();
        Assert.Equal(new[] { 1.0, 1 }, x.Grad!.ToArray());

        var x2 = T([1, 2], rg: true);
        var y2 = x2 * 2.0;
        y2.MulInPlace(x2);
        Assert.Equal("MulBackward0", y2.GradFn!.Name);
        y2.Sum().Backward();
        Assert.Equal(new[] { 4.0, 8 }, x2.Grad!.ToArray());
    }

    [Fact]
    public void InPlaceWithGradOperandTurnsConstantLeafIntoNonLeaf()
    {
        var a = Tensor.Zeros([2]);
        var b = T([1, 2], rg: true);
        a.AddInPlace(b);
        Assert.True(a.RequiresGrad);
        Assert.False(a.IsLeaf);
        Assert.Equal("AddBackward0", a.GradFn!.Name);
        a.Sum().Backward();
        Assert.Equal(new[] { 1.0, 1 }, b.Grad!.ToArray());

        var c = Tensor.Zeros([2]);
        c.CopyFrom(b);
        Assert.Equal("CopyBackwards", c.GradFn!.Name);
    }

    [Fact]
    public void ModifiedSavedTensorMessagesNameTheProducer()
    {
        var x = T([1, 2, 3], rg: true);
        var a = x * 1.0;
        var b = a.Pow(2.0);
        a.MulInPlace(3);
        var ex = Assert.Throws<InvalidOperationException>(() => b.Sum().Backward());
        Assert.Contains("[torch.DoubleTensor [3]], which is output 0 of MulBackward0, is at version 1; expected version 0 instead.", ex.Message);

        var w = T([1, 2, 3], rg: true);
        var c = T([1, 1, 1]);
        var y = (w * c).Sum();
        c.AddInPlace(1);
        var leaf = Assert.Throws<InvalidOperationException>(() => y.Backward());
        Assert.StartsWith("one of the variables needed for gradient computation has been modified by an inplace operation: [torch.DoubleTensor [3]] is at version 1; expected version 0 instead. Hint: enable anomaly detection", leaf.Message);

        var w2 = T([1, 2, 3], rg: true);
        var c2 = T([1, 1, 1]);
        var y2 = (w2 + c2).Sum();
        c2.AddInPlace(1);
        y2.Backward();
        Assert.Equal(new[] { 1.0, 1, 1 }, w2.Grad!.ToArray());
    }

    [Fact]
    public void AnomalyModeChangesTheHintAndWarns()
    {
        var warnings = new List<string>();
        void Handler(object? s, AutogradWarningEventArgs e) => warnings.Add(e.Message);
        StaticGrad.Autograd.Warning += Handler;
        try
        {
            using (StaticGrad.Autograd.DetectAnomaly())
            {
                var x = T([1, 2], rg: true);
                var y = x.Exp();
                var s = y.Sum();
                y.AddInPlace(1);
                var ex = Assert.Throws<InvalidOperationException>(() => s.Backward());
                Assert.EndsWith("is at version 1; expected version 0 instead. " + AutogradMessages.InPlaceHintAnomaly, ex.Message);
                Assert.Contains("which is output 0 of ExpBackward0,", ex.Message, StringComparison.Ordinal);
            }

            Assert.Contains("Error detected in ExpBackward0. Traceback of forward call that caused the error:", warnings);
            Assert.False(StaticGrad.Autograd.IsAnomalyEnabled);
        }
        finally
        {
            StaticGrad.Autograd.Warning -= Handler;
        }
    }
}

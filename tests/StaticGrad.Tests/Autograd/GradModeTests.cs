namespace StaticGrad.Tests.Autograd;

using StaticGrad;

public class GradModeTests
{
    private static Tensor T(double[] v, bool rg = false) => Tensor.FromArray(v, requiresGrad: rg);

    [Fact]
    public void NoGradResultsAreLeavesAndFlagsOfExistingTensorsStay()
    {
        var x = T([1, 2], rg: true);
        Tensor y;
        using (StaticGrad.Autograd.NoGrad())
        {
            Assert.False(StaticGrad.Autograd.IsGradEnabled);
            Assert.True(x.RequiresGrad);
            y = x * 2;
            var f = Tensor.Ones([2], requiresGrad: true);
            Assert.True(f.RequiresGrad);
            var leaf = T([1.0]);
            leaf.RequiresGrad = true;
            Assert.True(leaf.RequiresGrad);
        }

        Assert.True(StaticGrad.Autograd.IsGradEnabled);
        Assert.True(y.IsLeaf);
        Assert.False(y.RequiresGrad);
        var ex = Assert.Throws<InvalidOperationException>(() => y.Sum().Backward());
        Assert.Equal("element 0 of tensors does not require grad and does not have a grad_fn", ex.Message);
    }

    [Fact]
    public void Seed003NoGradExample()
    {
        var x = Tensor.FromArray(new float[] { 1, 2 }, requiresGrad: true);
        var y1 = x.Pow(2.0);
        Tensor y2, y3;
        using (StaticGrad.Autograd.NoGrad())
        {
            y2 = y1 * 2;
            y3 = x.Pow(5.0);
        }

        var y4 = y1 + y2 + y3;
        Assert.Equal("PowBackward0", y1.GradFn!.Name);
        Assert.Equal(new[] { 4.0, 44 }, y4.ToArray());
        Assert.Equal("AddBackward0", y4.GradFn!.Name);
        y4.Backward(Tensor.OnesLike(y4));
        Assert.Equal(new[] { 2.0, 4 }, x.Grad!.ToArray());
    }

    [Fact]
    public void EnableGradAndSetGradEnabledNestAndRestore()
    {
        var x = T([1, 2], rg: true);
        using (StaticGrad.Autograd.NoGrad())
        {
            using (StaticGrad.Autograd.EnableGrad())
            {
                Assert.Equal("MulBackward0", (x * 2).GradFn!.Name);
            }

            Assert.False(StaticGrad.Autograd.IsGradEnabled);
            using (StaticGrad.Autograd.SetGradEnabled(true))
            {
                Assert.True((x * 2).RequiresGrad);
            }

            Assert.False(StaticGrad.Autograd.IsGradEnabled);
        }

        var previous = StaticGrad.Autograd.SetGradEnabled(false);
        try
        {
            Assert.False(StaticGrad.Autograd.IsGradEnabled);
            Assert.False((x * 2).RequiresGrad);
        }
        finally
        {
            previous.Dispose();
        }

        Assert.True(StaticGrad.Autograd.IsGradEnabled);
    }

    [Fact]
    public void GradModeIsThreadLocal()
    {
        bool otherThreadSees = false;
        using (StaticGrad.Autograd.NoGrad())
        {
            var thread = new Thread(() => otherThreadSees = StaticGrad.Autograd.IsGradEnabled);
            thread.Start();
            thread.Join();
        }

        Assert.True(otherThreadSees);
    }

    [Fact]
    public void BackwardRunsInsideNoGrad()
    {
        var x = T([1, 2], rg: true);
        var loss = (x * x).Sum();
        using (StaticGrad.Autograd.NoGrad())
        {
            loss.Backward();
        }

        Assert.Equal(new[] { 2.0, 4 }, x.Grad!.ToArray());
        Assert.False(x.Grad!.RequiresGrad);
    }

    [Fact]
    public void NoGradValueIsAConstantLater()
    {
        var x = T([1, 2, 3], rg: true);
        Tensor c;
        using (StaticGrad.Autograd.NoGrad())
        {
            c = x * 2;
        }

        (c * x).Sum().Backward();
        Assert.Equal(new[] { 2.0, 4, 6 }, x.Grad!.ToArray());
    }

    [Fact]
    public void InferenceModeMakesInferenceTensors()
    {
        var w = T([1, 2], rg: true);
        Tensor y, factory, nested;
        using (StaticGrad.Autograd.InferenceMode())
        {
            Assert.True(StaticGrad.Autograd.IsInferenceModeEnabled);
            Assert.False(StaticGrad.Autograd.IsGradEnabled);
            y = Tensor.Ones([2]) * 3;
            factory = Tensor.Ones([2], requiresGrad: true);
            using (StaticGrad.Autograd.InferenceMode(false))
            {
                nested = w * 2;
            }
        }

        Assert.True(y.IsInference);
        Assert.False(y.RequiresGrad);
        Assert.True(factory.IsInference);
        Assert.True(factory.RequiresGrad);
        Assert.False(nested.IsInference);
        Assert.Equal("MulBackward0", nested.GradFn!.Name);

        Assert.Equal(AutogradMessages.InferenceRequiresGrad, Assert.Throws<InvalidOperationException>(() => y.SetRequiresGrad()).Message);
        Assert.Equal(AutogradMessages.InferenceRequiresGrad, Assert.Throws<InvalidOperationException>(() => y.RequiresGrad = true).Message);
        y.SetRequiresGrad(false);
        Assert.Equal(AutogradMessages.InferenceInPlace, Assert.Throws<InvalidOperationException>(() => y.AddInPlace(1)).Message);
        Assert.Equal(new[] { 4.0, 4 }, y.ToArray());
        Assert.Equal(AutogradMessages.InferenceSaved, Assert.Throws<InvalidOperationException>(() => y * w).Message);
        (y + w).Sum().Backward();
        Assert.Equal(new[] { 1.0, 1 }, w.Grad!.ToArray());
        Assert.Equal(AutogradMessages.InferenceNoVersionCounter, Assert.Throws<InvalidOperationException>(() => y.Version).Message);
        var clone = y.Clone();
        Assert.False(clone.IsInference);
        Assert.Equal(1, clone.Version);
        Assert.True(clone.SetRequiresGrad().RequiresGrad);
    }

    [Fact]
    public void InPlaceOnNormalTensorInsideInferenceModeIsAllowed()
    {
        var n = Tensor.Ones([2]);
        using (StaticGrad.Autograd.InferenceMode())
        {
            n.AddInPlace(1);
        }

        Assert.False(n.IsInference);
        Assert.Equal(1, n.Version);
    }

    [Fact]
    public void VolatileIsAlwaysFalseAndWarns()
    {
        var warnings = new List<string>();
        void Handler(object? s, AutogradWarningEventArgs e) => warnings.Add(e.Message);
        StaticGrad.Autograd.Warning += Handler;
        try
        {
            var x = Tensor.FromArray([1.0, 2]);
            Assert.False(x.Volatile);
            x.Volatile = true;
            Assert.False(x.Volatile);
            Assert.Equal("volatile was removed (Variable.volatile is always False)", warnings[0]);
            Assert.Equal("volatile was removed and now has no effect. Use `with torch.no_grad():` instead.", warnings[1]);
        }
        finally
        {
            StaticGrad.Autograd.Warning -= Handler;
        }
    }
}

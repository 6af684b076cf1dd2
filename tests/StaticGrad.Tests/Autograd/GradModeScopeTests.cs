namespace StaticGrad.Tests.Autograd;

public sealed class GradModeScopeTests
{
    [Fact]
    public void NoGrad_disables_grad_mode_and_restores_it_when_disposed()
    {
        Assert.True(StaticGrad.Autograd.IsGradEnabled);
        using (StaticGrad.Autograd.NoGrad())
        {
            Assert.False(StaticGrad.Autograd.IsGradEnabled);
            using (StaticGrad.Autograd.NoGrad())
            {
                Assert.False(StaticGrad.Autograd.IsGradEnabled);
            }

            Assert.False(StaticGrad.Autograd.IsGradEnabled);
        }

        Assert.True(StaticGrad.Autograd.IsGradEnabled);
    }

    [Fact]
    public void Grad_mode_is_per_thread()
    {
        using (StaticGrad.Autograd.NoGrad())
        {
            var enabledElsewhere = false;
            var other = new Thread(() => enabledElsewhere = StaticGrad.Autograd.IsGradEnabled);
            other.Start();
            other.Join();

            Assert.True(enabledElsewhere);
            Assert.False(StaticGrad.Autograd.IsGradEnabled);
        }
    }
}

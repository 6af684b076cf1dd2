namespace StaticGrad.Tests.Autograd;

using StaticGrad;

/// <summary>
/// Grad mode follows the logical flow of control: across <c>await</c>, into <c>Task.Run</c> started inside a scope,
/// never left behind on a thread-pool thread, and isolated between threads that do not share a flow.
/// </summary>
public class AsyncGradModeTests
{
    [Fact]
    public Task NoGradHoldsAcrossAnAwaitThatResumesOnAnotherThread() => NoGradAcrossAwait();

    private static async Task NoGradAcrossAwait()
    {
        var x = Tensor.FromArray([1.0, 2.0], requiresGrad: true);
        using (StaticGrad.Autograd.NoGrad())
        {
            await Task.Delay(1).ConfigureAwait(false);
            Assert.False(StaticGrad.Autograd.IsGradEnabled);
            Assert.Null((x * 2.0).GradFn);
            await Task.Yield();
            Assert.False(StaticGrad.Autograd.IsGradEnabled);
        }

        Assert.True(StaticGrad.Autograd.IsGradEnabled);
        Assert.NotNull((x * 2.0).GradFn);
    }

    [Fact]
    public async Task AnAsyncMethodsScopeDoesNotLeakIntoItsCallerOrThePool()
    {
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var inner = EnterNoGradAndWait(release.Task);

        // The async method yielded inside its scope: its caller's flow is untouched.
        Assert.True(StaticGrad.Autograd.IsGradEnabled);
        var seenByPool = await Task.WhenAll(Enumerable.Range(0, 64).Select(_ => Task.Run(() => StaticGrad.Autograd.IsGradEnabled)));
        Assert.All(seenByPool, Assert.True);
        release.SetResult();
        Assert.False(await inner);

        // Pool threads that ran the scope's continuation are back in grad mode for the next work item.
        for (int round = 0; round < 20; round++)
        {
            await Task.Run(async () =>
            {
                using (StaticGrad.Autograd.NoGrad())
                {
                    await Task.Yield();
                }
            });
            seenByPool = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => Task.Run(() => StaticGrad.Autograd.IsGradEnabled)));
            Assert.All(seenByPool, Assert.True);
        }

        Assert.True(StaticGrad.Autograd.IsGradEnabled);
    }

    private static async Task<bool> EnterNoGradAndWait(Task release)
    {
        using (StaticGrad.Autograd.NoGrad())
        {
            await release.ConfigureAwait(false);
            return StaticGrad.Autograd.IsGradEnabled;
        }
    }

    [Fact]
    public async Task WorkStartedInsideAScopeRunsInItsMode()
    {
        bool insideRun, afterDispose;
        using (StaticGrad.Autograd.NoGrad())
        {
            insideRun = await Task.Run(() => StaticGrad.Autograd.IsGradEnabled);
        }

        afterDispose = await Task.Run(() => StaticGrad.Autograd.IsGradEnabled);
        Assert.False(insideRun);
        Assert.True(afterDispose);
    }

    [Fact]
    public void ThreadsThatDoNotShareAFlowAreIsolated()
    {
        using var bothEntered = new Barrier(2);
        var results = new bool[4];
        Thread Start(int index, bool disable)
        {
            var thread = new Thread(() =>
            {
                results[index] = StaticGrad.Autograd.IsGradEnabled;
                using (StaticGrad.Autograd.SetGradEnabled(!disable))
                {
                    bothEntered.SignalAndWait();
                    results[index + 1] = StaticGrad.Autograd.IsGradEnabled;
                    bothEntered.SignalAndWait();
                }
            });
            thread.Start();
            return thread;
        }

        Thread first, second;
        using (StaticGrad.Autograd.NoGrad())
        using (ExecutionContext.SuppressFlow())
        {
            first = Start(0, disable: true);
            second = Start(2, disable: false);
        }

        first.Join();
        second.Join();
        Assert.Equal(new[] { true, false, true, true }, results);
        Assert.True(StaticGrad.Autograd.IsGradEnabled);
    }

    [Fact]
    public Task InferenceModeFollowsTheFlowToo() => InferenceAcrossAwait();

    private static async Task InferenceAcrossAwait()
    {
        using (StaticGrad.Autograd.InferenceMode())
        {
            await Task.Delay(1).ConfigureAwait(false);
            Assert.True(StaticGrad.Autograd.IsInferenceModeEnabled);
            Assert.True(Tensor.Zeros([2]).IsInference);
        }

        Assert.False(StaticGrad.Autograd.IsInferenceModeEnabled);
    }
}

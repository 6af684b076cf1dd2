namespace StaticGrad.Tests.Tensors;

using System.Runtime.CompilerServices;
using StaticGrad;

[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class StoragePoolCapCollection
{
    public const string Name = "StoragePool cap";
}

/// <summary>
/// The pool's cap on free arrays: when it is reached, the sizes rented least recently make room, so a later phase
/// with other shapes (float32 after float64) still gets its arrays back; and arrays come back after a collection
/// without the finalizer thread. Runs alone: it lowers the shared cap and blocks the finalizer thread.
/// </summary>
[Collection(StoragePoolCapCollection.Name)]
public class StoragePoolEvictionTests
{
    private const int OldLength = 1_000_003;
    private const int NewLength = 1_000_001;

    [Fact]
    public void ALaterPhaseWithOtherShapesReusesItsArraysWhenOlderSizesFillTheCap()
    {
        long cap = StoragePool.MaxFreeBytes;
        try
        {
            StoragePool.MaxFreeBytes = 48L << 20;
            var old = Make(8, OldLength, DType.Float64);
            var recent = Make(4, NewLength, DType.Float32);

            // The 64 MB of float64 go back first and fill the 48 MB cap; the float32 arrays, rented later, go back after.
            old.Clear();
            Collect();
            recent.Clear();
            Collect();

            long before = GC.GetAllocatedBytesForCurrentThread();
            recent = Make(4, NewLength, DType.Float32);
            long allocated = GC.GetAllocatedBytesForCurrentThread() - before;

            // Without eviction the float32 arrays find the pool full, are dropped, and 16 MB are allocated again.
            Assert.True(allocated < NewLength * sizeof(float), $"{allocated / 1024} KiB allocated for four pooled float32 tensors");
            Assert.All(recent, t => Assert.Equal(0.0, t.Abs().Sum().Item()));
        }
        finally
        {
            StoragePool.MaxFreeBytes = cap;
        }
    }

    [Fact]
    public void ArraysComeBackAfterACollectionEvenWhileTheFinalizerThreadIsBusy()
    {
        // A loaded machine schedules the finalizer thread late; the pool must not depend on it. Here it is blocked.
        // The events are not disposed: the blocker's finalizer may run after the test (if the collection did not
        // reach it in time), and waiting on a disposed event there would crash the test host.
        var started = new ManualResetEventSlim();
        var release = new ManualResetEventSlim();
        MakeBlocker(started, release);
        GC.Collect();
        try
        {
            Assert.True(started.Wait(TimeSpan.FromSeconds(10)), "the blocking finalizer did not start");
            MakeAndDrop(4, NewLength + 6, DType.Float32);
            GC.Collect();
            long before = GC.GetAllocatedBytesForCurrentThread();
            var again = Make(4, NewLength + 6, DType.Float32);
            long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
            Assert.True(allocated < NewLength * sizeof(float), $"{allocated / 1024} KiB allocated while the finalizer thread was blocked");
            GC.KeepAlive(again);
        }
        finally
        {
            release.Set();
        }
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void MakeAndDrop(int count, int length, DType dtype) => _ = Make(count, length, dtype);

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void MakeBlocker(ManualResetEventSlim started, ManualResetEventSlim release) => _ = new FinalizerBlocker(started, release);

    /// <summary>Holds the finalizer thread until released (at most 30 s, so a failing test cannot hang the run).</summary>
    private sealed class FinalizerBlocker(ManualResetEventSlim started, ManualResetEventSlim release)
    {
        ~FinalizerBlocker()
        {
            started.Set();
            release.Wait(TimeSpan.FromSeconds(30));
        }
    }

    /// <summary>In a method of its own, so that no temporary of the caller's frame keeps a tensor reachable.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static List<Tensor> Make(int count, int length, DType dtype)
    {
        var tensors = new List<Tensor>();
        for (int i = 0; i < count; i++)
        {
            tensors.Add(Tensor.Zeros([length], dtype));
        }

        return tensors;
    }

    private static void Collect()
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
    }
}

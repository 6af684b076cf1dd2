using System.Runtime.InteropServices;

namespace StaticGrad;

/// <summary>
/// Recycles the element arrays of tensor storages, so that a training loop, which makes the same intermediates and
/// gradients every step, reaches a steady state that allocates no new arrays (and so puts nothing new on the
/// large-object heap, whose growth is what triggers gen-2 collections).
/// </summary>
/// <remarks>
/// <para>
/// An array goes back to the pool only when the garbage collector has proven that nothing can reach its
/// <see cref="Storage"/> any more: the pool holds a weak handle to each pooled storage, which the collector clears
/// itself when the storage dies, and the next rental after a collection takes back the arrays of the cleared handles.
/// A user's tensor, a view, a <c>Detach()</c> alias, a saved tensor or a gradient all reach the storage, so none of
/// them can see its array reused. .NET has no reference counts to do this deterministically as PyTorch does; the
/// storage object is young (gen 0/1) even when its array is large, so cheap young-generation collections find it.
/// Weak handles rather than finalizers: a finalizer runs on the finalizer thread, which a loaded machine schedules
/// late, and every array still waiting for it was allocated anew (1.9 MB per MLP step at load 30).
/// </para>
/// <para>
/// Kernels hold spans or arrays, which keep an array alive but not its storage, so every kernel entry point keeps the
/// tensors it reads and writes reachable (<see cref="GC.KeepAlive"/>) until it returns, and
/// <c>Tensor.ContiguousSpan</c> copies a non-contiguous tensor into a plain array rather than a pooled storage that
/// only the span would refer to.
/// </para>
/// <para>
/// Pooled rentals allocate nothing, so the collector would rarely run and dead storages would pile up unfound. The pool
/// therefore asks for a young-generation collection (never gen 2) once it has leased more than a budget since the
/// last collection of any kind: far fewer collections than the same loop makes without a pool, where every array is
/// a new allocation. The budget grows with the bytes that stay leased across collections (a loop whose one step keeps
/// 100 MB alive gets a budget above that, up to 256 MB), so a step's tensors are rarely alive through the two
/// collections that would promote their storages to gen 2.
/// </para>
/// <para>
/// The free arrays are capped; when a returned array would exceed the cap, the sizes rented least recently are
/// dropped first (not the returned one), so that a program phase with other shapes (a loop over float32 after one
/// over float64) gets its own steady state instead of finding the pool full of arrays nothing asks for.
/// </para>
/// </remarks>
internal static class StoragePool
{
    /// <summary>Smaller arrays are cheaper to allocate than to lease.</summary>
    internal const int MinPooledLength = 256;

    private const long MinBudgetBytes = 32L << 20;
    private const long MaxBudgetBytes = 256L << 20;

    private static readonly object s_lock = new();
    private static readonly Dictionary<(DType, int), Bucket> s_free = new();
    private static long s_freeBytes;
    private static long s_outstandingBytes;
    private static long s_leasedSinceCollection;
    private static long s_budgetBytes = MinBudgetBytes;
    private static int s_lastCollection;
    private static long s_clock;
    private static readonly List<Leased> s_leased = new();

    /// <summary>Whether the pool is used (<c>StaticGrad.StoragePool</c> AppContext switch; on by default).</summary>
    internal static bool Enabled { get; set; } =
        !AppContext.TryGetSwitch("StaticGrad.DisableStoragePool", out bool disabled) || !disabled;

    /// <summary>The cap on free arrays held for reuse (settable for tests).</summary>
    internal static long MaxFreeBytes { get; set; } = 1L << 30;

    /// <summary>Statistics for tests and benchmarks: arrays handed out from the pool and arrays newly allocated.</summary>
    internal static long Reused;

    internal static long Allocated;

    /// <summary>Statistics: arrays a backward pass returned without a collection (see <see cref="StorageArena"/>).</summary>
    internal static long ReturnedByBackward;

    /// <summary>
    /// An array of exactly <paramref name="length"/> elements, zeroed when <paramref name="clear"/>; when
    /// <paramref name="pooled"/>, the caller hands the storage that owns it to <see cref="Track"/>.
    /// </summary>
    public static Array Rent(DType dtype, int length, bool clear, out bool pooled)
    {
        pooled = Enabled && length >= MinPooledLength;
        if (!pooled)
        {
            return NewArray(dtype, length);
        }

        long bytes = (long)length * dtype.ElementSize();
        Array? array;
        bool collect;
        lock (s_lock)
        {
            array = TakeFree(dtype, length);
            collect = array is null && s_leasedSinceCollection > s_budgetBytes;
            s_outstandingBytes += bytes;
            s_leasedSinceCollection += bytes;
        }

        if (collect)
        {
            // A young-generation collection only (see the remarks). Collections of gen 1 promote into gen 2 but do
            // not collect it. The handles it clears are taken back at once, so this rental can already reuse one.
            GC.Collect(1, GCCollectionMode.Forced, blocking: true, compacting: false);
            lock (s_lock)
            {
                array = TakeFree(dtype, length);
            }
        }

        if (array is null)
        {
            Interlocked.Increment(ref Allocated);
            return NewArray(dtype, length);
        }

        Interlocked.Increment(ref Reused);
        if (clear)
        {
            Array.Clear(array);
        }

        return array;
    }

    /// <summary>Registers the storage that owns a pooled array: the array returns once the storage is unreachable.</summary>
    public static void Track(Storage storage)
    {
        var handle = GCHandle.Alloc(storage, GCHandleType.Weak);
        lock (s_lock)
        {
            s_leased.Add(new Leased(handle, storage.Data, storage.DType));
        }
    }

    /// <summary>
    /// Takes back at once the arrays of the storages of <paramref name="storages"/> that did not escape a backward pass
    /// (see <see cref="StorageArena"/>), and poisons those storages.
    /// </summary>
    public static void ReturnReleased(List<Storage> storages)
    {
        int returned = 0;
        lock (s_lock)
        {
            foreach (var storage in storages)
            {
                if (storage.Escaped)
                {
                    continue;
                }

                var array = storage.Data;
                storage.Poison();
                long bytes = (long)array.Length * storage.DType.ElementSize();

                // Returned bytes do not pile up waiting for a collection, so they do not count towards the next one.
                s_leasedSinceCollection = Math.Max(0, s_leasedSinceCollection - bytes);
                Return(array, storage.DType);
                returned++;
            }
        }

        Interlocked.Add(ref ReturnedByBackward, returned);
    }

    /// <summary>A free array of the size, after taking back what the last collection freed; null when there is none.</summary>
    private static Array? TakeFree(DType dtype, int length)
    {
        int collection = GC.CollectionCount(0);
        if (collection != s_lastCollection)
        {
            TakeBackUnreachable();
            OnCollection(collection);
        }

        var bucket = GetBucket(dtype, length);
        bucket.LastRent = ++s_clock;
        if (bucket.Arrays.Count == 0)
        {
            return null;
        }

        s_freeBytes -= bucket.ArrayBytes;
        return bucket.Arrays.Pop();
    }

    /// <summary>Returns the arrays of the storages whose weak handles the collector has cleared.</summary>
    private static void TakeBackUnreachable()
    {
        for (int i = s_leased.Count - 1; i >= 0; i--)
        {
            var leased = s_leased[i];
            if (leased.Handle.Target is not null)
            {
                continue;
            }

            leased.Handle.Free();
            s_leased[i] = s_leased[^1];
            s_leased.RemoveAt(s_leased.Count - 1);
            Return(leased.Array, leased.DType);
        }
    }

    private static Array NewArray(DType dtype, int length) => dtype switch
    {
        DType.Float32 => new float[length],
        DType.Float64 => new double[length],
        DType.Int64 => new long[length],
        _ => new bool[length],
    };

    /// <summary>Puts an array back on its free list (under the lock).</summary>
    private static void Return(Array array, DType dtype)
    {
        long bytes = (long)array.Length * dtype.ElementSize();
        s_outstandingBytes -= bytes;
        var bucket = GetBucket(dtype, array.Length);
        if (s_freeBytes + bytes > MaxFreeBytes && !EvictOlderThan(bucket.LastRent, MaxFreeBytes - bytes))
        {
            return;
        }

        bucket.Arrays.Push(array);
        s_freeBytes += bytes;
    }

    private static Bucket GetBucket(DType dtype, int length)
    {
        if (!s_free.TryGetValue((dtype, length), out var bucket))
        {
            bucket = new Bucket(dtype.ElementSize() * (long)length);
            s_free[(dtype, length)] = bucket;
        }

        return bucket;
    }

    /// <summary>
    /// Drops the free arrays of the sizes rented least recently, all rented before <paramref name="lastRent"/>, until
    /// at most <paramref name="target"/> free bytes remain; false when that is not reached.
    /// </summary>
    private static bool EvictOlderThan(long lastRent, long target)
    {
        while (s_freeBytes > target)
        {
            Bucket? oldest = null;
            foreach (var candidate in s_free.Values)
            {
                if (candidate.Arrays.Count > 0 && candidate.LastRent < lastRent && (oldest is null || candidate.LastRent < oldest.LastRent))
                {
                    oldest = candidate;
                }
            }

            if (oldest is null)
            {
                return false;
            }

            while (oldest.Arrays.Count > 0 && s_freeBytes > target)
            {
                oldest.Arrays.Pop();
                s_freeBytes -= oldest.ArrayBytes;
            }
        }

        return true;
    }

    /// <summary>Sets the budget of leased bytes until the next forced collection.</summary>
    private static void OnCollection(int collection)
    {
        s_lastCollection = collection;

        // Bytes leased before the previous collection and not returned yet: long-lived tensors and whatever one step
        // keeps alive. The budget stays above twice that, so a step's tensors rarely live through two collections.
        // Capped: leases promoted to gen 2 by an earlier phase of the program stay outstanding until a gen-2 collection
        // and must not keep the budget so high that a later loop with other shapes runs for long without its arrays.
        long older = Math.Max(0, s_outstandingBytes - s_leasedSinceCollection);
        s_budgetBytes = Math.Clamp(2 * older, MinBudgetBytes, MaxBudgetBytes);
        s_leasedSinceCollection = 0;
    }

    /// <summary>The free arrays of one dtype and length, and when that size was last rented (for eviction).</summary>
    private sealed class Bucket
    {
        public Bucket(long arrayBytes) => ArrayBytes = arrayBytes;

        public Stack<Array> Arrays { get; } = new();

        public long ArrayBytes { get; }

        public long LastRent { get; set; }
    }

    /// <summary>A pooled array and the weak handle to the storage that owns it.</summary>
    private readonly record struct Leased(GCHandle Handle, Array Array, DType DType);
}

namespace StaticGrad;

/// <summary>
/// The pooled storages a backward pass allocates on its thread: the gradients it passes from node to node, their sums,
/// conversions and the temporaries of the built-in backward functions. When the pass ends, the storages that no tensor
/// outside the pass can reach go back to <see cref="StoragePool"/> at once, instead of after a collection.
/// </summary>
/// <remarks>
/// <para>
/// Only the engine and the runtime's own backward functions (<see cref="OpNode"/>, <see cref="AccumulateGrad"/>) see
/// these tensors while the arena records. A tensor leaves the pass only where the engine hands it on, and each of those
/// places marks its storage <see cref="Storage.Escaped"/>: a leaf's or a retained gradient, a result of
/// <c>Autograd.Grad</c>, and the gradients a <see cref="CustomFunction"/> (user code) receives or returns. While user code
/// runs the arena does not record (<see cref="Suspend"/>), so whatever it allocates is tracked by the collector as
/// before. Views and <c>Detach()</c> aliases share the <see cref="Storage"/> object, so marking the storage covers them.
/// Escaped storages, and every storage of a pass that throws, are handed to the pool's weak-handle tracking instead.
/// </para>
/// <para>
/// A returned storage is poisoned (its array replaced by an empty one), so a tensor that could still reach it would fail
/// on its next access rather than read the array's next owner's data.
/// </para>
/// </remarks>
internal sealed class StorageArena
{
    [ThreadStatic]
    private static StorageArena? t_current;

    private readonly StorageArena? _outer;
    private readonly List<Storage> _storages = new();

    private StorageArena(StorageArena? outer) => _outer = outer;

    /// <summary>Whether backward passes return their storages early (<c>StaticGrad.DisableBackwardArena</c> AppContext switch; on by default).</summary>
    internal static bool Enabled { get; set; } =
        !AppContext.TryGetSwitch("StaticGrad.DisableBackwardArena", out bool disabled) || !disabled;

    /// <summary>Starts recording this thread's pooled storages; null when the pool or the arena is off.</summary>
    public static StorageArena? Open()
    {
        if (!Enabled || !StoragePool.Enabled)
        {
            return null;
        }

        var arena = new StorageArena(t_current);
        t_current = arena;
        return arena;
    }

    /// <summary>Records a newly rented storage in the current thread's arena; false when no arena records.</summary>
    public static bool TryAdopt(Storage storage)
    {
        var arena = t_current;
        if (arena is null)
        {
            return false;
        }

        storage.FromArena = true;
        arena._storages.Add(storage);
        return true;
    }

    /// <summary>Stops recording until the result is disposed: for user code the arena cannot follow.</summary>
    public static Suspension Suspend()
    {
        var suspension = new Suspension(t_current);
        t_current = null;
        return suspension;
    }

    /// <summary>
    /// Ends the pass: returns the storages that did not escape when <paramref name="release"/>, and hands every other one
    /// to the pool's tracking (all of them after a failed pass).
    /// </summary>
    public void Close(bool release)
    {
        t_current = _outer;
        List<Storage>? tracked = null;
        foreach (var storage in _storages)
        {
            if (!release || storage.Escaped)
            {
                (tracked ??= new()).Add(storage);
            }
        }

        if (release)
        {
            StoragePool.ReturnReleased(_storages);
        }

        if (tracked is not null)
        {
            foreach (var storage in tracked)
            {
                StoragePool.Track(storage);
            }
        }

        _storages.Clear();
    }

    /// <summary>Restores the arena that recorded before <see cref="Suspend"/>.</summary>
    internal readonly struct Suspension : IDisposable
    {
        private readonly StorageArena? _saved;

        public Suspension(StorageArena? saved) => _saved = saved;

        public void Dispose() => t_current = _saved;
    }
}

using System.Runtime.CompilerServices;

namespace StaticGrad;

/// <summary>A typed flat buffer shared by a tensor, its views and its <c>Detach()</c> aliases.</summary>
internal sealed class Storage
{
    public Storage(Array data, DType dtype)
    {
        Data = data;
        DType = dtype;
    }

    /// <summary>The elements; an empty array once a backward pass has returned the storage to the pool (see <see cref="StorageArena"/>).</summary>
    public Array Data { get; private set; }

    /// <summary>A tensor over this storage left the backward pass (a gradient, a captured result, user code): never returned early.</summary>
    internal bool Escaped;

    /// <summary>Allocated while a backward pass's arena recorded: every tensor over it was the engine's until it escaped.</summary>
    internal bool FromArena;

    /// <summary>Tensors over this storage left a backward pass more than once: no single one of them owns it.</summary>
    internal bool EscapedTwice;

    /// <summary>Marks that a tensor over this storage leaves the backward pass.</summary>
    internal void MarkEscaped()
    {
        EscapedTwice |= Escaped;
        Escaped = true;
    }

    public DType DType { get; }

    public int Length => Data.Length;

    /// <summary>A zeroed storage of <paramref name="length"/> elements, from the pool when it is large enough.</summary>
    public static Storage Allocate(DType dtype, int length) => Rent(dtype, length, clear: true);

    /// <summary>A storage whose contents are undefined: for results every element of which the caller writes.</summary>
    public static Storage AllocateUninitialized(DType dtype, int length) => Rent(dtype, length, clear: false);

    private static Storage Rent(DType dtype, int length, bool clear)
    {
        var data = StoragePool.Rent(dtype, length, clear, out bool pooled);
        var storage = new Storage(data, dtype);
        if (pooled && !StorageArena.TryAdopt(storage))
        {
            // The array returns to the pool once this storage is unreachable (see StoragePool).
            StoragePool.Track(storage);
        }

        return storage;
    }

    /// <summary>
    /// Replaces the elements by an empty array after the array went back to the pool, so that a tensor that should not
    /// have been able to reach this storage any more fails on its next access instead of reading another tensor's data.
    /// </summary>
    internal void Poison() => Data = DType switch
    {
        DType.Float32 => Array.Empty<float>(),
        DType.Float64 => Array.Empty<double>(),
        DType.Int64 => Array.Empty<long>(),
        _ => Array.Empty<bool>(),
    };

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public T[] As<T>() => Unsafe.As<T[]>(Data);

    public double GetDouble(int index) => DType switch
    {
        DType.Float32 => As<float>()[index],
        DType.Float64 => As<double>()[index],
        DType.Int64 => As<long>()[index],
        _ => As<bool>()[index] ? 1.0 : 0.0,
    };

    public void SetDouble(int index, double value)
    {
        switch (DType)
        {
            case DType.Float32: As<float>()[index] = (float)value; break;
            case DType.Float64: As<double>()[index] = value; break;
            case DType.Int64: As<long>()[index] = (long)value; break;
            default: As<bool>()[index] = value != 0; break;
        }
    }
}

/// <summary>
/// The mutable version counter PyTorch shares between a tensor, its views and its <c>detach()</c> results; saved
/// tensors remember its value so that backward can detect in-place changes.
/// </summary>
internal sealed class VersionCounter
{
    public int Value;
}

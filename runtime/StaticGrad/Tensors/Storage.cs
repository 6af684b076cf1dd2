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

    public Array Data { get; }

    public DType DType { get; }

    public int Length => Data.Length;

    public static Storage Allocate(DType dtype, int length) => dtype switch
    {
        DType.Float32 => new Storage(new float[length], dtype),
        DType.Float64 => new Storage(new double[length], dtype),
        DType.Int64 => new Storage(new long[length], dtype),
        _ => new Storage(new bool[length], dtype),
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

using System.Buffers;

namespace StaticGrad;

/// <summary>
/// A contiguous float tensor over an array rented from <see cref="ArrayPool{T}.Shared"/>, for the large temporaries a
/// kernel needs only during one call (a convolution's column matrix): the array goes back to the pool on
/// <see cref="Dispose"/>, so a training loop does not allocate a new one every step. The tensor must not escape the
/// call; nothing may keep it or a view of it after disposal.
/// </summary>
internal readonly struct ScratchTensor : IDisposable
{
    private ScratchTensor(Tensor tensor) => Tensor = tensor;

    /// <summary>The tensor; its storage may be longer than its elements.</summary>
    public Tensor Tensor { get; }

    /// <summary>Rents a tensor of <paramref name="shape"/>; the contents are undefined.</summary>
    public static ScratchTensor Rent(int[] shape, DType dtype)
    {
        int length = ShapeUtil.NumElements(shape);
        Array data = dtype switch
        {
            DType.Float32 => ArrayPool<float>.Shared.Rent(length),
            DType.Float64 => ArrayPool<double>.Shared.Rent(length),
            _ => throw new ArgumentOutOfRangeException(nameof(dtype), dtype, "scratch tensors are floating point"),
        };
        return new ScratchTensor(new Tensor(new Storage(data, dtype), shape, ShapeUtil.ContiguousStrides(shape), 0, null, isInference: false, viewBase: null));
    }

    /// <summary>Returns the array to the pool.</summary>
    public void Dispose()
    {
        switch (Tensor?._storage.Data)
        {
            case float[] f: ArrayPool<float>.Shared.Return(f); break;
            case double[] d: ArrayPool<double>.Shared.Return(d); break;
        }
    }
}

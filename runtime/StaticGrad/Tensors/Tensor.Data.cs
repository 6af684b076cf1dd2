using System.Runtime.CompilerServices;

namespace StaticGrad;

public partial class Tensor
{
    internal static Tensor Empty(int[] shape, DType dtype) => new(Storage.Allocate(dtype, ShapeUtil.NumElements(shape)), shape);

    /// <summary>A new contiguous tensor whose elements are undefined (a pooled array is not cleared): the caller writes every one.</summary>
    internal static Tensor EmptyUninitialized(int[] shape, DType dtype) => new(Storage.AllocateUninitialized(dtype, ShapeUtil.NumElements(shape)), shape);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal T[] Buffer<T>() => _storage.As<T>();

    /// <summary>The elements in row-major order: the storage itself when contiguous, otherwise a copy.</summary>
    /// <remarks>
    /// The copy is a plain array, not pooled storage: only the span refers to it, and a span keeps an array alive but
    /// not the storage whose unreachability returns a pooled array to <see cref="StoragePool"/>.
    /// </remarks>
    internal ReadOnlySpan<T> ContiguousSpan<T>()
    {
        if (!_contiguous)
        {
            var copy = new T[_numel];
            CopyKernels.Gather<T>(this, copy);
            return copy;
        }

        return new ReadOnlySpan<T>(_storage.As<T>(), _offset, _numel);
    }

    /// <summary>The writable elements of a contiguous tensor the caller just allocated.</summary>
    internal Span<T> MutableSpan<T>() => new(_storage.As<T>(), _offset, _numel);

    /// <summary>This tensor if contiguous, otherwise a contiguous copy; never recorded in the graph.</summary>
    internal Tensor ContiguousData() => _contiguous ? this : CloneData();

    /// <summary>A contiguous copy of the data that is never recorded in the graph.</summary>
    internal Tensor CloneData()
    {
        var result = EmptyUninitialized(_shape, DType);
        switch (DType)
        {
            case DType.Float64: CopyKernels.Gather(this, result.MutableSpan<double>()); break;
            case DType.Float32: CopyKernels.Gather(this, result.MutableSpan<float>()); break;
            case DType.Int64: CopyKernels.Gather(this, result.MutableSpan<long>()); break;
            default: CopyKernels.Gather(this, result.MutableSpan<bool>()); break;
        }

        return result;
    }

    /// <summary>A contiguous copy converted to <paramref name="dtype"/>, never recorded in the graph.</summary>
    internal Tensor ToDTypeData(DType dtype) =>
        dtype == DType ? CloneData() : new Tensor(CopyKernels.ConvertStorage(this, dtype), _shape);

    /// <summary>Writes <paramref name="src"/> (broadcast) into this tensor's elements, converting its dtype.</summary>
    internal void CopyDataFrom(Tensor src)
    {
        if (src.DType != DType)
        {
            src = src.ToDTypeData(DType);
        }

        switch (DType)
        {
            case DType.Float64: CopyKernels.Scatter<double>(src, this); break;
            case DType.Float32: CopyKernels.Scatter<float>(src, this); break;
            case DType.Int64: CopyKernels.Scatter<long>(src, this); break;
            default: CopyKernels.Scatter<bool>(src, this); break;
        }
    }

    /// <summary>Adds <paramref name="other"/> into this tensor's data in place and bumps the version (gradient accumulation).</summary>
    internal void AccumulateInPlaceRaw(Tensor other)
    {
        ApplyInPlaceData(BinaryOp.Add, other);
        BumpVersion();
    }

    internal void ApplyInPlaceData(BinaryOp op, Tensor other)
    {
        if (other.DType != DType)
        {
            other = other.ToDTypeData(DType);
        }

        if (!ShapeUtil.SameShape(ShapeUtil.Broadcast(_shape, other._shape), _shape))
        {
            throw new ArgumentException($"output with shape {ShapeUtil.Bracketed(_shape)} doesn't match the broadcast shape {ShapeUtil.Bracketed(ShapeUtil.Broadcast(_shape, other._shape))}");
        }

        switch (DType)
        {
            case DType.Float64: BinaryKernels.Run<double>(op, this, other, this); break;
            case DType.Float32: BinaryKernels.Run<float>(op, this, other, this); break;
            case DType.Int64: BinaryKernels.Run<long>(op, this, other, this); break;
            default: throw new ArgumentException("arithmetic is not supported on bool tensors; convert with ToDType first");
        }

        GC.KeepAlive(other);
    }

    /// <summary>A gradient clone recorded as PyTorch's <c>CopyBackwards</c> when the gradient itself requires grad.</summary>
    internal Tensor CopyBackwardsClone()
    {
        var result = CloneData();
        if (RequiresGrad && Autograd.IsGradEnabled)
        {
            result.SetGradFn(new OpNode("CopyBackwards", static (n, g, gi) => gi[0] = g, this));
        }

        return result;
    }
}

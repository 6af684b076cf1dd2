using System.Numerics;
using System.Numerics.Tensors;

namespace StaticGrad;

/// <summary>Strided gathers and scatters, and dtype conversion.</summary>
internal static class CopyKernels
{
    /// <summary>Copies the elements of <paramref name="src"/> in row-major order into <paramref name="dst"/>.</summary>
    public static void Gather<T>(Tensor src, Span<T> dst)
    {
        var data = src.Buffer<T>();
        if (src._contiguous)
        {
            data.AsSpan(src._offset, src._numel).CopyTo(dst);
            return;
        }

        int rank = src._shape.Length;
        int inner = src._shape[rank - 1];
        int innerStride = src._strides[rank - 1];
        if (inner == 0 || src._numel == 0)
        {
            return;
        }

        var index = new int[rank];
        int offset = src._offset;
        int outPos = 0;
        int outer = src._numel / inner;
        for (int o = 0; o < outer; o++)
        {
            if (innerStride == 1)
            {
                data.AsSpan(offset, inner).CopyTo(dst.Slice(outPos, inner));
            }
            else if (innerStride == 0)
            {
                dst.Slice(outPos, inner).Fill(data[offset]);
            }
            else
            {
                for (int k = 0, p = offset; k < inner; k++, p += innerStride)
                {
                    dst[outPos + k] = data[p];
                }
            }

            outPos += inner;
            for (int d = rank - 2; d >= 0; d--)
            {
                index[d]++;
                offset += src._strides[d];
                if (index[d] < src._shape[d])
                {
                    break;
                }

                offset -= src._strides[d] * src._shape[d];
                index[d] = 0;
            }
        }
    }

    /// <summary>Writes <paramref name="src"/> (row-major, broadcast to <paramref name="dst"/>'s shape) into the strided tensor <paramref name="dst"/>.</summary>
    public static void Scatter<T>(Tensor src, Tensor dst)
    {
        var s = src.Buffer<T>();
        var d = dst.Buffer<T>();
        int rank = dst._shape.Length;
        if (dst._numel == 0)
        {
            return;
        }

        if (rank == 0)
        {
            d[dst._offset] = s[src._offset];
            return;
        }

        var ss = ShapeUtil.BroadcastStrides(src._shape, src._strides, dst._shape);
        int inner = dst._shape[rank - 1];
        int di = dst._strides[rank - 1];
        int si = ss[rank - 1];
        var index = new int[rank];
        int od = dst._offset, os = src._offset;
        int outer = dst._numel / inner;
        for (int o = 0; o < outer; o++)
        {
            if (di == 1 && si == 1)
            {
                s.AsSpan(os, inner).CopyTo(d.AsSpan(od, inner));
            }
            else if (di == 1 && si == 0)
            {
                d.AsSpan(od, inner).Fill(s[os]);
            }
            else
            {
                for (int k = 0; k < inner; k++)
                {
                    d[od + k * di] = s[os + k * si];
                }
            }

            for (int dim = rank - 2; dim >= 0; dim--)
            {
                index[dim]++;
                od += dst._strides[dim];
                os += ss[dim];
                if (index[dim] < dst._shape[dim])
                {
                    break;
                }

                od -= dst._strides[dim] * dst._shape[dim];
                os -= ss[dim] * dst._shape[dim];
                index[dim] = 0;
            }
        }
    }

    public static void Convert<TFrom, TTo>(ReadOnlySpan<TFrom> src, Span<TTo> dst)
        where TFrom : unmanaged, INumber<TFrom>
        where TTo : unmanaged, INumber<TTo>
    {
        TensorPrimitives.ConvertTruncating(src, dst);
    }

    public static Storage ConvertStorage(Tensor src, DType to)
    {
        var from = src.DType;
        var result = Storage.Allocate(to, src._numel);
        if (from == DType.Bool || to == DType.Bool)
        {
            var c = src.ContiguousData();
            for (int i = 0; i < src._numel; i++)
            {
                double v = c._storage.GetDouble(c._offset + i);
                result.SetDouble(i, v);
            }

            return result;
        }

        var contiguous = src.ContiguousData();
        switch (from)
        {
            case DType.Float64: ConvertFrom(contiguous.ContiguousSpan<double>(), result); break;
            case DType.Float32: ConvertFrom(contiguous.ContiguousSpan<float>(), result); break;
            default: ConvertFrom(contiguous.ContiguousSpan<long>(), result); break;
        }

        return result;
    }

    private static void ConvertFrom<TFrom>(ReadOnlySpan<TFrom> src, Storage dst)
        where TFrom : unmanaged, INumber<TFrom>
    {
        switch (dst.DType)
        {
            case DType.Float64: Convert(src, dst.As<double>().AsSpan()); break;
            case DType.Float32: Convert(src, dst.As<float>().AsSpan()); break;
            default: Convert(src, dst.As<long>().AsSpan()); break;
        }
    }
}

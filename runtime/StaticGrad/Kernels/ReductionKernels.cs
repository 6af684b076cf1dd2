using System.Numerics;
using System.Numerics.Tensors;

namespace StaticGrad;

/// <summary>
/// Reductions over all elements or one dimension. A contiguous input of shape [outer, n, inner] is reduced by adding
/// whole inner rows with <see cref="TensorPrimitives"/>, so no per-element index arithmetic is needed.
/// </summary>
internal static class ReductionKernels
{
    public static (int Outer, int N, int Inner) Split(int[] shape, int dim)
    {
        int outer = 1, inner = 1;
        for (int i = 0; i < dim; i++)
        {
            outer *= shape[i];
        }

        for (int i = dim + 1; i < shape.Length; i++)
        {
            inner *= shape[i];
        }

        return (outer, shape.Length == 0 ? 1 : shape[dim], inner);
    }

    public static int[] ReducedShape(int[] shape, int dim, bool keepDim)
    {
        if (shape.Length == 0)
        {
            return shape;
        }

        if (keepDim)
        {
            var s = (int[])shape.Clone();
            s[dim] = 1;
            return s;
        }

        var r = new int[shape.Length - 1];
        for (int i = 0, j = 0; i < shape.Length; i++)
        {
            if (i != dim)
            {
                r[j++] = shape[i];
            }
        }

        return r;
    }

    public static Tensor SumAll(Tensor x, DType dtype)
    {
        var c = x.DType == dtype ? x.ContiguousData() : x.ToDTypeData(dtype);
        var r = Tensor.Empty(Array.Empty<int>(), dtype);
        switch (dtype)
        {
            case DType.Float64: r.MutableSpan<double>()[0] = TensorPrimitives.Sum(c.ContiguousSpan<double>()); break;
            case DType.Float32: r.MutableSpan<float>()[0] = TensorPrimitives.Sum(c.ContiguousSpan<float>()); break;
            default: r.MutableSpan<long>()[0] = TensorPrimitives.Sum(c.ContiguousSpan<long>()); break;
        }

        GC.KeepAlive(c);
        return r;
    }

    public static Tensor SumDim(Tensor x, int dim, bool keepDim, DType dtype)
    {
        var c = x.DType == dtype ? x.ContiguousData() : x.ToDTypeData(dtype);
        var r = Tensor.EmptyUninitialized(ReducedShape(x._shape, dim, keepDim), dtype);
        var s = Split(x._shape, dim);
        switch (dtype)
        {
            case DType.Float64: SumDim(c.Buffer<double>(), c._offset, s, r.Buffer<double>()); break;
            case DType.Float32: SumDim(c.Buffer<float>(), c._offset, s, r.Buffer<float>()); break;
            default: SumDim(c.Buffer<long>(), c._offset, s, r.Buffer<long>()); break;
        }

        GC.KeepAlive(c);
        return r;
    }

    /// <summary>
    /// Each output element is summed in one fixed order (a row by <see cref="TensorPrimitives.Sum{T}(ReadOnlySpan{T})"/>,
    /// a column from k = 0 upwards), and threads take whole rows or whole columns, so the bits do not depend on the
    /// thread count.
    /// </summary>
    private static void SumDim<T>(T[] x, int offset, (int Outer, int N, int Inner) s, T[] d)
        where T : unmanaged, INumber<T>
    {
        if (s.Inner == 1)
        {
            ParallelElementwise.ForRows(s.Outer, s.N, (first, count) =>
            {
                for (int o = first; o < first + count; o++)
                {
                    d[o] = TensorPrimitives.Sum(new ReadOnlySpan<T>(x, offset + (o * s.N), s.N));
                }
            });
        }
        else if (s.Outer > 1)
        {
            ParallelElementwise.ForRows(s.Outer, s.N * s.Inner, (first, count) =>
            {
                for (int o = first; o < first + count; o++)
                {
                    SumColumns(x, offset + (o * s.N * s.Inner), s.N, s.Inner, d.AsSpan(o * s.Inner, s.Inner), 0);
                }
            });
        }
        else
        {
            ParallelElementwise.For(s.Inner, (first, count) => SumColumns(x, offset, s.N, s.Inner, d.AsSpan(first, count), first));
        }
    }

    /// <summary>d[j] = Σₖ x[start + k·inner + first + j], adding row after row (vectorised along the columns).</summary>
    private static void SumColumns<T>(T[] x, int start, int n, int inner, Span<T> d, int first)
        where T : unmanaged, INumber<T>
    {
        d.Clear();
        if (d.Length < 16)
        {
            // Narrow blocks: a call per row costs more than the additions; same order, same bits.
            for (int j = 0; j < d.Length; j++)
            {
                T acc = T.Zero;
                for (int k = 0; k < n; k++)
                {
                    acc += x[start + (k * inner) + first + j];
                }

                d[j] = acc;
            }

            return;
        }

        for (int k = 0; k < n; k++)
        {
            TensorPrimitives.Add(d, new ReadOnlySpan<T>(x, start + (k * inner) + first, d.Length), d);
        }
    }

    /// <summary>Per-dimension maximum or minimum and the index of its first occurrence (NaN wins, as in PyTorch).</summary>
    public static (Tensor Values, Tensor Indices) ExtremeDim(Tensor x, int dim, bool keepDim, bool max)
    {
        var shape = ReducedShape(x._shape, dim, keepDim);
        var values = Tensor.EmptyUninitialized(shape, x.DType);
        var indices = Tensor.EmptyUninitialized(shape, DType.Int64);
        var c = x.ContiguousData();
        var s = Split(x._shape, dim);
        if (s.N == 0)
        {
            throw new ArgumentException("Expected reduction dim to have non-zero size.");
        }

        switch (x.DType)
        {
            case DType.Float64: ExtremeKernels.Run(c.Buffer<double>(), c._offset, s, max, values.Buffer<double>(), indices.Buffer<long>()); break;
            case DType.Float32: ExtremeKernels.Run(c.Buffer<float>(), c._offset, s, max, values.Buffer<float>(), indices.Buffer<long>()); break;
            case DType.Int64: ExtremeKernels.Run(c.Buffer<long>(), c._offset, s, max, values.Buffer<long>(), indices.Buffer<long>()); break;
            default: throw new ArgumentException("max/min are not supported on bool tensors; convert with ToDType first");
        }

        GC.KeepAlive(c);
        return (values, indices);
    }

    /// <summary>eˣ with float64 through <see cref="VectorMath.Exp"/> (≤ 1 ulp), float32 through <see cref="TensorPrimitives"/>.</summary>
    internal static void Exp<T>(ReadOnlySpan<T> x, Span<T> d)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (typeof(T) == typeof(double))
        {
            VectorMath.Exp(BinaryKernels.Cast<T, double>(x), BinaryKernels.CastMut<T, double>(d));
        }
        else
        {
            TensorPrimitives.Exp(x, d);
        }
    }
}

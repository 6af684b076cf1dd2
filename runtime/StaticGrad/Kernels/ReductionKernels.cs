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
        switch (dtype)
        {
            case DType.Float64: SumDim(c.ContiguousSpan<double>(), Split(x._shape, dim), r.MutableSpan<double>()); break;
            case DType.Float32: SumDim(c.ContiguousSpan<float>(), Split(x._shape, dim), r.MutableSpan<float>()); break;
            default: SumDim(c.ContiguousSpan<long>(), Split(x._shape, dim), r.MutableSpan<long>()); break;
        }

        GC.KeepAlive(c);
        return r;
    }

    private static void SumDim<T>(ReadOnlySpan<T> x, (int Outer, int N, int Inner) s, Span<T> d)
        where T : unmanaged, INumber<T>
    {
        for (int o = 0; o < s.Outer; o++)
        {
            var src = x.Slice(o * s.N * s.Inner, s.N * s.Inner);
            if (s.Inner == 1)
            {
                d[o] = TensorPrimitives.Sum(src);
                continue;
            }

            var dst = d.Slice(o * s.Inner, s.Inner);
            dst.Clear();
            for (int k = 0; k < s.N; k++)
            {
                TensorPrimitives.Add(dst, src.Slice(k * s.Inner, s.Inner), dst);
            }
        }
    }

    /// <summary>Per-dimension maximum or minimum and the index of its first occurrence (NaN wins, as in PyTorch).</summary>
    public static (Tensor Values, Tensor Indices) ExtremeDim(Tensor x, int dim, bool keepDim, bool max)
    {
        var shape = ReducedShape(x._shape, dim, keepDim);
        var values = Tensor.Empty(shape, x.DType);
        var indices = Tensor.Empty(shape, DType.Int64);
        var c = x.ContiguousData();
        var s = Split(x._shape, dim);
        if (s.N == 0)
        {
            throw new ArgumentException("Expected reduction dim to have non-zero size.");
        }

        switch (x.DType)
        {
            case DType.Float64: ExtremeDim(c.ContiguousSpan<double>(), s, max, values.MutableSpan<double>(), indices.MutableSpan<long>()); break;
            case DType.Float32: ExtremeDim(c.ContiguousSpan<float>(), s, max, values.MutableSpan<float>(), indices.MutableSpan<long>()); break;
            case DType.Int64: ExtremeDim(c.ContiguousSpan<long>(), s, max, values.MutableSpan<long>(), indices.MutableSpan<long>()); break;
            default: throw new ArgumentException("max/min are not supported on bool tensors; convert with ToDType first");
        }

        GC.KeepAlive(c);
        return (values, indices);
    }

    private static void ExtremeDim<T>(ReadOnlySpan<T> x, (int Outer, int N, int Inner) s, bool max, Span<T> values, Span<long> indices)
        where T : unmanaged, INumber<T>
    {
        for (int o = 0; o < s.Outer; o++)
        {
            for (int i = 0; i < s.Inner; i++)
            {
                int baseIndex = o * s.N * s.Inner + i;
                T best = x[baseIndex];
                int bestK = 0;
                for (int k = 1; k < s.N && !T.IsNaN(best); k++)
                {
                    T v = x[baseIndex + k * s.Inner];
                    if (T.IsNaN(v) || (max ? v > best : v < best))
                    {
                        best = v;
                        bestK = k;
                    }
                }

                values[o * s.Inner + i] = best;
                indices[o * s.Inner + i] = bestK;
            }
        }
    }

    public static Tensor Softmax(Tensor x, int dim, bool log)
    {
        var c = x.ContiguousData();
        var r = Tensor.EmptyUninitialized(x._shape, x.DType);
        var s = Split(x._shape, dim);
        if (x.DType == DType.Float64)
        {
            Softmax(c.ContiguousSpan<double>(), s, log, r.MutableSpan<double>());
        }
        else
        {
            Softmax(c.ContiguousSpan<float>(), s, log, r.MutableSpan<float>());
        }

        GC.KeepAlive(c);
        return r;
    }

    private static void Softmax<T>(ReadOnlySpan<T> x, (int Outer, int N, int Inner) s, bool log, Span<T> d)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var row = s.Inner == 1 ? Array.Empty<T>() : new T[s.N];
        var exps = log ? new T[s.N] : Array.Empty<T>();
        for (int o = 0; o < s.Outer; o++)
        {
            for (int i = 0; i < s.Inner; i++)
            {
                int start = o * s.N * s.Inner + i;
                Span<T> dst;
                ReadOnlySpan<T> src;
                if (s.Inner == 1)
                {
                    dst = d.Slice(start, s.N);
                    src = x.Slice(start, s.N);
                }
                else
                {
                    dst = row;
                    for (int k = 0; k < s.N; k++)
                    {
                        dst[k] = x[start + k * s.Inner];
                    }

                    src = dst;
                }

                T m = TensorPrimitives.Max<T>(src);
                if (T.IsInfinity(m))
                {
                    m = T.Zero;
                }

                TensorPrimitives.Subtract(src, m, dst);
                if (log)
                {
                    Exp<T>(dst, exps);
                    T lse = T.Log(TensorPrimitives.Sum<T>(exps));
                    TensorPrimitives.Subtract(dst, lse, dst);
                }
                else
                {
                    Exp<T>(dst, dst);
                    T sum = TensorPrimitives.Sum<T>(dst);
                    TensorPrimitives.Divide(dst, sum, dst);
                }

                if (s.Inner != 1)
                {
                    for (int k = 0; k < s.N; k++)
                    {
                        d[start + k * s.Inner] = dst[k];
                    }
                }
            }
        }
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

using System.Numerics;
using System.Numerics.Tensors;

namespace StaticGrad;

/// <summary>
/// Fused backward of softmax and log-softmax over rows that are contiguous in memory (the reduced dimension is the last
/// non-trivial one): one row reduction and one vectorised pass per row into the result, no temporaries. Each row is
/// rounded exactly as the composite form (<c>y·(g − Σ g·y)</c>, <c>g − eʸ·Σ g</c>) rounds it.
/// </summary>
internal static class SoftmaxGradKernels
{
    /// <summary>The input gradient, or null when the composite (differentiable) form must run.</summary>
    public static Tensor? TryRun(Tensor g, Tensor y, int dim, bool log)
    {
        if ((Autograd.IsGradEnabled && (g.RequiresGrad || y.RequiresGrad)) || g.DType != y.DType || !ShapeUtil.SameShape(g._shape, y._shape))
        {
            return null;
        }

        var split = ReductionKernels.Split(y._shape, dim);
        if (split.Inner != 1 || split.N == 0)
        {
            return null;
        }

        var result = Tensor.EmptyUninitialized(y._shape, y.DType);
        switch (y.DType)
        {
            case DType.Float64: Run(Rows<double>(g, split.N), y.ContiguousSpan<double>(), result.MutableSpan<double>(), split.N, log); break;
            case DType.Float32: Run(Rows<float>(g, split.N), y.ContiguousSpan<float>(), result.MutableSpan<float>(), split.N, log); break;
            default: return null;
        }

        GC.KeepAlive(g);
        GC.KeepAlive(y);
        return result;
    }

    /// <summary>
    /// The gradient's rows: the storage itself when contiguous; for a broadcast gradient (the backward of a sum, whose
    /// rows are one row or one value repeated) the distinct rows only, so no [outer, n] copy is made.
    /// </summary>
    private static GradientRows<T> Rows<T>(Tensor g, int n)
    {
        if (g._contiguous)
        {
            return new GradientRows<T>(g.Buffer<T>(), g._offset, n, null);
        }

        int rank = g._shape.Length;
        bool rowRepeated = g._strides[rank - 1] is 0 or 1;
        for (int i = 0; i < rank - 1 && rowRepeated; i++)
        {
            rowRepeated = g._strides[i] == 0 || g._shape[i] == 1;
        }

        if (rowRepeated && g._strides[rank - 1] == 1)
        {
            return new GradientRows<T>(g.Buffer<T>(), g._offset, 0, null);
        }

        if (rowRepeated)
        {
            var row = new T[n];
            row.AsSpan().Fill(g.Buffer<T>()[g._offset]);
            return new GradientRows<T>(row, 0, 0, null);
        }

        return new GradientRows<T>(null, 0, n, g.ContiguousSpan<T>().ToArray());
    }

    /// <summary>Row r of the gradient starts at <c>offset + r·rowStride</c> in <c>data</c>.</summary>
    private readonly struct GradientRows<T>
    {
        private readonly T[] _data;
        private readonly int _offset;
        private readonly int _rowStride;

        public GradientRows(T[]? data, int offset, int rowStride, T[]? copy)
        {
            _data = copy ?? data!;
            _offset = copy is null ? offset : 0;
            _rowStride = rowStride;
        }

        public ReadOnlySpan<T> Row(int r, int n) => new(_data, _offset + (r * _rowStride), n);
    }

    private static void Run<T>(GradientRows<T> g, ReadOnlySpan<T> y, Span<T> d, int n, bool log)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        for (int start = 0; start < d.Length; start += n)
        {
            var gr = g.Row(start / n, n);
            var yr = y.Slice(start, n);
            var dr = d.Slice(start, n);
            if (log)
            {
                T sum = TensorPrimitives.Sum(gr);
                ReductionKernels.Exp<T>(yr, dr);
                TensorPrimitives.Multiply(dr, sum, dr);
                TensorPrimitives.Subtract(gr, dr, dr);
            }
            else
            {
                TensorPrimitives.Multiply(gr, yr, dr);
                T dot = TensorPrimitives.Sum<T>(dr);
                TensorPrimitives.Subtract(gr, dot, dr);
                TensorPrimitives.Multiply(dr, yr, dr);
            }
        }
    }
}

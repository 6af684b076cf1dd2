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
        if (split.Inner != 1 || split.N == 0 || !y._contiguous)
        {
            return null;
        }

        var result = Tensor.EmptyUninitialized(y._shape, y.DType);
        switch (y.DType)
        {
            case DType.Float64: Run(Rows<double>(g, split.N), y.Buffer<double>(), y._offset, result.Buffer<double>(), split.Outer, split.N, log); break;
            case DType.Float32: Run(Rows<float>(g, split.N), y.Buffer<float>(), y._offset, result.Buffer<float>(), split.Outer, split.N, log); break;
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

    /// <summary>Whole rows per thread (<see cref="ParallelElementwise.ForRows"/>): the same bits for any thread count.</summary>
    private static void Run<T>(GradientRows<T> g, T[] y, int yOffset, T[] d, int rows, int n, bool log)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ParallelElementwise.ForRows(rows, n, (first, count) =>
        {
            for (int r = first; r < first + count; r++)
            {
                Row(g.Row(r, n), new ReadOnlySpan<T>(y, yOffset + (r * n), n), d.AsSpan(r * n, n), log);
            }
        });
    }

    private static void Row<T>(ReadOnlySpan<T> gr, ReadOnlySpan<T> yr, Span<T> dr, bool log)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
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

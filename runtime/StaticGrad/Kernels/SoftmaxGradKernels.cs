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
            case DType.Float64: Run(g.ContiguousSpan<double>(), y.ContiguousSpan<double>(), result.MutableSpan<double>(), split.N, log); break;
            case DType.Float32: Run(g.ContiguousSpan<float>(), y.ContiguousSpan<float>(), result.MutableSpan<float>(), split.N, log); break;
            default: return null;
        }

        GC.KeepAlive(g);
        GC.KeepAlive(y);
        return result;
    }

    private static void Run<T>(ReadOnlySpan<T> g, ReadOnlySpan<T> y, Span<T> d, int n, bool log)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        for (int start = 0; start < d.Length; start += n)
        {
            var gr = g.Slice(start, n);
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

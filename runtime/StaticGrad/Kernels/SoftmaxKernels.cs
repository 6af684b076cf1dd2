using System.Numerics;
using System.Numerics.Tensors;

namespace StaticGrad;

/// <summary>
/// Softmax and log-softmax forward, computed stably (the maximum subtracted first; an infinite maximum is replaced by
/// 0, as PyTorch does). Rows that are contiguous (the last dimension) are reduced one by one; along another dimension
/// the [n, inner] block is processed row after row, vectorised along the inner columns, with no strided gathers.
/// Threads take whole rows or whole columns, so results do not depend on the thread count.
/// </summary>
internal static class SoftmaxKernels
{
    public static Tensor Run(Tensor x, int dim, bool log)
    {
        var c = x.ContiguousData();
        var r = Tensor.EmptyUninitialized(x._shape, x.DType);
        var s = ReductionKernels.Split(x._shape, dim);
        if (x.DType == DType.Float64)
        {
            Run(c.Buffer<double>(), c._offset, s, log, r.Buffer<double>());
        }
        else
        {
            Run(c.Buffer<float>(), c._offset, s, log, r.Buffer<float>());
        }

        GC.KeepAlive(c);
        return r;
    }

    private static void Run<T>(T[] x, int offset, (int Outer, int N, int Inner) s, bool log, T[] d)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (s.Inner == 1)
        {
            ParallelElementwise.ForRows(s.Outer, s.N, (first, count) =>
            {
                var exps = log ? new T[s.N] : Array.Empty<T>();
                for (int o = first; o < first + count; o++)
                {
                    Row(new ReadOnlySpan<T>(x, offset + (o * s.N), s.N), d.AsSpan(o * s.N, s.N), log, exps);
                }
            });
        }
        else if (s.Outer > 1)
        {
            ParallelElementwise.ForRows(s.Outer, s.N * s.Inner, (first, count) =>
            {
                var scratch = new T[3 * s.Inner];
                for (int o = first; o < first + count; o++)
                {
                    Columns(x, offset + (o * s.N * s.Inner), d, o * s.N * s.Inner, s.N, s.Inner, 0, s.Inner, log, scratch);
                }
            });
        }
        else
        {
            ParallelElementwise.For(s.Inner, (first, count) => Columns(x, offset, d, 0, s.N, s.Inner, first, count, log, new T[3 * count]));
        }
    }

    private static void Row<T>(ReadOnlySpan<T> src, Span<T> dst, bool log, T[] exps)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        T m = TensorPrimitives.Max<T>(src);
        if (T.IsInfinity(m))
        {
            m = T.Zero;
        }

        TensorPrimitives.Subtract(src, m, dst);
        if (log)
        {
            ReductionKernels.Exp<T>(dst, exps);
            T lse = T.Log(TensorPrimitives.Sum<T>(exps));
            TensorPrimitives.Subtract(dst, lse, dst);
        }
        else
        {
            ReductionKernels.Exp<T>(dst, dst);
            T sum = TensorPrimitives.Sum<T>(dst);
            TensorPrimitives.Divide(dst, sum, dst);
        }
    }

    /// <summary>
    /// Columns first … first + count of the [n, inner] block at x[xStart…] into d[dStart…]: the column maxima and sums
    /// accumulate row after row (k = 0 upwards), every step vectorised along the columns.
    /// </summary>
    private static void Columns<T>(T[] x, int xStart, T[] d, int dStart, int n, int inner, int first, int count, bool log, T[] scratch)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var m = scratch.AsSpan(0, count);
        var sum = scratch.AsSpan(count, count);
        var exps = log ? scratch.AsSpan(2 * count, count) : default;
        ReadOnlySpan<T> In(int k) => new(x, xStart + (k * inner) + first, count);
        Span<T> Out(int k) => new(d, dStart + (k * inner) + first, count);

        In(0).CopyTo(m);
        for (int k = 1; k < n; k++)
        {
            TensorPrimitives.Max(m, In(k), m);
        }

        for (int j = 0; j < count; j++)
        {
            if (T.IsInfinity(m[j]))
            {
                m[j] = T.Zero;
            }
        }

        sum.Clear();
        for (int k = 0; k < n; k++)
        {
            var o = Out(k);
            TensorPrimitives.Subtract(In(k), m, o);
            if (log)
            {
                // exp(x − m) is needed only for the sum; the shifted value stays in the output.
                ReductionKernels.Exp<T>(o, exps);
                TensorPrimitives.Add(sum, exps, sum);
            }
            else
            {
                ReductionKernels.Exp<T>(o, o);
                TensorPrimitives.Add(sum, o, sum);
            }
        }

        if (log)
        {
            for (int j = 0; j < count; j++)
            {
                sum[j] = T.Log(sum[j]);
            }
        }

        for (int k = 0; k < n; k++)
        {
            var o = Out(k);
            if (log)
            {
                TensorPrimitives.Subtract(o, sum, o);
            }
            else
            {
                TensorPrimitives.Divide(o, sum, o);
            }
        }
    }
}

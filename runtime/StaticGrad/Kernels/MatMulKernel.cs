using System.Numerics;
using System.Numerics.Tensors;

namespace StaticGrad;

/// <summary>
/// Cache-blocked row-major matrix product C = A·B. For each block of B's columns and rows, each row of C is updated
/// with fused multiply-adds of whole B rows (an i-k-j order), so the inner loop streams contiguous memory through
/// <see cref="TensorPrimitives.MultiplyAdd{T}(ReadOnlySpan{T}, T, ReadOnlySpan{T}, Span{T})"/>.
/// </summary>
internal static class MatMulKernel
{
    private const int ColumnBlock = 512;
    private const int DepthBlock = 128;

    /// <summary>C[n×m] = A[n×k]·B[k×m] for contiguous row-major spans; C is overwritten.</summary>
    public static void Multiply<T>(ReadOnlySpan<T> a, ReadOnlySpan<T> b, Span<T> c, int n, int k, int m)
        where T : unmanaged, INumber<T>
    {
        c.Slice(0, n * m).Clear();
        if (m == 1)
        {
            for (int i = 0; i < n; i++)
            {
                c[i] = TensorPrimitives.Dot(a.Slice(i * k, k), b.Slice(0, k));
            }

            return;
        }

        for (int j0 = 0; j0 < m; j0 += ColumnBlock)
        {
            int jw = Math.Min(ColumnBlock, m - j0);
            for (int k0 = 0; k0 < k; k0 += DepthBlock)
            {
                int kw = Math.Min(DepthBlock, k - k0);
                for (int i = 0; i < n; i++)
                {
                    var row = c.Slice(i * m + j0, jw);
                    var aRow = a.Slice(i * k + k0, kw);
                    for (int p = 0; p < kw; p++)
                    {
                        T s = aRow[p];
                        if (s == T.Zero)
                        {
                            continue;
                        }

                        TensorPrimitives.MultiplyAdd(b.Slice((k0 + p) * m + j0, jw), s, row, row);
                    }
                }
            }
        }
    }

    /// <summary>The product of contiguous tensors a [..., n, k] and b [..., k, m] with equal batch shapes.</summary>
    public static Tensor Batched(Tensor a, Tensor b, int[] batchShape, int n, int k, int m)
    {
        var shape = new int[batchShape.Length + 2];
        batchShape.CopyTo(shape, 0);
        shape[^2] = n;
        shape[^1] = m;
        var result = Tensor.Empty(shape, a.DType);
        int batches = ShapeUtil.NumElements(batchShape);
        if (a.DType == DType.Float64)
        {
            Run(a.ContiguousSpan<double>(), b.ContiguousSpan<double>(), result.MutableSpan<double>(), batches, n, k, m);
        }
        else if (a.DType == DType.Float32)
        {
            Run(a.ContiguousSpan<float>(), b.ContiguousSpan<float>(), result.MutableSpan<float>(), batches, n, k, m);
        }
        else
        {
            Run(a.ContiguousSpan<long>(), b.ContiguousSpan<long>(), result.MutableSpan<long>(), batches, n, k, m);
        }

        return result;
    }

    private static void Run<T>(ReadOnlySpan<T> a, ReadOnlySpan<T> b, Span<T> c, int batches, int n, int k, int m)
        where T : unmanaged, INumber<T>
    {
        for (int i = 0; i < batches; i++)
        {
            Multiply(a.Slice(i * n * k, n * k), b.Slice(i * k * m, k * m), c.Slice(i * n * m, n * m), n, k, m);
        }
    }
}

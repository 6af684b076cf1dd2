using System.Numerics;
using System.Numerics.Tensors;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace StaticGrad;

/// <summary>
/// Tensor-level matrix products: the packed <see cref="Gemm"/> for float and double on machines with AVX2+FMA or
/// AVX-512, and for other element types (int64) or machines this portable kernel: cache-blocked row-major C = A·B. B is walked in blocks of <see cref="DepthBlock"/> rows and
/// <see cref="ColumnBlock"/> columns that stay in cache; inside a block a register-blocked micro-kernel updates four
/// rows of C per pass so that each loaded vector of B feeds four fused multiply-adds. Leftover rows use
/// <see cref="TensorPrimitives"/> axpy, single columns a dot product. Large products split their rows over the
/// thread pool; each element is still summed in the same order, so results do not depend on the thread count.
/// </summary>
internal static class MatMulKernel
{
    private const int ColumnBlock = 256;
    private const int DepthBlock = 128;
    private const long ParallelWork = 1L << 21;

    /// <summary>C[n×m] = A[n×k]·B[k×m] for contiguous row-major matrices at the given offsets; C is overwritten.</summary>
    public static void Multiply<T>(T[] a, int aOffset, T[] b, int bOffset, T[] c, int cOffset, int n, int k, int m)
        where T : unmanaged, INumber<T>
    {
        long work = (long)n * k * m;
        int chunks = work >= ParallelWork && n >= 8 ? Math.Min(Autograd.NumThreads, n / 4) : 1;
        if (chunks <= 1)
        {
            Rows(a, aOffset, b, bOffset, c, cOffset, 0, n, k, m);
            return;
        }

        int rowsPerChunk = (n + chunks - 1) / chunks;
        rowsPerChunk = (rowsPerChunk + 3) & ~3;
        Parallel.For(0, (n + rowsPerChunk - 1) / rowsPerChunk, chunk =>
        {
            int start = chunk * rowsPerChunk;
            Rows(a, aOffset, b, bOffset, c, cOffset, start, Math.Min(n, start + rowsPerChunk), k, m);
        });
    }

    private static void Rows<T>(T[] aArray, int aOffset, T[] bArray, int bOffset, T[] cArray, int cOffset, int rowStart, int rowEnd, int k, int m)
        where T : unmanaged, INumber<T>
    {
        int n = rowEnd - rowStart;
        var a = aArray.AsSpan(aOffset + rowStart * k, n * k);
        var b = new ReadOnlySpan<T>(bArray, bOffset, k * m);
        var c = cArray.AsSpan(cOffset + rowStart * m, n * m);
        c.Clear();
        if (m == 1)
        {
            for (int i = 0; i < n; i++)
            {
                c[i] = TensorPrimitives.Dot(a.Slice(i * k, k), b);
            }

            return;
        }

        int width = Vector<T>.Count;
        for (int j0 = 0; j0 < m; j0 += ColumnBlock)
        {
            int jw = Math.Min(ColumnBlock, m - j0);
            int vectorEnd = Vector.IsHardwareAccelerated ? jw - jw % width : 0;
            for (int k0 = 0; k0 < k; k0 += DepthBlock)
            {
                int kw = Math.Min(DepthBlock, k - k0);
                int i = 0;
                for (; i + 4 <= n; i += 4)
                {
                    FourRows(a, b, c, i, j0, vectorEnd, k0, kw, k, m);
                    for (int r = i; r < i + 4; r++)
                    {
                        Axpy(a, b, c, r, j0 + vectorEnd, jw - vectorEnd, k0, kw, k, m);
                    }
                }

                for (; i < n; i++)
                {
                    Axpy(a, b, c, i, j0, jw, k0, kw, k, m);
                }
            }
        }
    }

    /// <summary>C[i..i+4, j0..j0+vectorEnd] += A[i..i+4, k0..k0+kw] · B[k0..k0+kw, j0..]: accumulators stay in registers over the depth block.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void FourRows<T>(ReadOnlySpan<T> a, ReadOnlySpan<T> b, Span<T> c, int i, int j0, int vectorEnd, int k0, int kw, int k, int m)
        where T : unmanaged, INumber<T>
    {
        int width = Vector<T>.Count;
        ref T aRef = ref MemoryMarshal.GetReference(a);
        ref T bRef = ref MemoryMarshal.GetReference(b);
        ref T cRef = ref MemoryMarshal.GetReference(c);
        int a0 = i * k + k0, a1 = a0 + k, a2 = a1 + k, a3 = a2 + k;
        for (int j = 0; j < vectorEnd; j += width)
        {
            int col = j0 + j;
            ref T c0 = ref Unsafe.Add(ref cRef, i * m + col);
            ref T c1 = ref Unsafe.Add(ref c0, m);
            ref T c2 = ref Unsafe.Add(ref c1, m);
            ref T c3 = ref Unsafe.Add(ref c2, m);
            var acc0 = Vector.LoadUnsafe(ref c0);
            var acc1 = Vector.LoadUnsafe(ref c1);
            var acc2 = Vector.LoadUnsafe(ref c2);
            var acc3 = Vector.LoadUnsafe(ref c3);
            ref T bCol = ref Unsafe.Add(ref bRef, k0 * m + col);
            for (int p = 0; p < kw; p++)
            {
                var bv = Vector.LoadUnsafe(ref Unsafe.Add(ref bCol, p * m));
                acc0 += bv * Unsafe.Add(ref aRef, a0 + p);
                acc1 += bv * Unsafe.Add(ref aRef, a1 + p);
                acc2 += bv * Unsafe.Add(ref aRef, a2 + p);
                acc3 += bv * Unsafe.Add(ref aRef, a3 + p);
            }

            acc0.StoreUnsafe(ref c0);
            acc1.StoreUnsafe(ref c1);
            acc2.StoreUnsafe(ref c2);
            acc3.StoreUnsafe(ref c3);
        }
    }

    private static void Axpy<T>(ReadOnlySpan<T> a, ReadOnlySpan<T> b, Span<T> c, int i, int col, int width, int k0, int kw, int k, int m)
        where T : unmanaged, INumber<T>
    {
        if (width == 0)
        {
            return;
        }

        var row = c.Slice(i * m + col, width);
        var aRow = a.Slice(i * k + k0, kw);
        for (int p = 0; p < kw; p++)
        {
            TensorPrimitives.MultiplyAdd(b.Slice((k0 + p) * m + col, width), aRow[p], row, row);
        }
    }

    /// <summary>
    /// The product of a [..., n, k] and b [..., k, m] with equal batch shapes, read through their strides (transposed
    /// and expanded views are multiplied in place); the result is a new contiguous tensor.
    /// </summary>
    public static Tensor Batched(Tensor a, Tensor b, int[] batchShape, int n, int k, int m)
    {
        var shape = new int[batchShape.Length + 2];
        batchShape.CopyTo(shape, 0);
        shape[^2] = n;
        shape[^1] = m;
        var result = Tensor.EmptyUninitialized(shape, a.DType);
        MultiplyAdd(a, b, result, clear: true);
        return result;
    }

    /// <summary>c += a·b (or c = a·b when <paramref name="clear"/>) for a [..., n, k], b [..., k, m] and a contiguous c [..., n, m] of one dtype.</summary>
    public static void MultiplyAdd(Tensor a, Tensor b, Tensor c, bool clear)
    {
        switch (a.DType)
        {
            case DType.Float64: Run<double>(a, b, c, clear); break;
            case DType.Float32: Run<float>(a, b, c, clear); break;
            default: Run<long>(a, b, c, clear); break;
        }
    }

    private static void Run<T>(Tensor a, Tensor b, Tensor c, bool clear)
        where T : unmanaged, INumber<T>
    {
        int rank = c.Dim;
        int n = c._shape[rank - 2], m = c._shape[rank - 1], k = a._shape[rank - 1];
        int batches = c._numel / Math.Max(1, n * m);
        if (c._numel == 0)
        {
            return;
        }

        if (clear)
        {
            c.MutableSpan<T>().Clear();
        }

        bool packed = (typeof(T) == typeof(double) || typeof(T) == typeof(float)) && Gemm.IsSupported;
        if (!packed)
        {
            a = a.ContiguousData();
            b = b.ContiguousData();
        }

        var index = new int[rank - 2];
        for (int batch = 0; batch < batches; batch++)
        {
            int aOffset = a._offset, bOffset = b._offset;
            for (int d = 0; d < index.Length; d++)
            {
                aOffset += index[d] * a._strides[d];
                bOffset += index[d] * b._strides[d];
            }

            int cOffset = c._offset + batch * n * m;
            if (packed)
            {
                Gemm.MultiplyAdd(n, k, m, a.Buffer<T>(), aOffset, a._strides[rank - 2], a._strides[rank - 1], b.Buffer<T>(), bOffset, b._strides[rank - 2], b._strides[rank - 1], c.Buffer<T>(), cOffset, m);
            }
            else if (clear)
            {
                Multiply(a.Buffer<T>(), aOffset, b.Buffer<T>(), bOffset, c.Buffer<T>(), cOffset, n, k, m);
            }
            else
            {
                AddProduct(a.Buffer<T>(), aOffset, b.Buffer<T>(), bOffset, c.Buffer<T>(), cOffset, n, k, m);
            }

            for (int d = index.Length - 1; d >= 0 && ++index[d] == c._shape[d]; d--)
            {
                index[d] = 0;
            }
        }

        // The loop holds only the arrays; their storages (possibly temporary copies) must stay reachable until it ends.
        GC.KeepAlive(a);
        GC.KeepAlive(b);
        GC.KeepAlive(c);
    }

    private static void AddProduct<T>(T[] a, int aOffset, T[] b, int bOffset, T[] c, int cOffset, int n, int k, int m)
        where T : unmanaged, INumber<T>
    {
        var product = new T[n * m];
        Multiply(a, aOffset, b, bOffset, product, 0, n, k, m);
        TensorPrimitives.Add(product, c.AsSpan(cOffset, n * m), c.AsSpan(cOffset, n * m));
    }
}

using System.Buffers;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace StaticGrad;

/// <summary>
/// Packed, cache-blocked matrix product C += A·B for float and double (the loop nest of BLIS / Goto's GEMM):
/// a block of <see cref="DepthBlock"/> rows of B is packed into micro-panels NR columns wide (it stays in L3/L2 while
/// every row block of A passes over it), a block of <see cref="RowBlock"/> rows of A into micro-panels MR rows tall
/// (it stays in L2), and the micro-kernel multiplies one A micro-panel by one B micro-panel in registers.
/// </summary>
/// <remarks>
/// A and B are read through their strides while packing, so transposed or expanded views are multiplied in place
/// without a copy. Each element of C is summed in the same order whatever the number of threads (threads split the
/// row blocks), so results do not depend on <see cref="Autograd.NumThreads"/>.
/// </remarks>
internal static class Gemm
{
    private const int DepthBlock = 256;
    private const int RowBlock = 96;
    private const int ColumnBlock = 2048;
    private const long ParallelWork = 1L << 20;

    /// <summary>Whether the packed kernels run on this machine (float and double with AVX2+FMA or AVX-512).</summary>
    public static bool IsSupported => GemmMicroKernels.Use512 || GemmMicroKernels.Use256;

    /// <summary>
    /// C[n×m] (row stride <paramref name="ldc"/>) += A[n×k]·B[k×m], where A[i,p] is <c>a[aOffset + i·aRow + p·aCol]</c>
    /// and B[p,j] is <c>b[bOffset + p·bRow + j·bCol]</c>.
    /// </summary>
    public static void MultiplyAdd<T>(int n, int k, int m, T[] a, int aOffset, int aRow, int aCol, T[] b, int bOffset, int bRow, int bCol, T[] c, int cOffset, int ldc)
        where T : unmanaged
    {
        if (n == 0 || m == 0 || k == 0)
        {
            return;
        }

        int mr = GemmMicroKernels.RowsPerTile;
        int nr = GemmMicroKernels.ColumnsPerTile<T>();
        int kcMax = Math.Min(DepthBlock, k);
        int ncMax = Math.Min(ColumnBlock, RoundUp(m, nr));
        var packedB = ArrayPool<T>.Shared.Rent(kcMax * ncMax);
        int rowBlocks = (n + RowBlock - 1) / RowBlock;
        int threads = (long)n * k * m >= ParallelWork ? Math.Min(Autograd.NumThreads, rowBlocks) : 1;
        try
        {
            for (int jc = 0; jc < m; jc += ColumnBlock)
            {
                int nc = Math.Min(ColumnBlock, m - jc);
                for (int pc = 0; pc < k; pc += DepthBlock)
                {
                    int kc = Math.Min(DepthBlock, k - pc);
                    PackB(b, bOffset + pc * bRow + jc * bCol, bRow, bCol, kc, nc, nr, packedB);
                    var block = new Block<T>(a, aOffset + pc * aCol, aRow, aCol, packedB, c, cOffset + jc, ldc, kc, nc, n, mr, nr);
                    if (threads <= 1)
                    {
                        block.Rows(0, rowBlocks);
                    }
                    else
                    {
                        int per = (rowBlocks + threads - 1) / threads;
                        Parallel.For(0, threads, new ParallelOptions { MaxDegreeOfParallelism = threads }, t =>
                            block.Rows(t * per, Math.Min(rowBlocks, (t + 1) * per)));
                    }
                }
            }
        }
        finally
        {
            ArrayPool<T>.Shared.Return(packedB);
        }
    }

    private static int RoundUp(int value, int multiple) => (value + multiple - 1) / multiple * multiple;

    /// <summary>Packs B[kc×nc] into micro-panels nr columns wide, depth-major inside a panel, zero-padded at the right edge.</summary>
    private static void PackB<T>(T[] b, int offset, int rowStride, int colStride, int kc, int nc, int nr, T[] packed)
        where T : unmanaged
    {
        ref T src = ref MemoryMarshal.GetArrayDataReference(b);
        ref T dst = ref MemoryMarshal.GetArrayDataReference(packed);
        int index = 0;
        for (int j0 = 0; j0 < nc; j0 += nr)
        {
            int width = Math.Min(nr, nc - j0);
            for (int p = 0; p < kc; p++)
            {
                int start = offset + p * rowStride + j0 * colStride;
                if (colStride == 1 && width == nr)
                {
                    MemoryMarshal.CreateReadOnlySpan(ref Unsafe.Add(ref src, start), nr)
                        .CopyTo(MemoryMarshal.CreateSpan(ref Unsafe.Add(ref dst, index), nr));
                }
                else
                {
                    for (int j = 0; j < width; j++)
                    {
                        Unsafe.Add(ref dst, index + j) = Unsafe.Add(ref src, start + j * colStride);
                    }

                    for (int j = width; j < nr; j++)
                    {
                        Unsafe.Add(ref dst, index + j) = default;
                    }
                }

                index += nr;
            }
        }
    }

    /// <summary>One depth block of the product: the packed B block and the view of A and C it applies to.</summary>
    private readonly struct Block<T>
        where T : unmanaged
    {
        private readonly T[] _a;
        private readonly int _aOffset;
        private readonly int _aRow;
        private readonly int _aCol;
        private readonly T[] _packedB;
        private readonly T[] _c;
        private readonly int _cOffset;
        private readonly int _ldc;
        private readonly int _kc;
        private readonly int _nc;
        private readonly int _n;
        private readonly int _mr;
        private readonly int _nr;

        public Block(T[] a, int aOffset, int aRow, int aCol, T[] packedB, T[] c, int cOffset, int ldc, int kc, int nc, int n, int mr, int nr)
        {
            (_a, _aOffset, _aRow, _aCol, _packedB, _c, _cOffset, _ldc) = (a, aOffset, aRow, aCol, packedB, c, cOffset, ldc);
            (_kc, _nc, _n, _mr, _nr) = (kc, nc, n, mr, nr);
        }

        /// <summary>Row blocks [<paramref name="first"/>, <paramref name="end"/>) of <see cref="RowBlock"/> rows each.</summary>
        public void Rows(int first, int end)
        {
            if (first >= end)
            {
                return;
            }

            var packedA = ArrayPool<T>.Shared.Rent(RoundUp(RowBlock, _mr) * _kc);
            Span<T> tile = stackalloc T[_mr * _nr];
            try
            {
                for (int blockIndex = first; blockIndex < end; blockIndex++)
                {
                    int ic = blockIndex * RowBlock;
                    int mc = Math.Min(RowBlock, _n - ic);
                    PackA(ic, mc, packedA);
                    Multiply(ic, mc, packedA, tile);
                }
            }
            finally
            {
                ArrayPool<T>.Shared.Return(packedA);
            }
        }

        /// <summary>Packs A[ic.., 0..kc) into micro-panels mr rows tall, depth-major inside a panel, zero-padded at the bottom.</summary>
        private void PackA(int ic, int mc, T[] packed)
        {
            ref T src = ref MemoryMarshal.GetArrayDataReference(_a);
            ref T dst = ref MemoryMarshal.GetArrayDataReference(packed);
            int index = 0;
            for (int i0 = 0; i0 < mc; i0 += _mr)
            {
                int height = Math.Min(_mr, mc - i0);
                int rowStart = _aOffset + (ic + i0) * _aRow;
                for (int p = 0; p < _kc; p++)
                {
                    int start = rowStart + p * _aCol;
                    for (int r = 0; r < height; r++)
                    {
                        Unsafe.Add(ref dst, index + r) = Unsafe.Add(ref src, start + r * _aRow);
                    }

                    for (int r = height; r < _mr; r++)
                    {
                        Unsafe.Add(ref dst, index + r) = default;
                    }

                    index += _mr;
                }
            }
        }

        private void Multiply(int ic, int mc, T[] packedA, Span<T> tile)
        {
            ref T aRef = ref MemoryMarshal.GetArrayDataReference(packedA);
            ref T bRef = ref MemoryMarshal.GetArrayDataReference(_packedB);
            ref T cRef = ref MemoryMarshal.GetArrayDataReference(_c);
            ref T tileRef = ref MemoryMarshal.GetReference(tile);
            bool use512 = GemmMicroKernels.Use512;
            for (int jr = 0; jr < _nc; jr += _nr)
            {
                int width = Math.Min(_nr, _nc - jr);
                ref T bPanel = ref Unsafe.Add(ref bRef, jr * _kc);
                for (int ir = 0; ir < mc; ir += _mr)
                {
                    int height = Math.Min(_mr, mc - ir);
                    ref T aPanel = ref Unsafe.Add(ref aRef, ir * _kc);
                    ref T cTile = ref Unsafe.Add(ref cRef, _cOffset + (ic + ir) * _ldc + jr);
                    bool full = width == _nr && height == _mr;
                    if (!full)
                    {
                        tile.Clear();
                    }

                    ref T target = ref full ? ref cTile : ref tileRef;
                    int ld = full ? _ldc : _nr;
                    if (use512)
                    {
                        GemmMicroKernels.Kernel512(_kc, ref aPanel, ref bPanel, ref target, ld);
                    }
                    else
                    {
                        GemmMicroKernels.Kernel256(_kc, ref aPanel, ref bPanel, ref target, ld);
                    }

                    if (!full)
                    {
                        AddTile(tile, ref cTile, height, width);
                    }
                }
            }
        }

        private void AddTile(Span<T> tile, ref T c, int height, int width)
        {
            for (int r = 0; r < height; r++)
            {
                for (int j = 0; j < width; j++)
                {
                    ref T dst = ref Unsafe.Add(ref c, r * _ldc + j);
                    dst = Add(dst, tile[r * _nr + j]);
                }
            }
        }

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        private static T Add(T x, T y)
        {
            if (typeof(T) == typeof(double))
            {
                double r = Unsafe.As<T, double>(ref x) + Unsafe.As<T, double>(ref y);
                return Unsafe.As<double, T>(ref r);
            }

            float f = Unsafe.As<T, float>(ref x) + Unsafe.As<T, float>(ref y);
            return Unsafe.As<float, T>(ref f);
        }
    }
}

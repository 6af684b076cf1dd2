using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace StaticGrad;

/// <summary>
/// Register-blocked GEMM micro-kernels: C[MR×NR] += Ã·B̃ over a depth of <c>kc</c>, where Ã is a packed
/// micro-panel (MR values per depth step) and B̃ a packed micro-panel (NR values per depth step). The accumulators
/// stay in vector registers for the whole depth; every loaded vector of B̃ feeds MR fused multiply-adds.
/// </summary>
/// <remarks>
/// Two shapes, chosen once for the machine: with AVX-512 (32 vector registers) 8 rows × 2 Vector512 = 16
/// accumulators; with AVX2+FMA (16 registers) 6 rows × 2 Vector256 = 12 accumulators, leaving room for the two B
/// vectors and the broadcast of A in both. The type checks on the element type fold away when the JIT
/// specialises the method for float or double.
/// </remarks>
internal static class GemmMicroKernels
{
    public static bool Use512 => Vector512.IsHardwareAccelerated && Avx512F.IsSupported;

    public static bool Use256 => Avx2.IsSupported && Fma.IsSupported;

    /// <summary>Rows of C per micro-tile.</summary>
    public static int RowsPerTile => Use512 ? 8 : 6;

    /// <summary>Columns of C per micro-tile for element type <typeparamref name="T"/>.</summary>
    public static int ColumnsPerTile<T>()
        where T : struct => Use512 ? 2 * Vector512<T>.Count : 2 * Vector256<T>.Count;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector512<T> Fma512<T>(Vector512<T> a, Vector512<T> b, Vector512<T> c)
        where T : struct
    {
        if (typeof(T) == typeof(double))
        {
            return Avx512F.FusedMultiplyAdd(a.AsDouble(), b.AsDouble(), c.AsDouble()).As<double, T>();
        }

        return Avx512F.FusedMultiplyAdd(a.AsSingle(), b.AsSingle(), c.AsSingle()).As<float, T>();
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<T> Fma256<T>(Vector256<T> a, Vector256<T> b, Vector256<T> c)
        where T : struct
    {
        if (typeof(T) == typeof(double))
        {
            return Fma.MultiplyAdd(a.AsDouble(), b.AsDouble(), c.AsDouble()).As<double, T>();
        }

        return Fma.MultiplyAdd(a.AsSingle(), b.AsSingle(), c.AsSingle()).As<float, T>();
    }

    /// <summary>C[8 × 2W] += Ã[kc × 8]ᵀ·B̃[kc × 2W]; <paramref name="c"/> rows are <paramref name="ldc"/> apart.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Kernel512<T>(int kc, ref T a, ref T b, ref T c, int ldc)
        where T : unmanaged
    {
        int w = Vector512<T>.Count;
        Vector512<T> c00 = default, c01 = default, c10 = default, c11 = default, c20 = default, c21 = default, c30 = default, c31 = default;
        Vector512<T> c40 = default, c41 = default, c50 = default, c51 = default, c60 = default, c61 = default, c70 = default, c71 = default;
        for (int p = 0; p < kc; p++)
        {
            var b0 = Vector512.LoadUnsafe(ref b);
            var b1 = Vector512.LoadUnsafe(ref b, (nuint)w);
            var av = Vector512.Create(a);
            c00 = Fma512(av, b0, c00);
            c01 = Fma512(av, b1, c01);
            av = Vector512.Create(Unsafe.Add(ref a, 1));
            c10 = Fma512(av, b0, c10);
            c11 = Fma512(av, b1, c11);
            av = Vector512.Create(Unsafe.Add(ref a, 2));
            c20 = Fma512(av, b0, c20);
            c21 = Fma512(av, b1, c21);
            av = Vector512.Create(Unsafe.Add(ref a, 3));
            c30 = Fma512(av, b0, c30);
            c31 = Fma512(av, b1, c31);
            av = Vector512.Create(Unsafe.Add(ref a, 4));
            c40 = Fma512(av, b0, c40);
            c41 = Fma512(av, b1, c41);
            av = Vector512.Create(Unsafe.Add(ref a, 5));
            c50 = Fma512(av, b0, c50);
            c51 = Fma512(av, b1, c51);
            av = Vector512.Create(Unsafe.Add(ref a, 6));
            c60 = Fma512(av, b0, c60);
            c61 = Fma512(av, b1, c61);
            av = Vector512.Create(Unsafe.Add(ref a, 7));
            c70 = Fma512(av, b0, c70);
            c71 = Fma512(av, b1, c71);
            a = ref Unsafe.Add(ref a, 8);
            b = ref Unsafe.Add(ref b, 2 * w);
        }

        Store512(ref c, c00, c01, w);
        Store512(ref Unsafe.Add(ref c, ldc), c10, c11, w);
        Store512(ref Unsafe.Add(ref c, 2 * ldc), c20, c21, w);
        Store512(ref Unsafe.Add(ref c, 3 * ldc), c30, c31, w);
        Store512(ref Unsafe.Add(ref c, 4 * ldc), c40, c41, w);
        Store512(ref Unsafe.Add(ref c, 5 * ldc), c50, c51, w);
        Store512(ref Unsafe.Add(ref c, 6 * ldc), c60, c61, w);
        Store512(ref Unsafe.Add(ref c, 7 * ldc), c70, c71, w);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Store512<T>(ref T c, Vector512<T> v0, Vector512<T> v1, int w)
        where T : unmanaged
    {
        (Vector512.LoadUnsafe(ref c) + v0).StoreUnsafe(ref c);
        (Vector512.LoadUnsafe(ref c, (nuint)w) + v1).StoreUnsafe(ref c, (nuint)w);
    }

    /// <summary>C[6 × 2W] += Ã[kc × 6]ᵀ·B̃[kc × 2W]; <paramref name="c"/> rows are <paramref name="ldc"/> apart.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Kernel256<T>(int kc, ref T a, ref T b, ref T c, int ldc)
        where T : unmanaged
    {
        int w = Vector256<T>.Count;
        Vector256<T> c00 = default, c01 = default, c10 = default, c11 = default, c20 = default, c21 = default;
        Vector256<T> c30 = default, c31 = default, c40 = default, c41 = default, c50 = default, c51 = default;
        for (int p = 0; p < kc; p++)
        {
            var b0 = Vector256.LoadUnsafe(ref b);
            var b1 = Vector256.LoadUnsafe(ref b, (nuint)w);
            var av = Vector256.Create(a);
            c00 = Fma256(av, b0, c00);
            c01 = Fma256(av, b1, c01);
            av = Vector256.Create(Unsafe.Add(ref a, 1));
            c10 = Fma256(av, b0, c10);
            c11 = Fma256(av, b1, c11);
            av = Vector256.Create(Unsafe.Add(ref a, 2));
            c20 = Fma256(av, b0, c20);
            c21 = Fma256(av, b1, c21);
            av = Vector256.Create(Unsafe.Add(ref a, 3));
            c30 = Fma256(av, b0, c30);
            c31 = Fma256(av, b1, c31);
            av = Vector256.Create(Unsafe.Add(ref a, 4));
            c40 = Fma256(av, b0, c40);
            c41 = Fma256(av, b1, c41);
            av = Vector256.Create(Unsafe.Add(ref a, 5));
            c50 = Fma256(av, b0, c50);
            c51 = Fma256(av, b1, c51);
            a = ref Unsafe.Add(ref a, 6);
            b = ref Unsafe.Add(ref b, 2 * w);
        }

        Store256(ref c, c00, c01, w);
        Store256(ref Unsafe.Add(ref c, ldc), c10, c11, w);
        Store256(ref Unsafe.Add(ref c, 2 * ldc), c20, c21, w);
        Store256(ref Unsafe.Add(ref c, 3 * ldc), c30, c31, w);
        Store256(ref Unsafe.Add(ref c, 4 * ldc), c40, c41, w);
        Store256(ref Unsafe.Add(ref c, 5 * ldc), c50, c51, w);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Store256<T>(ref T c, Vector256<T> v0, Vector256<T> v1, int w)
        where T : unmanaged
    {
        (Vector256.LoadUnsafe(ref c) + v0).StoreUnsafe(ref c);
        (Vector256.LoadUnsafe(ref c, (nuint)w) + v1).StoreUnsafe(ref c, (nuint)w);
    }
}

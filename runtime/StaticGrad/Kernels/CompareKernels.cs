using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace StaticGrad;

/// <summary>
/// Broadcasting comparisons and selection. float and double run 256 bits at a time where AVX2 and BMI2 are present:
/// a comparison's lane mask becomes one 0/1 byte per element with a bit deposit, and <c>Where</c> widens the condition
/// bytes into lane masks for a blend. The scalar loop finishes the tail (and is the whole kernel elsewhere).
/// </summary>
internal static class CompareKernels
{
    public static Tensor Compare(CompareOp op, Tensor a, Tensor b)
    {
        var dtype = DTypeExtensions.Promote(a.DType, b.DType);
        if (dtype == DType.Bool)
        {
            dtype = DType.Int64;
        }

        var shape = ShapeUtil.Broadcast(a._shape, b._shape);
        var ac = (a.DType == dtype ? a : a.ToDTypeData(dtype)).Expand(shape).ContiguousData();
        var bc = (b.DType == dtype ? b : b.ToDTypeData(dtype)).Expand(shape).ContiguousData();
        var result = Tensor.EmptyUninitialized(shape, DType.Bool);
        var d = result.MutableSpan<bool>();
        switch (dtype)
        {
            case DType.Float64: Compare(op, ac.ContiguousSpan<double>(), bc.ContiguousSpan<double>(), d); break;
            case DType.Float32: Compare(op, ac.ContiguousSpan<float>(), bc.ContiguousSpan<float>(), d); break;
            default: Compare(op, ac.ContiguousSpan<long>(), bc.ContiguousSpan<long>(), d); break;
        }

        GC.KeepAlive(ac);
        GC.KeepAlive(bc);
        return result;
    }

    private static bool Accelerated => Avx2.IsSupported && Bmi2.X64.IsSupported;

    private static void Compare<T>(CompareOp op, ReadOnlySpan<T> a, ReadOnlySpan<T> b, Span<bool> d)
        where T : unmanaged, INumber<T>
    {
        int i = 0;
        if (Accelerated && (typeof(T) == typeof(double) || typeof(T) == typeof(float)))
        {
            i = CompareVector(op, a, b, d);
        }

        for (; i < d.Length; i++)
        {
            T x = a[i], y = b[i];
            d[i] = op switch
            {
                CompareOp.Gt => x > y,
                CompareOp.Lt => x < y,
                CompareOp.Ge => x >= y,
                CompareOp.Le => x <= y,
                CompareOp.Eq => x == y,
                _ => x != y,
            };
        }
    }

    /// <summary>The vector part of <see cref="Compare{T}"/>; returns how many elements it wrote.</summary>
    private static int CompareVector<T>(CompareOp op, ReadOnlySpan<T> a, ReadOnlySpan<T> b, Span<bool> d)
        where T : unmanaged
    {
        int lanes = Vector256<T>.Count;
        ref T ar = ref MemoryMarshal.GetReference(a);
        ref T br = ref MemoryMarshal.GetReference(b);
        ref byte dr = ref Unsafe.As<bool, byte>(ref MemoryMarshal.GetReference(d));
        int i = 0;
        for (; i + lanes <= d.Length; i += lanes)
        {
            var x = Vector256.LoadUnsafe(ref ar, (nuint)i);
            var y = Vector256.LoadUnsafe(ref br, (nuint)i);
            var mask = op switch
            {
                CompareOp.Gt => Vector256.GreaterThan(x, y),
                CompareOp.Lt => Vector256.LessThan(x, y),
                CompareOp.Ge => Vector256.GreaterThanOrEqual(x, y),
                CompareOp.Le => Vector256.LessThanOrEqual(x, y),
                CompareOp.Eq => Vector256.Equals(x, y),
                _ => ~Vector256.Equals(x, y),
            };
            ulong bytes = Bmi2.X64.ParallelBitDeposit(mask.ExtractMostSignificantBits(), 0x0101010101010101UL);
            if (lanes == 8)
            {
                Unsafe.WriteUnaligned(ref Unsafe.Add(ref dr, i), bytes);
            }
            else
            {
                Unsafe.WriteUnaligned(ref Unsafe.Add(ref dr, i), (uint)bytes);
            }
        }

        return i;
    }

    public static Tensor Where(Tensor cond, Tensor a, Tensor b, DType dtype)
    {
        var shape = ShapeUtil.Broadcast(ShapeUtil.Broadcast(cond._shape, a._shape), b._shape);
        var c = (cond.DType == DType.Bool ? cond : cond.ToDTypeData(DType.Bool)).Expand(shape).ContiguousData();
        var ac = (a.DType == dtype ? a : a.ToDTypeData(dtype)).Expand(shape).ContiguousData();
        var bc = (b.DType == dtype ? b : b.ToDTypeData(dtype)).Expand(shape).ContiguousData();
        var result = Tensor.EmptyUninitialized(shape, dtype);
        var mask = c.ContiguousSpan<bool>();
        switch (dtype)
        {
            case DType.Float64: Select(mask, ac.ContiguousSpan<double>(), bc.ContiguousSpan<double>(), result.MutableSpan<double>()); break;
            case DType.Float32: Select(mask, ac.ContiguousSpan<float>(), bc.ContiguousSpan<float>(), result.MutableSpan<float>()); break;
            case DType.Int64: Select(mask, ac.ContiguousSpan<long>(), bc.ContiguousSpan<long>(), result.MutableSpan<long>()); break;
            default: Select(mask, ac.ContiguousSpan<bool>(), bc.ContiguousSpan<bool>(), result.MutableSpan<bool>()); break;
        }

        GC.KeepAlive(c);
        GC.KeepAlive(ac);
        GC.KeepAlive(bc);
        return result;
    }

    private static void Select<T>(ReadOnlySpan<bool> mask, ReadOnlySpan<T> a, ReadOnlySpan<T> b, Span<T> d)
        where T : unmanaged
    {
        int i = 0;
        if (Avx2.IsSupported && typeof(T) == typeof(double))
        {
            i = SelectDouble(mask, MemoryMarshal.Cast<T, double>(a), MemoryMarshal.Cast<T, double>(b), MemoryMarshal.Cast<T, double>(d));
        }
        else if (Avx2.IsSupported && typeof(T) == typeof(float))
        {
            i = SelectFloat(mask, MemoryMarshal.Cast<T, float>(a), MemoryMarshal.Cast<T, float>(b), MemoryMarshal.Cast<T, float>(d));
        }

        for (; i < d.Length; i++)
        {
            d[i] = mask[i] ? a[i] : b[i];
        }
    }

    private static int SelectDouble(ReadOnlySpan<bool> mask, ReadOnlySpan<double> a, ReadOnlySpan<double> b, Span<double> d)
    {
        ref byte m = ref Unsafe.As<bool, byte>(ref MemoryMarshal.GetReference(mask));
        ref double ar = ref MemoryMarshal.GetReference(a);
        ref double br = ref MemoryMarshal.GetReference(b);
        ref double dr = ref MemoryMarshal.GetReference(d);
        int i = 0;
        for (; i + 4 <= d.Length; i += 4)
        {
            var bytes = Vector128.CreateScalarUnsafe(Unsafe.ReadUnaligned<uint>(ref Unsafe.Add(ref m, i))).AsByte();
            var lanes = Vector256.Equals(Avx2.ConvertToVector256Int64(bytes), Vector256<long>.Zero).AsDouble();
            Vector256.ConditionalSelect(lanes, Vector256.LoadUnsafe(ref br, (nuint)i), Vector256.LoadUnsafe(ref ar, (nuint)i)).StoreUnsafe(ref dr, (nuint)i);
        }

        return i;
    }

    private static int SelectFloat(ReadOnlySpan<bool> mask, ReadOnlySpan<float> a, ReadOnlySpan<float> b, Span<float> d)
    {
        ref byte m = ref Unsafe.As<bool, byte>(ref MemoryMarshal.GetReference(mask));
        ref float ar = ref MemoryMarshal.GetReference(a);
        ref float br = ref MemoryMarshal.GetReference(b);
        ref float dr = ref MemoryMarshal.GetReference(d);
        int i = 0;
        for (; i + 8 <= d.Length; i += 8)
        {
            var bytes = Vector128.CreateScalarUnsafe(Unsafe.ReadUnaligned<ulong>(ref Unsafe.Add(ref m, i))).AsByte();
            var lanes = Vector256.Equals(Avx2.ConvertToVector256Int32(bytes), Vector256<int>.Zero).AsSingle();
            Vector256.ConditionalSelect(lanes, Vector256.LoadUnsafe(ref br, (nuint)i), Vector256.LoadUnsafe(ref ar, (nuint)i)).StoreUnsafe(ref dr, (nuint)i);
        }

        return i;
    }
}

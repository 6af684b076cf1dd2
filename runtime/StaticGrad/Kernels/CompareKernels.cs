using System.Numerics;

namespace StaticGrad;

/// <summary>Broadcasting comparisons and selection.</summary>
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
        var result = Tensor.Empty(shape, DType.Bool);
        var d = result.MutableSpan<bool>();
        switch (dtype)
        {
            case DType.Float64: Compare(op, ac.ContiguousSpan<double>(), bc.ContiguousSpan<double>(), d); break;
            case DType.Float32: Compare(op, ac.ContiguousSpan<float>(), bc.ContiguousSpan<float>(), d); break;
            default: Compare(op, ac.ContiguousSpan<long>(), bc.ContiguousSpan<long>(), d); break;
        }

        return result;
    }

    private static void Compare<T>(CompareOp op, ReadOnlySpan<T> a, ReadOnlySpan<T> b, Span<bool> d)
        where T : unmanaged, INumber<T>
    {
        for (int i = 0; i < d.Length; i++)
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

    public static Tensor Where(Tensor cond, Tensor a, Tensor b, DType dtype)
    {
        var shape = ShapeUtil.Broadcast(ShapeUtil.Broadcast(cond._shape, a._shape), b._shape);
        var c = (cond.DType == DType.Bool ? cond : cond.ToDTypeData(DType.Bool)).Expand(shape).ContiguousData();
        var ac = (a.DType == dtype ? a : a.ToDTypeData(dtype)).Expand(shape).ContiguousData();
        var bc = (b.DType == dtype ? b : b.ToDTypeData(dtype)).Expand(shape).ContiguousData();
        var result = Tensor.Empty(shape, dtype);
        var mask = c.ContiguousSpan<bool>();
        switch (dtype)
        {
            case DType.Float64: Select(mask, ac.ContiguousSpan<double>(), bc.ContiguousSpan<double>(), result.MutableSpan<double>()); break;
            case DType.Float32: Select(mask, ac.ContiguousSpan<float>(), bc.ContiguousSpan<float>(), result.MutableSpan<float>()); break;
            case DType.Int64: Select(mask, ac.ContiguousSpan<long>(), bc.ContiguousSpan<long>(), result.MutableSpan<long>()); break;
            default: Select(mask, ac.ContiguousSpan<bool>(), bc.ContiguousSpan<bool>(), result.MutableSpan<bool>()); break;
        }

        return result;
    }

    private static void Select<T>(ReadOnlySpan<bool> mask, ReadOnlySpan<T> a, ReadOnlySpan<T> b, Span<T> d)
    {
        for (int i = 0; i < d.Length; i++)
        {
            d[i] = mask[i] ? a[i] : b[i];
        }
    }
}

using System.Numerics;
using System.Numerics.Tensors;
using System.Runtime.InteropServices;

namespace StaticGrad;

/// <summary>
/// Broadcasting elementwise kernels. Equal contiguous shapes and scalar operands go straight to
/// <see cref="TensorPrimitives"/>; other broadcasts walk the outer dimensions with an odometer and vectorize the
/// innermost one.
/// </summary>
internal static class BinaryKernels
{
    public static Tensor Run(BinaryOp op, Tensor a, Tensor b, DType dtype)
    {
        a = a.DType == dtype ? a : a.ToDTypeData(dtype);
        b = b.DType == dtype ? b : b.ToDTypeData(dtype);
        var shape = ShapeUtil.Broadcast(a._shape, b._shape);
        var result = Tensor.EmptyUninitialized(shape, dtype);
        switch (dtype)
        {
            case DType.Float64: Run<double>(op, a, b, result); break;
            case DType.Float32: Run<float>(op, a, b, result); break;
            case DType.Int64: Run<long>(op, a, b, result); break;
            default: throw new ArgumentException("arithmetic is not supported on bool tensors; convert with ToDType first");
        }

        GC.KeepAlive(a);
        GC.KeepAlive(b);
        return result;
    }

    public static Tensor RunScalar(BinaryOp op, Tensor a, double s, bool scalarFirst, DType dtype)
    {
        a = a.DType == dtype ? a : a.ToDTypeData(dtype);
        var result = Tensor.EmptyUninitialized(a._shape, dtype);
        if (ParallelElementwise.Chunks(a._numel) > 1)
        {
            var c = a.ContiguousData();
            switch (dtype)
            {
                case DType.Float64: RunScalarParallel(op, c, s, scalarFirst, result); break;
                case DType.Float32: RunScalarParallel(op, c, (float)s, scalarFirst, result); break;
                case DType.Int64: RunScalarParallel(op, c, (long)s, scalarFirst, result); break;
                default: throw new ArgumentException("arithmetic is not supported on bool tensors; convert with ToDType first");
            }

            GC.KeepAlive(c);
            return result;
        }

        switch (dtype)
        {
            case DType.Float64: RunScalar(op, a.ContiguousSpan<double>(), s, scalarFirst, result.MutableSpan<double>()); break;
            case DType.Float32: RunScalar(op, a.ContiguousSpan<float>(), (float)s, scalarFirst, result.MutableSpan<float>()); break;
            case DType.Int64: RunScalar(op, a.ContiguousSpan<long>(), (long)s, scalarFirst, result.MutableSpan<long>()); break;
            default: throw new ArgumentException("arithmetic is not supported on bool tensors; convert with ToDType first");
        }

        GC.KeepAlive(a);
        return result;
    }

    private static void RunScalarParallel<T>(BinaryOp op, Tensor contiguous, T s, bool scalarFirst, Tensor result)
        where T : unmanaged, INumber<T>
    {
        var x = contiguous.Buffer<T>();
        var d = result.Buffer<T>();
        int xo = contiguous._offset;
        ParallelElementwise.For(result._numel, (start, n) => RunScalar(op, x.AsSpan(xo + start, n), s, scalarFirst, d.AsSpan(start, n)));
    }

    private static void RunScalar<T>(BinaryOp op, ReadOnlySpan<T> a, T s, bool scalarFirst, Span<T> d)
        where T : unmanaged, INumber<T>
    {
        if (scalarFirst)
        {
            RowCS(op, s, a, d);
        }
        else
        {
            RowSC(op, a, s, d);
        }
    }

    /// <summary>Writes <c>op(a, b)</c> into <paramref name="result"/>, whose shape is the broadcast shape (it may alias <paramref name="a"/> for in-place ops).</summary>
    public static void Run<T>(BinaryOp op, Tensor a, Tensor b, Tensor result)
        where T : unmanaged, INumber<T>
    {
        var shape = result._shape;
        var av = a.Buffer<T>();
        var bv = b.Buffer<T>();
        var dv = result.Buffer<T>();
        if (result._contiguous && a._contiguous && b._contiguous)
        {
            var d = dv.AsSpan(result._offset, result._numel);
            int ao = a._offset, bo = b._offset, rdo = result._offset;
            bool parallel = ParallelElementwise.Chunks(result._numel) > 1;
            if (ShapeUtil.SameShape(a._shape, shape) && ShapeUtil.SameShape(b._shape, shape))
            {
                if (parallel)
                {
                    ParallelElementwise.For(result._numel, (s, n) => RowSS(op, av.AsSpan(ao + s, n), bv.AsSpan(bo + s, n), dv.AsSpan(rdo + s, n)));
                }
                else
                {
                    RowSS(op, av.AsSpan(ao, a._numel), bv.AsSpan(bo, b._numel), d);
                }

                return;
            }

            if (b._numel == 1 && ShapeUtil.SameShape(a._shape, shape))
            {
                if (parallel)
                {
                    ParallelElementwise.For(result._numel, (s, n) => RowSC(op, av.AsSpan(ao + s, n), bv[bo], dv.AsSpan(rdo + s, n)));
                }
                else
                {
                    RowSC(op, av.AsSpan(ao, a._numel), bv[bo], d);
                }

                return;
            }

            if (a._numel == 1 && ShapeUtil.SameShape(b._shape, shape))
            {
                if (parallel)
                {
                    ParallelElementwise.For(result._numel, (s, n) => RowCS(op, av[ao], bv.AsSpan(bo + s, n), dv.AsSpan(rdo + s, n)));
                }
                else
                {
                    RowCS(op, av[ao], bv.AsSpan(bo, b._numel), d);
                }

                return;
            }
        }

        if (result._numel == 0)
        {
            return;
        }

        int rank = shape.Length;
        var sa = ShapeUtil.BroadcastStrides(a._shape, a._strides, shape);
        var sb = ShapeUtil.BroadcastStrides(b._shape, b._strides, shape);
        var sd = result._strides;
        int inner = rank == 0 ? 1 : shape[rank - 1];
        int ia = rank == 0 ? 0 : sa[rank - 1];
        int ib = rank == 0 ? 0 : sb[rank - 1];
        int id = rank == 0 ? 1 : sd[rank - 1];
        int outerCount = inner == 0 ? 0 : result._numel / inner;
        var index = new int[Math.Max(rank - 1, 0)];
        int oa = a._offset, ob = b._offset, od = result._offset;
        for (int o = 0; o < outerCount; o++)
        {
            if (id == 1 && ia == 1 && ib == 1)
            {
                RowSS(op, av.AsSpan(oa, inner), bv.AsSpan(ob, inner), dv.AsSpan(od, inner));
            }
            else if (id == 1 && ia == 1 && ib == 0)
            {
                RowSC(op, av.AsSpan(oa, inner), bv[ob], dv.AsSpan(od, inner));
            }
            else if (id == 1 && ia == 0 && ib == 1)
            {
                RowCS(op, av[oa], bv.AsSpan(ob, inner), dv.AsSpan(od, inner));
            }
            else
            {
                for (int k = 0; k < inner; k++)
                {
                    dv[od + k * id] = Apply(op, av[oa + k * ia], bv[ob + k * ib]);
                }
            }

            for (int dim = rank - 2; dim >= 0; dim--)
            {
                index[dim]++;
                oa += sa[dim];
                ob += sb[dim];
                od += sd[dim];
                if (index[dim] < shape[dim])
                {
                    break;
                }

                oa -= sa[dim] * shape[dim];
                ob -= sb[dim] * shape[dim];
                od -= sd[dim] * shape[dim];
                index[dim] = 0;
            }
        }
    }

    public static T Apply<T>(BinaryOp op, T x, T y)
        where T : unmanaged, INumber<T> => op switch
        {
            BinaryOp.Add => x + y,
            BinaryOp.Sub => x - y,
            BinaryOp.Mul => x * y,
            BinaryOp.Div => x / y,
            BinaryOp.Pow => PowScalar(x, y),
            BinaryOp.Max => T.IsNaN(x) || T.IsNaN(y) ? x + y : T.Max(x, y),
            _ => T.IsNaN(x) || T.IsNaN(y) ? x + y : T.Min(x, y),
        };

    private static T PowScalar<T>(T x, T y)
        where T : unmanaged, INumber<T>
    {
        if (typeof(T) == typeof(float))
        {
            return T.CreateTruncating(MathF.Pow(float.CreateTruncating(x), float.CreateTruncating(y)));
        }

        return T.CreateTruncating(Math.Pow(double.CreateTruncating(x), double.CreateTruncating(y)));
    }

    // float64 powers go through Math.Pow (correctly rounded in practice, like PyTorch's results); float32 is vectorized.
    public static void RowSS<T>(BinaryOp op, ReadOnlySpan<T> x, ReadOnlySpan<T> y, Span<T> d)
        where T : unmanaged, INumber<T>
    {
        switch (op)
        {
            case BinaryOp.Add: TensorPrimitives.Add(x, y, d); break;
            case BinaryOp.Sub: TensorPrimitives.Subtract(x, y, d); break;
            case BinaryOp.Mul: TensorPrimitives.Multiply(x, y, d); break;
            case BinaryOp.Div: TensorPrimitives.Divide(x, y, d); break;
            case BinaryOp.Pow when typeof(T) == typeof(float):
                TensorPrimitives.Pow(Cast<T, float>(x), Cast<T, float>(y), CastMut<T, float>(d)); break;
            case BinaryOp.Max: TensorPrimitives.Max(x, y, d); break;
            case BinaryOp.Min: TensorPrimitives.Min(x, y, d); break;
            default:
                for (int i = 0; i < d.Length; i++)
                {
                    d[i] = Apply(op, x[i], y[i]);
                }

                break;
        }
    }

    public static void RowSC<T>(BinaryOp op, ReadOnlySpan<T> x, T y, Span<T> d)
        where T : unmanaged, INumber<T>
    {
        switch (op)
        {
            case BinaryOp.Add: TensorPrimitives.Add(x, y, d); break;
            case BinaryOp.Sub: TensorPrimitives.Subtract(x, y, d); break;
            case BinaryOp.Mul: TensorPrimitives.Multiply(x, y, d); break;
            case BinaryOp.Div: TensorPrimitives.Divide(x, y, d); break;
            case BinaryOp.Pow when typeof(T) == typeof(float):
                TensorPrimitives.Pow(Cast<T, float>(x), float.CreateTruncating(y), CastMut<T, float>(d)); break;
            case BinaryOp.Max: TensorPrimitives.Max(x, y, d); break;
            case BinaryOp.Min: TensorPrimitives.Min(x, y, d); break;
            default:
                for (int i = 0; i < d.Length; i++)
                {
                    d[i] = Apply(op, x[i], y);
                }

                break;
        }
    }

    public static void RowCS<T>(BinaryOp op, T x, ReadOnlySpan<T> y, Span<T> d)
        where T : unmanaged, INumber<T>
    {
        switch (op)
        {
            case BinaryOp.Add: TensorPrimitives.Add(y, x, d); break;
            case BinaryOp.Sub: TensorPrimitives.Subtract(x, y, d); break;
            case BinaryOp.Mul: TensorPrimitives.Multiply(y, x, d); break;
            case BinaryOp.Div: TensorPrimitives.Divide(x, y, d); break;
            case BinaryOp.Pow when typeof(T) == typeof(float):
                TensorPrimitives.Pow(float.CreateTruncating(x), Cast<T, float>(y), CastMut<T, float>(d)); break;
            case BinaryOp.Max: TensorPrimitives.Max(y, x, d); break;
            case BinaryOp.Min: TensorPrimitives.Min(y, x, d); break;
            default:
                for (int i = 0; i < d.Length; i++)
                {
                    d[i] = Apply(op, x, y[i]);
                }

                break;
        }
    }

    internal static ReadOnlySpan<TTo> Cast<TFrom, TTo>(ReadOnlySpan<TFrom> s)
        where TFrom : struct
        where TTo : struct => MemoryMarshal.Cast<TFrom, TTo>(s);

    internal static Span<TTo> CastMut<TFrom, TTo>(Span<TFrom> s)
        where TFrom : struct
        where TTo : struct => MemoryMarshal.Cast<TFrom, TTo>(s);
}

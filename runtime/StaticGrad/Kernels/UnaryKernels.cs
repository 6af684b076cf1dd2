using System.Numerics;
using System.Numerics.Tensors;

namespace StaticGrad;

/// <summary>Elementwise unary kernels over contiguous data, vectorized by <see cref="TensorPrimitives"/>.</summary>
internal static class UnaryKernels
{
    public static Tensor Run(UnaryOp op, Tensor x, DType dtype)
    {
        var src = x.DType == dtype ? x.ContiguousData() : x.ToDTypeData(dtype);
        var result = Tensor.EmptyUninitialized(x._shape, dtype);
        if (ParallelElementwise.Chunks(x._numel) > 1 && dtype.IsFloatingPoint())
        {
            if (dtype == DType.Float64)
            {
                RunFloatParallel<double>(op, src, result);
            }
            else
            {
                RunFloatParallel<float>(op, src, result);
            }

            GC.KeepAlive(src);
            return result;
        }

        switch (dtype)
        {
            case DType.Float64: RunFloat(op, src.ContiguousSpan<double>(), result.MutableSpan<double>()); break;
            case DType.Float32: RunFloat(op, src.ContiguousSpan<float>(), result.MutableSpan<float>()); break;
            case DType.Int64: RunInteger(op, src.ContiguousSpan<long>(), result.MutableSpan<long>()); break;
            default: throw new ArgumentException("this operation is not supported on bool tensors");
        }

        GC.KeepAlive(src);
        return result;
    }

    private static void RunFloatParallel<T>(UnaryOp op, Tensor contiguous, Tensor result)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var x = contiguous.Buffer<T>();
        var d = result.Buffer<T>();
        int xo = contiguous._offset;
        ParallelElementwise.For(result._numel, (start, n) => RunFloat(op, x.AsSpan(xo + start, n), d.AsSpan(start, n)));
    }

    private static void RunFloat<T>(UnaryOp op, ReadOnlySpan<T> x, Span<T> d)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (typeof(T) == typeof(double) && RunPrecise(op, BinaryKernels.Cast<T, double>(x), BinaryKernels.CastMut<T, double>(d)))
        {
            return;
        }

        switch (op)
        {
            case UnaryOp.Neg: TensorPrimitives.Negate(x, d); break;
            case UnaryOp.Exp: TensorPrimitives.Exp(x, d); break;
            case UnaryOp.Log: TensorPrimitives.Log(x, d); break;
            case UnaryOp.Sqrt: TensorPrimitives.Sqrt(x, d); break;
            case UnaryOp.Abs: TensorPrimitives.Abs(x, d); break;
            case UnaryOp.Sin: TensorPrimitives.Sin(x, d); break;
            case UnaryOp.Cos: TensorPrimitives.Cos(x, d); break;
            case UnaryOp.Tanh: TensorPrimitives.Tanh(x, d); break;
            case UnaryOp.Sigmoid: TensorPrimitives.Sigmoid(x, d); break;
            case UnaryOp.Relu: TensorPrimitives.Max(x, T.Zero, d); break;
            case UnaryOp.Round: TensorPrimitives.Round(x, MidpointRounding.ToEven, d); break;
            case UnaryOp.Reciprocal: TensorPrimitives.Reciprocal(x, d); break;
            default:
                for (int i = 0; i < x.Length; i++)
                {
                    T v = x[i];
                    d[i] = T.IsNaN(v) ? v : v > T.Zero ? T.One : v < T.Zero ? -T.One : T.Zero;
                }

                break;
        }
    }

    /// <summary>
    /// float64 transcendental functions with a stated accuracy, vectorised by <see cref="VectorMath"/> (exp, log, sin,
    /// cos ≤ 1 ulp, tanh ≤ 3 ulp from <see cref="Math"/>), where <see cref="TensorPrimitives"/>' float64 approximations
    /// are several ulp off.
    /// </summary>
    internal static bool RunPrecise(UnaryOp op, ReadOnlySpan<double> x, Span<double> d)
    {
        switch (op)
        {
            case UnaryOp.Exp:
                VectorMath.Exp(x, d);
                return true;
            case UnaryOp.Log:
                VectorMath.Log(x, d);
                return true;
            case UnaryOp.Sin:
                VectorMath.Sin(x, d);
                return true;
            case UnaryOp.Cos:
                VectorMath.Cos(x, d);
                return true;
            case UnaryOp.Tanh:
                VectorMath.Tanh(x, d);
                return true;
            case UnaryOp.Sigmoid:
                VectorMath.Sigmoid(x, d);
                return true;
            default:
                return false;
        }
    }

    private static void RunInteger(UnaryOp op, ReadOnlySpan<long> x, Span<long> d)
    {
        switch (op)
        {
            case UnaryOp.Neg: TensorPrimitives.Negate(x, d); break;
            case UnaryOp.Abs: TensorPrimitives.Abs(x, d); break;
            case UnaryOp.Relu: TensorPrimitives.Max(x, 0L, d); break;
            case UnaryOp.Round: x.CopyTo(d); break;
            case UnaryOp.Sign:
                for (int i = 0; i < x.Length; i++)
                {
                    d[i] = Math.Sign(x[i]);
                }

                break;
            default: throw new ArgumentException($"{op} is not supported on integer tensors; convert with ToDType first");
        }
    }

    /// <summary>Whether <paramref name="op"/> keeps an integer input integer (otherwise it is promoted to float64).</summary>
    public static bool KeepsIntegers(UnaryOp op) => op is UnaryOp.Neg or UnaryOp.Abs or UnaryOp.Relu or UnaryOp.Round or UnaryOp.Sign;
}

using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace StaticGrad;

internal static partial class VectorMath
{
    /// <summary>
    /// One element-wise function as the block driver <see cref="Map{TFunction}"/> needs it. Static members on a struct
    /// so that the JIT specialises and inlines the driver per function (no delegate, no virtual call in the loop).
    /// </summary>
    private interface IBlockFunction
    {
        /// <summary>Lanes the vector kernel computes within its stated accuracy; the others go to <see cref="Scalar"/>.</summary>
        static abstract Vector256<double> InRange(Vector256<double> v);

        /// <summary>An input in range, put into the other lanes before the kernel runs.</summary>
        static abstract Vector256<double> Harmless { get; }

        static abstract Vector256<double> Block(Vector256<double> v);

        /// <summary>The <see cref="Math"/> function, for special values and for machines without AVX2 and FMA.</summary>
        static abstract double Scalar(double x);
    }

    /// <summary>
    /// d[i] = f(x[i]) by blocks of four, the last one to three elements padded to a block (<see cref="TailBlock"/>), and
    /// the lanes outside the kernel's range (NaN, ±∞, an exp that overflows, a log of a non-normal number) through
    /// <see cref="Math"/> lane by lane (<see cref="StoreLanes"/>). So an element's bits depend on its value only, never
    /// on its position in the span or on its neighbours.
    /// </summary>
    private static void Map<TFunction>(ReadOnlySpan<double> x, Span<double> d)
        where TFunction : struct, IBlockFunction
    {
        if (!IsAccelerated)
        {
            for (int k = 0; k < x.Length; k++)
            {
                d[k] = TFunction.Scalar(x[k]);
            }

            return;
        }

        ref double xr = ref MemoryMarshal.GetReference(x);
        ref double dr = ref MemoryMarshal.GetReference(d);
        int i = 0;
        for (; i + 4 <= x.Length; i += 4)
        {
            var v = Vector256.LoadUnsafe(ref xr, (nuint)i);
            var ok = TFunction.InRange(v);
            if (ok.ExtractMostSignificantBits() == 0b1111)
            {
                TFunction.Block(v).StoreUnsafe(ref dr, (nuint)i);
            }
            else
            {
                StoreLanes<TFunction>(v, ok, d, i, 4);
            }
        }

        if (i < x.Length)
        {
            var tail = TailBlock(x, i);
            StoreLanes<TFunction>(tail, TFunction.InRange(tail), d, i, x.Length - i);
        }
    }

    /// <summary>
    /// The last one to three elements of a span as one vector block, padded with copies of the last element, for the
    /// same vector kernel as the whole blocks. Scalar <see cref="Math"/> functions there, up to 1 ulp away from the
    /// vector lane, made an element's bits depend on its position in the span: a fused backward kernel working row by
    /// row and the composite form over the whole tensor disagreed in the last bit where a row's tail met a whole block
    /// of the tensor (log-softmax, 7 × 37). Read whole before <see cref="StoreLanes"/> writes, so the destination may
    /// be the source.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<double> TailBlock(ReadOnlySpan<double> x, int start)
    {
        int last = x.Length - 1;
        return Vector256.Create(x[start], x[Math.Min(start + 1, last)], x[Math.Min(start + 2, last)], x[last]);
    }

    /// <summary>
    /// Stores the first <paramref name="count"/> lanes of a block: the vector result where <paramref name="ok"/> is
    /// set, the <see cref="Math"/> function of the lane's input elsewhere. A block holding a special value used to go
    /// to <see cref="Math"/> whole, so an ordinary neighbour of such a value differed by up to 1 ulp from the same
    /// value in a clean block; the kernels are lane-wise, so with the special lanes replaced by a harmless input the
    /// ordinary lanes get the clean block's bits. The input is read from the block, so the destination may be the source.
    /// </summary>
    private static void StoreLanes<TFunction>(Vector256<double> input, Vector256<double> ok, Span<double> d, int start, int count)
        where TFunction : struct, IBlockFunction
    {
        var result = TFunction.Block(Vector256.ConditionalSelect(ok, input, TFunction.Harmless));
        for (int k = 0; k < count; k++)
        {
            d[start + k] = ok.AsUInt64().GetElement(k) != 0 ? result.GetElement(k) : TFunction.Scalar(input.GetElement(k));
        }
    }
}

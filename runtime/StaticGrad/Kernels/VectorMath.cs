using System.Numerics.Tensors;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace StaticGrad;

/// <summary>
/// Vectorised float64 transcendental functions with a stated accuracy. <see cref="TensorPrimitives"/>' float64
/// <c>Exp</c> is up to 2 ulp off (and no faster than <see cref="Math.Exp"/> here), its <c>Tanh</c> loses all relative
/// accuracy near zero, so the runtime brings its own.
/// </summary>
/// <remarks>
/// <see cref="Exp"/>: at most 1 ulp from the correctly rounded result (tested against <see cref="Math.Exp"/> over a
/// dense sweep of [−745, 710]). Method: x = n·ln2 + r with n = round(x/ln2) and a two-part (Cody–Waite) ln2 so that
/// r is exact to double precision, |r| ≤ ln2/2; eʳ by its Taylor polynomial of degree 13 (truncation below 4·10⁻¹⁸)
/// in Horner form with fused multiply-adds, evaluated as 1 + (r + r²·q(r)) so that the last rounding is the only
/// large one; then the exact scaling by 2ⁿ built in the exponent bits. Blocks with any lane outside [−708, 709] (where
/// the result overflows or becomes subnormal) or NaN go to <see cref="Math.Exp"/> lane by lane, so the
/// special values (±∞, NaN, overflow, gradual underflow) are exactly <see cref="Math.Exp"/>'s.
/// </remarks>
internal static partial class VectorMath
{
    private const double Log2E = 1.4426950408889634;
    private const double Ln2Hi = 6.93147180369123816490e-01;
    private const double Ln2Lo = 1.90821492927058770002e-10;
    private const double RoundingShift = 6755399441055744.0;
    private const double Low = -708.0;
    private const double High = 709.0;

    /// <summary>Whether the vector path runs on this machine (AVX2 and FMA); otherwise <see cref="Exp"/> is <see cref="Math.Exp"/>.</summary>
    public static bool IsAccelerated => Avx2.IsSupported && Fma.IsSupported;

    /// <summary>d[i] = eˣ⁽ⁱ⁾ within 1 ulp.</summary>
    public static void Exp(ReadOnlySpan<double> x, Span<double> d)
    {
        int i = 0;
        if (IsAccelerated)
        {
            ref double xr = ref MemoryMarshal.GetReference(x);
            ref double dr = ref MemoryMarshal.GetReference(d);
            for (; i + 4 <= x.Length; i += 4)
            {
                var v = Vector256.LoadUnsafe(ref xr, (nuint)i);
                var ok = ExpInRange(v);
                if (ok.ExtractMostSignificantBits() == 0b1111)
                {
                    Exp256(v).StoreUnsafe(ref dr, (nuint)i);
                }
                else
                {
                    StoreLanes(v, Exp256(Vector256.ConditionalSelect(ok, v, Vector256<double>.Zero)), ok, d, i, 4, Scalar.Exp);
                }
            }

            if (i < x.Length)
            {
                var tail = TailBlock(x, i);
                var ok = ExpInRange(tail);
                StoreLanes(tail, Exp256(Vector256.ConditionalSelect(ok, tail, Vector256<double>.Zero)), ok, d, i, x.Length - i, Scalar.Exp);
                return;
            }
        }

        for (; i < x.Length; i++)
        {
            d[i] = Math.Exp(x[i]);
        }
    }

    /// <summary>Lanes where the vector exp is within 1 ulp: neither overflow, gradual underflow nor NaN.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<double> ExpInRange(Vector256<double> v) =>
        Vector256.GreaterThanOrEqual(v, Vector256.Create(Low)) & Vector256.LessThanOrEqual(v, Vector256.Create(High));

    /// <summary>d[i] = 1 / (1 + e⁻ˣ⁽ⁱ⁾): the logistic function on the same exp.</summary>
    public static void Sigmoid(ReadOnlySpan<double> x, Span<double> d)
    {
        TensorPrimitives.Negate(x, d);
        Exp(d, d);
        TensorPrimitives.Add(d, 1.0, d);
        TensorPrimitives.Reciprocal(d, d);
    }

    /// <summary>
    /// d[i] = tanh x⁽ⁱ⁾ within 3 ulp of <see cref="Math.Tanh"/> (dense-sweep test): −expm1(−2|x|) / (2 + expm1(−2|x|))
    /// with the sign of x, where expm1 comes from the same reduction as <see cref="Exp"/> and keeps full relative
    /// accuracy near 0 (no cancellation in 1 − 2/(e²ˣ + 1)); x itself below 2⁻²⁸, ±1 above 19.1 (the rounded value).
    /// A NaN lane goes to <see cref="Math.Tanh"/>.
    /// </summary>
    public static void Tanh(ReadOnlySpan<double> x, Span<double> d)
    {
        int i = 0;
        if (IsAccelerated)
        {
            ref double xr = ref MemoryMarshal.GetReference(x);
            ref double dr = ref MemoryMarshal.GetReference(d);
            for (; i + 4 <= x.Length; i += 4)
            {
                var v = Vector256.LoadUnsafe(ref xr, (nuint)i);
                var ok = Vector256.Equals(v, v);
                if (ok.ExtractMostSignificantBits() == 0b1111)
                {
                    Tanh256(v).StoreUnsafe(ref dr, (nuint)i);
                }
                else
                {
                    StoreLanes(v, Tanh256(Vector256.ConditionalSelect(ok, v, Vector256<double>.Zero)), ok, d, i, 4, Scalar.Tanh);
                }
            }

            if (i < x.Length)
            {
                var tail = TailBlock(x, i);
                var ok = Vector256.Equals(tail, tail);
                StoreLanes(tail, Tanh256(Vector256.ConditionalSelect(ok, tail, Vector256<double>.Zero)), ok, d, i, x.Length - i, Scalar.Tanh);
                return;
            }
        }

        for (; i < x.Length; i++)
        {
            d[i] = Math.Tanh(x[i]);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<double> Tanh256(Vector256<double> v)
    {
        var sign = Vector256.Create(-0.0);
        var saturate = Vector256.Create(19.1);
        var a = Vector256.AndNot(v, sign);
        var t = ExpM1Negative256(Vector256.Min(a, saturate) * Vector256.Create(-2.0));
        var th = Vector256.ConditionalSelect(Vector256.GreaterThan(a, saturate), Vector256.Create(1.0), -t / (Vector256.Create(2.0) + t));
        th = Vector256.ConditionalSelect(Vector256.LessThan(a, Vector256.Create(3.725290298461914e-09)), a, th);
        return th | (v & sign);
    }

    /// <summary>
    /// The last one to three elements of a span as one vector block, padded with copies of the last element, for the
    /// same vector kernel as the whole blocks. Scalar <see cref="Math"/> functions there, up to 1 ulp away from the
    /// vector lane, made an element's bits depend on its position in the span: a fused backward kernel working row by
    /// row and the composite form over the whole tensor disagreed in the last bit where a row's tail met a whole block
    /// of the tensor (log-softmax, 7 × 37). Now a value gives the same bits in every span whose block takes the vector
    /// path (a special lane itself goes to <see cref="Math"/>, <see cref="StoreLanes"/>). Read whole before
    /// <see cref="StoreLanes"/> writes, so the destination may be the source.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<double> TailBlock(ReadOnlySpan<double> x, int start)
    {
        int last = x.Length - 1;
        return Vector256.Create(x[start], x[Math.Min(start + 1, last)], x[Math.Min(start + 2, last)], x[last]);
    }

    /// <summary>
    /// Stores the first <paramref name="count"/> lanes of a block: the vector result where <paramref name="ok"/> is
    /// set, the <see cref="Math"/> function of the lane's input elsewhere. A block holding a special value (NaN, ±∞, an
    /// exp that overflows, a log of a non-normal number) used to fall back to <see cref="Math"/> whole, so an ordinary
    /// neighbour of such a value differed by up to 1 ulp from the same value in a clean block; the vector kernels are
    /// lane-wise, so the ordinary lanes' bits are the clean block's (the special lanes were replaced by a harmless
    /// input before the kernel ran). The input is read from the block, so the destination may be the source.
    /// </summary>
    private static void StoreLanes(Vector256<double> input, Vector256<double> result, Vector256<double> ok, Span<double> d, int start, int count, Scalar scalar)
    {
        for (int k = 0; k < count; k++)
        {
            d[start + k] = ok.AsUInt64().GetElement(k) != 0 ? result.GetElement(k) : Apply(scalar, input.GetElement(k));
        }
    }

    private static double Apply(Scalar scalar, double x) => scalar switch
    {
        Scalar.Exp => Math.Exp(x),
        Scalar.Tanh => Math.Tanh(x),
        Scalar.Log => Math.Log(x),
        Scalar.Sin => Math.Sin(x),
        _ => Math.Cos(x),
    };

    /// <summary>The scalar function a special lane falls back to.</summary>
    private enum Scalar
    {
        Exp,
        Tanh,
        Log,
        Sin,
        Cos,
    }

    /// <summary>eʸ − 1 for y in [−38.2, 0]: 2ⁿ·p + (2ⁿ − 1) with p = eʳ − 1 from the exp polynomial (2ⁿ − 1 is exact).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<double> ExpM1Negative256(Vector256<double> y)
    {
        var (r, scale) = Reduce(y);
        var p = Fma.MultiplyAdd(Polynomial(r), r * r, r);
        return Fma.MultiplyAdd(scale, p, scale - Vector256.Create(1.0));
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<double> Exp256(Vector256<double> x)
    {
        var (r, scale) = Reduce(x);
        var p = Fma.MultiplyAdd(Polynomial(r), r * r, r);
        return (Vector256.Create(1.0) + p) * scale;
    }

    /// <summary>x = n·ln2 + r with |r| ≤ ln2/2 (r exact through the two-part ln2), and 2ⁿ.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static (Vector256<double> R, Vector256<double> Scale) Reduce(Vector256<double> x)
    {
        var shifted = Fma.MultiplyAdd(x, Vector256.Create(Log2E), Vector256.Create(RoundingShift));
        var n = shifted - Vector256.Create(RoundingShift);
        var r = Fma.MultiplyAddNegated(n, Vector256.Create(Ln2Hi), x);
        r = Fma.MultiplyAddNegated(n, Vector256.Create(Ln2Lo), r);

        // 2ⁿ from the integer the rounding shift left in the low mantissa bits.
        var bits = (shifted.AsInt64() - Vector256.Create(RoundingShift).AsInt64() + Vector256.Create(1023L)) << 52;
        return (r, bits.AsDouble());
    }

    /// <summary>q(r) = 1/2! + r/3! + … + r¹¹/13!, so that eʳ − 1 = r + r²·q(r).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<double> Polynomial(Vector256<double> r)
    {
        var q = Vector256.Create(1.0 / 6227020800.0);
        q = Fma.MultiplyAdd(q, r, Vector256.Create(1.0 / 479001600.0));
        q = Fma.MultiplyAdd(q, r, Vector256.Create(1.0 / 39916800.0));
        q = Fma.MultiplyAdd(q, r, Vector256.Create(1.0 / 3628800.0));
        q = Fma.MultiplyAdd(q, r, Vector256.Create(1.0 / 362880.0));
        q = Fma.MultiplyAdd(q, r, Vector256.Create(1.0 / 40320.0));
        q = Fma.MultiplyAdd(q, r, Vector256.Create(1.0 / 5040.0));
        q = Fma.MultiplyAdd(q, r, Vector256.Create(1.0 / 720.0));
        q = Fma.MultiplyAdd(q, r, Vector256.Create(1.0 / 120.0));
        q = Fma.MultiplyAdd(q, r, Vector256.Create(1.0 / 24.0));
        q = Fma.MultiplyAdd(q, r, Vector256.Create(1.0 / 6.0));
        return Fma.MultiplyAdd(q, r, Vector256.Create(0.5));
    }
}

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
    public static void Exp(ReadOnlySpan<double> x, Span<double> d) => Map<ExpFunction>(x, d);

    /// <summary>eˣ; lanes where the vector exp is within 1 ulp: neither overflow, gradual underflow nor NaN.</summary>
    private readonly struct ExpFunction : IBlockFunction
    {
        public static Vector256<double> InRange(Vector256<double> v) =>
            Vector256.GreaterThanOrEqual(v, Vector256.Create(Low)) & Vector256.LessThanOrEqual(v, Vector256.Create(High));

        public static Vector256<double> Harmless => Vector256<double>.Zero;

        public static Vector256<double> Block(Vector256<double> v) => Exp256(v);

        public static double Scalar(double x) => Math.Exp(x);
    }

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
    public static void Tanh(ReadOnlySpan<double> x, Span<double> d) => Map<TanhFunction>(x, d);

    /// <summary>tanh x; every lane but NaN takes the vector path (±∞ saturate).</summary>
    private readonly struct TanhFunction : IBlockFunction
    {
        public static Vector256<double> InRange(Vector256<double> v) => Vector256.Equals(v, v);

        public static Vector256<double> Harmless => Vector256<double>.Zero;

        public static Vector256<double> Block(Vector256<double> v) => Tanh256(v);

        public static double Scalar(double x) => Math.Tanh(x);
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

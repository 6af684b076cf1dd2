using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace StaticGrad;

internal static partial class VectorMath
{
    /// <summary>Above this |x| the three-part π/2 no longer reduces exactly (n·π/2 parts need n &lt; 2²⁰); fdlibm's bound.</summary>
    private const double TrigReductionLimit = 1647099.0;

    /// <summary>d[i] = sin x⁽ⁱ⁾ within 1 ulp of <see cref="Math.Sin"/>; see <see cref="SinCos256"/>.</summary>
    public static void Sin(ReadOnlySpan<double> x, Span<double> d) => Map<SinFunction>(x, d);

    /// <summary>d[i] = cos x⁽ⁱ⁾ within 1 ulp of <see cref="Math.Cos"/>; see <see cref="SinCos256"/>.</summary>
    public static void Cos(ReadOnlySpan<double> x, Span<double> d) => Map<CosFunction>(x, d);

    /// <summary>sin x; lanes with |x| up to the exact reduction's limit take the vector path.</summary>
    private readonly struct SinFunction : IBlockFunction
    {
        public static Vector256<double> InRange(Vector256<double> v) => Vector256.LessThanOrEqual(Vector256.Abs(v), Vector256.Create(TrigReductionLimit));

        public static Vector256<double> Harmless => Vector256<double>.Zero;

        public static Vector256<double> Block(Vector256<double> v) => SinCos256(v, Vector256<long>.Zero);

        public static double Scalar(double x) => Math.Sin(x);
    }

    /// <summary>cos x = sin(x + π/2), the same reduction one quadrant on.</summary>
    private readonly struct CosFunction : IBlockFunction
    {
        public static Vector256<double> InRange(Vector256<double> v) => SinFunction.InRange(v);

        public static Vector256<double> Harmless => Vector256<double>.Zero;

        public static Vector256<double> Block(Vector256<double> v) => SinCos256(v, Vector256<long>.One);

        public static double Scalar(double x) => Math.Cos(x);
    }

    /// <summary>
    /// sin(x + q·π/2) for q = 0 (sine) or 1 (cosine), within 1 ulp of <see cref="Math.Sin"/>/<see cref="Math.Cos"/> (dense-sweep tests, including
    /// arguments next to multiples of π/2). Method (fdlibm's <c>__rem_pio2</c> medium case and <c>__kernel_sin/cos</c>,
    /// vectorised): x = n·π/2 + (y₀ + y₁) with n = round(2x/π) and π/2 in three 33-bit parts plus a tail, so the
    /// reduced argument keeps ≥ 53 significant bits even next to a multiple of π/2; then fdlibm's minimax polynomials
    /// on [−π/4, π/4] with the tail y₁ folded in, chosen and signed by n mod 4. Blocks with |x| above 1 647 099 (where
    /// this reduction is no longer exact), ∞ or NaN go to <see cref="Math"/> lane by lane.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<double> SinCos256(Vector256<double> x, Vector256<long> q)
    {
        var shifted = (x * Vector256.Create(6.36619772367581382433e-01)) + Vector256.Create(RoundingShift);
        var fn = shifted - Vector256.Create(RoundingShift);
        var n = shifted.AsInt64() + q;

        // Three rounds of fdlibm's reduction, each subtracting the next 33 bits of π/2 (products exact for n < 2²⁰).
        var r = x - (fn * Vector256.Create(1.57079632673412561417e+00));
        var t = r;
        var w = fn * Vector256.Create(6.07710050630396597660e-11);
        r = t - w;
        w = (fn * Vector256.Create(2.02226624879595063154e-21)) - ((t - r) - w);
        t = r;
        w = fn * Vector256.Create(2.02226624871116645580e-21);
        r = t - w;
        w = (fn * Vector256.Create(8.47842766036889956997e-32)) - ((t - r) - w);
        var y0 = r - w;
        var y1 = (r - y0) - w;

        var z = y0 * y0;
        var zz = z * z;

        // __kernel_sin(y0, y1, 1)
        var sr = Vector256.Create(8.33333333332248946124e-03) + (z * (Vector256.Create(-1.98412698298579493134e-04) + (z * Vector256.Create(2.75573137070700676789e-06))))
            + (z * zz * (Vector256.Create(-2.50507602534068634195e-08) + (z * Vector256.Create(1.58969099521155010221e-10))));
        var v = z * y0;
        var sin = y0 - (((z * ((Vector256.Create(0.5) * y1) - (v * sr))) - y1) - (v * Vector256.Create(-1.66666666666666324348e-01)));

        // __kernel_cos(y0, y1)
        var cr = (z * (Vector256.Create(4.16666666666666019037e-02) + (z * (Vector256.Create(-1.38888888888741095749e-03) + (z * Vector256.Create(2.48015872894767294178e-05))))))
            + (zz * zz * (Vector256.Create(-2.75573143513906633035e-07) + (z * (Vector256.Create(2.08757232129817482790e-09) + (z * Vector256.Create(-1.13596475577881948265e-11))))));
        var hz = Vector256.Create(0.5) * z;
        var one = Vector256.Create(1.0);
        var cw = one - hz;
        var cos = cw + (((one - cw) - hz) + ((z * cr) - (y0 * y1)));

        // n mod 4: 0 → sin, 1 → cos, 2 → −sin, 3 → −cos.
        var odd = Vector256.Equals(n & Vector256.Create(1L), Vector256.Create(1L)).AsDouble();
        var sign = Vector256.ShiftLeft(n & Vector256.Create(2L), 62).AsDouble();
        return Vector256.ConditionalSelect(odd, cos, sin) ^ sign;
    }
}

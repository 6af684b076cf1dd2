using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace StaticGrad;

internal static partial class VectorMath
{
    private const double MinNormal = 2.2250738585072014e-308;

    /// <summary>
    /// d[i] = ln x⁽ⁱ⁾ within 1 ulp of <see cref="Math.Log(double)"/> (dense-sweep test over the positive normal doubles).
    /// Method (fdlibm's <c>__ieee754_log</c>, vectorised): x = 2ᵏ·m with m in [√2/2, √2), f = m − 1, s = f/(2 + f),
    /// ln(1 + f) = f − f²/2 + s·(f²/2 + R(s²)) with fdlibm's degree-14 minimax R, plus k·ln2 in two parts. Blocks with a
    /// lane that is not a positive normal finite number (0, negatives, subnormals, ∞, NaN) go to
    /// <see cref="Math.Log(double)"/> lane by lane, so the special values are exactly <see cref="Math.Log(double)"/>'s.
    /// </summary>
    public static void Log(ReadOnlySpan<double> x, Span<double> d) => Map<LogFunction>(x, d);

    /// <summary>ln x; lanes holding a positive normal finite number take the vector path.</summary>
    private readonly struct LogFunction : IBlockFunction
    {
        public static Vector256<double> InRange(Vector256<double> v) =>
            Vector256.GreaterThanOrEqual(v, Vector256.Create(MinNormal)) & Vector256.LessThanOrEqual(v, Vector256.Create(double.MaxValue));

        public static Vector256<double> Harmless => Vector256<double>.One;

        public static Vector256<double> Block(Vector256<double> v) => Log256(v);

        public static double Scalar(double x) => Math.Log(x);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<double> Log256(Vector256<double> x)
    {
        // The high word moved so that its exponent field counts from √2/2: k and m ∈ [√2/2, √2) fall out of the bits.
        var u = x.AsUInt64();
        var hx = Vector256.ShiftRightLogical(u, 32) + Vector256.Create((ulong)(0x3ff00000 - 0x3fe6a09e));
        var k = Vector256.ShiftRightLogical(hx, 20).AsInt64() - Vector256.Create(0x3ffL);
        hx = (hx & Vector256.Create(0xfffffUL)) + Vector256.Create(0x3fe6a09eUL);
        var m = (Vector256.ShiftLeft(hx, 32) | (u & Vector256.Create(0xffffffffUL))).AsDouble();

        var f = m - Vector256.Create(1.0);
        var hfsq = Vector256.Create(0.5) * f * f;
        var s = f / (Vector256.Create(2.0) + f);
        var z = s * s;
        var w = z * z;
        var t1 = w * (Vector256.Create(3.999999999940941908e-01) + (w * (Vector256.Create(2.222219843214978396e-01) + (w * Vector256.Create(1.531383769920937332e-01)))));
        var t2 = z * (Vector256.Create(6.666666666666735130e-01) + (w * (Vector256.Create(2.857142874366239149e-01) + (w * (Vector256.Create(1.818357216161805012e-01) + (w * Vector256.Create(1.479819860511658591e-01)))))));
        var r = t2 + t1;

        // k as a double through the rounding shift (|k| < 1100).
        var dk = (k + Vector256.Create(0x4338000000000000L)).AsDouble() - Vector256.Create(RoundingShift);
        return ((((s * (hfsq + r)) + (dk * Vector256.Create(Ln2Lo))) - hfsq) + f) + (dk * Vector256.Create(Ln2Hi));
    }
}

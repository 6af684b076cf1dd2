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
    public static void Log(ReadOnlySpan<double> x, Span<double> d)
    {
        int i = 0;
        if (IsAccelerated)
        {
            ref double xr = ref MemoryMarshal.GetReference(x);
            ref double dr = ref MemoryMarshal.GetReference(d);
            for (; i + 4 <= x.Length; i += 4)
            {
                var v = Vector256.LoadUnsafe(ref xr, (nuint)i);
                var ok = LogInRange(v);
                if (ok.ExtractMostSignificantBits() == 0b1111)
                {
                    Log256(v).StoreUnsafe(ref dr, (nuint)i);
                }
                else
                {
                    StoreLanes(v, Log256(Vector256.ConditionalSelect(ok, v, Vector256<double>.One)), ok, d, i, 4, Scalar.Log);
                }
            }

            if (i < x.Length)
            {
                var tail = TailBlock(x, i);
                var ok = LogInRange(tail);
                StoreLanes(tail, Log256(Vector256.ConditionalSelect(ok, tail, Vector256<double>.One)), ok, d, i, x.Length - i, Scalar.Log);
                return;
            }
        }

        for (; i < x.Length; i++)
        {
            d[i] = Math.Log(x[i]);
        }
    }

    /// <summary>Lanes holding a positive normal finite number.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<double> LogInRange(Vector256<double> v) =>
        Vector256.GreaterThanOrEqual(v, Vector256.Create(MinNormal)) & Vector256.LessThanOrEqual(v, Vector256.Create(double.MaxValue));

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

using System.Collections.Generic;
using System.Numerics;

namespace StaticGrad.Compiler.Derivatives;

/// <summary>
/// The product of floating-point numbers computed exactly and rounded once (to nearest, ties to even) to a given number
/// of significant bits: what <see cref="PowerProductRule"/> folds. Multiplying the constants one after another can pass
/// through a subnormal and lose bits that a later factor brings back into range (1e-200·1e-123·1e300 is 1.976e-23
/// that way, not 2e-23), which the user's expression, whose reads sit between the constants, never does.
/// </summary>
internal static class ExactProduct
{
    /// <summary>
    /// ∏ <paramref name="factors"/> rounded to <paramref name="precisionBits"/> significant bits (53: double, 24:
    /// float), or null when a factor is zero, infinite or NaN, or the result is not a normal number of that precision.
    /// </summary>
    public static double? Of(IReadOnlyList<double> factors, int precisionBits)
    {
        var mantissa = BigInteger.One;
        var exponent = 0;
        var negative = false;
        foreach (var factor in factors)
        {
            if (factor == 0.0 || double.IsNaN(factor) || double.IsInfinity(factor))
            {
                return null;
            }

            var bits = System.BitConverter.DoubleToInt64Bits(factor);
            negative ^= bits < 0;
            var biased = (int)((bits >> 52) & 0x7FF);
            var fraction = bits & 0xFFFFFFFFFFFFFL;
            mantissa *= biased == 0 ? fraction : fraction | (1L << 52);
            exponent += (biased == 0 ? 1 : biased) - 1075;
        }

        // Round the exact mantissa to the precision once.
        var shift = BitLength(mantissa) - precisionBits;
        if (shift > 0)
        {
            var kept = mantissa >> shift;
            var rest = mantissa - (kept << shift);
            var half = BigInteger.One << (shift - 1);
            if (rest > half || (rest == half && !kept.IsEven))
            {
                kept += 1;
            }

            mantissa = kept;
            exponent += shift;
        }

        // The mantissa has at most precisionBits + 1 bits (a carry): exact as a double. Scaling by powers of two in
        // steps is exact while the value stays normal, and it moves monotonically towards the result, so a result
        // outside the normal range shows as an infinity or a number below the smallest normal.
        var value = (double)mantissa;
        while (exponent != 0)
        {
            var step = System.Math.Max(-1000, System.Math.Min(1000, exponent));
            value *= System.Math.Pow(2.0, step);
            exponent -= step;
        }

        var smallest = precisionBits == 24 ? 1.17549435E-38 : 2.2250738585072014E-308;
        var largest = precisionBits == 24 ? 3.4028234663852886E+38 : double.MaxValue;
        return value >= smallest && value <= largest ? (negative ? -value : value) : null;
    }

    private static int BitLength(BigInteger value)
    {
        var length = 0;
        for (; !value.IsZero; value >>= 1)
        {
            length++;
        }

        return length;
    }
}

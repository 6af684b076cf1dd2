using System.Collections.Generic;
using System.Globalization;
using StaticGrad.Compiler.Emit;

namespace StaticGrad.Compiler.Derivatives;

/// <summary>
/// The derivative of a product whose factors are k ≥ 2 reads of one value v and numeric constants c₁…cₘ
/// (<c>v * v</c>, <c>100.0 * v * v</c>, <c>v * v * v</c>, <c>v * 3.0 * v</c>): g·∂/∂v = (k·c₁⋯cₘ)·v^(k−1)·g, one term
/// with the constants folded at compile time, as a hand-written gradient has it (<c>200·v</c>), instead of the
/// product rule's k terms (<c>100·(g·v) + (100·v)·g</c>: two more products and a sum).
/// </summary>
/// <remarks>
/// Floating point: for k = 2, (2c·v)·g is exactly 2·((c·v)·g) (doubling is exact), so it differs from the product
/// rule's c·(g·v) + (c·v)·g only by the rounding of c·(g·v) against (c·v)·g (one ulp of the term); for k ≥ 3 the
/// terms are reassociated, a few ulps. Range: the one term overflows only where the product rule's sum of k
/// same-signed terms of about its size does. The folded constant is the exact product rounded once to the product's
/// precision (float products fold to float; <see cref="ExactProduct"/>), and must be finite and normal (a zero constant keeps the
/// product rule too); a constant that is not a numeric literal (a named constant prints as
/// one; <c>double.PositiveInfinity</c> does not) keeps the product rule.
/// </remarks>
public static class PowerProductRule
{
    /// <summary>
    /// <c>g·∂/∂v</c> of the product of <paramref name="readCount"/> reads of <paramref name="value"/> (C# operand text)
    /// and the constants <paramref name="constants"/> (C# literal texts), or null when a constant is not a finite numeric
    /// literal or the folded coefficient is not a normal number of the product's precision.
    /// </summary>
    public static string? Partial(string value, int readCount, IReadOnlyList<string> constants, string g, bool isFloat)
    {
        // The constants' product and k, exact and rounded once in the product's precision (ExactProduct: multiplying
        // them in order can lose bits to a subnormal on the way).
        var factors = new List<double> { readCount };
        foreach (var constant in constants)
        {
            if (Number(constant) is not { } c)
            {
                return null;
            }

            factors.Add(isFloat ? (float)c : c);
        }

        if (ExactProduct.Of(factors, isFloat ? 24 : 53) is not { } coefficient)
        {
            return null;
        }

        var floatCoefficient = (float)coefficient;

        // A coefficient of ±1 (0.5·v·v) is left out: multiplying by one is exact, and the text reads as the hand's.
        var unit = isFloat ? System.Math.Abs(floatCoefficient) == 1f : System.Math.Abs(coefficient) == 1.0;
        var negative = isFloat ? floatCoefficient < 0f : coefficient < 0.0;
        var text = unit ? (negative ? "-" : string.Empty) + value : (isFloat ? IndentedWriter.Literal(floatCoefficient) : IndentedWriter.Literal(coefficient)) + " * " + value;
        for (var i = 2; i < readCount; i++)
        {
            text += " * " + value;
        }

        return text + " * " + g;
    }

    /// <summary>The value of a numeric literal's text (<c>100.0</c>, <c>2f</c>, <c>-0.5</c>, <c>1E-300</c>), or null.</summary>
    private static double? Number(string text)
    {
        var trimmed = text.Trim('(', ')').TrimEnd('f', 'F', 'd', 'D');
        return trimmed.Length > 0 && (char.IsDigit(trimmed[0]) || trimmed[0] is '-' or '.')
            && double.TryParse(trimmed, NumberStyles.Float, CultureInfo.InvariantCulture, out var number) ? number : null;
    }
}

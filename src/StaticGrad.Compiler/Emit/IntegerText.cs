using System.Globalization;

namespace StaticGrad.Compiler.Emit;

/// <summary>
/// Integer arithmetic the compiler itself writes into generated code (a loop index's exit value, a slot buffer's
/// extent). Spelled without <c>Math.Max</c>: a generic-math method's generated text is retyped afterwards
/// (<see cref="GenericRetyping"/>), which reads every <c>global::System.Math.X</c> as the float function <c>T.X</c> and
/// would make <c>Math.Max(0, d)</c> on ints <c>T.Max(0, d)</c> (CS1503).
/// </summary>
internal static class IntegerText
{
    /// <summary>The larger of two pure int expressions (each is read twice).</summary>
    public static string Max(string left, string right)
    {
        if (left == right)
        {
            return left;
        }

        if (long.TryParse(left, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var l0) && long.TryParse(right, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var r0))
        {
            return l0 >= r0 ? left : right;
        }

        var (l, r) = (Operand(left), Operand(right));
        return "(" + l + " > " + r + " ? " + l + " : " + r + ")";
    }

    // The expression printer spaces every binary and conditional operator, so text without a space is a primary or
    // unary expression (a name, a literal, a.Length, a.GetLength(1), -k) and reads as one operand; the rest is parenthesised.
    private static string Operand(string text) => text.IndexOf(' ') < 0 ? text : "(" + text + ")";
}

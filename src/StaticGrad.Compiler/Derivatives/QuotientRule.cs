namespace StaticGrad.Compiler.Derivatives;

/// <summary>
/// The quotient rule for <c>u / v</c>, written to divide once where the forward sweep's quotient <c>q = u / v</c> is at
/// hand (a statement's target, see <c>ReverseValueCache</c>): ∂u = g / v and ∂v = −(g / v)·q, as hand-written
/// gradients do, instead of g / v and −g·u / (v·v) (two divisions and a square). Operands are C# text, parenthesised
/// where needed; adjoints are simple names.
/// </summary>
/// <remarks>
/// Range: −(g / v)·q overflows only where the true partial g·u / v² does or where q itself did in the forward sweep
/// (the primal is infinite there); −g·u / (v·v) also overflowed where v·v underflows (|v| below 1e-154, 1e-19 in
/// float) and returned 0 or NaN where v·v overflows. Without q the denominator's partial is −(g / v)·u / v, ordered so
/// that no intermediate exceeds both the result and g·u.
/// </remarks>
public static class QuotientRule
{
    /// <summary><c>g·∂(u/v)/∂u</c>.</summary>
    public static string Numerator(string g, string v) => g + " / " + v;

    /// <summary>
    /// <c>g·∂(u/v)/∂v</c> given the numerator's partial <paramref name="numeratorPartial"/> = g / v bound to a name, and
    /// the quotient's value <paramref name="quotient"/> when the reverse sweep has it at no cost.
    /// </summary>
    public static string Denominator(string numeratorPartial, string u, string v, string? quotient) =>
        quotient is null ? "-" + numeratorPartial + " * " + u + " / " + v : "-" + numeratorPartial + " * " + quotient;

    /// <summary>
    /// <c>g·∂(u/v)/∂v</c> when only v is active: −g·q / v with the quotient, one division; without it the square
    /// −g·u / (v·v) keeps the one division (a second division costs more than the square's range).
    /// </summary>
    public static string DenominatorOnly(string g, string u, string v, string? quotient) =>
        quotient is null ? "-" + g + " * " + u + " / (" + v + " * " + v + ")" : "-" + g + " * " + quotient + " / " + v;
}

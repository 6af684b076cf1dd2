using StaticGrad.Compiler.IR;

namespace StaticGrad.Compiler.Derivatives;

/// <summary>
/// The rule for the logarithm of a quotient, <c>log(a / b)</c>: ∂a = g / a and ∂b = −g / b, one division each, instead
/// of the chain through the quotient (g / (a / b), then the quotient rule: three divisions, Black–Scholes'
/// <c>log(spot / strike)</c>). Reverse mode and forward mode (hence the Hessian, the reverse of the tangent) read it
/// from here. Operands are C# text, parenthesised where needed; the adjoint is a simple name.
/// </summary>
/// <remarks>
/// Range: the partials need neither the quotient nor its logarithm, so they stay finite where <c>a / b</c> overflows or
/// underflows (a = 1e300, b = 1e-10: the chain gave 0 and NaN for the true 1e-300 and −1e10) and where <c>a</c> is 0
/// (the chain's −(g / q)·q with q = 0 gave NaN for b's partial −g / b). Where 1/a or 1/b overflows (a subnormal or
/// zero) the partial is ±∞, as the true derivative is out of range. For a and b of opposite signs (a NaN primal) the
/// partials are those of log|a / b|, as the chain's were.
/// </remarks>
public static class LogQuotientRule
{
    /// <summary>The quotient of <c>Math.Log(a / b)</c> (or MathF's) with floating operands, else null.</summary>
    public static BinaryExpr? QuotientOf(BuiltinCallExpr call) =>
        call.Function == "Log" && call.Args.Count == 1 && call.Args[0] is BinaryExpr { Op: BinaryOp.Divide } quotient
        && quotient.Type.IsFloating && quotient.Left.Type.IsFloating && quotient.Right.Type.IsFloating
            ? quotient
            : null;

    /// <summary><c>g·∂log(a/b)/∂a</c>.</summary>
    public static string Numerator(string g, string a) => g + " / " + a;

    /// <summary><c>g·∂log(a/b)/∂b</c>.</summary>
    public static string Denominator(string g, string b) => "-" + g + " / " + b;
}

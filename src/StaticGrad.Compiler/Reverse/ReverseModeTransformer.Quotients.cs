using StaticGrad.Compiler.Derivatives;
using StaticGrad.Compiler.Emit;
using StaticGrad.Compiler.IR;

namespace StaticGrad.Compiler.Reverse;

/// <summary>
/// The reverse of <c>u / v</c> by <see cref="QuotientRule"/>: the numerator's partial g / v is bound once and the
/// denominator's is written from it and from the forward's quotient when the statement's target still holds it
/// (<see cref="ReverseValueCache.QuotientOf"/>), so the reverse divides once per quotient.
/// </summary>
public sealed partial class ReverseModeTransformer
{
    private void PropagateQuotient(BinaryExpr b, string g, IndentedWriter w)
    {
        var u = ExpressionPrinter.Operand(b.Left);
        var v = ExpressionPrinter.Operand(b.Right);
        var quotient = Values.QuotientOf(b);
        if (!_activity.IsActive(b.Right))
        {
            Propagate(b.Left, QuotientRule.Numerator(g, v), w);
            return;
        }

        if (!_activity.IsActive(b.Left))
        {
            Propagate(b.Right, QuotientRule.DenominatorOnly(g, u, v, quotient), w);
            return;
        }

        var numerator = Bound(QuotientRule.Numerator(g, v), b.Type, w);
        Propagate(b.Left, numerator, w);
        Propagate(b.Right, QuotientRule.Denominator(numerator, u, v, quotient), w);
    }
}

using System.Collections.Generic;
using System.Linq;
using StaticGrad.Compiler.Derivatives;
using StaticGrad.Compiler.Emit;
using StaticGrad.Compiler.IR;

namespace StaticGrad.Compiler.Reverse;

/// <summary>
/// Products of one value with itself and constants (<c>100.0 * v * v</c>) differentiated as one term by
/// <see cref="PowerProductRule"/>. Two reads are the same value when they print the same, except through Detach
/// (printed as its operand) or a call of a method that may not be pure; a body's expressions have no side effects
/// (assignments are statements), so two reads of one local or element in one expression see one value.
/// </summary>
public sealed partial class ReverseModeTransformer
{
    /// <summary>
    /// The read of the repeated value and its partial when every factor of the product <paramref name="b"/> (its
    /// nested <c>*</c> of the same type) is either the same value or a numeric constant, with at least two reads; else null.
    /// </summary>
    private static (Expr Value, string Partial)? PowerProduct(BinaryExpr b, string g)
    {
        if (!b.Type.IsFloating)
        {
            return null;
        }

        var factors = new List<Expr>();
        Factors(b, b.Type, factors);
        var constants = factors.OfType<ConstExpr>().Select(c => c.Text).ToList();
        var reads = factors.Where(f => f is not ConstExpr).ToList();
        var isFloat = b.Type.Scalar == ScalarKind.Float;
        if (SameValue(reads) && PowerProductRule.Partial(ExpressionPrinter.Operand(reads[0]), reads.Count, constants, g, isFloat) is { } partial)
        {
            return (reads[0], partial);
        }

        // (a·b)·(a·b): the square of a product whose factors differ.
        var halves = new List<Expr> { b.Left, b.Right };
        return SameValue(halves) ? (b.Left, PowerProductRule.Partial(ExpressionPrinter.Operand(b.Left), 2, new string[0], g, isFloat)!) : null;
    }

    /// <summary>Whether there are at least two reads and all are one value.</summary>
    private static bool SameValue(List<Expr> reads)
    {
        if (reads.Count < 2 || reads.Any(r => IrWalker.Descendants(r).Any(e => e is MethodCallExpr or DetachExpr)))
        {
            return false;
        }

        var value = ExpressionPrinter.Operand(reads[0]);
        return reads.All(r => ExpressionPrinter.Operand(r) == value);
    }

    /// <summary>The factors of nested products of one type, left to right.</summary>
    private static void Factors(Expr expression, IrType type, List<Expr> factors)
    {
        if (expression is BinaryExpr { Op: BinaryOp.Multiply } product && product.Type == type)
        {
            Factors(product.Left, type, factors);
            Factors(product.Right, type, factors);
        }
        else
        {
            factors.Add(expression);
        }
    }
}

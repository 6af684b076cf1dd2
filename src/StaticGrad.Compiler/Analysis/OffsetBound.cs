using System.Globalization;
using StaticGrad.Compiler.IR;
using StaticGrad.Compiler.Model;

namespace StaticGrad.Compiler.Analysis;

/// <summary>
/// A loop condition on an index <c>v</c>: <c>v &lt; bound</c> (offset 0) or <c>v + c &lt; bound</c> with a literal
/// <c>c ≥ 0</c> (the spring chain's <c>i + 1 &lt; n</c>). While it holds, <c>v + c &lt; bound ≤ MaxValue</c>, so the
/// increment <c>v + 1</c> and the next test's <c>v + 1 + c</c> do not wrap: the index only grows, and the loop ran
/// <c>v − start</c> times, provided the first test's <c>start + c</c> does not wrap either (<see cref="StartFits"/>).
/// </summary>
public static class OffsetBound
{
    /// <summary>The bound and offset of a conjunct <c>index (+ c) &lt; bound</c>; null for any other shape.</summary>
    public static (Expr Bound, long Offset)? Of(Expr condition, string index)
    {
        if (condition is not BinaryExpr { Op: BinaryOp.Less } less)
        {
            return null;
        }

        if (less.Left is VarExpr v && v.Name == index)
        {
            return (less.Right, 0L);
        }

        return less.Left is BinaryExpr { Op: BinaryOp.Add, Left: VarExpr shifted, Right: ConstExpr c } && shifted.Name == index && Literal(c) is >= 0 and long offset
            ? (less.Right, offset)
            : null;
    }

    /// <summary>Whether <c>start + offset</c> cannot wrap: no offset, or a literal start that leaves room for it.</summary>
    public static bool StartFits(Expr start, long offset, ScalarKind kind) =>
        offset == 0 || (Literal(start) is { } value && value <= (kind == ScalarKind.Int ? int.MaxValue : long.MaxValue) - offset);

    /// <summary>The value of an integer literal (<c>1</c>, <c>1L</c>, <c>-3</c>), or null.</summary>
    public static long? Literal(Expr e) => e switch
    {
        ConstExpr c when long.TryParse(c.Text.TrimEnd('L', 'l'), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var value) => value,
        UnaryExpr { Op: UnaryOp.Negate, Operand: ConstExpr c } when Literal(c) is { } value => -value,
        _ => null,
    };
}

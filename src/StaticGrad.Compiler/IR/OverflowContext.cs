using System.Linq;
using StaticGrad.Compiler.Model;

namespace StaticGrad.Compiler.IR;

/// <summary>
/// The overflow-checking context an integer operation of the user's code was written in, relative to the project's
/// (<c>CheckForOverflowUnderflow</c>, which the generated code compiles under too): the printer writes
/// <c>checked(…)</c> or <c>unchecked(…)</c> around the operation only where its context is not the project's, so that
/// an <c>OverflowException</c> the user's <c>checked</c> block throws is thrown by every generated copy of it, and an
/// <c>unchecked</c> hash that wraps on purpose still wraps in a checked project.
/// </summary>
public enum OverflowContext
{
    /// <summary>The project's context (every operation the generator adds itself, and the user's outside checked/unchecked).</summary>
    Project,

    /// <summary>Written in a <c>checked</c> context in a project without overflow checking.</summary>
    Checked,

    /// <summary>Written in an <c>unchecked</c> context in a project with overflow checking.</summary>
    Unchecked,
}

/// <summary>Which IR operations the overflow context changes, and whether a part of the IR has one in a checked context.</summary>
public static class OverflowChecks
{
    /// <summary>
    /// Whether the context changes what the operation does: integer <c>+ − ·</c> and negation, and conversions to an
    /// integer from a floating value or from <c>long</c> to <c>int</c>. Floating operations, comparisons, bitwise
    /// operations, shifts and widening conversions never throw <c>OverflowException</c>, so they are left alone.
    /// </summary>
    public static bool CanOverflow(Expr expression) => expression switch
    {
        BinaryExpr { Op: BinaryOp.Add or BinaryOp.Subtract or BinaryOp.Multiply } b => IsInteger(b.Type),
        UnaryExpr { Op: UnaryOp.Negate } u => IsInteger(u.Type),
        CastExpr c => IsInteger(c.Type) && !c.Operand.Type.IsCollection
            && (c.Operand.Type.IsFloating || (c.Type.Scalar == ScalarKind.Int && c.Operand.Type.Scalar == ScalarKind.Long)),
        _ => false,
    };

    /// <summary>The context an operation was written in (<see cref="OverflowContext.Project"/> for any other expression).</summary>
    public static OverflowContext Of(Expr expression) => expression switch
    {
        BinaryExpr b => b.Overflow,
        UnaryExpr u => u.Overflow,
        CastExpr c => c.Overflow,
        _ => OverflowContext.Project,
    };

    /// <summary>The operation in <paramref name="context"/>, or the expression as it is where the context changes nothing.</summary>
    public static Expr In(Expr expression, OverflowContext context) => !CanOverflow(expression) ? expression : expression switch
    {
        BinaryExpr b => b with { Overflow = context },
        UnaryExpr u => u with { Overflow = context },
        CastExpr c => c with { Overflow = context },
        _ => expression,
    };

    /// <summary>Whether an expression evaluates an operation written in a <c>checked</c> context the project does not have.</summary>
    public static bool AnyChecked(Expr expression) => IrWalker.Descendants(expression).Any(e => Of(e) == OverflowContext.Checked && CanOverflow(e));

    /// <summary>Whether a statement (nested ones included) evaluates an operation written in a <c>checked</c> context.</summary>
    public static bool AnyChecked(Stmt statement) =>
        IrWalker.Statements(new[] { statement }.ToEquatableArray()).SelectMany(IrWalker.Expressions).Any(AnyChecked);

    private static bool IsInteger(IrType type) => !type.IsCollection && type.Scalar is ScalarKind.Int or ScalarKind.Long;
}

using System.Linq;
using StaticGrad.Compiler.Emit;
using StaticGrad.Compiler.IR;
using StaticGrad.Compiler.Model;

namespace StaticGrad.Compiler.Reverse;

/// <summary>
/// The reverse of a definition that is dead on some path and live on another (<see cref="AssignStmt.DeadOnSomePath"/>,
/// found by <c>Analysis.DerivativeLiveness</c>: a value only the path a jump skipped reads, or one only the next trip
/// of its loop reads). On the path where it is dead its adjoint is exactly zero, and adding zero times its partials
/// is NaN where a partial is infinite (the value, or one it was computed from, overflowed: batch 20262460's P51, a
/// local grown to ∞ before <c>if (…) return …</c>; batch 20262617's P138, a local that overflows on the last trip of
/// its loop). PyTorch gives the finite gradient: such values are not in its graph. So the propagation runs only when
/// the adjoint is not zero; the rest of the statement's reverse (restoring what it overwrote, clearing its adjoint)
/// runs as always. Where the value is live, a zero adjoint contributes zero times finite partials, which skipping
/// leaves the same.
/// </summary>
public sealed partial class ReverseModeTransformer
{
    /// <summary>Propagates <paramref name="g"/> through <paramref name="value"/>, inside <c>if (g != 0)</c> when <paramref name="statement"/> is dead on some path.</summary>
    private void PropagateUnlessZero(Stmt statement, Expr value, string g, IrType type, IndentedWriter w)
    {
        UnlessZero(statement, g, type, w, () => PropagateStatement(value, g, w));
    }

    /// <summary>
    /// Writes <paramref name="write"/>'s lines, inside <c>if (g != 0)</c> when <paramref name="statement"/> is dead on
    /// some path (the width-k Jacobian sweep tests each field's adjoint on its own).
    /// </summary>
    private void UnlessZero(Stmt statement, string g, IrType type, IndentedWriter w, System.Action write)
    {
        if (statement is not (AssignStmt { DeadOnSomePath: true } or StoreStmt { DeadOnSomePath: true }) || SharesItsReverse(statement))
        {
            write();
            return;
        }

        w.WriteLine("if (" + g.TrimStart('-') + " != " + Zero(type) + ")");
        w.OpenBrace();
        write();
        w.CloseBrace();
    }

    /// <summary>
    /// Whether a statement's reverse is joined to another's: one backward for several fields of a struct result (the
    /// head's call carries the other statements' adjoints, bound in locals by their reverses), or a shared result.
    /// Such a statement is never tested: the joined call must see every field's adjoint.
    /// </summary>
    private bool SharesItsReverse(Stmt statement) =>
        _wholeSeedHeads.ContainsKey(statement) || _sharedResultDeclarations.ContainsKey(statement) || _sharedResultReads.ContainsKey(statement)
        || IrWalker.Expressions(statement).SelectMany(IrWalker.Descendants).OfType<MethodCallExpr>().Any(_deferredLeafCalls.ContainsKey);
}

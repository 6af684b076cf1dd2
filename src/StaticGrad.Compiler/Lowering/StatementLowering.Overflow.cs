using StaticGrad.Compiler.IR;

namespace StaticGrad.Compiler.Lowering;

internal sealed partial class StatementLowering
{
    /// <summary>
    /// The lowered operation in the overflow context Roslyn bound it in (<paramref name="isChecked"/>: the operation's
    /// <c>IsChecked</c>, which already folds in <c>CheckForOverflowUnderflow</c>), marked only where it differs from the
    /// project's: a <c>checked</c> block's <c>int.MaxValue + k</c> must throw <c>OverflowException</c> in every generated
    /// copy too, and an <c>unchecked</c> hash in a checked project must still wrap. Floating operations are returned as
    /// they are (<see cref="OverflowChecks.CanOverflow"/>).
    /// </summary>
    private Expr InContext(Expr lowered, bool isChecked) =>
        OverflowChecks.In(lowered, isChecked == _context.SemanticModel.Compilation.Options.CheckOverflow
            ? OverflowContext.Project
            : isChecked ? OverflowContext.Checked : OverflowContext.Unchecked);
}

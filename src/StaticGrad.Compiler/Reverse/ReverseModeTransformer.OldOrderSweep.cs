using StaticGrad.Compiler.Emit;

namespace StaticGrad.Compiler.Reverse;

/// <summary>
/// The old order of an interchangeable nest (<see cref="InterchangeOf"/>) in a static local function of its own (session
/// 22), from <see cref="OldOrderFunctionMinRows"/> rows: in the run-time test's else branch (fewer than
/// <see cref="InterchangeMinRows"/> rows), and as the whole reverse of a nest whose constant row count is below that guard.
/// Session 21 counted GMM d10_K25's reversed triangle in that branch, inline in <c>ObjectiveBackward</c>: 41–43
/// instructions, 5 bounds checks and 7–8 stack operands per entry (the hand's 27 and 2), because the method has more
/// locals than the JIT tracks; the interchanged sweep gained from the same move (gmm21b: 27 → 11 instructions per entry).
/// <para>
/// The text is the old order's, unchanged, moved by <see cref="TryWriteSweepFunction(string, string, string, string, IndentedWriter)"/>:
/// the function takes every method-level variable it mentions by value (arrays, spans and iteration slot buffers by
/// reference) and returns every scalar it assigns, the row index included, so the method sees what the inline loops
/// left; the statements, their order and so the exceptions they throw are the user's loop's reverse as before (the
/// row-count test reads integers only). Where the text mentions anything else (the tape, a field, a struct) it stays
/// inline. Below <see cref="OldOrderFunctionMinRows"/> rows the inline text runs, as before.
/// </para>
/// </summary>
public sealed partial class ReverseModeTransformer
{
    /// <summary>
    /// Rows from which the old order runs in its function. Session 22 counted instructions per call (cachegrind, full
    /// JIT, generated GMM instances, docs/benchmarks.md "Session 22"): the call (about 20 arguments, a tuple back) costs
    /// more than it saves on rows of 0 and 1 entries (d = 2), and saves from short rows up (d10_K25: −28 %).
    /// </summary>
    private const int OldOrderFunctionMinRows = 4;

    /// <summary>Writes <paramref name="original"/>'s reverse (the old order) as a call of a local function behind the row-count test, else inline.</summary>
    private void ReverseOldOrder(InterchangePlan plan, System.Action<IndentedWriter> original, IndentedWriter w)
    {
        // Written two levels deeper than w: the function's body is one level deeper than its call, which sits in a block.
        var text = new IndentedWriter();
        text.Indent(w.Level + 2);
        original(text);
        var oldOrder = text.ToString();
        if (plan.ConstantRows is null or >= OldOrderFunctionMinRows && TryReverseOldOrderWithColumnTerms(plan, original, oldOrder, w))
        {
            return;
        }

        var call = new IndentedWriter();
        call.Indent(w.Level + 1);
        if (plan.ConstantRows < OldOrderFunctionMinRows
            || !TryWriteSweepFunction(oldOrder, string.Empty, "_Rows", "// The old order in a function of its own, whose locals the JIT keeps in registers (this method has more than it tracks).", call))
        {
            w.AppendText(Shifted(oldOrder, -2));
            return;
        }

        if (plan.ConstantRows is not null)
        {
            w.AppendOutdented(call.ToString());
            return;
        }

        w.WriteLine("// At least " + OldOrderFunctionMinRows + " rows: the old order in a function of its own; fewer run inline (the call costs more than it saves).");
        w.WriteLine("if (" + RowCountText(plan) + " >= " + OldOrderFunctionMinRows + ")");
        w.OpenBrace();
        w.AppendText(call.ToString());
        w.CloseBrace();
        w.WriteLine("else");
        w.OpenBrace();
        w.AppendOutdented(oldOrder);
        w.CloseBrace();
    }
}

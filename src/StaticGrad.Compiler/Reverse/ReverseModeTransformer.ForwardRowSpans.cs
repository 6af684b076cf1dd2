using System.Collections.Generic;
using System.Linq;
using StaticGrad.Compiler.Emit;
using StaticGrad.Compiler.IR;
using StaticGrad.Compiler.Model;

namespace StaticGrad.Compiler.Reverse;

/// <summary>
/// Row spans in the forward sweep (the MLP's <c>for (i = 0; i &lt; n; i++) z += w[j·n + i]·x[b·n + i]</c>, session 20).
/// The JIT cannot prove <c>a[off + i]</c> in range and checks it in every iteration; over a span walked by
/// <c>i &lt; span.Length</c> it checks nothing. Unlike the reverse (<see cref="RowsOf"/>), the forward runs before
/// anything proved the rows in range, and it must keep the user's exceptions: the indexed loop throws
/// <c>IndexOutOfRangeException</c> midway, after some iterations' side effects, where a span constructor throws
/// <c>ArgumentOutOfRangeException</c> before the loop, and a loop that runs no iteration throws nothing whatever its
/// offsets. So the loop is versioned: <c>if (0 &lt; n &amp;&amp; 0 &lt;= off &amp;&amp; n &lt;= a.Length − off …)</c> the span copy, where
/// no element of any row can be out of range (and no array is null), else the indexed loop as the user wrote it.
/// Taken for a loop that is:
/// <list type="bullet">
/// <item>counted and innermost: <c>i = 0; while (i &lt; n) { body; i = i + 1; }</c>, <c>n</c> an integer variable or
/// constant, nothing in the body writing <c>i</c> or <c>n</c>, no nested loop, call statement, array creation or
/// jump;</item>
/// <item>with at least one row: an element <c>a[off + i]</c> or <c>a[i]</c> of a <c>double</c> or <c>float</c> array
/// the body does not reassign, <c>off</c> integer <c>+ − ·</c> on variables the body does not write (the offset
/// analysis is the reverse's, <see cref="RowOffset"/>). Read or written (a written row is a <c>Span</c>), read under a
/// condition or not: the guard covers every element of every row, so where it holds no row access throws, and
/// everything else in the body (other elements, divisions) runs as indexed code in both copies, throwing at the
/// same point.</item>
/// </list>
/// With overflow checking on (<see cref="MethodIR.CheckedArithmetic"/>, or an offset written in a <c>checked</c> block),
/// only offsets that are a name or a literal:
/// the guard evaluates every offset before the first iteration, and an arithmetic one could throw
/// <c>OverflowException</c> where the user's loop does not. (<c>off + i</c> itself cannot overflow in the span copy: the
/// guard's <c>n &lt;= a.Length − off</c> with <c>0 &lt;= off</c> bounds <c>off + n</c> by <c>a.Length</c>.)
/// A bound that an enclosing loop writes (a triangle's <c>col &lt; j</c>, jagged rows) gives rows of every length from 0
/// up, on average short: there the guard also asks for at least <see cref="ForwardRowMinLength"/> iterations, and
/// shorter rows run the indexed loop (session 21: on GMM d2_K5, rows of 0 and 1 elements, the guard and the two span
/// constructions cost more than the bounds checks they remove — 0.91–0.96 of the time without them in hand-edited
/// runs, 0.94 and 1.00 with this rule; neutral on d10_K25 and d64_K10). A bound the
/// enclosing loops do not write keeps the plain guard: its rows have one length, usually the long one of a layer.
/// The body is emitted once and printed twice, the span copy with each row's element replaced, so both copies save
/// the same values on the tape. Both read and write the same memory as the indexed loop in the same order (aliased rows
/// included), so the forward computes bit-identical values.
/// </summary>
public sealed partial class ReverseModeTransformer
{
    /// <summary>A row of the forward: the array, the printed element index and offset, its element keyword, whether the body writes it, and whether the array may be null.</summary>
    private sealed record ForwardRow(string Array, string Index, string Offset, string Element, bool Written, bool MayBeNull);

    /// <summary><paramref name="LoopDependent"/>: an enclosing loop writes the bound, so the guard asks for <see cref="ForwardRowMinLength"/> iterations.</summary>
    private sealed record ForwardRowPlan(string Index, string Bound, IReadOnlyList<ForwardRow> Rows, bool LoopDependent);

    /// <summary>
    /// The fewest iterations for which a row whose bound an enclosing loop writes runs over spans: the guard and the span
    /// constructions cost about as much as the bounds checks of a few iterations (two per row element removed, against
    /// four comparisons and two span checks per row), so rows shorter than this run indexed.
    /// </summary>
    private const int ForwardRowMinLength = 8;

    /// <summary>The rows of a counted innermost loop preceded by <paramref name="previous"/> (see the type's summary); null when it has none.</summary>
    private ForwardRowPlan? ForwardRowsOf(LoopStmt loop, Stmt? previous)
    {
        if (previous is not AssignStmt { Type.Scalar: ScalarKind.Int, Value: ConstExpr { Text: "0" } } start
            || loop is not { TestFirst: true, Condition: BinaryExpr { Op: BinaryOp.Less, Left: VarExpr left, Right: var bound and (VarExpr or ConstExpr) }, Step.Count: 1 }
            || loop.Step[0] is not AssignStmt { Value: BinaryExpr { Op: BinaryOp.Add, Left: VarExpr stepped, Right: ConstExpr { Text: "1" } } } step
            || left.Name != start.Target || step.Target != start.Target || stepped.Name != start.Target || bound.Type.Scalar != ScalarKind.Int)
        {
            return null;
        }

        var statements = IrWalker.Statements(loop.Body).ToList();
        var written = new HashSet<string>(statements.OfType<AssignStmt>().Select(a => a.Target).Concat(statements.OfType<NewArrayStmt>().Select(n => n.Target))) { start.Target };
        if (statements.Any(s => s is LoopStmt or EffectStmt or NewArrayStmt or ReturnStmt or BreakStmt or ContinueStmt)
            || (bound is VarExpr { Name: var b } && written.Contains(b)))
        {
            return null;
        }

        var elements = statements.SelectMany(IrWalker.Expressions).SelectMany(IrWalker.Descendants).OfType<ElementExpr>().Select(e => (e.Array, e.Index, Written: false))
            .Concat(statements.OfType<StoreStmt>().Select(s => (s.Array, s.Index, Written: true)));
        var rows = new List<ForwardRow>();
        foreach (var (array, elementIndex, isWrite) in elements)
        {
            if (written.Contains(array) || !IsFloatingArray(array) || RowOffset(elementIndex, start.Target, written) is not { } offset)
            {
                continue;
            }

            // With overflow checking on, the guard's `0 <= j * m` would throw OverflowException before the loop where
            // the user's loop throws only on reaching the element (or never, under a condition that does not hold):
            // only an offset that is a name or a literal, whose evaluation cannot throw, is guarded there.
            if ((_method.CheckedArithmetic || OverflowChecks.AnyChecked(offset)) && !IsSimple(ExpressionPrinter.Print(offset)))
            {
                continue;
            }

            var printed = ExpressionPrinter.Print(elementIndex);
            var same = rows.FindIndex(r => r.Array == array && r.Index == printed);
            if (same < 0)
            {
                var created = !_method.Parameters.Any(p => p.Name == array) && IsOneArray(array);
                rows.Add(new ForwardRow(array, printed, ExpressionPrinter.Print(offset), _types[array].ScalarKeyword, isWrite, !created));
            }
            else if (isWrite)
            {
                rows[same] = rows[same] with { Written = true };
            }
        }

        if (rows.Count == 0)
        {
            return null;
        }

        // A bound written by an enclosing loop varies from row to row (a triangle's rows start at length 0).
        var loopDependent = bound is VarExpr { Name: var boundName } && WrittenByEnclosingLoop(loop, boundName);
        return new ForwardRowPlan(start.Target, ExpressionPrinter.Print(bound), rows, loopDependent);
    }

    /// <summary>Whether a loop of the method that contains <paramref name="loop"/> assigns <paramref name="variable"/>.</summary>
    private bool WrittenByEnclosingLoop(LoopStmt loop, string variable)
    {
        foreach (var outer in IrWalker.Statements(_method.Body).OfType<LoopStmt>())
        {
            if (ReferenceEquals(outer, loop))
            {
                continue;
            }

            var inside = IrWalker.Statements(outer.Body.Concat(outer.Step).ToEquatableArray()).ToList();
            if (inside.Any(s => ReferenceEquals(s, loop)) && inside.Any(s => s is AssignStmt a && a.Target == variable))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>The forward of a loop with rows: the span copy behind the guard, the indexed loop otherwise.</summary>
    private void ForwardOverRows(LoopStmt loop, ForwardRowPlan plan, IndentedWriter w)
    {
        var body = new IndentedWriter();
        body.Indent(w.Level + 2);
        Forward(loop.Body, body);
        Forward(loop.Step, body);
        var indexed = body.ToString();
        var (text, used) = OverRows(indexed, plan.Rows, r => (r.Array, r.Index), plan.Index);

        if (used.Count == 0)
        {
            // The forward printed no row as its element (a value computed once, say): the loop as before.
            w.WriteLine("while (" + plan.Index + " < " + plan.Bound + ")");
            w.OpenBrace();
            w.AppendOutdented(indexed);
            w.CloseBrace();
            return;
        }

        w.WriteLine("// Over row spans where every row is in range (and no loop at all where none runs); otherwise indexed, so an index out of range throws where the user's loop throws.");
        w.WriteLine(plan.Index + " = 0;");
        // The index is 0 here, so at least ForwardRowMinLength iterations implies at least one.
        var first = plan.LoopDependent ? ForwardRowMinLength + " <= " + plan.Bound : plan.Index + " < " + plan.Bound;
        w.WriteLine("if (" + first + " && " + string.Join(" && ", RowGuards(plan.Bound, used.Select(u => u.Row))) + ")");
        w.OpenBrace();
        foreach (var (row, span) in used)
        {
            var length = ReferenceEquals(row, used[0].Row) ? plan.Bound : used[0].Span + ".Length";
            w.WriteLine("var " + span + " = new global::System." + (row.Written ? "Span<" : "ReadOnlySpan<") + row.Element + ">(" + row.Array + ", " + row.Offset + ", " + length + ");");
        }

        WriteForwardLoop(plan.Index, used[0].Span + ".Length", text, w);
        w.CloseBrace();
        w.WriteLine("else");
        w.OpenBrace();
        WriteForwardLoop(plan.Index, plan.Bound, indexed, w);
        w.CloseBrace();
    }

    /// <summary>
    /// The guard's tests: each row's offset and end in range. An array that may be null is measured through a span over
    /// it (a null array gives an empty span, so the guard fails and the indexed loop throws where the user's would): a
    /// null test in the guard would make the compiler's flow analysis see the array as maybe null in the indexed copy.
    /// </summary>
    private static IEnumerable<string> RowGuards(string bound, IEnumerable<ForwardRow> rows)
    {
        foreach (var row in rows.GroupBy(r => (r.Array, r.Offset)).Select(g => g.First()))
        {
            if (!row.Offset.All(char.IsDigit))
            {
                yield return "0 <= " + row.Offset;
            }

            var length = row.MayBeNull ? "new global::System.ReadOnlySpan<" + row.Element + ">(" + row.Array + ").Length" : row.Array + ".Length";
            yield return bound + " <= " + length + (row.Offset == "0" ? string.Empty : " - " + (IsSimple(row.Offset) ? row.Offset : "(" + row.Offset + ")"));
        }
    }

    /// <summary>The body printed by <see cref="ForwardOverRows"/> already holds the step.</summary>
    private static void WriteForwardLoop(string index, string bound, string body, IndentedWriter w)
    {
        w.WriteLine("while (" + index + " < " + bound + ")");
        w.OpenBrace();
        w.AppendText(body);
        w.CloseBrace();
    }
}

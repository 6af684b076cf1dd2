using System.Collections.Generic;
using System.Linq;
using System.Text.RegularExpressions;
using StaticGrad.Compiler.Emit;
using StaticGrad.Compiler.Model;
using StaticGrad.Compiler.IR;

namespace StaticGrad.Compiler.Reverse;

/// <summary>
/// Row spans in the reverse of a loop reversed in forward order (the MLP's <c>for (i = 0; i &lt; n; i++) z += w[j·n + i]·x[b·n + i]</c>,
/// session 19). The JIT cannot prove <c>a[off + i]</c> in range and checks it in every iteration; over a span
/// <c>a.AsSpan(off, n)</c> walked by <c>i &lt; span.Length</c> it checks nothing. The reverse may slice a row where
/// the forward sweep already read every element of it:
/// <list type="bullet">
/// <item>the loop is <c>i = 0; while (i &lt; n) { …; i = i + 1; }</c> with nothing else stepped, and its body reads
/// <c>a[off + i]</c> (or <c>a[i]</c>) unconditionally: no <c>?:</c>, <c>&amp;&amp;</c> or <c>||</c> (and no call, see
/// <see cref="ForwardOrder"/>). So a forward run that reached the reverse read <c>a[off + i]</c> for every
/// <c>0 ≤ i &lt; n</c>: when <c>n &gt; 0</c>, <c>off ≥ 0</c> and <c>off + n ≤ a.Length</c>, and the slice cannot throw;
/// when <c>n ≤ 0</c> no row is sliced;</item>
/// <item><c>off</c> and <c>n</c> are integer arithmetic on parameters never assigned and integers the reverse keeps,
/// none written by the loop, so the reverse evaluates them to the forward's values;</item>
/// <item><c>a</c> is the same array in both sweeps: a parameter never assigned or a local created once (not in a
/// loop, not on the stack, never assigned); the adjoint of such a local, rented with at least its length, gets the
/// same row.</item>
/// </list>
/// The forward never indexed the signature's adjoint spans: a row of one is sliced only behind the test
/// <c>n &lt;= dA.Length − off</c>, and where that fails the loop runs indexed, so a short adjoint throws
/// <c>IndexOutOfRangeException</c> at its first element out of range, as the indexed loop did.
/// Nothing changes in the forward sweep: an out-of-range index there throws what the user's loop throws.
/// </summary>
public sealed partial class ReverseModeTransformer
{
    /// <summary>The bound of a loop with rows, and each row: an array (or local adjoint) indexed at <c>off + i</c>.</summary>
    private sealed record RowPlan(string Bound, IReadOnlyList<Row> Rows);

    /// <summary>
    /// The array (or adjoint) name as the reverse prints it, the printed index and offset, the element keyword, and
    /// whether it is an adjoint span of the signature (sliced behind a length test).
    /// </summary>
    private sealed record Row(string Array, string Index, string Offset, string Element, bool Signature);

    /// <summary>The rows the reverse of a forward-order loop may slice (see the type's summary); null when there are none.</summary>
    private RowPlan? RowsOf(LoopStmt loop, AssignStmt start, IReadOnlyList<AssignStmt> body)
    {
        var index = start.Target;
        var written = new HashSet<string>(body.Select(a => a.Target)) { index };
        if (start is not { Type.Scalar: ScalarKind.Int, Value: ConstExpr { Text: "0" } }
            || loop.Condition is not BinaryExpr { Op: BinaryOp.Less, Left: VarExpr left, Right: var bound and (VarExpr or ConstExpr) }
            || left.Name != index || bound.Type.Scalar != ScalarKind.Int || (bound is VarExpr { Name: var b } && written.Contains(b))
            || body.SelectMany(a => IrWalker.Descendants(a.Value)).Any(e => e is ConditionalExpr or BinaryExpr { Op: BinaryOp.ConditionalAnd or BinaryOp.ConditionalOr }))
        {
            return null;
        }

        var rows = new List<Row>();
        foreach (var element in body.SelectMany(a => IrWalker.Descendants(a.Value)).OfType<ElementExpr>())
        {
            var offset = RowOffset(element.Index, index, written);
            if (offset is null || !IrWalker.ReadVariables(offset).All(KeepsForwardValue) || !IsOneArray(element.Array) || !IsFloatingArray(element.Array))
            {
                continue;
            }

            var printed = ExpressionPrinter.Print(element.Index);
            var signature = IsSignatureAdjoint(element.Array);
            var names = !_adjoints.TryGetValue(element.Array, out var adjoint) || (_method.Parameters.Any(p => p.Name == element.Array) && !signature)
                ? new[] { element.Array }
                : new[] { element.Array, adjoint };
            foreach (var name in names.Where(n => !rows.Any(r => r.Array == n && r.Index == printed)))
            {
                rows.Add(new Row(name, printed, ExpressionPrinter.Print(offset), _types[element.Array].ScalarKeyword, signature && name != element.Array));
            }
        }

        return rows.Count == 0 ? null : new RowPlan(ExpressionPrinter.Print(bound), rows);
    }

    /// <summary>
    /// The offset of an element <c>a[off + i]</c> (or <c>a[i]</c>, offset 0) of a loop counted by <paramref name="index"/>:
    /// integer <c>+ − ·</c> on constants and variables the loop does not write (so it cannot throw and is the same in
    /// every iteration); null for any other index. Shared by the reverse's rows and the forward's (ForwardRowSpans).
    /// </summary>
    private static Expr? RowOffset(Expr elementIndex, string index, HashSet<string> written)
    {
        var offset = elementIndex switch
        {
            VarExpr v when v.Name == index => new ConstExpr(IrType.Int, "0"),
            BinaryExpr { Op: BinaryOp.Add, Right: VarExpr v } add when v.Name == index => add.Left,
            _ => null,
        };
        return offset is { Type.Scalar: ScalarKind.Int }
            && IrWalker.Descendants(offset).All(e => e is ConstExpr or VarExpr or BinaryExpr { Op: BinaryOp.Add or BinaryOp.Subtract or BinaryOp.Multiply })
            && IrWalker.ReadVariables(offset).All(v => !written.Contains(v))
            ? offset
            : null;
    }

    /// <summary>An array of <c>double</c> or <c>float</c> (a span over one cannot throw <c>ArrayTypeMismatchException</c>).</summary>
    private bool IsFloatingArray(string array) =>
        _types.TryGetValue(array, out var type) && type is { Shape: ShapeKind.Array, StructName.Length: 0, Scalar: ScalarKind.Double or ScalarKind.Float };

    /// <summary>An array variable that holds the same array wherever it is read: never assigned, created at most once, not on the stack.</summary>
    private bool IsOneArray(string array)
    {
        if (!_types.TryGetValue(array, out var type) || type.Shape != ShapeKind.Array || _assignmentCounts.ContainsKey(array))
        {
            return false;
        }

        var creations = IrWalker.Statements(_method.Body).OfType<NewArrayStmt>().Where(n => n.Target == array).ToList();
        return _method.Parameters.Any(p => p.Name == array)
            ? creations.Count == 0
            : creations.Count == 1 && !creations[0].IsStackAlloc && !_recording.IsRecreated(creations[0]);
    }

    /// <summary>
    /// The reverse of a loop with rows: the body's reverse, in forward order, over the rows it reads, sliced once
    /// when the loop ran at all.
    /// </summary>
    private void ReverseOverRows(LoopStmt loop, AssignStmt start, RowPlan plan, IndentedWriter w)
    {
        var body = new IndentedWriter();
        body.Indent(w.Level + 2);
        var statements = loop.Body.Concat(loop.Step).Cast<AssignStmt>().ToList();
        foreach (var statement in statements.Where(s => s.Target != start.Target))
        {
            Reverse(new Stmt[] { statement }.ToEquatableArray(), body);
        }

        var indexed = body.ToString();
        var (text, used) = OverRows(indexed, plan.Rows, r => (r.Array, r.Index), start.Target);

        w.WriteLine("// Reversed in forward order over row spans: the forward sweep read every element of each row, so the slices are in range.");
        w.WriteLine(start.Target + " = 0;");
        var signature = used.Where(u => u.Row.Signature).Select(u => u.Row).ToList();
        w.WriteLine("if (" + start.Target + " < " + plan.Bound
            + string.Concat(signature.Select(r => " && " + plan.Bound + " <= " + r.Array + ".Length - " + (IsSimple(r.Offset) ? r.Offset : "(" + r.Offset + ")"))) + ")");
        w.OpenBrace();
        foreach (var (row, span) in used)
        {
            var length = ReferenceEquals(row, used[0].Row) ? plan.Bound : used[0].Span + ".Length";
            w.WriteLine("var " + span + " = " + (row.Signature
                ? row.Array + ".Slice(" + row.Offset + ", " + length + ");"
                : "new global::System.Span<" + row.Element + ">(" + row.Array + ", " + row.Offset + ", " + length + ");"));
        }

        WriteUpwards(start.Target, used.Count > 0 ? used[0].Span + ".Length" : plan.Bound, text, w);
        w.CloseBrace();
        if (signature.Count > 0)
        {
            w.WriteLine("else");
            w.OpenBrace();
            w.WriteLine("// An adjoint shorter than its row: indexed, so it throws at its first element out of range.");
            WriteUpwards(start.Target, plan.Bound, indexed, w);
            w.CloseBrace();
        }
    }

    /// <summary>
    /// Printed code with every element <c>a[index]</c> of a row replaced by <c>aRow[i]</c> over a fresh span name, and the
    /// rows it printed (in the order given) with their spans. Shared by the reverse's rows and the forward's.
    /// </summary>
    private (string Text, List<(T Row, string Span)> Used) OverRows<T>(string text, IEnumerable<T> rows, System.Func<T, (string Array, string Index)> element, string counter)
    {
        var used = new List<(T Row, string Span)>();
        foreach (var row in rows)
        {
            var (array, index) = element(row);
            var pattern = new Regex(@"(?<![\w@.])" + Regex.Escape(array) + @"\[" + Regex.Escape(index) + @"\]");
            if (pattern.IsMatch(text))
            {
                var span = Fresh("_" + array.TrimStart('_', '@') + "Row");
                text = pattern.Replace(text, _ => span + "[" + counter + "]");
                used.Add((row, span));
            }
        }

        return (text, used);
    }

    private static void WriteUpwards(string index, string bound, string body, IndentedWriter w)
    {
        w.WriteLine("while (" + index + " < " + bound + ")");
        w.OpenBrace();
        w.AppendText(body);
        w.WriteLine(index + " = " + index + " + 1;");
        w.CloseBrace();
    }

    private static bool IsSimple(string printed) => printed.All(c => char.IsLetterOrDigit(c) || c == '_' || c == '@');
}

using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using StaticGrad.Compiler.Analysis;
using StaticGrad.Compiler.Emit;
using StaticGrad.Compiler.IR;
using StaticGrad.Compiler.Model;

namespace StaticGrad.Compiler.Reverse;

/// <summary>
/// The forward of a triangle nest, rows four, then two, then one at a time (session 23, gmm23b's variant FJ42c, built
/// by gmm23c). GMM's <c>for (j …) { row = diag·(x[j] − μ[j]); lower = …j…; for (col &lt; j) { row += Q[lower]·(x[col] −
/// μ[col]); lower += g(col); } squaredNorm += row·row; }</c> is one dependent chain of adds per row, each entry paying
/// the loop's overhead and its own <c>x − μ</c>. Jammed, rows j … j + 3 share one loop over <c>col &lt; j</c> (four
/// independent chains, the row-invariant <c>x[col] − μ[col]</c> printed once per column), then the block's own small
/// triangle (row j + 1's term at <c>col = j</c>, …), then the rows' saves and their <c>post</c> statements in row order;
/// then pairs, then one row. Measured on hand-edited copies: 0.86 of main's time at GMM 1k d10_K25, 0.71 at d64_K10,
/// neutral at d2_K5, −26 % instructions (docs/benchmarks.md, session 23).
/// <para>Values: every row's accumulator adds its terms in the user's column order (the same statements, renamed), so
/// the forward is bit for bit the user's; the save of the accumulator before row j + r (its slot numbered by the loop
/// indices) is row j + r − 1's final value, written into slot <c>… + j + r</c>; the induction variable of row j + r is
/// row j's plus ±r (its start is <c>E(j)</c> with j one ± term, its step reads only the column and invariants), and the
/// accumulator, the induction variable and the column are left with the user's exit values.</para>
/// <para>Exceptions: the jam reads row j + 1's entries before row j's later ones, so it is taken only where the nest
/// writes nothing but its own locals and the slot (no stores, calls, integer division, conditional evaluation or checked
/// arithmetic): then the only exception it can throw is <c>IndexOutOfRangeException</c>, thrown by both orders or by
/// neither, with nothing user-visible written before it. A null array would turn it into a
/// <c>NullReferenceException</c> that the jammed order may meet before the user's <c>IndexOutOfRangeException</c>: the
/// arrays are tested up front, and where one is null the user's loop runs as before.</para>
/// </summary>
public sealed partial class ReverseModeTransformer
{
    /// <summary>
    /// A triangle nest: the row index and bound, the accumulator's and the induction variable's starts (<paramref name="Pre"/>,
    /// in the user's order), the column, the inner loop's statements, the <c>post</c> statements, the accumulator's
    /// save before each row (<paramref name="AccumulatorSave"/>: a slot, the tape, or null when it is not saved), the
    /// induction variable's slot (null when it is not saved), the arrays to test for null and the induction step's sign.
    /// </summary>
    private sealed record TriangleRowsPlan(
        string Row,
        Expr Bound,
        string Accumulator,
        string? Induction,
        int InductionSign,
        IReadOnlyList<AssignStmt> Pre,
        string Column,
        IReadOnlyList<AssignStmt> Inner,
        IReadOnlyList<AssignStmt> Post,
        (string Buffer, string Index)? AccumulatorSave,
        bool AccumulatorOnTape,
        (string Buffer, string Index)? InductionSave,
        IReadOnlyList<string> Arrays);

    /// <summary>The rows of a block, largest first: four while four remain, then two, then one (FJ42c).</summary>
    private static readonly int[] TriangleBlocks = { 4, 2, 1 };

    /// <summary>The triangle nest of <paramref name="loop"/> preceded by <paramref name="previous"/>; null where any part of the shape or guard fails.</summary>
    private TriangleRowsPlan? TriangleRowsOf(LoopStmt loop, Stmt? previous)
    {
        // Overflow checking, the project's or a checked block's in the nest: the jam runs later rows' integer arithmetic
        // before earlier rows' element reads, so a later row's OverflowException would come first.
        if (_method.CheckedArithmetic || OverflowChecks.AnyChecked(loop)
            || previous is not AssignStmt { Type.Scalar: ScalarKind.Int, Value: ConstExpr { Text: "0" } } start
            || loop is not { TestFirst: true, Condition: BinaryExpr { Op: BinaryOp.Less, Left: VarExpr { Name: var row }, Right: var bound and (VarExpr or ConstExpr) }, Step.Count: 1 }
            || row != start.Target || bound.Type.Scalar != ScalarKind.Int
            || !IsStep(loop.Step[0], row)
            || loop.Body.Count < 3)
        {
            return null;
        }

        var body = loop.Body;
        var innerAt = body.ToList().FindIndex(s => s is LoopStmt);
        if (innerAt < 2 || innerAt > 3
            || body[innerAt] is not LoopStmt { TestFirst: true, Condition: BinaryExpr { Op: BinaryOp.Less, Left: VarExpr { Name: var column }, Right: VarExpr { Name: var columnBound } }, Step.Count: 1 } inner
            || columnBound != row
            || body[innerAt - 1] is not AssignStmt { Type.Scalar: ScalarKind.Int, Value: ConstExpr { Text: "0" } } columnStart
            || columnStart.Target != column
            || !IsStep(inner.Step[0], column)
            || _fusion.IsFused(inner) || _fusion.IsFused(loop)
            || !body.Take(innerAt - 1).Concat(inner.Body).Concat(body.Skip(innerAt + 1)).All(s => s is AssignStmt)
            || inner.Body.Count is < 1 or > 2
            || ControlOf(inner) != Storage.None && !IsCountedByIndex(inner, columnStart))
        {
            return null;
        }

        var pre = body.Take(innerAt - 1).Cast<AssignStmt>().ToList();
        var innerBody = inner.Body.Cast<AssignStmt>().ToList();
        var post = body.Skip(innerAt + 1).Cast<AssignStmt>().ToList();

        // The accumulator: `acc = acc + f` in the inner loop, started in `pre`; the induction variable, if any: `ind = ind + g`.
        var accumulation = innerBody.FirstOrDefault(s => s.Type.IsFloating && s.Value is BinaryExpr { Op: BinaryOp.Add, Left: VarExpr l } && l.Name == s.Target);
        if (accumulation is null)
        {
            return null;
        }

        var accumulator = accumulation.Target;
        var stepping = innerBody.FirstOrDefault(s => !ReferenceEquals(s, accumulation));
        if (stepping is not null && (stepping.Type.Scalar != ScalarKind.Int || stepping.Value is not BinaryExpr { Op: BinaryOp.Add, Left: VarExpr sl } || sl.Name != stepping.Target))
        {
            return null;
        }

        var induction = stepping?.Target;
        var accumulatorStart = pre.FirstOrDefault(p => p.Target == accumulator);
        var inductionStart = induction is null ? null : pre.FirstOrDefault(p => p.Target == induction);
        // The rows' locals are declared with `var`: their starts must have the variables' own types.
        if (accumulatorStart is null || pre.Count != (induction is null ? 1 : 2) || (induction is not null && inductionStart is null)
            || accumulatorStart.Value.Type != accumulatorStart.Type || (inductionStart is not null && inductionStart.Value.Type != IrType.Int))
        {
            return null;
        }

        // Every variable the nest writes; all of them locals, so that no write is seen outside the method.
        var targets = new List<string> { row, column, accumulator };
        if (induction is not null)
        {
            targets.Add(induction);
        }

        targets.AddRange(post.Select(p => p.Target));
        var written = new HashSet<string>(targets);
        if (written.Count != targets.Count || targets.Any(t => _method.Parameters.Any(p => p.Name == t)) || (bound is VarExpr { Name: var b } && written.Contains(b)))
        {
            return null;
        }

        bool Reads(Expr value, params string[] allowed) => IrWalker.ReadVariables(value).All(v => !written.Contains(v) || allowed.Contains(v));
        var f = ((BinaryExpr)accumulation.Value).Right;
        var inductionSign = 0;
        if (!Reads(accumulatorStart.Value, row)
            || !Reads(f, row, column, induction ?? row)
            || (stepping is not null && !Reads(((BinaryExpr)stepping.Value).Right, column))
            || (inductionStart is not null && (!Reads(inductionStart.Value, row) || (inductionSign = RowSign(inductionStart.Value, row)) == 0))
            || post.Any(p => !IrWalker.ReadVariables(p.Value).All(v => !written.Contains(v) || v == row || v == accumulator || post.Any(q => q.Target == v))))
        {
            return null;
        }

        // Nothing the nest evaluates may throw but an index out of range, or write memory. Integer updates the reverse
        // undoes (Storage.Inverse: lower, col, j) save nothing in the forward and start from the user's exit values.
        var statements = pre.Concat(innerBody).Concat(post).Append(columnStart).Append((AssignStmt)loop.Step[0]).Append((AssignStmt)inner.Step[0]).ToList();
        var expressions = statements.Select(s => s.Value).Append(loop.Condition!).Append(inner.Condition!).SelectMany(IrWalker.Descendants).ToList();
        if (!expressions.All(IsPlainArithmetic)
            || statements.Any(s => !ReferenceEquals(s, accumulatorStart) && !ReferenceEquals(s, inductionStart) && SaveOf(s) is not (Storage.None or Storage.Inverse))
            || statements.Any(s => _keptBuiltins.ContainsKey(s)))
        {
            return null;
        }

        // The accumulator's save before each row: a slot numbered by the row index last (GMM's _rowSaved) or the tape,
        // pushed in row order as the user's loop pushes it (nothing else in the nest pushes). The induction variable's:
        // a slot only.
        var accumulatorSave = SlotOf(accumulatorStart, row);
        var onTape = SaveOf(accumulatorStart) == Storage.Tape && !_slots.ContainsKey(accumulatorStart);
        var inductionSave = inductionStart is null ? null : SlotOf(inductionStart, row);
        if ((SaveOf(accumulatorStart) != Storage.None && accumulatorSave is null && !onTape)
            || (inductionStart is not null && SaveOf(inductionStart) != Storage.None && inductionSave is null))
        {
            return null;
        }

        // Without an array to test, the user's loop would never be written, and with it the forward's bookkeeping of the nest.
        var arrays = expressions.OfType<ElementExpr>().Select(e => e.Array).Distinct().Where(a => _types[a].Shape == ShapeKind.Array).ToList();
        if (arrays.Count == 0)
        {
            return null;
        }

        return new TriangleRowsPlan(row, bound, accumulator, induction, inductionSign, pre, column, innerBody, post, accumulatorSave, onTape, inductionSave, arrays);
    }

    /// <summary>The slot a start saves into, when it is one the row index numbers last (so row j + r's is the index + r).</summary>
    private (string Buffer, string Index)? SlotOf(AssignStmt start, string row) =>
        SaveOf(start) == Storage.Tape && _slots.TryGetValue(start, out var found) && (found.Index == row || found.Index.EndsWith(" + " + row, System.StringComparison.Ordinal))
            ? found
            : null;

    /// <summary><c>index = index + 1</c>.</summary>
    private static bool IsStep(Stmt step, string index) =>
        step is AssignStmt { Value: BinaryExpr { Op: BinaryOp.Add, Left: VarExpr stepped, Right: ConstExpr { Text: "1" } } } assign && assign.Target == index && stepped.Name == index;

    /// <summary>
    /// Expressions that can throw nothing but an index out of range and are evaluated unconditionally: constants,
    /// variables, elements of one-dimensional arrays or spans, <c>+ − ·</c>, floating division, negation and casts.
    /// </summary>
    private bool IsPlainArithmetic(Expr expression) => expression switch
    {
        ConstExpr or VarExpr => true,
        ElementExpr e => e.Index is not (IndexPairExpr or MemberIndexExpr) && _types.TryGetValue(e.Array, out var type) && type.StructName.Length == 0
            && type.Shape is ShapeKind.Array or ShapeKind.Span or ShapeKind.ReadOnlySpan,
        BinaryExpr { Op: BinaryOp.Add or BinaryOp.Subtract or BinaryOp.Multiply or BinaryOp.Less } => true,
        BinaryExpr { Op: BinaryOp.Divide } b => b.Type.IsFloating,
        UnaryExpr { Op: UnaryOp.Negate or UnaryOp.Plus } => true,
        CastExpr => true,
        _ => false,
    };

    /// <summary>
    /// +1 or −1 when <paramref name="value"/> is <c>E + j</c> or <c>E − j</c> up to the order of its <c>+ −</c> terms
    /// (<paramref name="row"/> once, under additions and subtractions only), so that row j + r's value is row j's ± r in
    /// wrapping integer arithmetic; 0 otherwise.
    /// </summary>
    private static int RowSign(Expr value, string row)
    {
        switch (value)
        {
            case VarExpr v when v.Name == row:
                return 1;
            case BinaryExpr { Op: BinaryOp.Add or BinaryOp.Subtract } b:
                var left = RowSign(b.Left, row);
                var right = RowSign(b.Right, row);
                var leftReads = IrWalker.ReadVariables(b.Left).Contains(row);
                var rightReads = IrWalker.ReadVariables(b.Right).Contains(row);
                if (leftReads == rightReads)
                {
                    return 0;
                }

                return leftReads ? left : (b.Op == BinaryOp.Add ? right : -right);
            default:
                return 0;
        }
    }

    /// <summary>The jammed forward of the nest (see the type's summary); the user's loop, written by <paramref name="plain"/>, where an array is null.</summary>
    private void ForwardTriangleRows(TriangleRowsPlan plan, IndentedWriter w, System.Action<IndentedWriter> plain)
    {
        w.WriteLine("// Rows four, then two, then one at a time: one column loop for the block's rows, each row's sum in the user's column order"
            + (plan.Arrays.Count > 0 ? "; where an array is null, the user's loop, which throws where it throws." : "."));
        if (plan.Arrays.Count > 0)
        {
            w.WriteLine("if (" + string.Join(" && ", plan.Arrays.Select(a => "!(" + a + " is null)")) + ")");
            w.OpenBrace();
        }

        var rows = Enumerable.Range(0, 4).Select(r => Fresh("_r" + r.ToString(CultureInfo.InvariantCulture))).ToList();
        var induction = plan.Induction is null ? null : Fresh("_p");
        var column = Fresh("_c");
        foreach (var size in TriangleBlocks)
        {
            TriangleBlock(plan, size, rows, induction, column, w);
        }

        if (plan.Arrays.Count > 0)
        {
            w.CloseBrace();
            w.WriteLine("else");
            w.OpenBrace();
            plain(w);
            w.CloseBrace();
        }
    }

    private void TriangleBlock(TriangleRowsPlan plan, int size, List<string> rows, string? induction, string column, IndentedWriter w)
    {
        var rowVar = new VarExpr(IrType.Int, plan.Row);
        var bound = ExpressionPrinter.Print(plan.Bound);
        w.WriteLine(size == 1 ? "while (" + plan.Row + " < " + bound + ")" : "while (" + ExpressionPrinter.Operand(plan.Bound) + " - " + plan.Row + " > " + (size - 1).ToString(CultureInfo.InvariantCulture) + ")");
        w.OpenBrace();
        SaveAccumulator(plan, 0, plan.Accumulator, w);
        if (plan.InductionSave is { } inductionSlot)
        {
            w.WriteLine(SlotText(inductionSlot, 0) + " = " + plan.Induction + ";");
        }

        for (var r = 0; r < size; r++)
        {
            foreach (var start in plan.Pre)
            {
                if (start.Target == plan.Accumulator)
                {
                    w.WriteLine("var " + rows[r] + " = " + Print(start.Value, plan, r, null, null, rows[r]) + ";");
                }
                else if (r == 0)
                {
                    w.WriteLine("var " + induction + " = " + ExpressionPrinter.Print(start.Value) + ";");
                }
            }
        }

        // The columns every row of the block has, then the block's own triangle: column j + q for rows q + 1 … size − 1.
        w.WriteLine("for (var " + column + " = 0; " + column + " < " + plan.Row + "; " + column + "++)");
        w.OpenBrace();
        Columns(plan, Enumerable.Range(0, size).ToList(), new VarExpr(IrType.Int, column), rows, induction, w);
        w.CloseBrace();
        for (var q = 0; q + 1 < size; q++)
        {
            // Row j + q's induction variable is final here (j + q steps): it is the save before row j + q + 1.
            if (plan.InductionSave is { } finalSlot)
            {
                w.WriteLine(SlotText(finalSlot, q + 1) + " = " + ExpressionPrinter.Print(Offset(induction!, plan.InductionSign * q)) + ";");
            }

            Columns(plan, Enumerable.Range(q + 1, size - q - 1).ToList(), Plus(rowVar, q), rows, induction, w);
        }

        for (var r = 1; r < size; r++)
        {
            SaveAccumulator(plan, r, rows[r - 1], w);
        }

        for (var r = 0; r < size; r++)
        {
            foreach (var statement in plan.Post)
            {
                w.WriteLine(statement.Target + " = " + Print(statement.Value, plan, r, null, null, rows[r]) + ";");
            }
        }

        // The user's exit values: the last row's sum, induction variable and column.
        w.WriteLine(plan.Accumulator + " = " + rows[size - 1] + ";");
        if (induction is not null)
        {
            w.WriteLine(plan.Induction + " = " + ExpressionPrinter.Print(Offset(induction, plan.InductionSign * (size - 1))) + ";");
        }

        w.WriteLine(plan.Column + " = " + ExpressionPrinter.Print(Plus(rowVar, size - 1)) + ";");
        w.WriteLine(plan.Row + " = " + plan.Row + " + " + size.ToString(CultureInfo.InvariantCulture) + ";");
        w.CloseBrace();
    }

    /// <summary>The save of the accumulator before row j + <paramref name="r"/>: its slot, or a push (in row order, as the user's loop pushes).</summary>
    private void SaveAccumulator(TriangleRowsPlan plan, int r, string value, IndentedWriter w)
    {
        if (plan.AccumulatorSave is { } slot)
        {
            w.WriteLine(SlotText(slot, r) + " = " + value + ";");
        }
        else if (plan.AccumulatorOnTape)
        {
            UseTape();
            w.WriteLine(_tapeName + ".Push(" + value + ");");
        }
    }

    private static string SlotText((string Buffer, string Index) slot, int r) =>
        slot.Buffer + "[" + slot.Index + (r == 0 ? string.Empty : " + " + r.ToString(CultureInfo.InvariantCulture)) + "]";

    /// <summary>
    /// One column of the rows named (<paramref name="rowsAt"/>, offsets from j): the inner loop's statements in the user's
    /// order, the accumulation once per row; a row-invariant part of the term read by two rows or more printed once.
    /// </summary>
    private void Columns(TriangleRowsPlan plan, List<int> rowsAt, Expr column, List<string> rows, string? induction, IndentedWriter w)
    {
        var shared = new Dictionary<string, string>();
        if (rowsAt.Count > 1)
        {
            var f = ((BinaryExpr)plan.Inner.First(s => s.Target == plan.Accumulator).Value).Right;
            foreach (var part in RowInvariantParts(f, plan).Select(p => ExpressionPrinter.Print(Substitute(p, plan.Column, column))).Distinct())
            {
                var name = Fresh("_v");
                shared[part] = name;
                w.WriteLine("var " + name + " = " + part + ";");
            }
        }

        foreach (var statement in plan.Inner)
        {
            if (statement.Target == plan.Accumulator)
            {
                // The whole value printed, `acc + (a − b)` keeping its parentheses: the floating sum must not be reassociated.
                foreach (var r in rowsAt)
                {
                    w.WriteLine(rows[r] + " = " + Print(statement.Value, plan, r, column, induction, rows[r], shared) + ";");
                }
            }
            else
            {
                w.WriteLine(induction + " = " + Print(statement.Value, plan, 0, column, induction, rows[0]) + ";");
            }
        }
    }

    /// <summary>The largest parts of the term that read the column and an element but neither j, the accumulator nor the induction variable.</summary>
    private static IEnumerable<Expr> RowInvariantParts(Expr term, TriangleRowsPlan plan)
    {
        var reads = IrWalker.ReadVariables(term).ToList();
        if (reads.Contains(plan.Column) && !reads.Contains(plan.Row) && !reads.Contains(plan.Accumulator) && (plan.Induction is null || !reads.Contains(plan.Induction))
            && term is not (VarExpr or ConstExpr) && IrWalker.Descendants(term).Any(e => e is ElementExpr))
        {
            return new[] { term };
        }

        return term is ElementExpr ? Enumerable.Empty<Expr>() : IrWalker.Children(term).SelectMany(c => RowInvariantParts(c, plan));
    }

    /// <summary>
    /// A value of row j + <paramref name="r"/>: j → j + r, the accumulator → the row's local, the column and the induction
    /// variable (row j's ± r) where given; the shared parts already printed by <see cref="Columns"/> replaced by their names.
    /// </summary>
    private static string Print(Expr value, TriangleRowsPlan plan, int r, Expr? column, string? induction, string row, Dictionary<string, string>? shared = null)
    {
        // The row's own names first, so that a column j + q put in afterwards keeps its j.
        var text = IrWalker.Rewrite(value, e => e switch
        {
            VarExpr v when v.Name == plan.Row => Plus(v, r),
            VarExpr v when v.Name == plan.Accumulator => new VarExpr(v.Type, row),
            VarExpr v when induction is not null && v.Name == plan.Induction => Offset(induction, plan.InductionSign * r),
            _ => e,
        });
        if (column is not null)
        {
            text = Substitute(text, plan.Column, column);
        }

        if (shared is { Count: > 0 })
        {
            text = IrWalker.Rewrite(text, e => shared.TryGetValue(ExpressionPrinter.Print(e), out var name) ? new VarExpr(e.Type, name) : e);
        }

        return ExpressionPrinter.Print(text);
    }

    private static Expr Substitute(Expr value, string name, Expr replacement) =>
        IrWalker.Rewrite(value, e => e is VarExpr v && v.Name == name ? replacement : e);

    private static Expr Plus(VarExpr variable, int r) =>
        r == 0 ? variable : new BinaryExpr(IrType.Int, BinaryOp.Add, variable, new ConstExpr(IrType.Int, r.ToString(CultureInfo.InvariantCulture)), 0);

    private static Expr Offset(string induction, int offset)
    {
        var variable = new VarExpr(IrType.Int, induction);
        return offset switch
        {
            0 => variable,
            > 0 => Plus(variable, offset),
            _ => new BinaryExpr(IrType.Int, BinaryOp.Subtract, variable, new ConstExpr(IrType.Int, (-offset).ToString(CultureInfo.InvariantCulture)), 0),
        };
    }
}

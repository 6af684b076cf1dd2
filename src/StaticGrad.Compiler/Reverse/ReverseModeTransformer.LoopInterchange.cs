using System.Collections.Generic;
using System.Linq;
using System.Text.RegularExpressions;
using StaticGrad.Compiler.Analysis;
using StaticGrad.Compiler.Emit;
using StaticGrad.Compiler.IR;
using StaticGrad.Compiler.Model;
using StaticGrad.Compiler.Naming;

namespace StaticGrad.Compiler.Reverse;

/// <summary>
/// The reverse of a row loop and its column loop interchanged (GMM's triangle, session 20): the reverse of
/// <c>for (j = s; j &lt; n; j++) { …; row = …; lower = f(j); for (col = 0; col &lt; j; col++) { row += icf[lower]·(x[p + col] − mu[m + col]); lower += d − col − 2; } … }</c>
/// walks each row of the triangle with the stride of the user's layout and updates <c>dMu[m + col]</c> in memory for
/// every entry. Interchanged, the reverse first runs every row's reverse but the column loop's, keeping each row's
/// adjoint <c>dRow</c> in a buffer, then sweeps the triangle column by column: in column <c>col</c>, rows
/// <c>j = max(s, col + 1) … n − 1</c> (a rectangle <c>col &lt; m</c>: every row) with <c>lower = f(j) + off(col)</c>,
/// <c>off</c> the sum of the steps of the columns before (a second stepped variable instead of a closed form).
/// <para>
/// Sound when the row loop <c>L</c> is a counted loop (<c>j = s; j &lt; n; j = j + 1</c>, <c>n</c> not written in
/// <c>L</c>) whose body is plain assignments and one column loop <c>C</c> at its top level, <c>C</c> reversed in forward
/// order (<see cref="ForwardOrder"/>: its iterations independent) with:
/// <list type="bullet">
/// <item>one floating linear update <c>r = r ± e</c>; <c>e</c> reads no <c>?:</c>, <c>&amp;&amp;</c>, <c>||</c>, and
/// as scalars only <c>col</c>, <c>j</c>, <c>C</c>'s stepped integers and variables <c>L</c> does not write (so every
/// row's <c>e</c> has its forward values when evaluated after all rows' other reverses); the arrays it reads are
/// stored nowhere in <c>L</c> (there are no stores in <c>L</c>), so they hold the forward's values throughout;</item>
/// <item>so the reverse of <c>C</c> reads only <c>dRow</c> (its value when <c>C</c>'s reverse starts: the
/// buffer's) and those values, and only adds into adjoints (of arrays and of scalars <c>L</c> does not assign),
/// which the rest of <c>L</c>'s reverse also only adds into (it has no store and assigns none of those scalars):
/// the sums are the same up to rounding;</item>
/// <item><c>col</c> starts at <c>0</c>; <c>C</c>'s condition is <c>col &lt; j</c> (triangle) or <c>col &lt; m</c> with
/// <c>m</c> not written in <c>L</c> (rectangle); each other stepped integer <c>v</c> starts at <c>f(j)</c> (integer
/// arithmetic, see <see cref="ForwardOrder"/>) and steps <c>v = v ± g(col)</c> with <c>g</c> reading neither
/// <c>j</c> nor another stepped variable, without division: its value at <c>(j, col)</c> is <c>f(j)</c> plus the steps
/// of columns <c>0 … col − 1</c>, which is what the forward computed.</item>
/// </list>
/// Exceptions: the interchanged order runs only behind a run-time test, else the reverse runs as before. The test
/// asks for at least <see cref="InterchangeMinRows"/> rows (and a non-empty rectangle), so the forward ran the column
/// body at least once and read every array <c>e</c> reads unconditionally at every index the reverse uses (the
/// arrays are not null and every index is in range); for each adjoint span of the signature <c>C</c>'s reverse adds
/// into, that it is at least as long as its array and overlaps no array <c>e</c> reads (a caller passing
/// <c>icf</c>'s own memory as <c>dIcf</c> sees the reads and writes interleaved as before). So the interchanged
/// reverse throws nothing the old order would not and cannot read what it writes.
/// </para>
/// <para>
/// The column sweep runs in a static local function, its rows over spans where the indices allow
/// (<c>ReverseModeTransformer.InterchangeSweep.cs</c>, session 21).
/// </para>
/// </summary>
public sealed partial class ReverseModeTransformer
{
    /// <summary>
    /// Rows below which the old order is kept. Session 21 counted instructions per call (cachegrind, full JIT, generated
    /// GMM instances with K = 10 and 200 points; docs/benchmarks.md, "Session 21"): the interchanged sweep (in its own
    /// function, over spans) against the old order is 1.29 at d = 4, 1.14 at 8, 1.09 at 10, 1.06 at 12, 1.02 at 16 and
    /// 0.94 at 32, so lowering the guard would lose below 12 (d10_K25's rows included); from 12 rows on it is within 6 %
    /// in instructions and gains in time where the triangle leaves the cache (d64_K10: 0.5–0.64 of the old time).
    /// Session 19 measured the hand-written interchange at 1.00 of the old time at d = 8 and 0.86 at 16.
    /// </summary>
    private const int InterchangeMinRows = 12;

    /// <summary>The inner loop whose reverse the row pass replaces with a store of its row's adjoint, and that store.</summary>
    private (LoopStmt Loop, string Store)? _rowAdjointStore;

    /// <summary>Which of the method's array names may share memory (built on first use).</summary>
    private ArrayAliases ArrayAliasesOfMethod => _arrayAliases ??= new ArrayAliases(_method);

    private ArrayAliases? _arrayAliases;

    /// <summary>Buffers of row adjoints, declared with the method's locals and returned at its end.</summary>
    private readonly List<string> _interchangeBuffers = new();

    /// <summary>A row/column nest to interchange: see the type's summary.</summary>
    private sealed record InterchangePlan(
        LoopStmt Column,
        ForwardOrderPlan ColumnPlan,
        string Row,
        string RowStart,
        string RowBound,
        string ColumnIndex,
        string? RectangleBound,
        AssignStmt Floating,
        IReadOnlyList<AssignStmt> Steps,
        IReadOnlyList<(string Span, string Array)> SignatureSpans,
        IReadOnlyList<string> ReadArrays,
        long? ConstantRows)
    {
        /// <summary>A constant row count below the guard: the interchanged order never runs, only the old order is written.</summary>
        public bool AlwaysBelowGuard => ConstantRows < InterchangeMinRows;
    }

    /// <summary>The nest's row count as C# text (long where the start is subtracted, so it cannot overflow).</summary>
    private static string RowCountText(InterchangePlan plan) =>
        plan.RowStart == "0" ? plan.RowBound : "(long)" + plan.RowBound + " - " + (IsSimple(plan.RowStart) ? plan.RowStart : "(" + plan.RowStart + ")");

    private InterchangePlan? InterchangeOf(LoopStmt loop)
    {
        if (!_countedLoops.TryGetValue(loop, out var counted) || !_keepsOnTape
            || loop.Condition is not BinaryExpr { Op: BinaryOp.Less, Left: VarExpr rowIndex, Right: var rowBound and (VarExpr or ConstExpr) }
            || rowIndex.Name != counted.Index || rowBound.Type.Scalar != ScalarKind.Int
            || loop.Body.Concat(loop.Step).Any(s => s is not AssignStmt and not LoopStmt)
            || loop.Body.Concat(loop.Step).OfType<LoopStmt>().Count() != 1)
        {
            return null;
        }

        // A constant row count below the guard never takes the interchanged order: only the old order is emitted (OldOrderSweep).
        long? constantRows = rowBound is ConstExpr && OffsetBound.Literal(rowBound) is { } rowCount && int.TryParse(counted.Start, out var first) ? rowCount - first : null;

        var column = loop.Body.Concat(loop.Step).OfType<LoopStmt>().Single();
        var written = new HashSet<string>(IrWalker.Statements(loop.Body.Concat(loop.Step).ToEquatableArray()).OfType<AssignStmt>().Select(a => a.Target));
        if (!ForwardOrder.TryGetValue(column, out var plan) || (rowBound is VarExpr { Name: var nb } && written.Contains(nb))
            || column.Body.Concat(column.Step).Any(s => s is not AssignStmt) || column.Condition is not BinaryExpr { Op: BinaryOp.Less, Left: VarExpr columnIndex, Right: VarExpr or ConstExpr } condition)
        {
            return null;
        }

        var index = columnIndex.Name;
        var statements = column.Body.Concat(column.Step).Cast<AssignStmt>().ToList();
        var floating = statements.Where(a => !plan.Stepped.Contains(a.Target)).ToList();
        var steps = statements.Where(a => plan.Stepped.Contains(a.Target) && a.Target != index).ToList();
        var increment = statements.Where(a => a.Target == index).ToList();
        string? rectangle = null;
        if (condition.Right is VarExpr { Name: var cb } && cb == rowIndex.Name)
        {
            rectangle = null;
        }
        else if (condition.Right is ConstExpr || (condition.Right is VarExpr { Name: var mb } && !written.Contains(mb) && KeepsForwardValue(mb)))
        {
            rectangle = ExpressionPrinter.Print(condition.Right);
        }
        else
        {
            return null;
        }

        // The column index starts at 0 and is stepped last; one floating update, whose row adjoint the buffer keeps.
        if (floating.Count != 1 || increment.Count != 1 || !ReferenceEquals(increment[0], statements[statements.Count - 1])
            || !plan.Starts.Any(s => s.Target == index && s.Value is ConstExpr { Text: "0" })
            || !_adjoints.TryGetValue(floating[0].Target, out var rowAdjoint) || IsSignatureAdjoint(floating[0].Target)
            || !floating[0].Type.IsFloating || RecordingAnalysis.LinearUpdate(floating[0]) is not { } update)
        {
            return null;
        }

        // What e reads: see the type's summary.
        var allowed = new HashSet<string>(plan.Stepped) { rowIndex.Name };
        if (IrWalker.Descendants(update.Operand).Any(e => e is ConditionalExpr or BinaryExpr { Op: BinaryOp.ConditionalAnd or BinaryOp.ConditionalOr })
            || IrWalker.Descendants(update.Operand).OfType<VarExpr>().Any(v => !allowed.Contains(v.Name) && written.Contains(v.Name)))
        {
            return null;
        }

        var arrays = IrWalker.Descendants(update.Operand).OfType<ElementExpr>().Select(e => e.Array).Distinct().ToList();
        if (arrays.Any(a => written.Contains(a) || _carriedElements.ContainsKey(a) || !_types.TryGetValue(a, out var t) || t.StructName.Length > 0))
        {
            return null;
        }

        // Stepped integers: v = v ± g(col), g reading no stepped variable but col, nor j, nor anything L writes.
        foreach (var step in steps)
        {
            if (RecordingAnalysis.LinearUpdate(step) is not { } s
                || !IrWalker.Descendants(s.Operand).All(e => e is ConstExpr or VarExpr or BinaryExpr { Op: BinaryOp.Add or BinaryOp.Subtract or BinaryOp.Multiply })
                || IrWalker.ReadVariables(s.Operand).Any(v => v != index && (written.Contains(v) || plan.Stepped.Contains(v) || v == rowIndex.Name)))
            {
                return null;
            }
        }

        // Only where the interchanged rows are contiguous: every element the term reads at a row-dependent index moves
        // by one element from row to row (GMM's lower = base + j); a row-major matrix (i·n + j) would be walked with stride n.
        var starts = plan.Starts.ToDictionary(a => a.Target, a => a.Value);
        if (IrWalker.Descendants(update.Operand).OfType<ElementExpr>().Any(e => RowStride(e.Index, rowIndex.Name, index, starts) is not (0 or 1 or -1)))
        {
            return null;
        }

        // Compared with the adjoint spans at run time: every array e reads that may be a caller's memory, the parameters
        // and any local not fresh (the lowering refuses a local alias of a parameter array, SG1010; should it not, the
        // alias is compared under its own name).
        var spans = arrays.Where(IsSignatureAdjoint).Select(a => (_adjoints[a], a)).ToList();
        var read = arrays.Where(a => !ArrayAliasesOfMethod.IsFresh(a)).ToList();
        return new InterchangePlan(column, plan, rowIndex.Name, counted.Start, ExpressionPrinter.Print(rowBound), index, rectangle, floating[0], steps, spans, read, constantRows);
    }

    /// <summary>
    /// <paramref name="e"/> with its column terms replaced by what <paramref name="hoisted"/> returns for them: the largest floating
    /// parts that read an array and no row-dependent variable (the row index, the stepped integers but the column index),
    /// so their value at <c>(j, col)</c> is the same in every row (<see cref="InterchangeOf"/>: <c>e</c> reads no other
    /// scalar <c>L</c> writes, no array <c>L</c> stores into).
    /// </summary>
    private static Expr HoistColumnTerms(InterchangePlan plan, Expr e, System.Func<Expr, Expr> hoisted)
    {
        var rowDependent = new HashSet<string>(plan.ColumnPlan.Stepped.Where(v => v != plan.ColumnIndex)) { plan.Row };
        Expr Hoist(Expr x)
        {
            if (x is BinaryExpr or UnaryExpr or CastExpr or ElementExpr && x.Type.IsFloating && IrWalker.Descendants(x).Any(d => d is ElementExpr)
                && IrWalker.ReadVariables(x).All(v => !rowDependent.Contains(v)))
            {
                return hoisted(x);
            }

            return x switch
            {
                BinaryExpr b => b with { Left = Hoist(b.Left), Right = Hoist(b.Right) },
                UnaryExpr u => u with { Operand = Hoist(u.Operand) },
                CastExpr c => c with { Operand = Hoist(c.Operand) },
                _ => x,
            };
        }

        return Hoist(e);
    }

    /// <summary>
    /// How far an integer index moves from one row to the next (its coefficient of the row index, the stepped
    /// integers read through their starts); null when that is not a constant. A remainder keeps its dividend's.
    /// </summary>
    private static long? RowStride(Expr index, string row, string column, IReadOnlyDictionary<string, Expr> starts) => index switch
    {
        ConstExpr => 0,
        VarExpr v when v.Name == row => 1,
        VarExpr v when v.Name != column && starts.TryGetValue(v.Name, out var start) => RowStride(start, row, column, starts),
        VarExpr => 0,
        BinaryExpr { Op: BinaryOp.Add } b => RowStride(b.Left, row, column, starts) + RowStride(b.Right, row, column, starts),
        BinaryExpr { Op: BinaryOp.Subtract } b => RowStride(b.Left, row, column, starts) - RowStride(b.Right, row, column, starts),
        BinaryExpr { Op: BinaryOp.Remainder } b => RowStride(b.Right, row, column, starts) == 0 ? RowStride(b.Left, row, column, starts) : null,
        BinaryExpr { Op: BinaryOp.Multiply } b => (RowStride(b.Left, row, column, starts), RowStride(b.Right, row, column, starts)) switch
        {
            (0, 0) => 0,
            (0, { } r) when OffsetBound.Literal(b.Left) is { } k => k * r,
            ({ } l, 0) when OffsetBound.Literal(b.Right) is { } k => k * l,
            _ => null,
        },
        _ => null,
    };

    /// <summary>
    /// The stepped integers whose value at <c>(j, col)</c> moves by a constant from row <c>j</c> to row <c>j + 1</c>
    /// (GMM's <c>lower</c>: +1), with that constant: set once before a column's rows and stepped by it at each row's
    /// end, instead of rebuilt every row from its start and the column's offset (session 20's loop did that from
    /// method-level variables the JIT reloaded from the frame; variant I kept <c>_base + _j</c>). Only where the start
    /// reads no stepped variable and the column's step comes after the floating update (so nothing in the row reads
    /// the stepped value before the row's end, where the old loop had stepped it).
    /// </summary>
    private static Dictionary<string, long> RowSteppedIntegers(InterchangePlan plan)
    {
        var starts = plan.ColumnPlan.Starts.ToDictionary(a => a.Target, a => a.Value);
        var statements = plan.Column.Body.Concat(plan.Column.Step).ToList();
        var floating = statements.IndexOf(plan.Floating);
        var result = new Dictionary<string, long>();
        foreach (var step in plan.Steps)
        {
            var start = starts[step.Target];
            if (statements.IndexOf(step) > floating
                && !IrWalker.ReadVariables(start).Any(plan.ColumnPlan.Stepped.Contains)
                && RowStride(start, plan.Row, plan.ColumnIndex, starts) is { } stride)
            {
                result[step.Target] = stride;
            }
        }

        return result;
    }

    /// <summary>
    /// The reverse of a row loop with an interchangeable column loop: behind the run-time test of the type's
    /// summary, the rows' reverses storing each row's adjoint, then the columns; else <paramref name="original"/>.
    /// </summary>
    private void ReverseInterchanged(InterchangePlan plan, IndentedWriter w, System.Action<IndentedWriter> original)
    {
        var floatingType = plan.Floating.Type;
        var buffer = Fresh("_" + NameScope.Unescaped(_adjoints[plan.Floating.Target]).TrimStart('_') + "s");
        _declarations.Add(floatingType.ScalarKeyword + "[] " + buffer + " = global::System.Array.Empty<" + floatingType.ScalarKeyword + ">();");
        _interchangeBuffers.Add(buffer);
        var start = IsSimple(plan.RowStart) ? plan.RowStart : "(" + plan.RowStart + ")";
        var test = RowCountText(plan) + " >= " + InterchangeMinRows
            + (plan.RectangleBound is { } m ? " && " + m + " > 0" : string.Empty)
            + string.Concat(plan.SignatureSpans.Select(s => " && " + s.Span + ".Length >= " + s.Array + ".Length"))
            + string.Concat(plan.SignatureSpans.SelectMany(s => plan.ReadArrays.Where(a => _types[a].Scalar == _types[s.Array].Scalar)
                .Select(a => " && !global::System.MemoryExtensions.Overlaps<" + _types[a].ScalarKeyword + ">(" + s.Span + ", " + a + ")")));
        w.WriteLine("// At least " + InterchangeMinRows + " rows: the row and column loops interchanged, each row's adjoint kept in " + buffer + ", then the columns (contiguous rows, the column's terms once).");
        w.WriteLine("if (" + test + ")");
        w.OpenBrace();
        w.WriteLine("if (" + buffer + ".Length < " + plan.RowBound + " - " + start + ")");
        w.OpenBrace();
        w.WriteLine(TapeType + ".Return(" + buffer + ");");
        w.WriteLine(buffer + " = " + TapeType + (floatingType.Scalar == ScalarKind.Float ? ".RentSingles(" : ".RentDoubles(") + plan.RowBound + " - " + start + ");");
        w.CloseBrace();

        // The rows: every statement's reverse but the column loop's, which stores the row's adjoint instead.
        var adjoint = _adjoints[plan.Floating.Target];
        _rowAdjointStore = (plan.Column, buffer + "[" + plan.Row + (plan.RowStart == "0" ? string.Empty : " - " + start) + "] = " + adjoint + ";");
        original(w);
        _rowAdjointStore = null;

        // The columns: col outer, rows inner; each stepped integer is its start at j plus the steps of the columns before.
        // Written one level deeper than w's block (the body of the sweep's function, see InterchangeSweep).
        var level = w.Level + 1;
        var rowAdjoint = Fresh("_" + NameScope.Unescaped(adjoint).TrimStart('_') + "J");
        var offsets = plan.Steps.ToDictionary(s => s.Target, s => Fresh("_" + NameScope.Unescaped(s.Target).TrimStart('_') + "Offset"));
        var body = new IndentedWriter();
        body.Indent(level + 3);
        var stepped = RowSteppedIntegers(plan);
        foreach (var step in plan.Steps.Where(s => !stepped.ContainsKey(s.Target)))
        {
            var startOf = plan.ColumnPlan.Starts.Single(s => s.Target == step.Target);
            body.WriteLine(step.Target + " = " + ExpressionPrinter.Print(startOf.Value) + " + " + offsets[step.Target] + ";");
        }

        // Column terms: the largest parts of e that read no row-dependent variable, evaluated once per column; the
        // adjoint of an active one collects the column's shares and is passed on after the rows (the hand's sum in a register).
        var update = RecordingAnalysis.LinearUpdate(plan.Floating)!.Value;
        var terms = new List<(string Name, Expr Value, string? Adjoint)>();
        VarExpr Hoisted(Expr e)
        {
            var number = terms.Count.ToString(System.Globalization.CultureInfo.InvariantCulture);
            var name = Fresh("_column" + number);
            _types[name] = e.Type;
            string? termAdjoint = null;
            if (_activity.IsActive(e))
            {
                termAdjoint = Fresh("_dColumn" + number);
                _adjoints[name] = termAdjoint;
                _activity.AddIntroduced(name);
            }

            terms.Add((name, e, termAdjoint));
            return new VarExpr(e.Type, name);
        }

        var operand = HoistColumnTerms(plan, update.Operand, Hoisted);
        var reversed = new IndentedWriter();
        reversed.Indent(level + 3);
        foreach (var statement in plan.Column.Body.Concat(plan.Column.Step).Cast<AssignStmt>().Where(s => s.Target != plan.ColumnIndex))
        {
            if (stepped.ContainsKey(statement.Target))
            {
                // Stepped from row to row at the row's end instead (below).
            }
            else if (plan.ColumnPlan.Stepped.Contains(statement.Target))
            {
                reversed.WriteLine(statement.Target + " = " + ExpressionPrinter.Print(statement.Value) + ";");
            }
            else
            {
                PropagateStatement(operand, update.Op == BinaryOp.Add ? rowAdjoint : "-" + rowAdjoint, reversed);
            }
        }

        // The column terms are block locals: none is declared with the method's adjoints or copied to a register.
        foreach (var term in terms)
        {
            _types.Remove(term.Name);
            _adjoints.Remove(term.Name);
        }

        body.AppendText(reversed.ToString());
        foreach (var v in stepped.Where(v => v.Value != 0))
        {
            body.WriteLine(v.Key + " = " + v.Key + (v.Value > 0 ? " + " : " - ") + System.Math.Abs(v.Value).ToString(System.Globalization.CultureInfo.InvariantCulture) + ";");
        }

        body.WriteLine(plan.Row + " = " + plan.Row + " + 1;");

        var rowEnd = Fresh("_" + NameScope.Unescaped(plan.Row).TrimStart('_') + "End");
        w.WriteLine("var " + rowEnd + " = " + plan.Row + ";");
        var localBuffer = Fresh(buffer + "Local");

        // The rows of one column, indexed (on block-local copies) or over spans, at the column loop's body level.
        var rowSets = new IndentedWriter();
        rowSets.Indent(level + 1);
        var rowLoop = new IndentedWriter();
        rowLoop.Indent(level + 2);
        foreach (var step in plan.Steps.Where(s => stepped.ContainsKey(s.Target)))
        {
            var set = step.Target + " = " + ExpressionPrinter.Print(plan.ColumnPlan.Starts.Single(s => s.Target == step.Target).Value) + " + " + offsets[step.Target] + ";";
            rowSets.WriteLine(set);
            rowLoop.WriteLine(set);
        }

        rowLoop.WriteLine("while (" + plan.Row + " < " + plan.RowBound + ")");
        rowLoop.OpenBrace();
        rowLoop.WriteLine("var " + rowAdjoint + " = " + localBuffer + "[" + plan.Row + (plan.RowStart == "0" ? string.Empty : " - " + start) + "];");
        rowLoop.AppendText(body.ToString());
        rowLoop.CloseBrace();
        var indexedRows = new IndentedWriter();
        indexedRows.Indent(level + 1);
        InRegisters(rowLoop.ToString(), indexedRows);
        var spanRows = RowsOverSpans(plan, operand, reversed.ToString(), localBuffer, rowAdjoint, start, stepped, level + 1);

        var after = new IndentedWriter();
        after.Indent(level + 1);
        foreach (var term in terms.Where(t => t.Adjoint is not null))
        {
            PropagateStatement(term.Value, term.Adjoint!, after);
        }

        foreach (var step in plan.Steps)
        {
            var s = RecordingAnalysis.LinearUpdate(step)!.Value;
            after.WriteLine(offsets[step.Target] + " = " + offsets[step.Target] + (s.Op == BinaryOp.Add ? " + " : " - ") + "(" + ExpressionPrinter.Print(s.Operand) + ");");
        }

        after.WriteLine(plan.ColumnIndex + " = " + plan.ColumnIndex + " + 1;");

        string Sweep(string rows)
        {
            var sweep = new IndentedWriter();
            sweep.Indent(level);
            sweep.WriteLine("var " + localBuffer + " = " + buffer + ";");
            foreach (var offset in offsets.Values)
            {
                sweep.WriteLine("var " + offset + " = 0;");
            }

            sweep.WriteLine(plan.ColumnIndex + " = 0;");
            sweep.WriteLine("while (" + plan.ColumnIndex + " < " + (plan.RectangleBound ?? plan.RowBound + " - 1") + ")");
            sweep.OpenBrace();
            foreach (var term in terms)
            {
                sweep.WriteLine("var " + term.Name + " = " + ExpressionPrinter.Print(term.Value) + ";");
                if (term.Adjoint is not null)
                {
                    sweep.WriteLine("var " + term.Adjoint + " = " + Zero(term.Value.Type) + ";");
                }
            }

            // Not Math.Max: a generic-math method's text is retyped, Math.Max becoming T.Max, which takes no int.
            sweep.WriteLine(plan.Row + " = " + (plan.RectangleBound is null ? "(" + start + " > " + plan.ColumnIndex + " + 1 ? " + start + " : " + plan.ColumnIndex + " + 1)" : plan.RowStart) + ";");
            sweep.AppendText(rows);
            sweep.AppendText(after.ToString());
            sweep.CloseBrace();
            return sweep.ToString();
        }

        // Over spans only in the function: inline, the JIT keeps the spans in stack slots and checks every element.
        var indexed = Sweep(indexedRows.ToString());
        if (!(spanRows is not null && TryWriteSweepFunction(Sweep(rowSets + spanRows), plan.Row, w)) && !TryWriteSweepFunction(indexed, plan.Row, w))
        {
            w.AppendOutdented(indexed);
        }

        w.WriteLine(plan.Row + " = " + rowEnd + ";");

        w.CloseBrace();
        w.WriteLine("else");
        w.OpenBrace();
        ReverseOldOrder(plan, original, w);
        w.CloseBrace();
    }
}

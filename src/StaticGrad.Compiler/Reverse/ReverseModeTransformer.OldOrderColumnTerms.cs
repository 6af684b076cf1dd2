using System.Collections.Generic;
using System.Linq;
using StaticGrad.Compiler.Analysis;
using StaticGrad.Compiler.Emit;
using StaticGrad.Compiler.IR;
using StaticGrad.Compiler.Model;

namespace StaticGrad.Compiler.Reverse;

/// <summary>
/// The old order's column terms once per column (session 22, gmm22d): in the old order's function (<c>_Rows</c>,
/// <see cref="ReverseOldOrder"/>), each column term of the inner loop's update (<see cref="HoistColumnTerms"/>: GMM's
/// <c>x[point + col] − means[mean + col]</c>) is computed once per column into a rented buffer before the rows and read
/// from it inside, where the old order computed it again in every row. gmm22c measured the hand-edited variant (XcR) at
/// 0.83–0.89 of main's time at d10_K25: the inner loop went from 38 instructions, 5 bounds checks and 4 stack operands
/// to 29, 4 and 0 (docs/benchmarks.md, "Session 22").
/// <para>
/// Sound because a term's value at <c>(j, col)</c> is the same in every row and is what the old order reads: it reads
/// <c>col</c>, scalars the nest does not write and arrays the nest stores nowhere (<see cref="InterchangeOf"/>), and
/// between the fill and the rows' last read only the old order runs, which writes adjoints alone. A caller's adjoint
/// span may be the memory of an array a term reads (one array passed as <c>means</c> and <c>dMeans</c>): then the
/// old order reads values the rows before wrote, so the buffers are filled only behind a run-time test that no
/// signature adjoint span of the term's scalar type overlaps an array a term reads (a fresh local, <c>ArrayAliases</c>,
/// is no caller's memory); else the old order runs as before. That test can only speak for one-dimensional adjoint
/// memory of the term's type (session 23, gmm23a): a jagged adjoint's rows can be the very arrays a term reads, and a
/// two-dimensional or struct adjoint is memory <c>Overlaps</c> cannot be asked about, so where the signature has such an
/// adjoint of a term's scalar type nothing is buffered (batch 20262890's P60 had a <c>double[][]</c> beside its triangle
/// and the test <c>Overlaps(dm, a)</c> did not compile).
/// The buffers are filled for the columns the forward read, no others: at least <see cref="OldOrderFunctionMinRows"/>
/// rows (so the last row is past the start and its columns are <c>0 … n − 2</c> of a triangle, <c>0 … m − 1</c> of a
/// rectangle, each read unconditionally by the forward's column body, which is plain assignments and whose update
/// reads no <c>?:</c>, <c>&amp;&amp;</c>, <c>||</c>), so the fill throws nothing (the forward evaluated every one of its
/// reads without an exception) and every exception the old order throws (a short adjoint span) it throws at the same
/// point. The update's adjoint goes into each term's own parts as before (<c>dMeans[mean + col] −= …</c> in the rows).
/// </para>
/// </summary>
public sealed partial class ReverseModeTransformer
{
    /// <summary>The floating update whose reverse reads buffered column terms while the old order is written, and its hoisted operand.</summary>
    private (AssignStmt Floating, Expr Operand, bool Subtracts)? _bufferedColumn;

    /// <summary>Each buffered term's element text (<c>_column0s[col]</c>) and the term: its adjoint is propagated into the term's parts.</summary>
    private readonly Dictionary<string, Expr> _bufferedTerms = new();

    /// <summary>
    /// Writes the old order with its column terms buffered behind the test of the type's summary (the old order's text
    /// <paramref name="oldOrder"/> inline in the else branch); false, writing nothing, where the update has no column
    /// term or the old order cannot move into a function.
    /// </summary>
    private bool TryReverseOldOrderWithColumnTerms(InterchangePlan plan, System.Action<IndentedWriter> original, string oldOrder, IndentedWriter w)
    {
        var update = RecordingAnalysis.LinearUpdate(plan.Floating)!.Value;
        var terms = new List<(string Buffer, string Element, Expr Value)>();
        Expr Buffered(Expr e)
        {
            // A bare element is read from its own array as cheaply as from a buffer: only a computed term pays.
            if (e is ElementExpr)
            {
                return e;
            }

            var buffer = Fresh("_column" + terms.Count.ToString(System.Globalization.CultureInfo.InvariantCulture) + "s");
            var element = buffer + "[" + plan.ColumnIndex + "]";
            terms.Add((buffer, element, e));
            return new VarExpr(e.Type, element);
        }

        var operand = HoistColumnTerms(plan, update.Operand, Buffered);
        if (terms.Count == 0)
        {
            return false;
        }

        // Only where every signature adjoint of a term's scalar type is one-dimensional memory of that type, which the
        // run-time test can compare with the term's arrays (see the type's summary; batch 20262890's P60 had a double[][]).
        var arrays = terms.SelectMany(t => IrWalker.Descendants(t.Value).OfType<ElementExpr>().Select(e => e.Array)).Distinct().ToList();
        var scalars = new HashSet<ScalarKind>(arrays.Select(a => _types[a].Scalar));
        if (_method.Parameters.Any(p => IsSignatureAdjoint(p.Name) && scalars.Contains(p.Type.Scalar) && (p.Type.IsMultiDimensional || p.Type.StructName.Length > 0)))
        {
            return false;
        }

        var declarations = terms.Select(t => t.Value.Type.ScalarKeyword + "[] " + t.Buffer + " = global::System.Array.Empty<" + t.Value.Type.ScalarKeyword + ">();").ToList();
        _declarations.AddRange(declarations);
        foreach (var term in terms)
        {
            _bufferedTerms[term.Element] = term.Value;
            _types[term.Element] = term.Value.Type;
            if (_activity.IsActive(term.Value))
            {
                _activity.AddIntroduced(term.Element);
            }
        }

        var text = new IndentedWriter();
        text.Indent(w.Level + 2);
        _bufferedColumn = (plan.Floating, operand, update.Op != BinaryOp.Add);
        original(text);
        _bufferedColumn = null;
        foreach (var term in terms)
        {
            _bufferedTerms.Remove(term.Element);
            _types.Remove(term.Element);
        }

        var call = new IndentedWriter();
        call.Indent(w.Level + 1);
        if (!TryWriteSweepFunction(text.ToString(), string.Empty, "_Rows", "// The old order in a function of its own, whose locals the JIT keeps in registers (this method has more than it tracks).", call))
        {
            _declarations.RemoveAll(declarations.Contains);
            return false;
        }

        _interchangeBuffers.AddRange(terms.Select(t => t.Buffer));

        // Every array a term reads that may be a caller's memory (not a fresh local) against every adjoint span of the
        // caller's of its scalar type (see the type's summary).
        arrays = arrays.Where(a => !ArrayAliasesOfMethod.IsFresh(a)).ToList();
        var overlaps = _method.Parameters.Where(p => IsSignatureAdjoint(p.Name)).SelectMany(p => arrays.Where(a => _types[a].Scalar == p.Type.Scalar)
            .Select(a => "!global::System.MemoryExtensions.Overlaps<" + _types[a].ScalarKeyword + ">(" + _adjoints[p.Name] + ", " + a + ")")).ToList();
        if (overlaps.Count > 0 && arrays.All(a => _method.Parameters.Any(p => p.Name == a) && !_reassignedParameters.Contains(a)))
        {
            // Parameters no statement assigns and the caller's spans: the same answer throughout the call, asked once at
            // the method's start instead of in every iteration of the loops around the nest (GMM: points × components).
            var apart = Fresh("_columnTermsApart");
            _declarations.Add("bool " + apart + " = " + string.Join(" && ", overlaps) + ";");
            overlaps = new List<string> { apart };
        }

        var test = (plan.ConstantRows is null ? new[] { RowCountText(plan) + " >= " + OldOrderFunctionMinRows } : Enumerable.Empty<string>()).Concat(overlaps).ToList();
        var columns = plan.RectangleBound ?? plan.RowBound + " - 1";
        if (test.Count > 0)
        {
            w.WriteLine(plan.ConstantRows is null
                ? "// At least " + OldOrderFunctionMinRows + " rows: the old order in a function of its own, its column terms once per column where no adjoint span is in the memory of an array they read; else inline."
                : "// No adjoint span in the memory of an array a column term reads: the old order in its function, its column terms once per column; else inline.");
            w.WriteLine("if (" + string.Join(" && ", test) + ")");
            w.OpenBrace();
        }

        foreach (var term in terms)
        {
            w.WriteLine("if (" + term.Buffer + ".Length < " + columns + ")");
            w.OpenBrace();
            w.WriteLine(TapeType + ".Return(" + term.Buffer + ");");
            w.WriteLine(term.Buffer + " = " + TapeType + (term.Value.Type.Scalar == ScalarKind.Float ? ".RentSingles(" : ".RentDoubles(") + columns + ");");
            w.CloseBrace();
        }

        w.WriteLine("// The column terms of the columns the forward read, once per column.");
        w.WriteLine(plan.ColumnIndex + " = 0;");
        w.WriteLine("while (" + plan.ColumnIndex + " < " + columns + ")");
        w.OpenBrace();
        foreach (var term in terms)
        {
            w.WriteLine(term.Element + " = " + ExpressionPrinter.Print(term.Value) + ";");
        }

        w.WriteLine(plan.ColumnIndex + " = " + plan.ColumnIndex + " + 1;");
        w.CloseBrace();
        if (test.Count == 0)
        {
            w.AppendOutdented(call.ToString());
            return true;
        }

        w.AppendText(call.ToString());
        w.CloseBrace();
        w.WriteLine("else");
        w.OpenBrace();
        w.AppendOutdented(oldOrder);
        w.CloseBrace();
        return true;
    }
}

using System;
using System.Globalization;
using System.Collections.Generic;
using System.Linq;
using StaticGrad.Compiler.Analysis;
using StaticGrad.Compiler.Emit;
using StaticGrad.Compiler.IR;
using StaticGrad.Compiler.Model;
using StaticGrad.Compiler.Naming;

namespace StaticGrad.Compiler.Reverse;

/// <summary>
/// Loops the JIT keeps in registers. Two shapes measured in session 9 (docs/benchmarks.md) kept the hot loops of
/// the MLP and GMM backwards in stack slots: a trip counter incremented beside the loop index, and accumulators that
/// are method-level locals live across the whole backward (and across the tape's calls, which on x64 Unix preserve no
/// XMM register). So:
/// <list type="bullet">
/// <item>A counted loop (<c>i = start; while (i &lt; bound) { body; i = i + 1; }</c>, see <see cref="CountingIndex"/>)
/// ran <c>i − start</c> times. When its reverse restores <c>i</c>, it records no trip count and its reverse runs
/// <c>while (i &gt; start)</c>, undoing the step (<c>i -= 1</c>) first, as before; otherwise the trip count is taken
/// after the forward loop instead of incremented in it.</item>
/// <item>An innermost loop (no loop inside it) works on block-local copies of the method-level scalars it writes,
/// declared in a block around it and written back once after it: short-lived locals the JIT enregisters. It reads the
/// arrays it indexes (and does not reassign) from block-local copies of their references too (session 14).</item>
/// </list>
/// </summary>
public sealed partial class ReverseModeTransformer
{
    /// <summary>The loops whose trip count is their index's distance from its start: (index, start as C# text).</summary>
    private readonly Dictionary<Stmt, (string Index, string Start)> _countedLoops = new(ReferenceComparer<Stmt>.Instance);

    /// <summary>The block-local copy's name of each variable an innermost loop writes.</summary>
    private readonly Dictionary<string, string> _registerCopies = new();

    /// <summary>
    /// Whether <paramref name="statement"/>, preceded in its block by <paramref name="previous"/>, is a counted loop whose
    /// reverse can run until its index is back at its start: the reverse of the increment must restore the index (it
    /// is then needed, so every later assignment of it is undone before the loop's reverse: it holds its exit value
    /// there).
    /// </summary>
    private bool IsCountedByIndex(Stmt statement, Stmt? previous)
    {
        if (_countedLoops.ContainsKey(statement))
        {
            return true;
        }

        if (CountingIndex(statement, previous) is not { } counting || _recording.SaveOf(counting.Increment) != Storage.Inverse || !_recording.HasReverse(counting.Increment))
        {
            return false;
        }

        _countedLoops[statement] = (counting.Increment.Target, counting.Start);
        return true;
    }

    /// <summary>
    /// The index of a counted loop and its start as C# text: <c>i = start; while (i &lt; bound) { …; i = i + 1; }</c>,
    /// the increment the step of a for loop or the last statement of a while loop's body and the only write of
    /// <c>i</c> in the loop, <c>start</c> a value that cannot change or that the reverse sweep keeps. The loop ran
    /// <c>i − start</c> times; the condition <c>i &lt; bound</c> or <c>i + c &lt; bound</c> (alone or as a conjunct, see
    /// <see cref="OffsetBound"/>) keeps <c>i + 1</c> from overflowing.
    /// </summary>
    private (AssignStmt Increment, string Start)? CountingIndex(Stmt statement, Stmt? previous)
    {
        if (statement is not LoopStmt { TestFirst: true, Condition: { } condition } loop
            || (loop.Step.Count == 1 ? loop.Step[0] : loop.Step.Count == 0 && loop.Body.Count > 0 ? loop.Body[loop.Body.Count - 1] : null)
                is not AssignStmt { Type: { Shape: ShapeKind.Scalar, Scalar: ScalarKind.Int or ScalarKind.Long } } increment
            || increment.Value is not BinaryExpr { Op: BinaryOp.Add, Left: VarExpr left, Right: ConstExpr { Text: "1" or "1L" } }
            || left.Name != increment.Target
            || previous is not AssignStmt start
            || start.Target != increment.Target
            || !Conjuncts(condition).Any(c => OffsetBound.Of(c, increment.Target) is { } bound && OffsetBound.StartFits(start.Value, bound.Offset, increment.Type.Scalar))
            || IrWalker.Statements(loop.Body).OfType<AssignStmt>().Any(a => a.Target == increment.Target && !ReferenceEquals(a, increment))
            || !(IsInvariant(start.Value) || HoldsInReverse(start.Value, loop)))
        {
            return null;
        }

        return (increment, ExpressionPrinter.Print(start.Value));
    }

    /// <summary>
    /// The trip count of a counted loop whose reverse does not restore its index (a time-stepping loop whose step the
    /// reverse never reads), taken right after the forward loop instead of counted in it; null for other loops.
    /// </summary>
    private string? TripCountAfter(Stmt statement, Stmt? previous)
    {
        if (CountingIndex(statement, previous) is not { Increment.Type.Scalar: ScalarKind.Int } counting)
        {
            return null;
        }

        var index = counting.Increment.Target;
        return counting.Start == "0" ? index
            : index + " - " + (counting.Start.All(c => char.IsLetterOrDigit(c) || c == '_') ? counting.Start : "(" + counting.Start + ")");
    }

    /// <summary>
    /// A start read from integer scalars the loop does not write and the reverse sweep keeps (needed: every overwrite
    /// of them is undone before this loop's reverse), so it has its forward value there (n-body's <c>j = i + 1</c>).
    /// </summary>
    private bool HoldsInReverse(Expr start, LoopStmt loop)
    {
        var written = new HashSet<string>(IrWalker.Statements(loop.Body.Concat(loop.Step).ToEquatableArray()).OfType<AssignStmt>().Select(a => a.Target));
        return IrWalker.Descendants(start).All(e => e is ConstExpr or VarExpr or BinaryExpr { Op: BinaryOp.Add or BinaryOp.Subtract or BinaryOp.Multiply })
            && IrWalker.Descendants(start).OfType<VarExpr>().All(v => v.Type is { Shape: ShapeKind.Scalar, Scalar: ScalarKind.Int or ScalarKind.Long }
                && _recording.Needed.Contains(v.Name) && !written.Contains(v.Name));
    }

    /// <summary>
    /// At the start of a reversed iteration: the values of the body's top that are evaluated again instead of saved.
    /// In a loop that stores into arrays or calls a helper, a comment says why reading arrays again is sound there.
    /// </summary>
    private void WriteRecomputed(LoopStmt loop, IndentedWriter w)
    {
        var recomputed = _recording.RecomputedIn(loop);
        var inLoop = IrWalker.Statements(loop.Body.Concat(loop.Step).ToEquatableArray()).ToList();
        var arrays = recomputed.SelectMany(a => IrWalker.Descendants(a.Value)).OfType<ElementExpr>().Select(e => e.Array).Distinct().ToList();
        if (arrays.Count > 0 && inLoop.Any(s => s is StoreStmt || IrWalker.Expressions(s).SelectMany(IrWalker.Descendants).Any(e => e is MethodCallExpr)))
        {
            w.WriteLine("// Read again from " + string.Join(", ", arrays) + ", which this loop's stores and calls cannot change.");
        }

        foreach (var a in recomputed)
        {
            w.WriteLine(a.Target + " = " + ExpressionPrinter.Print(a.Value) + ";");
        }
    }

    private static IEnumerable<Expr> Conjuncts(Expr condition) => condition is BinaryExpr { Op: BinaryOp.ConditionalAnd } and
        ? Conjuncts(and.Left).Concat(Conjuncts(and.Right))
        : new[] { condition };

    /// <summary>A value the reverse sweep can evaluate again with the same result: constants and never-assigned parameters.</summary>
    private bool IsInvariant(Expr value) => value switch
    {
        ConstExpr => true,
        VarExpr v => _method.Parameters.Any(p => p.Name == v.Name) && !_assignmentCounts.ContainsKey(v.Name),
        BinaryExpr { Op: BinaryOp.Add or BinaryOp.Subtract or BinaryOp.Multiply } b => IsInvariant(b.Left) && IsInvariant(b.Right),
        UnaryExpr { Op: UnaryOp.Negate or UnaryOp.Plus } u => IsInvariant(u.Operand),
        CastExpr c => IsInvariant(c.Operand),
        _ => false,
    };

    /// <summary>
    /// Writes a loop through <paramref name="write"/>; when it is innermost, on block-local copies of the method-level
    /// scalars its text writes.
    /// </summary>
    private void InRegisters(LoopStmt loop, IndentedWriter w, Action<IndentedWriter> write)
    {
        var innermost = !IrWalker.Statements(loop.Body.Concat(loop.Step).ToEquatableArray()).Any(s => s is LoopStmt or EffectStmt);
        if (!innermost)
        {
            write(w);
            return;
        }

        var inner = new IndentedWriter();
        inner.Indent(w.Level + 1);
        write(inner);
        InRegisters(inner.ToString(), w);
    }

    /// <summary>Writes the text of an innermost loop (indented one level deeper than <paramref name="w"/>) on block-local copies.</summary>
    private void InRegisters(string text, IndentedWriter w)
    {
        var written = LoopLocals.Written(text, IsRegisterCandidate);
        var arrays = LoopLocals.OnlyRead(text, IsArrayCandidate);
        if (written.Count == 0 && arrays.Count == 0)
        {
            w.AppendOutdented(text);
            return;
        }

        // One name per variable: the blocks are innermost, so no two of them nest, and siblings may share names.
        var copies = written.Concat(arrays).ToDictionary(name => name, CopyOf);
        w.WriteLine("// In block-local copies of " + string.Join(", ", written)
            + (arrays.Count == 0 ? string.Empty : (written.Count == 0 ? string.Empty : " and ") + "the array references " + string.Join(", ", arrays))
            + ", which the JIT keeps in registers.");
        w.OpenBrace();
        foreach (var name in written.Concat(arrays))
        {
            w.WriteLine("var " + copies[name] + " = " + name + ";");
        }

        w.AppendText(LoopLocals.Rename(text, copies));
        foreach (var name in written)
        {
            w.WriteLine(name + " = " + copies[name] + ";");
        }

        w.CloseBrace();
    }

    private string CopyOf(string variable)
    {
        if (!_registerCopies.TryGetValue(variable, out var copy))
        {
            _registerCopies[variable] = copy = Fresh("_" + variable.TrimStart('_'));
        }

        return copy;
    }

    /// <summary>
    /// A scalar local of the backward declared at its top: the body's locals, the adjoints of scalars and the
    /// transformation's saved values and counters. Parameters are left alone (a <c>ref</c> one may alias an element);
    /// so are locals named like a contextual keyword, which the text may use as one (<c>var _t0</c>, <c>global::</c>).
    /// </summary>
    private bool IsRegisterCandidate(string name)
    {
        if (name.Length == 0 || name[0] == '@' || NameScope.IsKeyword(name) || NameScope.IsContextualKeyword(name))
        {
            return false;
        }

        if (_method.Locals.FirstOrDefault(l => l.Name == name) is { } local)
        {
            return local.Type is { Shape: ShapeKind.Scalar, StructName.Length: 0 };
        }

        if (_adjoints.FirstOrDefault(p => p.Value == name) is { Key: { } variable } && variable != _resultName && !IsSignatureAdjoint(variable))
        {
            return _types[variable] is { Shape: ShapeKind.Scalar, StructName.Length: 0 } && name != Seed;
        }

        return _declarations.Any(d => LoopLocals.DeclaresScalar(d, name));
    }

    /// <summary>
    /// An array variable of the backward (a parameter, a local, a local's adjoint array) whose reference a loop may
    /// read from a block-local copy: in a long backward the method-level reference is live across the tape's calls, so
    /// the JIT keeps it in a stack slot and reloads it (and stores it back) in every iteration of the loop that indexes
    /// it (GMM's inner reverse loop, session 14). Spans are left alone: the JIT copies a span's block-local copy back
    /// to the parameter it came from.
    /// </summary>
    private bool IsArrayCandidate(string name)
    {
        if (name.Length == 0 || name[0] == '@' || NameScope.IsKeyword(name) || NameScope.IsContextualKeyword(name))
        {
            return false;
        }

        if (_method.Parameters.FirstOrDefault(p => p.Name == name) is { } parameter)
        {
            return parameter.Type is { Shape: ShapeKind.Array, StructName.Length: 0 };
        }

        if (_method.Locals.FirstOrDefault(l => l.Name == name) is { } local)
        {
            return local.Type is { Shape: ShapeKind.Array, StructName.Length: 0 };
        }

        return _adjoints.FirstOrDefault(p => p.Value == name) is { Key: { } variable } && variable != _resultName && !IsSignatureAdjoint(variable)
            && _types[variable] is { Shape: ShapeKind.Array, StructName.Length: 0 };
    }

    /// <summary>
    /// Before the reverse of a loop whose index's start saved nothing (<see cref="RecordingAnalysis.ExitResetOf"/>):
    /// the index's exit value, <c>Max(start, bound)</c>, instead of a value popped after the previous reverse.
    /// </summary>
    private void WriteExitReset(Stmt loop, IndentedWriter w)
    {
        if (_recording.ExitResetOf(loop) is not { } reset)
        {
            return;
        }

        var start = ExpressionPrinter.Print(reset.StartValue);
        var bound = ExpressionPrinter.Print(reset.Bound);
        w.WriteLine("// The index's exit value: its start saved nothing.");
        if (reset.Offset != 0)
        {
            // The start is a literal (OffsetBound.StartFits), so start + offset is folded.
            var offset = reset.Offset.ToString(CultureInfo.InvariantCulture);
            var shifted = (OffsetBound.Literal(reset.StartValue)!.Value + reset.Offset).ToString(CultureInfo.InvariantCulture);
            w.WriteLine(reset.Index + " = " + IntegerText.Max(shifted, bound) + " - " + offset + ";");
            return;
        }

        w.WriteLine(reset.Index + " = " + IntegerText.Max(start, bound) + ";");
    }
}

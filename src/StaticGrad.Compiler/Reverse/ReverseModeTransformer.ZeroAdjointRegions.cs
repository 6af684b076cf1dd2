using System.Collections.Generic;
using System.Linq;
using StaticGrad.Compiler.Analysis;
using StaticGrad.Compiler.Emit;
using StaticGrad.Compiler.IR;
using StaticGrad.Compiler.Model;

namespace StaticGrad.Compiler.Reverse;

/// <summary>
/// The statements before a normalised jump (a <c>return</c>, <c>break</c> or <c>continue</c> became a flag set in an
/// <c>if</c>) may be read only by the path the jump skips. On the path that jumps, their values reach nothing, so the
/// adjoints of everything they assign are exactly zero when their reverse starts; but that reverse still runs (the
/// liveness that detaches dead values is path-insensitive at the join after the jump), and 0 · ∞ is NaN where such a
/// value overflowed (random batch 20262460's P51: a loop grows a local to ∞, then <c>if (…) return cosh(x0)</c>). PyTorch
/// would give the finite gradient: the untaken path's values are not in its graph.
/// <para>
/// So the reverse of each such statement (a region) is emitted inside a check: when the adjoints of every variable
/// it assigns are exactly zero, its exact contribution to every adjoint is zero, and the adjoints it may write are set
/// back to their values before it (it still runs, so the tape is popped and the overwritten values restored as
/// always): the assigned ones to zero, the others from copies in locals (register moves); a span parameter's adjoint
/// is copied only when the check holds. Only regions whose reverse writes nothing else (no struct, local-array or grid adjoint) and that store
/// no active element (an element's adjoint cannot be checked cheaply) are checked; a method without a jump has none, so
/// code without early returns, breaks or continues is unchanged.
/// </para>
/// </summary>
public sealed partial class ReverseModeTransformer
{
    /// <summary>A checked run of statements: indices <see cref="Start"/> to <see cref="End"/> of its block.</summary>
    private sealed record ZeroAdjointRegion(int Start, int End, IReadOnlyList<string> Assigned, IReadOnlyList<string> Written);

    /// <summary>
    /// The checked regions of a block, by the index of their last statement (where their reverse starts): each statement
    /// before a jump (one that sets a jump flag or the result) on its own, so that a value the jumping path still reads
    /// (a nonzero adjoint) does not keep another statement's zero adjoints from their check.
    /// </summary>
    private Dictionary<int, ZeroAdjointRegion> ZeroAdjointRegions(EquatableArray<Stmt> block)
    {
        var regions = new Dictionary<int, ZeroAdjointRegion>();
        if (!_method.HasJumps)
        {
            return regions;
        }

        var start = 0;
        for (var i = 0; i < block.Count; i++)
        {
            if (!IsJump(block[i]))
            {
                continue;
            }

            for (var j = start; j < i; j++)
            {
                if (Region(block, j) is { } region)
                {
                    regions[j] = region;
                }
            }

            start = i + 1;
        }

        return regions;
    }

    /// <summary>Whether <paramref name="statement"/> holds a normalised return, break or continue: a jump flag set, or the result written.</summary>
    private bool IsJump(Stmt statement) =>
        IrWalker.Statements(new[] { statement }.ToEquatableArray()).Any(s => s is AssignStmt a
            && ((a.Value is ConstExpr { Text: "true" } && _method.JumpFlags.Contains(a.Target)) || a.Target == _method.Result));

    /// <summary>Statement <paramref name="index"/> of the block as a region, or null when it cannot be checked cheaply or has nothing to check.</summary>
    private ZeroAdjointRegion? Region(EquatableArray<Stmt> block, int index)
    {
        var all = IrWalker.Statements(new[] { block[index] }.ToEquatableArray()).ToList();
        if (!_recording.HasReverse(block[index]) || all.Any(s => s is LoopStmt && _fusion.IsFused(s)) || SharesItsReverse(all))
        {
            return null;
        }

        var assigned = new List<string>();
        foreach (var statement in all)
        {
            switch (statement)
            {
                case AssignStmt a when _adjoints.ContainsKey(a.Target):
                    if (a.Type is not { Shape: ShapeKind.Scalar, StructName.Length: 0, IsFloating: true } || a.Target == _resultName)
                    {
                        return null;
                    }

                    if (!assigned.Contains(a.Target))
                    {
                        assigned.Add(a.Target);
                    }

                    break;
                case StoreStmt s when _adjoints.ContainsKey(s.Array):
                case NewArrayStmt n when _adjoints.ContainsKey(n.Target):
                    return null;
            }
        }

        // A statement whose assignments read no derivative (a constant start) only clears adjoints: nothing to set back.
        if (!all.OfType<AssignStmt>().Any(a => assigned.Contains(a.Target) && ActivityAnalysis.DerivativeReads(a.Value).Any()))
        {
            return null;
        }

        var mentioned = all.SelectMany(s => IrWalker.Expressions(s).SelectMany(IrWalker.ReadVariables)).Concat(assigned).Distinct().Where(_adjoints.ContainsKey).ToList();
        if (assigned.Count == 0 || mentioned.Any(v => !CanSetBack(v)))
        {
            return null;
        }

        return new ZeroAdjointRegion(index, index, assigned, mentioned);
    }

    /// <summary>
    /// Whether a statement's reverse is joined to another's: one backward for several fields of a struct result (the
    /// head's call carries the other statements' adjoints, which setting it back would drop), or a shared result.
    /// </summary>
    private bool SharesItsReverse(IReadOnlyList<Stmt> statements) =>
        statements.Any(s => _wholeSeedHeads.ContainsKey(s) || _sharedResultDeclarations.ContainsKey(s) || _sharedResultReads.ContainsKey(s)
            || IrWalker.Expressions(s).SelectMany(IrWalker.Descendants).OfType<MethodCallExpr>().Any(_deferredLeafCalls.ContainsKey));

    /// <summary>Whether the adjoint of <paramref name="variable"/> can be copied and set back: a floating scalar's, or a one-dimensional parameter's span.</summary>
    private bool CanSetBack(string variable) =>
        variable != _resultName && _types[variable] is { StructName.Length: 0 } type && type.Scalar is ScalarKind.Double or ScalarKind.Float
        && (type.Shape == ShapeKind.Scalar || (IsSignatureAdjoint(variable) && !type.IsMultiDimensional));

    /// <summary>The region's reverse, inside the check that sets its adjoints back when they all started at zero.</summary>
    private void ReverseRegion(EquatableArray<Stmt> block, ZeroAdjointRegion region, IndentedWriter w)
    {
        // Carried element updates of the statements after the region are written before it, so that none is set back.
        EndCarrying(w);
        var zero = Temporary("_zero");
        w.WriteLine("// Reached with zero adjoints (a jump skipped every read), it adds nothing: its writes are set back, so that 0 · ∞ is no NaN.");
        w.WriteLine("bool " + zero + " = " + string.Join(" && ", region.Assigned.Select(v => _adjoints[v] + " == " + Zero(_types[v]))) + ";");
        // An assigned variable's adjoint is zero whenever it is set back, so only the others are copied.
        var copies = new List<(string Adjoint, string Copy, IrType Type)>();
        foreach (var variable in region.Written.Where(v => !region.Assigned.Contains(v)))
        {
            var type = _types[variable];
            var copy = Temporary("_before");
            var adjoint = _adjoints[variable];
            copies.Add((adjoint, copy, type));
            w.WriteLine(type.Shape == ShapeKind.Scalar
                ? "var " + copy + " = " + adjoint + ";"
                : "var " + copy + " = " + zero + " ? " + adjoint + ".ToArray() : global::System.Array.Empty<" + type.ScalarKeyword + ">();");
        }

        for (var i = region.End; i >= region.Start; i--)
        {
            ReverseStatement(block[i], w);
        }

        EndCarrying(w);
        w.WriteLine("if (" + zero + ")");
        w.OpenBrace();
        foreach (var variable in region.Assigned)
        {
            w.WriteLine(_adjoints[variable] + " = " + Zero(_types[variable]) + ";");
        }

        foreach (var (adjoint, copy, type) in copies)
        {
            w.WriteLine(type.Shape == ShapeKind.Scalar
                ? adjoint + " = " + copy + ";"
                : "new global::System.Span<" + type.ScalarKeyword + ">(" + copy + ").CopyTo(" + adjoint + ");");
        }

        w.CloseBrace();
    }
}

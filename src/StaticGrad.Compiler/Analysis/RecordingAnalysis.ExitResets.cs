using System.Collections.Generic;
using System.Linq;
using StaticGrad.Compiler.IR;
using StaticGrad.Compiler.Model;

namespace StaticGrad.Compiler.Analysis;

/// <summary>
/// Loop indices set again instead of saved. A counted loop <c>v = start; while (v &lt; bound) { …; v = v + 1; }</c>
/// or <c>while (v + c &lt; bound)</c> (the increment its only write in the loop, no other conjunct in the condition, <c>start</c> a constant or an
/// unassigned parameter, <c>bound</c> integer arithmetic of scalars the loop does not write) leaves <c>v</c> at
/// <c>Max(start, bound)</c>. When <c>v</c> is a local written only by that start and that increment and read nowhere
/// outside the loop, the reverse sweep sets it to that value right before the loop's reverse instead of restoring the
/// value the start overwrote: in a loop nest (GMM's rows and columns) the start saves nothing per outer iteration.
/// </summary>
public sealed partial class RecordingAnalysis
{
    private readonly Dictionary<Stmt, ExitReset> _exitResets = new(ReferenceComparer<Stmt>.Instance);
    private readonly Dictionary<Stmt, ExitReset> _resetStarts = new(ReferenceComparer<Stmt>.Instance);
    private List<ExitReset> _resetCandidates = new();

    /// <summary>The index a loop's reverse sets to its exit value before it runs (null: the index is restored as before).</summary>
    public ExitReset? ExitResetOf(Stmt loop) => _exitResets.TryGetValue(loop, out var reset) ? reset : null;

    private void FindResetCandidates(MethodIR method, Dictionary<string, int> assignmentCounts)
    {
        var parameters = new HashSet<string>(method.Parameters.Select(p => p.Name));
        foreach (var block in Blocks(method.Body))
        {
            for (var k = 1; k < block.Count; k++)
            {
                if (block[k] is not LoopStmt { TestFirst: true, Condition: { } condition } loop
                    || block[k - 1] is not AssignStmt { Type: { Shape: ShapeKind.Scalar, Scalar: ScalarKind.Int or ScalarKind.Long } } start
                    || OffsetBound.Of(condition, start.Target) is not var (bound, offset)
                    || !OffsetBound.StartFits(start.Value, offset, start.Type.Scalar)
                    || parameters.Contains(start.Target)
                    || bound.Type != start.Type
                    || !assignmentCounts.TryGetValue(start.Target, out var count) || count != 2)
                {
                    continue;
                }

                var index = new VarExpr(start.Type, start.Target);

                var increment = loop.Step.Count == 1 ? loop.Step[0] : loop.Step.Count == 0 && loop.Body.Count > 0 ? loop.Body[loop.Body.Count - 1] : null;
                if (increment is not AssignStmt { Value: BinaryExpr { Op: BinaryOp.Add, Left: VarExpr left, Right: ConstExpr { Text: "1" or "1L" } } } step
                    || step.Target != index.Name
                    || left.Name != index.Name
                    || !IsStartInvariant(start.Value, parameters, assignmentCounts))
                {
                    continue;
                }

                var inLoop = new HashSet<Stmt>(IrWalker.Statements(new Stmt[] { loop }.ToEquatableArray()), ReferenceComparer<Stmt>.Instance);
                var writtenInLoop = new HashSet<string>(inLoop.OfType<AssignStmt>().Select(a => a.Target));
                if (!IsPureBound(bound, writtenInLoop, array => FixedLength(method, array, parameters, assignmentCounts))
                    || IrWalker.Statements(method.Body).Any(s => !inLoop.Contains(s) && !ReferenceEquals(s, start)
                        && ((s is AssignStmt a && a.Target == index.Name) || IrWalker.Expressions(s).Any(e => IrWalker.ReadVariables(e).Contains(index.Name)))))
                {
                    continue;
                }

                _resetCandidates.Add(new ExitReset(loop, start, index.Name, start.Value, bound, offset));
            }
        }
    }

    private static IEnumerable<EquatableArray<Stmt>> Blocks(EquatableArray<Stmt> body)
    {
        yield return body;
        foreach (var statement in IrWalker.Statements(body))
        {
            switch (statement)
            {
                case IfStmt branch:
                    yield return branch.Then;
                    yield return branch.Else;
                    break;
                case LoopStmt loop:
                    yield return loop.Body;
                    yield return loop.Step;
                    break;
            }
        }
    }

    private static bool IsStartInvariant(Expr value, HashSet<string> parameters, Dictionary<string, int> assignmentCounts) => value switch
    {
        ConstExpr => true,
        VarExpr v => parameters.Contains(v.Name) && assignmentCounts.TryGetValue(v.Name, out var count) && count == 1,
        BinaryExpr { Op: BinaryOp.Add or BinaryOp.Subtract or BinaryOp.Multiply } b => IsStartInvariant(b.Left, parameters, assignmentCounts) && IsStartInvariant(b.Right, parameters, assignmentCounts),
        UnaryExpr { Op: UnaryOp.Negate or UnaryOp.Plus } u => IsStartInvariant(u.Operand, parameters, assignmentCounts),
        _ => false,
    };

    /// <summary>Integer arithmetic of constants and scalars the loop does not write: the same value in the reverse sweep (its scalars are needed).</summary>
    private static bool IsPureBound(Expr bound, HashSet<string> writtenInLoop, System.Func<string, bool> fixedLength) => bound switch
    {
        ConstExpr => true,
        LengthExpr { Row: null } l => fixedLength(l.Array),
        VarExpr { Type: { Shape: ShapeKind.Scalar, Scalar: ScalarKind.Int or ScalarKind.Long } } v => !writtenInLoop.Contains(v.Name),
        BinaryExpr { Op: BinaryOp.Add or BinaryOp.Subtract or BinaryOp.Multiply } b => IsPureBound(b.Left, writtenInLoop, fixedLength) && IsPureBound(b.Right, writtenInLoop, fixedLength),
        UnaryExpr { Op: UnaryOp.Negate or UnaryOp.Plus } u => IsPureBound(u.Operand, writtenInLoop, fixedLength),
        _ => false,
    };

    /// <summary>An array whose length is the same wherever it is read: a parameter never assigned, or a local created once outside loops and never assigned.</summary>
    private bool FixedLength(MethodIR method, string array, HashSet<string> parameters, Dictionary<string, int> assignmentCounts)
    {
        if (parameters.Contains(array))
        {
            return assignmentCounts.TryGetValue(array, out var count) && count == 1 && !_creations.ContainsKey(array);
        }

        return !assignmentCounts.ContainsKey(array)
            && IrWalker.Statements(method.Body).OfType<NewArrayStmt>().Where(n => n.Target == array).ToList() is { Count: 1 } creations
            && _sites.EnclosingLoop(creations[0]) is null;
    }

    /// <summary>Keeps the scalars of the bounds of needed indices consistent in the reverse sweep; true when that needed more.</summary>
    private bool NeedResetBounds(HashSet<string> needed)
    {
        var changed = false;
        foreach (var candidate in _resetCandidates.Where(c => needed.Contains(c.Index)))
        {
            foreach (var read in IrWalker.ReadVariables(candidate.Bound))
            {
                changed |= needed.Add(read);
            }
        }

        return changed;
    }

    /// <summary>After the fixed point: the starts of needed indices that <see cref="Plan"/> may leave unsaved.</summary>
    private void PlanResets()
    {
        foreach (var candidate in _resetCandidates.Where(c => Needed.Contains(c.Index)))
        {
            _resetStarts[candidate.Start] = candidate;
        }
    }

    /// <summary>Whether a start that would save the value it overwrites is reset instead (then its loop's reverse sets the index).</summary>
    private bool ResetInstead(Stmt start)
    {
        if (!_resetStarts.TryGetValue(start, out var reset))
        {
            return false;
        }

        _exitResets[reset.Loop] = reset;
        return true;
    }
}

/// <summary>
/// A counted loop's index, set to <c>Max(start, bound)</c> (its value when the loop exits) before the loop's reverse;
/// under <c>index + Offset &lt; bound</c>, <c>Max(start + Offset, bound) − Offset</c> (neither step wraps: the start
/// leaves room for the offset, and the maximum is at least <c>start + Offset</c>).
/// </summary>
public sealed record ExitReset(LoopStmt Loop, AssignStmt Start, string Index, Expr StartValue, Expr Bound, long Offset);

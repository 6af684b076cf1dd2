using System.Collections.Generic;
using System.Linq;
using StaticGrad.Compiler.IR;
using StaticGrad.Compiler.Model;

namespace StaticGrad.Compiler.Analysis;

/// <summary>
/// Inner reduction loops fused inside a fused iteration (issue 18, session 17). The adjoint of a fused accumulator is
/// the same everywhere in its loop, so an inner loop whose iterations also communicate only through those
/// accumulators can be reversed iteration by iteration as well: n-body's pair loop <c>for (j = i + 1; …) potential -=
/// m_i m_j / sqrt(|r|² + ε)</c> then computes <c>r</c> and the square root once per pair, where a separate reverse loop
/// ran the pair loop a second time to evaluate them again (the JIT's listing: 200 instructions and 2 <c>sqrt</c> per
/// pair against the hand-written 112 and 1).
/// <para>
/// Why the rest of the fused iteration cannot tell: each inner iteration's reverse restores what it saved, so after the
/// inner loop the saved variables hold their values from before it, where the unfused schedule left them their
/// forward values until its own reverse loop ran; hence they may not be read by the statements after the inner loop.
/// Its step is never undone, so its index keeps the exit value where the unfused reverse loop had counted it back; hence
/// nothing outside the inner loop may read what the step writes.
/// </para>
/// </summary>
public sealed partial class ReductionFusion
{
    private readonly Dictionary<Stmt, IReadOnlyList<FusedAccumulator>> _fusedInner = new(ReferenceComparer<Stmt>.Instance);

    /// <summary>Whether a loop is an inner loop fused inside a fused iteration.</summary>
    public bool IsFusedInner(Stmt loop) => _fusedInner.ContainsKey(loop);

    /// <summary>
    /// The accumulators whose adjoints are set before a fused loop runs: a top-level fused loop's; none for an inner
    /// loop fused inside one (its outer loop set them).
    /// </summary>
    public IReadOnlyList<FusedAccumulator> SeededBy(Stmt loop) =>
        _fused.TryGetValue(loop, out var accumulators) ? accumulators : System.Array.Empty<FusedAccumulator>();

    /// <summary>Fuses the innermost reduction loops directly in <paramref name="outer"/>'s body into its iterations.</summary>
    private void FuseInnerLoops(LoopStmt outer, IReadOnlyList<FusedAccumulator> accumulators, ActivityAnalysis activity, RecordingAnalysis recording)
    {
        var names = new HashSet<string>(accumulators.Select(a => a.Name));
        for (var m = 0; m < outer.Body.Count; m++)
        {
            if (outer.Body[m] is LoopStmt inner && recording.HasReverse(inner) && IsFusableInner(outer, m, inner, names, activity, recording))
            {
                var updated = new HashSet<string>(IrWalker.Statements(inner.Body).OfType<AssignStmt>().Select(a => a.Target));
                _fusedInner[inner] = accumulators.Where(a => updated.Contains(a.Name)).ToList();
                AddOnceDirect(inner.Body);
            }
        }
    }

    /// <summary>
    /// Whether the innermost loop <paramref name="inner"/> at <paramref name="m"/> in <paramref name="outer"/>'s body
    /// updates only fused accumulators across its iterations (every other variable it writes is private to an
    /// iteration or an unsaved inactive value), holding no array store, creation, jump or call.
    /// </summary>
    private static bool IsFusableInner(LoopStmt outer, int m, LoopStmt inner, HashSet<string> accumulators, ActivityAnalysis activity, RecordingAnalysis recording)
    {
        var inBody = IrWalker.Statements(inner.Body).ToList();
        var inStep = IrWalker.Statements(inner.Step).ToList();
        var conditionReads = inner.Condition is null ? new List<string>() : IrWalker.ReadVariables(inner.Condition).ToList();
        if (inBody.Concat(inStep).Any(s => s is not (AssignStmt or IfStmt))
            || inBody.Concat(inStep).SelectMany(IrWalker.Expressions).Concat(inner.Condition is null ? Enumerable.Empty<Expr>() : new[] { inner.Condition })
                .SelectMany(IrWalker.Descendants).Any(e => e is MethodCallExpr))
        {
            return false;
        }

        // The step moves inactive counters the body does not write; it is never undone.
        var stepWritten = new HashSet<string>(inStep.OfType<AssignStmt>().Select(a => a.Target));
        if (inStep.Any(s => s is not AssignStmt || recording.SaveOf(s) is Storage.Tape or Storage.Local) || stepWritten.Any(activity.IsActive)
            || inBody.OfType<AssignStmt>().Any(a => stepWritten.Contains(a.Target)))
        {
            return false;
        }

        var before = outer.Body.Take(m).ToEquatableArray();
        var after = outer.Body.Skip(m + 1).ToEquatableArray();
        var readAfter = new HashSet<string>(IrWalker.Statements(after).Concat(IrWalker.Statements(outer.Step)).SelectMany(IrWalker.Expressions)
            .Concat(outer.Condition is null ? Enumerable.Empty<Expr>() : new[] { outer.Condition }).SelectMany(IrWalker.ReadVariables));
        var readBefore = new HashSet<string>(IrWalker.Statements(before).SelectMany(IrWalker.Expressions).SelectMany(IrWalker.ReadVariables));
        var writtenAfter = new HashSet<string>(IrWalker.Statements(after).Select(Written).Where(n => n is not null)!);
        if (stepWritten.Overlaps(readAfter) || stepWritten.Overlaps(readBefore))
        {
            return false;
        }

        // An inner iteration's reverse adds into the adjoints of what it reads before the statements after the loop are
        // reversed: a write of such a variable there would take those additions for its own.
        var readInLoop = inBody.Concat(inStep).SelectMany(IrWalker.Expressions).SelectMany(IrWalker.ReadVariables).Concat(conditionReads);
        if (readInLoop.Any(n => writtenAfter.Contains(n) && activity.IsActive(n)))
        {
            return false;
        }

        var privates = new HashSet<string>();
        foreach (var variable in new HashSet<string>(inBody.OfType<AssignStmt>().Select(a => a.Target)))
        {
            var writes = inBody.OfType<AssignStmt>().Where(a => a.Target == variable).ToList();
            var unsaved = writes.All(w => recording.SaveOf(w) == Storage.None && !recording.IsRecomputed(w));
            if (accumulators.Contains(variable))
            {
                // The outer loop's plan already checked that nothing else in it reads the accumulator.
                if (!unsaved || writes.Any(w => RecordingAnalysis.LinearUpdate(w) is null))
                {
                    return false;
                }
            }
            else if (activity.IsActive(variable) || !unsaved)
            {
                privates.Add(variable);
            }
        }

        return !privates.Overlaps(readAfter) && !privates.Overlaps(conditionReads)
            && WrittenBeforeRead(inner.Body, privates, new HashSet<string>());
    }
}

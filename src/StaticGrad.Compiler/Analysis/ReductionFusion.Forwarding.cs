using System.Collections.Generic;
using System.Linq;
using StaticGrad.Compiler.IR;
using StaticGrad.Compiler.Model;

namespace StaticGrad.Compiler.Analysis;

/// <summary>
/// Session 20: an accumulator that reaches the result through a local keeping a value for it
/// (<c>var kept = s * 0.5 + y; … return kept;</c>, the random programs' DeadTail, which takes the result's value before
/// a loop that overwrites what it read). The result is still linear in the accumulator, with the path through the
/// kept value's expression: the accumulator's adjoint is set before its loop from both paths, and the kept value's
/// reverse, like the final statement's, adds nothing into the fused accumulators again (<see cref="IsForwarding"/>).
/// </summary>
public sealed partial class ReductionFusion
{
    private readonly HashSet<Stmt> _forwarding = new(ReferenceComparer<Stmt>.Instance);

    /// <summary>Whether a statement keeps a value for the result through which a fused accumulator reaches it: its reverse must not add into that accumulator's adjoint.</summary>
    public bool IsForwarding(Stmt statement) => _forwarding.Contains(statement);

    /// <summary>
    /// The top-level statements <c>kept = e</c> (by index) of a floating scalar local (not a parameter) assigned nowhere else, read
    /// nowhere but once by the final statement along a linear path, with no call in <c>e</c> (whose reverse would
    /// differentiate it through its own backward, before the accumulator's share could be skipped).
    /// </summary>
    private static Dictionary<int, AssignStmt> Forwards(MethodIR method, AssignStmt final)
    {
        var body = method.Body;
        var forwards = new Dictionary<int, AssignStmt>();
        var statements = IrWalker.Statements(body).ToList();
        for (var c = 0; c < body.Count - 1; c++)
        {
            if (body[c] is AssignStmt { Type: { Shape: ShapeKind.Scalar, StructName.Length: 0, IsFloating: true } } kept
                && kept.Target != final.Target && method.Locals.Any(l => l.Name == kept.Target)
                && !IrWalker.Descendants(kept.Value).Any(e => e is MethodCallExpr)
                && statements.Count(s => s is AssignStmt a && a.Target == kept.Target) == 1
                && !statements.Where(s => !ReferenceEquals(s, final)).SelectMany(IrWalker.Expressions).SelectMany(IrWalker.ReadVariables).Contains(kept.Target)
                && Path(final.Value, kept.Target) is not null)
            {
                forwards[c] = kept;
            }
        }

        return forwards;
    }

    /// <summary>
    /// The path from the result to the accumulator <paramref name="variable"/> of the loop at <paramref name="k"/>: read by
    /// the final statement alone, or by one kept value after the loop alone; null when anything else reads it.
    /// </summary>
    private static List<FusionStep>? PathToResult(EquatableArray<Stmt> body, int k, AssignStmt final, string variable, Dictionary<int, AssignStmt> forwards, List<AssignStmt> forwarding)
    {
        var readers = Enumerable.Range(0, body.Count - 1).Where(j => j != k
            && IrWalker.Statements(new[] { body[j] }.ToEquatableArray()).SelectMany(IrWalker.Expressions).SelectMany(IrWalker.ReadVariables).Contains(variable)).ToList();
        if (readers.Count == 0)
        {
            return Path(final.Value, variable);
        }

        if (readers.Count != 1 || readers[0] < k || !forwards.TryGetValue(readers[0], out var kept)
            || IrWalker.ReadVariables(final.Value).Contains(variable)
            || Path(kept.Value, variable) is not { } inner || Path(final.Value, kept.Target) is not { } outer)
        {
            return null;
        }

        forwarding.Add(kept);
        return outer.Concat(inner).ToList();
    }
}

using System.Collections.Generic;
using System.Linq;
using StaticGrad.Compiler.IR;
using StaticGrad.Compiler.Model;

namespace StaticGrad.Compiler.Analysis;

/// <summary>
/// Session 20: fusion past dead writes. A fused iteration adds its share of the adjoint of every local it reads
/// before the reverse sweep starts, so a later write of such a local, whose reverse clears the local's adjoint, would
/// throw that share away: fusion used to refuse the loop. When every later write of the local carries no derivative
/// (DerivativeLiveness detached it: its value never reaches the result) and nothing from the first of them on reads
/// the local with a derivative, the adjoint of every value those writes store is exactly zero, so their reverses have
/// nothing to clear: they keep the adjoint (<see cref="KeepsAdjoint"/>), and it reaches the local's earlier
/// definitions holding the fused share plus what the reads between the loop and the first write add. The primal is
/// untouched: the fused iteration ran before those writes and read the value the original loop read, and the writes
/// still save and restore what they overwrite for the reverses before them.
/// </summary>
public sealed partial class ReductionFusion
{
    private readonly HashSet<Stmt> _keptAdjointWrites = new(ReferenceComparer<Stmt>.Instance);

    /// <summary>Whether the reverse of a (dead, detached) write must leave its target's adjoint as it is: it holds a fused loop's share.</summary>
    public bool KeepsAdjoint(Stmt statement) => _keptAdjointWrites.Contains(statement);

    /// <summary>
    /// The writes of <paramref name="variable"/> after the top-level statement <paramref name="k"/>, when all of them are
    /// dead (see the class summary) so a fused loop at <paramref name="k"/> may read it; null when one may be live.
    /// </summary>
    private static List<AssignStmt>? DeadWritesAfter(EquatableArray<Stmt> body, int k, string variable, ActivityAnalysis activity)
    {
        var first = k + 1;
        while (first < body.Count && !IrWalker.Statements(new[] { body[first] }.ToEquatableArray()).Any(s => Written(s) == variable))
        {
            first++;
        }

        var tail = IrWalker.Statements(body.Skip(first).ToEquatableArray()).ToList();
        var writes = new List<AssignStmt>();
        foreach (var statement in tail)
        {
            if (IrWalker.Expressions(statement).SelectMany(ActivityAnalysis.DerivativeReads).Contains(variable))
            {
                return null;
            }

            if (Written(statement) != variable)
            {
                continue;
            }

            if (statement is not AssignStmt { Type: { Shape: ShapeKind.Scalar, StructName.Length: 0, IsFloating: true } } write || activity.IsActive(write.Value))
            {
                return null;
            }

            writes.Add(write);
        }

        return writes;
    }
}

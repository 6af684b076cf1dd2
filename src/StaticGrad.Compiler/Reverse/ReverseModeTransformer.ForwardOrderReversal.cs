using System.Collections.Generic;
using System.Linq;
using StaticGrad.Compiler.Analysis;
using StaticGrad.Compiler.Emit;
using StaticGrad.Compiler.IR;
using StaticGrad.Compiler.Model;

namespace StaticGrad.Compiler.Reverse;

/// <summary>
/// Innermost loops whose reverse runs in forward order (GMM's <c>for (col …) { row += icf[lower] * …; lower += d − col − 2; }</c>,
/// session 16). Running a reverse loop backwards needs the exit value of every integer the loop steps: an index
/// offset (<c>lower</c>) that has no closed form was pushed at the start of every outer iteration and popped after
/// the reverse loop. When no reversed iteration changes what another one reads, the order of the reversed iterations
/// does not matter, and the reverse can start again from the loop's start statements, step the integers as the
/// forward loop did, and save none of them. That holds for a counted loop whose body is only:
/// <list type="bullet">
/// <item>integer steps <c>v = v ± e</c> of variables read nowhere else in the method and assigned only there and in a
/// start statement right before the loop, <c>e</c> reading no array;</item>
/// <item>linear updates <c>s = s ± e</c> that save nothing and whose <c>e</c> reads none of the loop's floating
/// variables: the adjoint of <c>s</c> is the same in every reversed iteration, and each reversed iteration only adds
/// into adjoints the loop does not read.</item>
/// </list>
/// No call, built-in or not: a value the forward sweep saved for a <c>Math</c> call would be read back in the wrong
/// order. The start statements are integer arithmetic (a division or remainder throws again only where the forward
/// did) on constants, parameters never assigned and integers the reverse keeps (so they have their forward values at
/// the loop's reverse). Adjoint elements updated by several iterations are summed in a
/// different order: equal up to rounding. The condition is tested again on the same values, so the forward loop
/// records no trip count.
/// </summary>
public sealed partial class ReverseModeTransformer
{
    private Dictionary<Stmt, ForwardOrderPlan>? _forwardOrder;
    private HashSet<Stmt>? _forwardOrderStarts;

    /// <summary>The start statements and integer steps of a loop reversed in forward order, and its rows (<see cref="RowsOf"/>).</summary>
    private sealed record ForwardOrderPlan(IReadOnlyList<AssignStmt> Starts, IReadOnlyCollection<string> Stepped, RowPlan? Rows);

    private Dictionary<Stmt, ForwardOrderPlan> ForwardOrder
    {
        get
        {
            if (_forwardOrder is null)
            {
                _forwardOrder = new Dictionary<Stmt, ForwardOrderPlan>(ReferenceComparer<Stmt>.Instance);
                PlanForwardOrder(_method.Body);
            }

            return _forwardOrder;
        }
    }

    /// <summary>Start statements of loops reversed in forward order: the reverse evaluates them again, so they save nothing.</summary>
    private HashSet<Stmt> ForwardOrderStarts =>
        _forwardOrderStarts ??= new HashSet<Stmt>(ForwardOrder.Values.SelectMany(p => p.Starts), ReferenceComparer<Stmt>.Instance);

    private void PlanForwardOrder(EquatableArray<Stmt> block)
    {
        for (var i = 0; i < block.Count; i++)
        {
            switch (block[i])
            {
                case IfStmt branch:
                    PlanForwardOrder(branch.Then);
                    PlanForwardOrder(branch.Else);
                    break;
                case LoopStmt loop:
                    if (PlanOf(loop, block, i) is { } plan)
                    {
                        _forwardOrder![loop] = plan;
                    }
                    else
                    {
                        PlanForwardOrder(loop.Body);
                        PlanForwardOrder(loop.Step);
                    }

                    break;
            }
        }
    }

    private ForwardOrderPlan? PlanOf(LoopStmt loop, EquatableArray<Stmt> block, int position)
    {
        var previous = position > 0 ? block[position - 1] : null;
        if (_fusion.IsFused(loop) || CountingIndex(loop, previous) is not { } counting
            || _recording.RecomputedIn(loop).Count > 0
            || loop.Body.Any(s => s is not AssignStmt)
            || IrWalker.Statements(loop.Body.Concat(loop.Step).ToEquatableArray()).SelectMany(IrWalker.Expressions).Append(loop.Condition!)
                .SelectMany(IrWalker.Descendants).Any(e => e is MethodCallExpr or BuiltinCallExpr or SliceExpr or GridExpr))
        {
            return null;
        }

        var index = counting.Increment.Target;
        var body = loop.Body.Where(s => !ReferenceEquals(s, counting.Increment)).Cast<AssignStmt>().ToList();
        var steps = body.Where(IsIntegerStep).ToList();
        var stepped = new HashSet<string>(steps.Select(a => a.Target)) { index };
        var floating = body.Where(a => !IsIntegerStep(a)).ToList();
        if (steps.Select(a => a.Target).Distinct().Count() != steps.Count || steps.Any(a => a.Target == index)
            || floating.Any(a => stepped.Contains(a.Target))
            || floating.Select(a => a.Target).Distinct().Count() != floating.Count
            || floating.Any(a => _recording.SaveOf(a) != Storage.None || RecordingAnalysis.LinearUpdate(a) is not { } update
                || IrWalker.ReadVariables(update.Operand).Any(v => floating.Any(f => f.Target == v)))
            || steps.Any(a => IrWalker.Descendants(a.Value).Any(e => e is ElementExpr)))
        {
            return null;
        }

        // The start statements: the run right before the loop that assigns the index and the stepped integers.
        var starts = new List<AssignStmt>();
        for (var i = position - 1; i >= 0 && block[i] is AssignStmt start && stepped.Contains(start.Target) && starts.All(s => s.Target != start.Target); i--)
        {
            starts.Insert(0, start);
        }

        var loopStatements = new HashSet<Stmt>(IrWalker.Statements(new Stmt[] { loop }.ToEquatableArray()), ReferenceComparer<Stmt>.Instance);
        // The reverse tests the condition again, so it must see what the forward loop saw: no trip count is recorded.
        if (!IrWalker.Descendants(loop.Condition!).All(e => e is ConstExpr or VarExpr or BinaryExpr { Op: not BinaryOp.Divide and not BinaryOp.Remainder })
            || IrWalker.ReadVariables(loop.Condition!).Any(v => !stepped.Contains(v) && !KeepsForwardValue(v)))
        {
            return null;
        }

        // Only where it saves something: a loop whose integers the reverse can reset already keeps its backward order,
        // unless running it upwards lets its reverse read row spans (a loop with no other integer step).
        var rows = steps.Count == 0 && starts.Count == 1 ? RowsOf(loop, starts[0], body) : null;
        if (starts.Count != stepped.Count || (rows is null && (steps.Count == 0 || starts.All(s => _recording.SaveOf(s) == Storage.None)))
            || starts.Any(s => !IrWalker.Descendants(s.Value).All(e => e is ConstExpr or BinaryExpr { Op: BinaryOp.Add or BinaryOp.Subtract or BinaryOp.Multiply or BinaryOp.Divide or BinaryOp.Remainder } or VarExpr)
                || IrWalker.ReadVariables(s.Value).Any(v => stepped.Contains(v) || floating.Any(f => f.Target == v) || !KeepsForwardValue(v)))
            || stepped.Any(v => !ReadOnlyIn(v, loopStatements, starts)))
        {
            return null;
        }

        return new ForwardOrderPlan(starts, stepped, rows);
    }

    private static bool IsIntegerStep(AssignStmt a) =>
        a.Type is { Shape: ShapeKind.Scalar, Scalar: ScalarKind.Int or ScalarKind.Long } && RecordingAnalysis.LinearUpdate(a) is not null;

    /// <summary>A parameter never assigned, or an integer the reverse keeps (every overwrite of it is undone before a later statement's reverse).</summary>
    private bool KeepsForwardValue(string variable) =>
        (_method.Parameters.Any(p => p.Name == variable) && !_assignmentCounts.ContainsKey(variable))
        || (_types.TryGetValue(variable, out var type) && type is { Shape: ShapeKind.Scalar, Scalar: ScalarKind.Int or ScalarKind.Long } && _recording.Needed.Contains(variable));

    /// <summary>Whether a stepped integer is read and written only by the loop and its start statement: no one needs its value after the reverse.</summary>
    private bool ReadOnlyIn(string variable, HashSet<Stmt> loopStatements, List<AssignStmt> starts)
    {
        if (_method.Parameters.Any(p => p.Name == variable))
        {
            return false;
        }

        foreach (var statement in IrWalker.Statements(_method.Body))
        {
            if (loopStatements.Contains(statement) || starts.Any(s => ReferenceEquals(s, statement)))
            {
                continue;
            }

            if ((statement is AssignStmt a && a.Target == variable)
                || IrWalker.Expressions(statement).SelectMany(IrWalker.ReadVariables).Contains(variable))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>
    /// The reverse of a loop reversed in forward order: its start statements again, then per iteration the adjoint
    /// updates of its linear updates and the integer steps, in the body's order.
    /// </summary>
    private void ReverseInForwardOrder(LoopStmt loop, ForwardOrderPlan plan, IndentedWriter w)
    {
        if (plan.Rows is { } rows)
        {
            InRegisters(loop, w, inner => ReverseOverRows(loop, plan.Starts[0], rows, inner));
            return;
        }

        InRegisters(loop, w, inner =>
        {
            inner.WriteLine("// Reversed in forward order: no reversed iteration changes what another reads, so " + string.Join(", ", plan.Stepped) + " start again and save nothing.");
            foreach (var start in plan.Starts)
            {
                inner.WriteLine(start.Target + " = " + ExpressionPrinter.Print(start.Value) + ";");
            }

            inner.WriteLine("while (" + ExpressionPrinter.Print(loop.Condition!) + ")");
            inner.OpenBrace();
            foreach (var statement in loop.Body.Concat(loop.Step).Cast<AssignStmt>())
            {
                if (plan.Stepped.Contains(statement.Target))
                {
                    inner.WriteLine(statement.Target + " = " + ExpressionPrinter.Print(statement.Value) + ";");
                }
                else if (_bufferedColumn is { } buffered && ReferenceEquals(buffered.Floating, statement))
                {
                    // The old order with its column terms read from their buffers (OldOrderColumnTerms).
                    PropagateStatement(buffered.Operand, (buffered.Subtracts ? "-" : string.Empty) + _adjoints[statement.Target], inner);
                }
                else
                {
                    Reverse(new Stmt[] { statement }.ToEquatableArray(), inner);
                }
            }

            inner.CloseBrace();
        });
    }
}

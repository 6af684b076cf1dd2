using System.Collections.Generic;
using System.Linq;
using StaticGrad.Compiler.Analysis;
using StaticGrad.Compiler.Emit;
using StaticGrad.Compiler.IR;
using StaticGrad.Compiler.Model;

namespace StaticGrad.Compiler.Reverse;

/// <summary>
/// <c>Math</c> values the user's own locals already hold, read by the reverse sweeps of <c>{Name}Jacobian</c>: after
/// <c>cos = Math.Cos(angle)</c> the derivative of <c>sin = Math.Sin(angle)</c> is <c>dSin · cos</c>, not a second
/// <c>Math.Cos(angle)</c> in every field's sweep (BA's Jacobian evaluated cos and sin of the angle three times each).
/// <para>
/// A local <c>v = Math.F(args)</c> holds that value wherever the reverse of another statement runs when three things
/// hold, all read from the IR: the assignment is the only one of <c>v</c> and saves nothing (so no restore and no other
/// write changes it), every variable <c>args</c> read is assigned at most once and never restored (a parameter never,
/// a local only before, since C# reads no unassigned local), and the assignment stands in the statement's block or in a block around it. The reverse
/// sweeps run after the whole forward sweep, a normalised block has no exits (no return, break or continue) and the
/// reverse of a statement runs only when its forward ran: then the block around it ran whole, the assignment too,
/// before or after the statement (<c>cos</c> serves the reverse of <c>sin = Math.Sin(angle)</c> and <c>sin</c> the
/// reverse of <c>cos = Math.Cos(angle)</c> before it).
/// Only for the Jacobian, whose bodies have no loops or array writes (<see cref="SweepsCanRestart"/>);
/// the backward keeps its own rules (<see cref="ReadKeptBuiltins"/>).
/// </para>
/// </summary>
public sealed partial class ReverseModeTransformer
{
    private readonly Dictionary<Stmt, List<(string Call, string Local)>> _forwardBuiltinLocals = new(ReferenceComparer<Stmt>.Instance);
    private readonly SortedSet<string> _readForwardBuiltinLocals = new(System.StringComparer.Ordinal);

    /// <summary>The statement being reversed: its adjoint terms are accumulated and written later, when they are flushed.</summary>
    private Stmt? _reversingStatement;

    /// <summary>Variables a reverse sweep sets back: never a source of a kept value (a local restored to its old value midway).</summary>
    private HashSet<string> _restoredBySweeps = new();

    /// <summary>Whether a statement's reverse may read <c>Math</c> values from the user's locals (<see cref="ReadForwardBuiltinLocals"/>).</summary>
    private bool HasForwardBuiltinLocals(Stmt statement) => _forwardBuiltinLocals.ContainsKey(statement);

    /// <summary>
    /// A statement's reverse text (or one adjoint term of it) with each <c>Math</c> call a dominating single assignment
    /// computed read from its local. The local and the call's arguments keep their values for the whole reverse sweep,
    /// so a term flushed after later statements' reverses still reads the same value.
    /// </summary>
    private string ReadForwardBuiltinLocals(Stmt? statement, string text)
    {
        if (statement is null || !_forwardBuiltinLocals.TryGetValue(statement, out var available))
        {
            return text;
        }

        foreach (var (call, local) in available.Where(a => text.Contains(a.Call)))
        {
            _readForwardBuiltinLocals.Add(local);
            text = text.Replace(call, local);
        }

        return text;
    }

    /// <summary>
    /// Plans <see cref="_forwardBuiltinLocals"/> for the Jacobian's sweeps. Statements run for their effect (the
    /// output span's write, a guard) write no variable of the body, and the arguments read no array element.
    /// </summary>
    private void PlanForwardBuiltinLocals()
    {
        _restoredBySweeps = new HashSet<string>(RestoredBySweeps());
        PlanForwardBuiltinLocals(_method.Body, new List<(Stmt Definition, string Call, string Local)>());
    }

    private void PlanForwardBuiltinLocals(EquatableArray<Stmt> block, List<(Stmt Definition, string Call, string Local)> enclosing)
    {
        var available = new List<(Stmt Definition, string Call, string Local)>(enclosing);
        foreach (var statement in block)
        {
            if (statement is AssignStmt { Value: BuiltinCallExpr call } a && HoldsItsCall(a, call))
            {
                available.Add((statement, ExpressionPrinter.Print(call), a.Target));
            }
        }

        foreach (var statement in block)
        {
            // Not a statement's own call: its reverse may restore before it reads (the backward's kept builtins serve it).
            var others = available.Where(d => !ReferenceEquals(d.Definition, statement)).Select(d => (d.Call, d.Local)).ToList();
            if (others.Count > 0)
            {
                _forwardBuiltinLocals[statement] = others;
            }

            if (statement is IfStmt branch)
            {
                PlanForwardBuiltinLocals(branch.Then, available);
                PlanForwardBuiltinLocals(branch.Else, available);
            }
        }
    }

    /// <summary><c>v = Math.F(args)</c> with <c>v</c> assigned only here and the arguments reading variables assigned at most once.</summary>
    private bool HoldsItsCall(AssignStmt assignment, BuiltinCallExpr call) =>
        call.Type.IsFloating && call.Type.StructName.Length == 0 && call.Type == assignment.Type
        && _method.Locals.Any(l => l.Name == assignment.Target)
        && _assignmentCounts.TryGetValue(assignment.Target, out var count) && count == 1 && !_restoredBySweeps.Contains(assignment.Target)
        && call.Args.All(arg => IrWalker.Descendants(arg).All(e => e is not ElementExpr and not MethodCallExpr and not BuiltinCallExpr))
        && call.Args.SelectMany(IrWalker.ReadVariables).All(v => !_assignmentCounts.TryGetValue(v, out var n) || (n == 1 && !_restoredBySweeps.Contains(v) && !_method.Parameters.Any(p => p.Name == v)));
}

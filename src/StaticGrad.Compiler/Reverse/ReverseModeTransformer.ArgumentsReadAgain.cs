using System.Collections.Generic;
using System.Linq;
using StaticGrad.Compiler.Analysis;
using StaticGrad.Compiler.Emit;
using StaticGrad.Compiler.IR;
using StaticGrad.Compiler.Model;

namespace StaticGrad.Compiler.Reverse;

/// <summary>
/// Argument locals read again at the call instead of saved (the spring chain's <c>particles[i] = Kick(particles[i],
/// …)</c>). In a loop, <c>_argument = particles[i].Position.X</c> overwrites the previous iteration's value, which the
/// tape kept for the reverse. When the local feeds only the arguments of a struct-result call whose leaves' reverses
/// become one backward call (<see cref="WholeSeedRuns"/>), the reverse can read the element again right before that
/// call: by then every statement after the call's first leaf has been undone (the stores of the result into the very
/// element the argument read restored it), so the arrays and indices hold what they held when the argument was read.
/// That holds only if nothing between the read and the call changes them, every later store into an array that may
/// alias the one read is restored by the reverse, the callee receives no array, and the method calls nothing
/// without a derivative (a plain helper could write the array through a static field); otherwise the value is saved.
/// </summary>
public sealed partial class ReverseModeTransformer
{
    private Dictionary<Stmt, List<AssignStmt>>? _argumentsReadAgain;
    private HashSet<Stmt>? _readAgainAtCall;

    /// <summary>Whether an assignment saves nothing because its value is read again before the backward call that reads it.</summary>
    private bool IsReadAgainAtCall(Stmt statement)
    {
        if (statement is not AssignStmt)
        {
            return false;
        }

        if (_readAgainAtCall is null)
        {
            PlanArgumentsReadAgain();
        }

        return _readAgainAtCall!.Contains(statement);
    }

    /// <summary>Before a run's one backward call: the argument locals it reads, read again.</summary>
    private void WriteArgumentsReadAgain(Stmt head, IndentedWriter w)
    {
        if (_argumentsReadAgain is null || !_argumentsReadAgain.TryGetValue(head, out var reads))
        {
            return;
        }

        var arrays = reads.SelectMany(a => IrWalker.Descendants(a.Value)).OfType<ElementExpr>().Select(e => e.Array).Distinct();
        w.WriteLine("// The arguments read again: the stores undone above gave " + string.Join(", ", arrays) + " back the values the call read.");
        foreach (var a in reads)
        {
            w.WriteLine(a.Target + " = " + ExpressionPrinter.Print(a.Value) + ";");
        }
    }

    private void PlanArgumentsReadAgain()
    {
        _argumentsReadAgain = new Dictionary<Stmt, List<AssignStmt>>(ReferenceComparer<Stmt>.Instance);
        _readAgainAtCall = new HashSet<Stmt>(ReferenceComparer<Stmt>.Instance);
        var all = IrWalker.Statements(_method.Body).ToList();
        if (all.Any(s => s is EffectStmt) || all.SelectMany(IrWalker.Expressions).SelectMany(IrWalker.Descendants).Any(e => e is MethodCallExpr { Target.Kind: CallKind.Opaque }))
        {
            return;
        }

        var aliases = new ArrayAliases(_method);
        for (var top = 0; top < _method.Body.Count; top++)
        {
            // Everything from the method-level statement holding the loop on may run after the call (later iterations).
            var later = IrWalker.Statements(_method.Body.Skip(top).ToEquatableArray()).ToList();
            foreach (var loop in IrWalker.Statements(new[] { _method.Body[top] }.ToEquatableArray()).OfType<LoopStmt>())
            {
                foreach (var run in WholeSeedRuns(loop.Body))
                {
                    PlanRun(loop.Body, run, all, later, aliases);
                }
            }
        }
    }

    private void PlanRun(EquatableArray<Stmt> body, List<(Stmt Statement, MethodCallExpr Call)> run, List<Stmt> all, List<Stmt> later, ArrayAliases aliases)
    {
        var head = IndexOf(body, run[0].Statement);
        var calls = run.Select(r => r.Call).ToList();
        if (head < 0 || calls.Any(ArrayAliases.PassesArray))
        {
            return;
        }

        var runStatements = new HashSet<Stmt>(run.Select(r => r.Statement), ReferenceComparer<Stmt>.Instance);
        var arguments = new HashSet<string>(calls.SelectMany(c => c.Args.Take(LeadingArguments(c))).SelectMany(IrWalker.ReadVariables));
        var reads = new List<AssignStmt>();
        for (var k = 0; k < head; k++)
        {
            if (body[k] is AssignStmt a && arguments.Contains(a.Target) && _recording.SaveOf(a) == Storage.Tape
                && CanReadAgain(a, body, k, head, runStatements, all, later, aliases))
            {
                reads.Add(a);
            }
        }

        if (reads.Count > 0)
        {
            _argumentsReadAgain![run[0].Statement] = reads;
            _readAgainAtCall!.UnionWith(reads);
        }
    }

    private bool CanReadAgain(AssignStmt a, EquatableArray<Stmt> body, int k, int head, HashSet<Stmt> runStatements, List<Stmt> all, List<Stmt> later, ArrayAliases aliases)
    {
        // A scalar assigned only here and read only by the run's calls: nothing else sees the value it would have kept.
        if (a.Type.Shape != ShapeKind.Scalar || _assignmentCounts[a.Target] != 1 || _method.Parameters.Any(p => p.Name == a.Target)
            || all.Any(s => !runStatements.Contains(s) && IrWalker.Expressions(s).SelectMany(IrWalker.ReadVariables).Contains(a.Target)))
        {
            return false;
        }

        var arrays = new HashSet<string>();
        var scalars = new HashSet<string>();
        foreach (var e in IrWalker.Descendants(a.Value))
        {
            switch (e)
            {
                case ElementExpr element:
                    arrays.Add(element.Array);
                    break;
                case VarExpr { Type: { Shape: ShapeKind.Scalar, Scalar: ScalarKind.Int or ScalarKind.Long } } v when _recording.Needed.Contains(v.Name):
                    scalars.Add(v.Name);
                    break;
                case ConstExpr or MemberIndexExpr or BinaryExpr or UnaryExpr or CastExpr:
                    break;
                default:
                    return false;
            }
        }

        // The arrays hold the forward's values where the call's reverse runs: one array for the whole method (created
        // once, not again in a loop), and
        // every store that can run after the read into one they may alias is undone before (saved, or the creation's
        // zero written back), which also holds for an array never stored into.
        foreach (var array in arrays)
        {
            if (_assignmentCounts.ContainsKey(array) || all.OfType<NewArrayStmt>().Count(n => n.Target == array) > 1 || all.OfType<NewArrayStmt>().Any(n => n.Target == array && _recording.IsRecreated(n)))
            {
                return false;
            }

            foreach (var s in later)
            {
                if ((s is StoreStmt store && aliases.MayAlias(store.Array, array) && (_fusion.IsPrivateStore(store) || _recording.SaveOf(store) == Storage.None))
                    || IrWalker.Expressions(s).SelectMany(IrWalker.Descendants).Any(x => x is MethodCallExpr call && ArrayAliases.PassesArray(call)))
                {
                    return false;
                }
            }
        }

        // Between the read and the call's first leaf nothing runs that its reverse would not have undone yet.
        for (var j = k + 1; j < head; j++)
        {
            switch (body[j])
            {
                case AssignStmt other when !scalars.Contains(other.Target) && !arrays.Contains(other.Target):
                    break;
                case StoreStmt store when !arrays.Any(array => aliases.MayAlias(store.Array, array)):
                    break;
                default:
                    return false;
            }
        }

        // From the first leaf on, the indices must not change before the call's reverse (they are not restored there).
        for (var j = head; j < body.Count; j++)
        {
            if (IrWalker.Statements(new[] { body[j] }.ToEquatableArray()).OfType<AssignStmt>().Any(w => scalars.Contains(w.Target)))
            {
                return false;
            }
        }

        return true;
    }

    private static int IndexOf(EquatableArray<Stmt> block, Stmt statement)
    {
        for (var i = 0; i < block.Count; i++)
        {
            if (ReferenceEquals(block[i], statement))
            {
                return i;
            }
        }

        return -1;
    }
}

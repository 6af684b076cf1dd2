using System.Collections.Generic;
using System.Linq;
using StaticGrad.Compiler.IR;
using StaticGrad.Compiler.Model;

namespace StaticGrad.Compiler.Analysis;

/// <summary>
/// The overwrites inside loops the reverse sweep can undo without the tape: integer updates undone by their inverse,
/// loop-local values recomputed from inputs the iteration does not change, and linear accumulations whose
/// intermediate values no partial derivative reads.
/// </summary>
public sealed partial class RecordingAnalysis
{
    private ArrayAliases _arrayAliases = null!;

    private void PlanCheapReversal(MethodIR method, Dictionary<string, int> assignmentCounts)
    {
        _arrayAliases = new ArrayAliases(method);
        foreach (var a in IrWalker.Statements(method.Body).OfType<AssignStmt>())
        {
            if (a.Type.Scalar is ScalarKind.Int or ScalarKind.Long && _sites.EnclosingLoop(a) is not null && LinearUpdate(a) is { } update)
            {
                _inverses[a] = update;
            }
        }

        // Recomputing a value or inverting an update reads its inputs in the reverse sweep, which makes them needed
        // (kept consistent there); needing more can make more recomputations worthwhile, hence the fixed point.
        var needed = (HashSet<string>)Needed;
        var loops = IrWalker.Statements(method.Body).OfType<LoopStmt>().ToList();
        var stores = IrWalker.Statements(method.Body).OfType<StoreStmt>().ToList();
        var memo = new Dictionary<Stmt, bool>(ReferenceComparer<Stmt>.Instance);
        for (var changed = true; changed;)
        {
            changed = false;
            foreach (var pair in _inverses)
            {
                if (needed.Contains(((AssignStmt)pair.Key).Target))
                {
                    foreach (var read in IrWalker.ReadVariables(pair.Value.Operand))
                    {
                        changed |= needed.Add(read);
                    }
                }
            }

            changed |= NeedResetBounds(needed);
            changed |= NeedCountedStarts(method, needed);

            // A store into a needed array is undone by restoring the element it overwrote: at its index, read again.
            foreach (var store in stores.Where(s => needed.Contains(s.Array)))
            {
                foreach (var read in IrWalker.ReadVariables(store.Index))
                {
                    changed |= needed.Add(read);
                }
            }

            foreach (var loop in loops)
            {
                for (var d = 0; d < loop.Body.Count; d++)
                {
                    if (loop.Body[d] is AssignStmt a && needed.Contains(a.Target) && !_recomputed.Contains(a) && Recomputable(method, loop, d, assignmentCounts, memo)
                        && ReadsOnlyKeptArrays(method, a, loop, needed))
                    {
                        _recomputed.Add(a);
                        needed.UnionWith(IrWalker.ReadVariables(a.Value));
                        changed = true;
                    }
                }
            }
        }

        foreach (var loop in loops)
        {
            var list = loop.Body.Where(_recomputed.Contains).Cast<AssignStmt>().ToList();
            if (list.Count > 0)
            {
                _recomputedByLoop[loop] = list;
            }
        }
    }

    /// <summary>
    /// A needed index of a counted loop starting at other integer scalars the loop does not write (n-body's
    /// <c>j = i + 1</c>): they are made needed too, so they hold their forward values when the loop's reverse runs
    /// and it can run back to its start instead of counting its trips; an outer index costs nothing to keep (its
    /// increment is undone by its inverse). True when that needed more.
    /// </summary>
    private static bool NeedCountedStarts(MethodIR method, HashSet<string> needed)
    {
        var changed = false;
        foreach (var block in Blocks(method.Body))
        {
            for (var k = 1; k < block.Count; k++)
            {
                if (block[k] is not LoopStmt { TestFirst: true } loop || block[k - 1] is not AssignStmt { Type.Scalar: ScalarKind.Int or ScalarKind.Long } start
                    || !needed.Contains(start.Target) || start.Value is ConstExpr
                    || !IrWalker.Descendants(start.Value).All(e => e is ConstExpr or VarExpr or BinaryExpr { Op: BinaryOp.Add or BinaryOp.Subtract or BinaryOp.Multiply }))
                {
                    continue;
                }

                var written = new HashSet<string>(IrWalker.Statements(loop.Body.Concat(loop.Step).ToEquatableArray()).OfType<AssignStmt>().Select(a => a.Target));
                if (!written.Contains(start.Target))
                {
                    continue;
                }

                foreach (var v in IrWalker.Descendants(start.Value).OfType<VarExpr>())
                {
                    if (v.Type is { Shape: ShapeKind.Scalar, Scalar: ScalarKind.Int or ScalarKind.Long } && !written.Contains(v.Name))
                    {
                        changed |= needed.Add(v.Name);
                    }
                }
            }
        }

        return changed;
    }

    /// <summary>
    /// Whether the assignment at the top of a loop body (index <paramref name="d"/>) can be re-evaluated at the start
    /// of each reversed iteration: its variable is assigned only there and read only after it in the same body, and
    /// its value reads nothing the rest of the body changes (the step's updates are undone before the body's).
    /// </summary>
    private bool Recomputable(MethodIR method, LoopStmt loop, int d, Dictionary<string, int> assignmentCounts, Dictionary<Stmt, bool> memo)
    {
        var a = (AssignStmt)loop.Body[d];
        if (memo.TryGetValue(a, out var known))
        {
            return known;
        }

        memo[a] = false;
        var result = RecomputableCore(method, loop, d, a, assignmentCounts, memo);
        memo[a] = result;
        return result;
    }

    private bool RecomputableCore(MethodIR method, LoopStmt loop, int d, AssignStmt a, Dictionary<string, int> assignmentCounts, Dictionary<Stmt, bool> memo)
    {
        var v = a.Target;
        if (a.Type.Shape != ShapeKind.Scalar || assignmentCounts[v] != 1 || IrWalker.Descendants(a.Value).Any(e => e is MethodCallExpr))
        {
            return false;
        }

        var readers = new HashSet<Stmt>(IrWalker.Statements(loop.Body.Skip(d + 1).ToEquatableArray()), ReferenceComparer<Stmt>.Instance);
        foreach (var statement in IrWalker.Statements(method.Body))
        {
            if (!readers.Contains(statement) && IrWalker.Expressions(statement).Any(e => IrWalker.ReadVariables(e).Contains(v)))
            {
                return false;
            }
        }

        var inBody = IrWalker.Statements(loop.Body).ToList();
        var inLoop = IrWalker.Statements(loop.Body.Concat(loop.Step).ToEquatableArray()).ToList();
        foreach (var e in IrWalker.Descendants(a.Value))
        {
            switch (e)
            {
                case VarExpr u when !u.Type.IsCollection:
                    if (u.Name == v)
                    {
                        return false;
                    }

                    // The step's updates are undone before the body's reverse starts, so they do not count.
                    if (inBody.OfType<AssignStmt>().Any(w => w.Target == u.Name))
                    {
                        // Only an earlier recomputable value of the same body, re-evaluated just before this one.
                        var k = IndexOfAssignment(loop.Body, u.Name);
                        if (k < 0 || k >= d || !Recomputable(method, loop, k, assignmentCounts, memo))
                        {
                            return false;
                        }
                    }

                    break;
                case ElementExpr or LengthExpr or VarExpr:
                    {
                        // Array contents: nothing in the loop may write the array or one it may alias, no callee may
                        // receive an array (it could write it), and no method without a derivative may run in the loop (a
                        // statement call or an opaque call can reach the array through a static field or another object:
                        // only [Differentiable] callees and rules, whose bodies cannot write fields, are known not to).
                        var array = e switch { ElementExpr el => el.Array, LengthExpr l => l.Array, _ => ((VarExpr)e).Name };
                        if (inLoop.Any(s => (s is StoreStmt store && _arrayAliases.MayAlias(store.Array, array)) || (s is AssignStmt w && w.Target == array) || (s is NewArrayStmt n && n.Target == array) || s is EffectStmt)
                            || inLoop.SelectMany(IrWalker.Expressions).Concat(loop.Condition is null ? Enumerable.Empty<Expr>() : new[] { loop.Condition })
                                .SelectMany(IrWalker.Descendants).Any(x => x is MethodCallExpr call && (ArrayAliases.PassesArray(call) || call.Target.Kind == CallKind.Opaque)))
                        {
                            return false;
                        }

                        break;
                    }
            }
        }

        return true;
    }

    /// <summary>
    /// In a loop that stores into arrays or calls methods, a value is recomputed only from arrays the reverse sweep
    /// keeps anyway (needed, or never written: nothing to save): making another array needed would save each of its
    /// overwritten elements instead, as many pushes as the recomputation removes (the spring chain's <c>forces</c>,
    /// read by <c>Kick</c>'s arguments).
    /// </summary>
    private static bool ReadsOnlyKeptArrays(MethodIR method, AssignStmt a, LoopStmt loop, HashSet<string> needed)
    {
        var inLoop = IrWalker.Statements(loop.Body.Concat(loop.Step).ToEquatableArray());
        var writesOrCalls = inLoop.Any(s => s is StoreStmt) || inLoop.SelectMany(IrWalker.Expressions).SelectMany(IrWalker.Descendants).Any(e => e is MethodCallExpr);
        return !writesOrCalls || IrWalker.Descendants(a.Value).All(e => e is not ElementExpr element || needed.Contains(element.Array)
            || !IrWalker.Statements(method.Body).Any(s => s is StoreStmt store && store.Array == element.Array));
    }

    private static int IndexOfAssignment(EquatableArray<Stmt> body, string variable)
    {
        for (var k = 0; k < body.Count; k++)
        {
            if (body[k] is AssignStmt w && w.Target == variable)
            {
                return k;
            }
        }

        return -1;
    }

    /// <summary>
    /// Whether a floating <c>v = v ± e</c> in a loop need not save v: every write of v in the loop (and in the loops
    /// around it, up to the assignment that last defines v before them) is such an update, and no reverse-sweep
    /// code there reads v, so the overwritten value is never read (to-be-recorded analysis).
    /// </summary>
    private bool LinearSkip(AssignStmt a)
    {
        if (!a.Type.IsFloating || LinearUpdate(a) is null)
        {
            return false;
        }

        var v = a.Target;
        var loop = _sites.EnclosingLoop(a);
        while (loop is not null)
        {
            foreach (var statement in IrWalker.Statements(loop.Body.Concat(loop.Step).ToEquatableArray()))
            {
                if ((statement is AssignStmt w && w.Target == v && LinearUpdate(w) is null) || ReverseReads(statement).Contains(v))
                {
                    return false;
                }
            }

            var site = _sites[loop];
            if (site.InStep)
            {
                return false;
            }

            for (var q = site.Index - 1; q >= 0; q--)
            {
                var before = site.Block[q];
                if (before is AssignStmt definition && definition.Target == v)
                {
                    return true;
                }

                foreach (var statement in IrWalker.Statements(new[] { before }.ToEquatableArray()))
                {
                    if ((statement is AssignStmt w && w.Target == v) || ReverseReads(statement).Contains(v))
                    {
                        return false;
                    }
                }
            }

            loop = site.Parent as LoopStmt;
        }

        return false;
    }

    /// <summary>The variables the reverse sweep's code for one statement reads (not those of nested statements).</summary>
    private IEnumerable<string> ReverseReads(Stmt statement)
    {
        switch (statement)
        {
            case AssignStmt a:
                {
                    var reads = _activity.IsActive(a.Target) ? Needs(a.Value, _activity) : Enumerable.Empty<string>();
                    if (_inverses.TryGetValue(a, out var update))
                    {
                        reads = reads.Concat(IrWalker.ReadVariables(update.Operand)).Concat(new[] { a.Target });
                    }

                    if (_recomputed.Contains(a))
                    {
                        reads = reads.Concat(IrWalker.ReadVariables(a.Value));
                    }

                    return reads;
                }

            case StoreStmt s:
                return IrWalker.ReadVariables(s.Index).Concat(_activity.IsActive(s.Array) ? Needs(s.Value, _activity) : Enumerable.Empty<string>());
            default:
                return Enumerable.Empty<string>();
        }
    }

    /// <summary>Where each statement sits: its block, its index there, and the if or loop around it.</summary>
    private sealed class Sites
    {
        private readonly Dictionary<Stmt, Site> _sites = new(ReferenceComparer<Stmt>.Instance);

        public Sites(EquatableArray<Stmt> body) => Add(body, null, inStep: false);

        public Site this[Stmt statement] => _sites[statement];

        public LoopStmt? EnclosingLoop(Stmt statement)
        {
            for (var parent = _sites[statement].Parent; parent is not null; parent = _sites[parent].Parent)
            {
                if (parent is LoopStmt loop)
                {
                    return loop;
                }
            }

            return null;
        }

        private void Add(EquatableArray<Stmt> block, Stmt? parent, bool inStep)
        {
            for (var i = 0; i < block.Count; i++)
            {
                var statement = block[i];
                _sites[statement] = new Site(block, i, parent, inStep);
                switch (statement)
                {
                    case IfStmt branch:
                        Add(branch.Then, statement, inStep: false);
                        Add(branch.Else, statement, inStep: false);
                        break;
                    case LoopStmt loop:
                        Add(loop.Body, statement, inStep: false);
                        Add(loop.Step, statement, inStep: true);
                        break;
                }
            }
        }
    }

    private sealed record Site(EquatableArray<Stmt> Block, int Index, Stmt? Parent, bool InStep);
}

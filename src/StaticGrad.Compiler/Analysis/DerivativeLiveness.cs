using System.Collections.Generic;
using System.Linq;
using StaticGrad.Compiler.IR;
using StaticGrad.Compiler.Model;

namespace StaticGrad.Compiler.Analysis;

/// <summary>
/// Flow-sensitive usefulness: a backward "derivative-live" analysis over the normalised IR. A variable is live at a
/// point when a value it holds there can still reach the result through reads that carry a derivative. A definition
/// whose target is not live right after it is dead: its value never reaches the result, so its adjoint there is
/// exactly zero, and propagating it would only add 0 · partial, which is NaN when the dead value overflowed (a local
/// that keeps growing in a loop after its last useful value). <see cref="DetachDead"/> wraps such a value in
/// <see cref="DetachExpr"/> (printed as its operand, so the primal is unchanged): the reverse sweep, the fused loops,
/// the Jacobian sweeps and the recording analysis then see a value with no derivative, like PyTorch, whose graph
/// holds nothing the loss does not read. The assignment of the normaliser's returned flag is a kill point: after it
/// only the method's end runs (session 20, batch 20262460's P51). A value live on another path is not dead, and its
/// reverse on the returning path gets zero adjoints; <c>ReverseModeTransformer.ZeroAdjointRegions</c> handles that.
/// <para>
/// Safe by construction, so "when in doubt, useful": element writes never kill (the other elements stay), arrays
/// that may alias another name (<see cref="ArrayAliases"/>) are written usefully, a statement whose value calls a
/// method with an array argument (which it could write) is never dead, and a method with a statement this analysis
/// does not know is left unchanged.
/// </para>
/// </summary>
public sealed class DerivativeLiveness
{
    private readonly ArrayAliases _aliases;
    private readonly ActivityAnalysis _activity;
    private readonly string _returnedFlag;
    private readonly HashSet<string> _atExit;
    private readonly HashSet<Stmt> _dead = new(ReferenceComparer<Stmt>.Instance);
    private bool _unknown;

    private DerivativeLiveness(MethodIR method, ActivityAnalysis activity)
    {
        _aliases = new ArrayAliases(method);
        _activity = activity;
        _returnedFlag = method.ReturnedFlag;
        _atExit = new HashSet<string> { method.Result };
    }

    /// <summary>The normalised method and its activity.</summary>
    public static (MethodIR Normalized, ActivityAnalysis Activity) Analyze(MethodIR normalized) =>
        DetachDead(normalized, ActivityAnalysis.Run(normalized, normalized.Result));

    /// <summary>
    /// The method with every dead definition of an active variable detached, and its activity (the arguments
    /// themselves when none is dead). A definition of an inactive variable already gets no adjoint work, and is left
    /// as written so that the shapes the reverse transformer recognises (one call for every field of a result) stay.
    /// </summary>
    public static (MethodIR Normalized, ActivityAnalysis Activity) DetachDead(MethodIR normalized, ActivityAnalysis activity)
    {
        var analysis = new DerivativeLiveness(normalized, activity);
        analysis.Block(normalized.Body, new HashSet<string>(analysis._atExit), mark: true);
        if (analysis._unknown || analysis._dead.Count == 0)
        {
            return (normalized, activity);
        }

        var live = normalized with { Body = analysis.Detached(normalized.Body) };
        return (live, ActivityAnalysis.Run(live, live.Result));
    }

    /// <summary>The variables live before <paramref name="block"/> given those live after it; with <paramref name="mark"/>, records the dead definitions.</summary>
    private HashSet<string> Block(IReadOnlyList<Stmt> block, HashSet<string> liveAfter, bool mark)
    {
        var live = liveAfter;
        for (var i = block.Count - 1; i >= 0; i--)
        {
            live = Statement(block[i], live, mark);
        }

        return live;
    }

    private HashSet<string> Statement(Stmt statement, HashSet<string> liveAfter, bool mark)
    {
        switch (statement)
        {
            case AssignStmt a when a.Target.Length > 0 && a.Target == _returnedFlag:
                // Where a return was: every statement after it on this path is guarded by the flag, so only what the
                // method's end reads is live here, whatever the other paths through the enclosing blocks read.
                return new HashSet<string>(_atExit);
            case AssignStmt a:
                if (a.Type.IsFloating && a.Type.StructName.Length == 0 && !liveAfter.Contains(a.Target) && _activity.IsActive(a.Target) && MayBeDead(a.Value))
                {
                    return Dead(statement, liveAfter, mark);
                }

                var live = new HashSet<string>(liveAfter);
                if (a.Type.IsFloating && a.Type.StructName.Length == 0)
                {
                    live.Remove(a.Target);
                }

                live.UnionWith(ActivityAnalysis.DerivativeReads(a.Value));
                return live;
            case StoreStmt s:
                // An element write kills nothing: the array's other elements keep their values.
                if (s.ElementType.IsFloating && !liveAfter.Contains(s.Array) && _aliases.IsFresh(s.Array) && _activity.IsActive(s.Array) && MayBeDead(s.Value))
                {
                    return Dead(statement, liveAfter, mark);
                }

                return new HashSet<string>(liveAfter.Concat(ActivityAnalysis.DerivativeReads(s.Value)));
            case IfStmt branch:
                var then = new HashSet<string>(Block(branch.Then, liveAfter, mark));
                then.UnionWith(Block(branch.Else, liveAfter, mark));
                return then;
            case LoopStmt loop:
                return Loop(loop, liveAfter, mark);
            case NewArrayStmt or EffectStmt:
                return liveAfter;
            default:
                _unknown = true;
                return liveAfter;
        }
    }

    /// <summary>
    /// The fixpoint at the loop's head (live after the loop, or before another trip), which is also what is live
    /// before the loop whether or not the body runs first; then one marking pass under it.
    /// </summary>
    private HashSet<string> Loop(LoopStmt loop, HashSet<string> liveAfter, bool mark)
    {
        var trip = loop.Body.Concat(loop.Step).ToList();
        var head = new HashSet<string>(liveAfter);
        while (true)
        {
            var before = Block(trip, head, mark: false);
            if (before.IsSubsetOf(head))
            {
                break;
            }

            head.UnionWith(before);
        }

        if (mark)
        {
            Block(trip, head, mark: true);
        }

        return head;
    }

    private HashSet<string> Dead(Stmt statement, HashSet<string> liveAfter, bool mark)
    {
        if (mark)
        {
            _dead.Add(statement);
        }

        return liveAfter;
    }

    /// <summary>A value with a derivative to drop and no call that could write an array.</summary>
    private static bool MayBeDead(Expr value) =>
        value is not DetachExpr && ActivityAnalysis.DerivativeReads(value).Any()
        && !IrWalker.Descendants(value).OfType<MethodCallExpr>().Any(ArrayAliases.PassesArray);

    private EquatableArray<Stmt> Detached(EquatableArray<Stmt> block) => block.Select(statement => statement switch
    {
        AssignStmt a when _dead.Contains(a) => a with { Value = new DetachExpr(a.Value) },
        StoreStmt s when _dead.Contains(s) => s with { Value = new DetachExpr(s.Value) },
        IfStmt branch => new IfStmt(branch.Condition, Detached(branch.Then), Detached(branch.Else)),
        LoopStmt loop => loop with { Body = Detached(loop.Body), Step = Detached(loop.Step) },
        _ => statement,
    }).ToEquatableArray();
}

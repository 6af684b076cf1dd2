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
/// holds nothing the loss does not read.
/// <para>
/// Path-sensitive (session 21). The normaliser's jump flags are kill points: after the returned flag is set only the
/// method's end runs (only the result is live), after a loop's break flag only what follows the loop, after its
/// continue flag only the loop's step and next trip. A definition can also be dead on one path and live on another:
/// before an <c>if</c> that jumps, its value may be read only when the jump is not taken (batch 20262460's P51); in a
/// loop, its value may be read only by the next trip, so on the last trip it is dead (batch 20262617's P138: a local
/// that grows every trip overflows on the last one, where nothing reads it any more). Such definitions are found by
/// the same analysis run under the path's assumption — before a jump, only what the jumping path reads is live after
/// it, and before an <c>if</c> whose jump is not taken, only what its other branch and the rest read; on a loop's last trip, only what is live after the loop; in a method with jumps, a <c>?:</c>'s branches read
/// nothing (after a jump it may take either), and in one without, each <c>?:</c> reads only what both its branches
/// read (it runs one of them; session 22) — at most <see cref="MaxSplits"/> assumptions at once, and are marked <see cref="AssignStmt.DeadOnSomePath"/>
/// (<see cref="StoreStmt.DeadOnSomePath"/>): on the path where they are dead their adjoint is exactly zero (every
/// definition it could come from is dead there too, and marked), so their reverse adds their adjoint times their
/// partials only when that adjoint is not zero. The test is at run time because which path ran is known only then;
/// the analysis decides statically where it is needed, so a method whose every definition is live on every path has
/// none.
/// </para>
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
    private readonly HashSet<string> _jumpFlags;
    private readonly HashSet<string> _atExit;
    private readonly bool _hasJumps;
    private readonly HashSet<Stmt> _dead = new(ReferenceComparer<Stmt>.Instance);
    private readonly HashSet<Stmt> _deadOnSomePath = new(ReferenceComparer<Stmt>.Instance);

    /// <summary>The loops around the statement being analysed, innermost last: their break and continue flags and what is live after each.</summary>
    private readonly List<LoopExits> _loops = new();
    private bool _unknown;

    /// <summary>Whether the pass follows a jumping path, on which a <c>?:</c> after the jump may take either branch: its branches' reads do not count.</summary>
    private bool _jumping;

    /// <summary>Whether the pass follows one branch of every <c>?:</c> in a method without jumps: a <c>?:</c> reads only what both its branches read.</summary>
    private bool _eitherBranch;

    /// <summary>
    /// The arrays whose elements a branch of such a <c>?:</c> reads: liveness is the whole array's, so on the one-branch
    /// path their element stores are taken as dead (the element may be one only the other branch reads: its adjoint is
    /// then exactly zero, which the reverse tests).
    /// </summary>
    private readonly HashSet<string> _readUnderBranches = new();

    /// <summary>How many path assumptions the pass being run makes (a jump taken, a last trip), at most <see cref="MaxSplits"/>: each doubles the work.</summary>
    private int _splits;

    private const int MaxSplits = 3;

    /// <summary>
    /// How many statement visits the passes under path assumptions may make, as a multiple of one pass without them.
    /// Nested loops each run to a fixpoint under every assumption, so the assumptions' passes can cost many times the
    /// plain one (a review measured 16× on six nested loops with eight jumps each); past the budget (and its floor) no further
    /// assumption is made. A definition not marked then keeps its unguarded reverse: a NaN where 0 · ∞ occurs, as
    /// before session 21, never a wrong finite value.
    /// </summary>
    private const int SplitBudgetFactor = 4;

    /// <summary>The budget's floor in statement visits: small methods (tens of milliseconds at most) are never cut.</summary>
    private const long SplitBudgetFloor = 50_000;

    private long _visits;
    private long _splitBudget = long.MaxValue;

    private DerivativeLiveness(MethodIR method, ActivityAnalysis activity)
    {
        _aliases = new ArrayAliases(method);
        _activity = activity;
        _returnedFlag = method.ReturnedFlag;
        _jumpFlags = new HashSet<string>(method.JumpFlags);
        _atExit = new HashSet<string> { method.Result };
        _hasJumps = method.HasJumps;
    }

    /// <summary>A loop's jump flags and the live sets they lead to: after a break, what is live after the loop; after a continue, before its step.</summary>
    private sealed record LoopExits(string? Break, string? Continue, HashSet<string> AfterBreak, HashSet<string> AfterContinue);

    /// <summary>The normalised method and its activity.</summary>
    public static (MethodIR Normalized, ActivityAnalysis Activity) Analyze(MethodIR normalized) =>
        DetachDead(normalized, ActivityAnalysis.Run(normalized, normalized.Result));

    /// <summary>
    /// The method with every dead definition of an active variable detached and every definition dead on some path
    /// marked, and its activity (the arguments themselves when there is neither). A definition of an inactive
    /// variable already gets no adjoint work, and is left as written so that the shapes the reverse transformer
    /// recognises (one call for every field of a result) stay.
    /// </summary>
    public static (MethodIR Normalized, ActivityAnalysis Activity) DetachDead(MethodIR normalized, ActivityAnalysis activity)
    {
        var analysis = new DerivativeLiveness(normalized, activity);
        if (normalized.HasJumps || IrWalker.Statements(normalized.Body).Any(st => st is LoopStmt))
        {
            // One pass without assumptions sizes the budget of the passes with them.
            analysis.Block(normalized.Body, new HashSet<string>(analysis._atExit), marks: null);
            analysis._splitBudget = System.Math.Max(analysis._visits * (SplitBudgetFactor + 1), SplitBudgetFloor);
        }

        analysis.Block(normalized.Body, new HashSet<string>(analysis._atExit), analysis._dead);
        if (normalized.HasJumps)
        {
            // Once a jump is taken, a ?: after it may take the branch that reads nothing: the same analysis without the
            // ?:'s reads finds what is dead on such paths.
            analysis._jumping = true;
            analysis.Block(normalized.Body, new HashSet<string>(analysis._atExit), analysis._deadOnSomePath);
        }
        else if (IrWalker.Statements(normalized.Body).SelectMany(IrWalker.Expressions).SelectMany(IrWalker.Descendants).OfType<ConditionalExpr>().Where(BranchesReadDifferently).ToList() is { Count: > 0 } conditionals)
        {
            // Without jumps a ?: still runs one branch: a value only its other branch reads is dead on that path
            // (session 22). Each ?: reads here only what both its branches read, so a value read by either branch,
            // as Black–Scholes' tail in 'x > 0 ? 1 - tail : tail', stays live and gets no run-time test.
            analysis._eitherBranch = true;
            analysis._readUnderBranches.UnionWith(conditionals.SelectMany(c => IrWalker.Descendants(c.WhenTrue).Concat(IrWalker.Descendants(c.WhenFalse))).OfType<ElementExpr>().Select(e => e.Array));
            analysis.Block(normalized.Body, new HashSet<string>(analysis._atExit), analysis._deadOnSomePath);
        }

        analysis._deadOnSomePath.ExceptWith(analysis._dead);
        if (analysis._unknown || (analysis._dead.Count == 0 && analysis._deadOnSomePath.Count == 0))
        {
            return (normalized, activity);
        }

        var live = normalized with { Body = analysis.Detached(normalized.Body) };
        return (live, ActivityAnalysis.Run(live, live.Result));
    }

    /// <summary>
    /// The variables live before <paramref name="block"/> given those live after it; the dead definitions go into
    /// <paramref name="marks"/> when it is not null. While marking what is dead on every path (<see cref="_dead"/>),
    /// the statements before a jump are also analysed on each of its jumping paths: live before the jumping statement
    /// is then only what that path reads (a jump flag's kill point gives what is live after the jump), and their dead
    /// definitions are dead on some path.
    /// </summary>
    private HashSet<string> Block(IReadOnlyList<Stmt> block, HashSet<string> liveAfter, HashSet<Stmt>? marks)
    {
        var live = liveAfter;
        for (var i = block.Count - 1; i >= 0; i--)
        {
            if (marks is not null && _splits < MaxSplits && _visits < _splitBudget && i > 0 && SetsAJumpFlag(block[i]))
            {
                var prefix = block.Take(i).ToList();
                var jumping = _jumping;
                _jumping = true;
                _splits++;
                foreach (var path in JumpingPaths(block[i]).Concat(FallThroughPaths(block[i], live)))
                {
                    Block(prefix, path, _deadOnSomePath);
                }

                _splits--;
                _jumping = jumping;
            }

            live = Statement(block[i], live, marks);
        }

        return live;
    }

    /// <summary>
    /// What is live before <paramref name="statement"/> on its paths that jump, one set per branch of an <c>if</c>: after
    /// it only the result is (a jump flag's kill point gives what is live after the jump itself).
    /// </summary>
    private IEnumerable<HashSet<string>> JumpingPaths(Stmt statement) => statement is IfStmt branch
        ? new[] { branch.Then, branch.Else }.Where(b => b.Any(SetsAJumpFlag)).Select(b => Block(b, new HashSet<string>(_atExit), marks: null)).ToList()
        : new[] { Statement(statement, new HashSet<string>(_atExit), marks: null) };

    /// <summary>
    /// What is live before an <c>if</c> with a jumping branch on its path that does not jump: its other branch, then
    /// what follows it (<paramref name="liveAfter"/>). A value read only by the jumping branch (<c>var t = Math.Sqrt(a);
    /// if (s &gt; 1e9) return t;</c>) is dead when the jump is not taken, where its adjoint is exactly zero and its
    /// partial may be NaN (a negative <c>a</c>).
    /// </summary>
    private IEnumerable<HashSet<string>> FallThroughPaths(Stmt statement, HashSet<string> liveAfter) => statement is IfStmt branch
        ? new[] { branch.Then, branch.Else }.Where(b => !b.Any(SetsAJumpFlag)).Select(b => Block(b, new HashSet<string>(liveAfter), marks: null)).ToList()
        : Enumerable.Empty<HashSet<string>>();

    /// <summary>
    /// Whether <paramref name="statement"/> holds a normalised jump: a jump flag set, or, in a method with a return
    /// before its end, the result written (a return whose flag nothing reads, because nothing runs after any return,
    /// has no flag). A method without jumps has none: its only path to the end is the one every pass follows.
    /// </summary>
    private bool SetsAJumpFlag(Stmt statement) =>
        _hasJumps && IrWalker.Statements(new[] { statement }.ToEquatableArray()).Any(s => s is AssignStmt a
            && ((a.Value is ConstExpr { Text: "true" } && _jumpFlags.Contains(a.Target)) || _atExit.Contains(a.Target)));

    private HashSet<string> Statement(Stmt statement, HashSet<string> liveAfter, HashSet<Stmt>? marks)
    {
        _visits++;
        switch (statement)
        {
            case AssignStmt a when a.Target.Length > 0 && a.Target == _returnedFlag:
                // Where a return was: every statement after it on this path is guarded by the flag, so only what the
                // method's end reads is live here, whatever the other paths through the enclosing blocks read.
                return new HashSet<string>(_atExit);
            case AssignStmt { Value: ConstExpr { Text: "true" } } a when _loops.Count > 0 && _loops[_loops.Count - 1] is var loop && (a.Target == loop.Break || a.Target == loop.Continue):
                // A break skips the rest of the body and the step (both guarded by the flag) and leaves the loop; a
                // continue skips the rest of the body.
                return new HashSet<string>(a.Target == loop.Break ? loop.AfterBreak : loop.AfterContinue);
            case AssignStmt a:
                if (a.Type.IsFloating && a.Type.StructName.Length == 0 && !liveAfter.Contains(a.Target) && _activity.IsActive(a.Target) && MayBeDead(a.Value))
                {
                    return Dead(statement, liveAfter, marks);
                }

                var live = new HashSet<string>(liveAfter);
                if (a.Type.IsFloating && a.Type.StructName.Length == 0)
                {
                    live.Remove(a.Target);
                }

                live.UnionWith(Reads(a.Value));
                return live;
            case StoreStmt s:
                // An element write kills nothing: the array's other elements keep their values. Liveness is the whole
                // array's, so on a jumping path an element store is taken as dead wherever the array is (the element
                // may be one the path never reads again: its adjoint is then exactly zero, which the reverse tests).
                if (s.ElementType.IsFloating && (_jumping || (_eitherBranch && _readUnderBranches.Contains(s.Array)) || !liveAfter.Contains(s.Array)) && _aliases.IsFresh(s.Array) && _activity.IsActive(s.Array) && MayBeDead(s.Value))
                {
                    return Dead(statement, liveAfter, marks);
                }

                return new HashSet<string>(liveAfter.Concat(Reads(s.Value)));
            case IfStmt branch:
                var then = new HashSet<string>(Block(branch.Then, liveAfter, marks));
                then.UnionWith(Block(branch.Else, liveAfter, marks));
                return then;
            case LoopStmt loop:
                return Loop(loop, liveAfter, marks);
            case NewArrayStmt or EffectStmt:
                return liveAfter;
            default:
                _unknown = true;
                return liveAfter;
        }
    }

    /// <summary>
    /// The fixpoint at the loop's head (live after the loop, or before another trip), which is also what is live
    /// before the loop whether or not the body runs first; then one marking pass under it, and one under the last
    /// trip's path (after it only what is live after the loop is: a value only the next trip would read is dead on it).
    /// </summary>
    private HashSet<string> Loop(LoopStmt loop, HashSet<string> liveAfter, HashSet<Stmt>? marks)
    {
        var head = new HashSet<string>(liveAfter);
        while (true)
        {
            var before = Trip(loop, head, liveAfter, null);
            if (before.IsSubsetOf(head))
            {
                break;
            }

            head.UnionWith(before);
        }

        if (marks is not null)
        {
            Trip(loop, head, liveAfter, marks);
            if (_splits < MaxSplits && _visits < _splitBudget)
            {
                _splits++;
                Trip(loop, liveAfter, liveAfter, _deadOnSomePath);
                _splits--;
            }
        }

        return head;
    }

    /// <summary>One trip of <paramref name="loop"/> backwards from <paramref name="atEnd"/> (live after its step), its break leading to <paramref name="liveAfter"/>.</summary>
    private HashSet<string> Trip(LoopStmt loop, HashSet<string> atEnd, HashSet<string> liveAfter, HashSet<Stmt>? marks)
    {
        var flags = IrWalker.ReadVariables(loop.Condition ?? new ConstExpr(IrType.Bool, "true")).Where(_jumpFlags.Contains).Where(f => f != _returnedFlag).ToList();
        var continueFlag = loop.Body.Count > 0 && loop.Body[0] is AssignStmt { Value: ConstExpr { Text: "false" } } reset && _jumpFlags.Contains(reset.Target) ? reset.Target : null;
        var breakFlag = flags.FirstOrDefault(f => f != continueFlag);
        var beforeStep = Block(loop.Step, atEnd, marks);
        _loops.Add(new LoopExits(breakFlag, continueFlag, liveAfter, beforeStep));
        try
        {
            return Block(loop.Body, beforeStep, marks);
        }
        finally
        {
            _loops.RemoveAt(_loops.Count - 1);
        }
    }

    private static HashSet<string> Dead(Stmt statement, HashSet<string> liveAfter, HashSet<Stmt>? marks)
    {
        marks?.Add(statement);
        return liveAfter;
    }

    /// <summary>
    /// What <paramref name="value"/> reads with a derivative; on a jumping path, not what a branch of a <c>?:</c>
    /// reads; on the path of one branch of each <c>?:</c>, only what both its branches read.
    /// </summary>
    private IEnumerable<string> Reads(Expr value)
    {
        if (!_jumping && !_eitherBranch)
        {
            return ActivityAnalysis.DerivativeReads(value);
        }

        var outside = ActivityAnalysis.DerivativeReads(WithoutBranches(value));
        return _jumping ? outside : outside.Concat(Outermost(value).SelectMany(c => Reads(c.WhenTrue).Intersect(Reads(c.WhenFalse))));
    }

    private static Expr WithoutBranches(Expr value) => IrWalker.Rewrite(value, e => e is ConditionalExpr c ? new ConstExpr(c.Type, "0") : e);

    /// <summary>The <c>?:</c> expressions of <paramref name="value"/> not inside another one.</summary>
    private static IEnumerable<ConditionalExpr> Outermost(Expr value) =>
        value is ConditionalExpr c ? new[] { c } : IrWalker.Children(value).SelectMany(Outermost);

    /// <summary>Whether one branch of <paramref name="conditional"/> reads with a derivative what the other does not (a variable, or an element: <c>c ? a[0] : a[1]</c>).</summary>
    private static bool BranchesReadDifferently(ConditionalExpr conditional) =>
        !new HashSet<string>(ActivityAnalysis.DerivativeReads(conditional.WhenTrue)).SetEquals(ActivityAnalysis.DerivativeReads(conditional.WhenFalse))
        || !new HashSet<Expr>(IrWalker.Descendants(conditional.WhenTrue).OfType<ElementExpr>()).SetEquals(IrWalker.Descendants(conditional.WhenFalse).OfType<ElementExpr>());

    /// <summary>
    /// A value with a derivative to drop and, on every path, no call that could write an array (detaching it would
    /// hide the write's derivative from the liveness). On some path it may pass one: the definition is then only
    /// tested at run time, and its callee's backward, which gives the derivative of the value alone (a callee's
    /// generated methods never write the caller's array), is skipped only when it would be seeded with zero.
    /// </summary>
    private bool MayBeDead(Expr value) =>
        value is not DetachExpr && ActivityAnalysis.DerivativeReads(value).Any()
        && (_splits > 0 || _jumping || !IrWalker.Descendants(value).OfType<MethodCallExpr>().Any(ArrayAliases.PassesArray));

    private EquatableArray<Stmt> Detached(EquatableArray<Stmt> block) => block.Select(statement => statement switch
    {
        AssignStmt a when _dead.Contains(a) => a with { Value = new DetachExpr(a.Value) },
        StoreStmt s when _dead.Contains(s) => s with { Value = new DetachExpr(s.Value) },
        AssignStmt a when _deadOnSomePath.Contains(a) => a with { DeadOnSomePath = true },
        StoreStmt s when _deadOnSomePath.Contains(s) => s with { DeadOnSomePath = true },
        IfStmt branch => new IfStmt(branch.Condition, Detached(branch.Then), Detached(branch.Else)),
        LoopStmt loop => loop with { Body = Detached(loop.Body), Step = Detached(loop.Step) },
        _ => statement,
    }).ToEquatableArray();
}

using System.Collections.Generic;
using System.Linq;
using StaticGrad.Compiler.IR;
using StaticGrad.Compiler.Model;

namespace StaticGrad.Compiler.Analysis;

/// <summary>Where a value overwritten in the forward sweep is kept for the reverse sweep.</summary>
public enum Storage
{
    /// <summary>Not kept: the reverse sweep does not need it.</summary>
    None,

    /// <summary>A local of the backward method: the site runs at most once (no enclosing loop), so no tape is needed.</summary>
    Local,

    /// <summary>Pushed on the pooled tape in the forward sweep and popped in the reverse sweep.</summary>
    Tape,

    /// <summary>
    /// Not kept: an integer update <c>v = v ± e</c> is undone exactly by <c>v = v ∓ e</c> (wrapping arithmetic),
    /// so a loop counter costs nothing on the tape.
    /// </summary>
    Inverse,
}

/// <summary>
/// To-be-recorded analysis: which variables the reverse sweep reads (partial derivatives, indices, arguments of
/// backward calls), hence which assignments must save the value they overwrite, and which branch decisions and
/// trip counts the reverse sweep needs to replay the control flow.
/// </summary>
public sealed partial class RecordingAnalysis
{
    private readonly ActivityAnalysis _activity;
    private readonly Dictionary<Stmt, Storage> _saves = new(ReferenceComparer<Stmt>.Instance);
    private readonly Dictionary<Stmt, Storage> _control = new(ReferenceComparer<Stmt>.Instance);
    private readonly Dictionary<Stmt, bool> _hasReverse = new(ReferenceComparer<Stmt>.Instance);
    private readonly HashSet<Stmt> _firstDefinitions = new(ReferenceComparer<Stmt>.Instance);
    private readonly HashSet<string> _assigned = new();
    private readonly Dictionary<Stmt, (BinaryOp Op, Expr Operand)> _inverses = new(ReferenceComparer<Stmt>.Instance);
    private readonly HashSet<Stmt> _recomputed = new(ReferenceComparer<Stmt>.Instance);
    private readonly Dictionary<Stmt, List<AssignStmt>> _recomputedByLoop = new(ReferenceComparer<Stmt>.Instance);
    private readonly HashSet<Stmt> _linearSkips = new(ReferenceComparer<Stmt>.Instance);
    private Sites _sites = null!;

    private RecordingAnalysis(ActivityAnalysis activity, HashSet<string> needed)
    {
        _activity = activity;
        Needed = needed;
    }

    /// <summary>Variables (scalars, and arrays whose elements) the reverse sweep reads.</summary>
    public IReadOnlyCollection<string> Needed { get; }

    public static RecordingAnalysis Run(MethodIR method, ActivityAnalysis activity)
    {
        var needed = new HashSet<string>();
        foreach (var statement in IrWalker.Statements(method.Body))
        {
            switch (statement)
            {
                case AssignStmt a when activity.IsActive(a.Target):
                    needed.UnionWith(Needs(a.Value, activity));
                    break;
                case StoreStmt s when activity.IsActive(s.Array):
                    needed.UnionWith(IrWalker.ReadVariables(s.Index));
                    needed.UnionWith(Needs(s.Value, activity));
                    break;
            }
        }

        var analysis = new RecordingAnalysis(activity, needed);
        analysis._assigned.UnionWith(method.Parameters.Select(p => p.Name));
        var assignmentCounts = IrWalker.Statements(method.Body).OfType<AssignStmt>().GroupBy(a => a.Target).ToDictionary(g => g.Key, g => g.Count());
        analysis._creations = IrWalker.Statements(method.Body).OfType<NewArrayStmt>().GroupBy(n => n.Target).ToDictionary(g => g.Key, g => g.Count());
        foreach (var parameter in method.Parameters)
        {
            assignmentCounts[parameter.Name] = assignmentCounts.TryGetValue(parameter.Name, out var count) ? count + 1 : 1;
        }

        analysis._sites = new Sites(method.Body);
        analysis.FindResetCandidates(method, assignmentCounts);
        analysis.PlanCheapReversal(method, assignmentCounts);
        analysis.PlanResets();
        analysis.Plan(method.Body, inLoop: false, assignmentCounts);
        return analysis;
    }

    /// <summary>How the value overwritten by an assignment or store is kept.</summary>
    /// <summary>
    /// A local array created more than once (inside a loop, or reassigned with <c>new</c>): its creation has a reverse,
    /// which clears the adjoint and, when the reverse sweep reads the array, gets the previous array back from the tape.
    /// </summary>
    public bool IsRecreated(Stmt creation) => _recreated.Contains(creation);

    public Storage SaveOf(Stmt statement) => _saves.TryGetValue(statement, out var storage) ? storage : Storage.None;

    /// <summary>How an if's decision or a loop's trip count is kept (None: the reverse sweep skips the statement).</summary>
    public Storage ControlOf(Stmt statement) => _control.TryGetValue(statement, out var storage) ? storage : Storage.None;

    /// <summary>Whether an assignment is its variable's first, outside loops: its adjoint needs no clearing afterwards.</summary>
    public bool IsFirstDefinition(Stmt statement) => _firstDefinitions.Contains(statement);

    public bool HasReverse(Stmt statement) => _hasReverse.TryGetValue(statement, out var value) && value;

    /// <summary>For <see cref="Storage.Inverse"/>: the operator (Add or Subtract) and the operand <c>e</c> of <c>v = v ± e</c>.</summary>
    public (BinaryOp Op, Expr Operand) InverseOf(Stmt statement) => _inverses[statement];

    /// <summary>
    /// The assignments at the top of a loop's body that the reverse sweep re-evaluates at the start of each reversed
    /// iteration instead of saving the value they overwrite (in body order).
    /// </summary>
    public IReadOnlyList<AssignStmt> RecomputedIn(Stmt loop) =>
        _recomputedByLoop.TryGetValue(loop, out var list) ? list : (IReadOnlyList<AssignStmt>)System.Array.Empty<AssignStmt>();

    /// <summary>Whether a loop-local assignment is re-evaluated in its loop's reverse instead of saved.</summary>
    public bool IsRecomputed(Stmt statement) => _recomputed.Contains(statement);

    /// <summary>Whether a floating assignment <c>v = v ± e</c> is undone without its old value (it only adds to the adjoint of e).</summary>
    public static (BinaryOp Op, Expr Operand)? LinearUpdate(AssignStmt a)
    {
        if (a.Type.Shape != ShapeKind.Scalar || a.Value is not BinaryExpr { Op: BinaryOp.Add or BinaryOp.Subtract } b || b.Type != a.Type)
        {
            return null;
        }

        if (b.Left is VarExpr left && left.Name == a.Target && !IrWalker.ReadVariables(b.Right).Contains(a.Target))
        {
            return (b.Op, b.Right);
        }

        if (b.Op == BinaryOp.Add && b.Right is VarExpr right && right.Name == a.Target && !IrWalker.ReadVariables(b.Left).Contains(a.Target))
        {
            return (b.Op, b.Left);
        }

        return null;
    }

    private Dictionary<string, int> _creations = new();

    private readonly HashSet<Stmt> _recreated = new(ReferenceComparer<Stmt>.Instance);

    private bool Plan(EquatableArray<Stmt> block, bool inLoop, Dictionary<string, int> assignmentCounts)
    {
        var any = false;
        foreach (var statement in block)
        {
            var hasReverse = false;
            switch (statement)
            {
                case AssignStmt a:
                    // The first assignment of a local, outside loops, overwrites nothing anyone reads again.
                    if (!inLoop && _assigned.Add(a.Target))
                    {
                        _firstDefinitions.Add(statement);
                    }
                    else if (Needed.Contains(a.Target) && (inLoop || assignmentCounts[a.Target] > 1) && !ResetInstead(statement))
                    {
                        _saves[statement] = !inLoop ? Storage.Local
                            : _inverses.ContainsKey(statement) ? Storage.Inverse
                            : _recomputed.Contains(statement) || LinearSkip(a) ? Storage.None
                            : Storage.Tape;
                    }

                    hasReverse = _activity.IsActive(a.Target) || SaveOf(statement) != Storage.None;
                    break;
                case StoreStmt s:
                    if (Needed.Contains(s.Array))
                    {
                        _saves[statement] = inLoop ? Storage.Tape : Storage.Local;
                    }

                    hasReverse = _activity.IsActive(s.Array) || SaveOf(statement) != Storage.None;
                    break;
                case NewArrayStmt n when !n.IsStackAlloc && (inLoop || _creations[n.Target] > 1):
                    _recreated.Add(statement);
                    if (Needed.Contains(n.Target))
                    {
                        _saves[statement] = Storage.Tape;
                    }

                    hasReverse = _activity.IsActive(n.Target) || SaveOf(statement) != Storage.None;
                    break;
                case IfStmt branch:
                    hasReverse = Plan(branch.Then, inLoop, assignmentCounts) | Plan(branch.Else, inLoop, assignmentCounts);
                    break;
                case LoopStmt loop:
                    _assigned.UnionWith(IrWalker.Statements(loop.Body).Concat(IrWalker.Statements(loop.Step)).OfType<AssignStmt>().Select(a => a.Target));
                    hasReverse = Plan(loop.Body, inLoop: true, assignmentCounts) | Plan(loop.Step, inLoop: true, assignmentCounts);
                    break;
            }

            if (hasReverse && statement is IfStmt or LoopStmt)
            {
                _control[statement] = inLoop ? Storage.Tape : Storage.Local;
            }

            _hasReverse[statement] = hasReverse;
            any |= hasReverse;
        }

        return any;
    }

    /// <summary>The variables whose values the partial derivatives of an active expression read.</summary>
    internal static IEnumerable<string> Needs(Expr expression, ActivityAnalysis activity)
    {
        if (!activity.IsActive(expression))
        {
            return Enumerable.Empty<string>();
        }

        IEnumerable<string> All(Expr e) => IrWalker.ReadVariables(e);
        IEnumerable<string> Inner(Expr e) => Needs(e, activity);

        switch (expression)
        {
            case ElementExpr e:
                return All(e.Index);
            case BinaryExpr { Op: BinaryOp.Add or BinaryOp.Subtract } b:
                return Inner(b.Left).Concat(Inner(b.Right));
            case BinaryExpr { Op: BinaryOp.Multiply } b:
                return Inner(b.Left).Concat(Inner(b.Right))
                    .Concat(activity.IsActive(b.Left) ? All(b.Right) : Enumerable.Empty<string>())
                    .Concat(activity.IsActive(b.Right) ? All(b.Left) : Enumerable.Empty<string>());
            case BinaryExpr b:
                return Inner(b.Left).Concat(Inner(b.Right)).Concat(All(b.Left)).Concat(All(b.Right));
            case UnaryExpr u:
                return Inner(u.Operand);
            case CastExpr c:
                return Inner(c.Operand);
            case ConditionalExpr c:
                return All(c.Condition).Concat(Inner(c.WhenTrue)).Concat(Inner(c.WhenFalse));
            case BuiltinCallExpr or MethodCallExpr:
                return IrWalker.Children(expression).SelectMany(a => All(a).Concat(Inner(a)));
            default:
                return Enumerable.Empty<string>();
        }
    }
}

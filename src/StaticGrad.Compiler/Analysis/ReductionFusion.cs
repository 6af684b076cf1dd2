using System.Collections.Generic;
using System.Linq;
using StaticGrad.Compiler.IR;
using StaticGrad.Compiler.Model;

namespace StaticGrad.Compiler.Analysis;

/// <summary>One step on the path from the result's expression down to a fused accumulator.</summary>
/// <param name="Op">Add (pass), Subtract (negate: the accumulator is the right operand or negated), Multiply or Divide by <paramref name="Other"/>.</param>
/// <param name="Other">The other operand of a product or the divisor.</param>
/// <param name="CastFrom">For a conversion, the accumulator side's type (the adjoint is converted back to it).</param>
public sealed record FusionStep(BinaryOp Op, Expr? Other, IrType? CastFrom);

/// <summary>A linear accumulator <c>s = s ± e</c> of a fused loop, with the path from the result's expression to it.</summary>
public sealed record FusedAccumulator(string Name, IrType Type, IReadOnlyList<FusionStep> Path);

/// <summary>
/// Reduction-loop fusion: a top-level loop whose iterations communicate only through linear accumulators
/// (<c>s += e</c>) that the result depends on linearly, with coefficients known before the loop, needs no reverse
/// loop. The adjoint of each accumulator is the same in every iteration (a linear update passes it through unchanged)
/// and is known before the loop runs, so each iteration's reverse can run right after its forward, on values still in
/// registers: one pass over the data instead of a forward pass and a reverse pass that recomputes or pops them. This is
/// how a careful person writes Rosenbrock's or a Monte-Carlo gradient by hand.
/// <para>
/// The reverse of an iteration restores what the iteration overwrote; that is harmless when every other variable the
/// loop writes is private to an iteration (written before it is read in the same iteration, not read after the loop)
/// or never restored (written without a save). Arrays written in the loop, loop-carried values with an adjoint, and
/// accumulators read anywhere else in the loop disqualify it: their adjoint would change from one iteration to the next.
/// </para>
/// </summary>
public sealed partial class ReductionFusion
{
    private readonly Dictionary<Stmt, IReadOnlyList<FusedAccumulator>> _fused = new(ReferenceComparer<Stmt>.Instance);
    private readonly HashSet<Stmt> _onceDirect = new(ReferenceComparer<Stmt>.Instance);
    private readonly HashSet<Stmt> _privateStores = new(ReferenceComparer<Stmt>.Instance);

    private ReductionFusion()
    {
    }

    /// <summary>The statement computing the result (the body's last), whose propagation into fused accumulators moves before their loops.</summary>
    public Stmt? Final { get; private set; }

    /// <summary>Accumulators of fused loops: the final statement's reverse must not add into their adjoints again.</summary>
    public IReadOnlyCollection<string> Accumulators => _fused.Values.SelectMany(a => a).Select(a => a.Name).ToList();

    /// <summary>Whether a loop is reversed iteration by iteration inside the forward sweep: a fused top-level loop or an inner loop fused inside one.</summary>
    public bool IsFused(Stmt loop) => _fused.ContainsKey(loop) || _fusedInner.ContainsKey(loop);

    public IReadOnlyList<FusedAccumulator> AccumulatorsOf(Stmt loop) => _fused.TryGetValue(loop, out var accumulators) ? accumulators : _fusedInner[loop];

    /// <summary>
    /// Whether a statement runs at most once per iteration of a fused loop (directly in its body, or in its
    /// branches, not in an inner loop): what it saves and the branch decisions or trip counts it records are read back
    /// within the same iteration, so a local replaces the tape.
    /// </summary>
    public bool RunsOncePerFusedIteration(Stmt statement) => _onceDirect.Contains(statement);

    /// <summary>
    /// Whether a store writes an array private to an iteration of a fused loop (every store in a fused loop does): it
    /// saves nothing, because each element is written once per iteration before any read and no reverse code after
    /// the store's reverse reads it.
    /// </summary>
    public bool IsPrivateStore(Stmt statement) => _privateStores.Contains(statement);

    /// <summary>The arrays private to an iteration of a fused loop.</summary>
    public IEnumerable<string> PrivateArraysOf(Stmt loop) =>
        IrWalker.Statements(((LoopStmt)loop).Body).OfType<StoreStmt>().Select(s => s.Array).Distinct();

    public static ReductionFusion Plan(MethodIR method, ActivityAnalysis activity, RecordingAnalysis recording, string resultName)
    {
        var fusion = new ReductionFusion();
        var body = method.Body;
        if (body.Count == 0 || body[body.Count - 1] is not AssignStmt final || final.Target != resultName
            || IrWalker.Statements(body).OfType<AssignStmt>().Count(a => a.Target == resultName) != 1
            || IrWalker.Descendants(final.Value).Any(e => e is MethodCallExpr))
        {
            return fusion;
        }

        fusion.Final = final;
        var forwards = Forwards(method, final);
        for (var k = 0; k < body.Count - 1; k++)
        {
            var keptWrites = new List<AssignStmt>();
            var forwarding = new List<AssignStmt>();
            if (body[k] is LoopStmt loop && recording.HasReverse(loop) && !MayThrowAfter(method, k, loop)
                && FusableAccumulators(method, k, loop, final, activity, recording, forwards, keptWrites, forwarding) is { Count: > 0 } accumulators)
            {
                fusion._fused[loop] = accumulators;
                fusion._keptAdjointWrites.UnionWith(keptWrites);
                fusion._forwarding.UnionWith(forwarding);
                fusion.AddOnceDirect(loop.Body);
                fusion._privateStores.UnionWith(IrWalker.Statements(loop.Body).OfType<StoreStmt>());
                fusion.FuseInnerLoops(loop, accumulators, activity, recording);
            }
        }

        return fusion;
    }

    private void AddOnceDirect(EquatableArray<Stmt> block)
    {
        foreach (var statement in block)
        {
            _onceDirect.Add(statement);
            if (statement is IfStmt branch)
            {
                AddOnceDirect(branch.Then);
                AddOnceDirect(branch.Else);
            }
        }
    }

    /// <summary>The fused accumulators of the top-level loop at <paramref name="k"/>, or null when it cannot be fused.</summary>
    /// <param name="keptWrites">Receives the dead writes after the loop whose reverses must keep the adjoint of a local the loop reads.</param>
    /// <param name="forwards">The statements that keep a value for the result (see <see cref="Forwards"/>), by index.</param>
    /// <param name="forwarding">Receives those through which an accumulator reaches the result.</param>
    private static List<FusedAccumulator>? FusableAccumulators(MethodIR method, int k, LoopStmt loop, AssignStmt final, ActivityAnalysis activity, RecordingAnalysis recording,
        Dictionary<int, AssignStmt> forwards, List<AssignStmt> keptWrites, List<AssignStmt> forwarding)
    {
        var inBody = IrWalker.Statements(loop.Body).ToList();
        var inStep = IrWalker.Statements(loop.Step).ToList();
        var outside = method.Body.Take(k).Concat(method.Body.Skip(k + 1).Take(method.Body.Count - k - 2)).ToEquatableArray();
        var readOutside = new HashSet<string>(IrWalker.Statements(outside).SelectMany(IrWalker.Expressions).SelectMany(IrWalker.ReadVariables));

        // Arrays: a new array, or a store into an array that is not private to an iteration (ArrayRegions), makes
        // memory loop-carried.
        if (inBody.Concat(inStep).Any(s => s is NewArrayStmt or BreakStmt or ContinueStmt or ReturnStmt
            || (s is StoreStmt store && !ArrayRegions.IsIterationPrivate(method.Body, k, loop, store.Array))))
        {
            return null;
        }

        // The step only moves inactive counters the body does not write; it is never reversed.
        var stepWritten = new HashSet<string>(inStep.OfType<AssignStmt>().Select(a => a.Target));
        if (inStep.Any(s => s is not AssignStmt || recording.SaveOf(s) is Storage.Tape or Storage.Local) || stepWritten.Any(activity.IsActive)
            || inBody.OfType<AssignStmt>().Any(a => stepWritten.Contains(a.Target)) || stepWritten.Overlaps(readOutside) || stepWritten.Overlaps(IrWalker.ReadVariables(final.Value)))
        {
            return null;
        }

        var bodyWritten = new HashSet<string>(inBody.OfType<AssignStmt>().Select(a => a.Target));
        var writtenAfter = new HashSet<string>(IrWalker.Statements(method.Body.Skip(k + 1).ToEquatableArray()).Select(Written).Where(n => n is not null)!);
        // An iteration's reverse adds into the adjoints of what it reads as soon as it runs: a later write of such a
        // variable would take those additions for its own (its reverse consumes and resets the adjoint), unless every
        // later write is dead and keeps the adjoint instead (ReductionFusion.DeadWrites.cs).
        var readInLoop = inBody.Concat(inStep).SelectMany(IrWalker.Expressions).Concat(loop.Condition is null ? Enumerable.Empty<Expr>() : new[] { loop.Condition })
            .SelectMany(IrWalker.ReadVariables);
        foreach (var read in readInLoop.Where(n => writtenAfter.Contains(n) && activity.IsActive(n)).Distinct())
        {
            if (DeadWritesAfter(method.Body, k, read, activity) is not { } dead)
            {
                return null;
            }

            keptWrites.AddRange(dead);
        }

        var accumulators = new List<FusedAccumulator>();
        var carriedUnsaved = new HashSet<string>();
        foreach (var variable in bodyWritten)
        {
            var writes = inBody.OfType<AssignStmt>().Where(a => a.Target == variable).ToList();
            // Unsaved and not recomputed: an iteration's reverse leaves the variable as the forward left it.
            var unsaved = writes.All(w => recording.SaveOf(w) == Storage.None && !recording.IsRecomputed(w));
            if (activity.IsActive(variable) && writes.All(w => RecordingAnalysis.LinearUpdate(w) is not null) && unsaved)
            {
                // Read nowhere in the loop but in its own updates, and outside only by the result's expression.
                var readsInLoop = inBody.Concat(inStep).Where(s => !writes.Contains(s, ReferenceComparer<Stmt>.Instance))
                    .SelectMany(IrWalker.Expressions).Concat(loop.Condition is null ? Enumerable.Empty<Expr>() : new[] { loop.Condition })
                    .SelectMany(IrWalker.ReadVariables).Contains(variable);
                if (readsInLoop || writtenAfter.Contains(variable) || PathToResult(method.Body, k, final, variable, forwards, forwarding) is not { } path)
                {
                    return null;
                }

                accumulators.Add(new FusedAccumulator(variable, writes[0].Type, path));
            }
            else if (!activity.IsActive(variable) && unsaved)
            {
                // Never restored by an iteration's reverse: the forward sees exactly the values of the original loop.
                carriedUnsaved.Add(variable);
            }
        }

        // Everything else the body writes must be private to an iteration and dead after the loop.
        var privates = new HashSet<string>(bodyWritten.Except(accumulators.Select(a => a.Name)).Except(carriedUnsaved));
        if (privates.Overlaps(readOutside) || privates.Overlaps(IrWalker.ReadVariables(final.Value))
            || (loop.Condition is not null && privates.Overlaps(IrWalker.ReadVariables(loop.Condition)))
            || !WrittenBeforeRead(loop.Body, privates, new HashSet<string>()))
        {
            return null;
        }

        // The coefficients are evaluated before the loop: they may read nothing the loop or the rest of the body writes.
        var laterWritten = new HashSet<string>(bodyWritten.Concat(stepWritten).Concat(writtenAfter));
        foreach (var step in accumulators.SelectMany(a => a.Path).Where(s => s.Other is not null))
        {
            if (IrWalker.Descendants(step.Other!).Any(e => e is MethodCallExpr) || IrWalker.ReadVariables(step.Other!).Any(laterWritten.Contains))
            {
                return null;
            }
        }

        return accumulators;
    }

    /// <summary>The variable or array a statement writes directly, if any.</summary>
    private static string? Written(Stmt statement) => statement switch
    {
        AssignStmt a => a.Target,
        StoreStmt s => s.Array,
        NewArrayStmt n => n.Target,
        _ => null,
    };

    /// <summary>
    /// The path from <paramref name="expression"/> to its single occurrence of <paramref name="variable"/> when the
    /// expression is linear in it (sums, differences, negation, conversion, products and quotients by factors free of
    /// it); null otherwise.
    /// </summary>
    private static List<FusionStep>? Path(Expr expression, string variable)
    {
        if (IrWalker.ReadVariables(expression).Count(n => n == variable) != 1)
        {
            return null;
        }

        var path = new List<FusionStep>();
        var current = expression;
        while (current is not VarExpr v || v.Name != variable)
        {
            bool Contains(Expr e) => IrWalker.ReadVariables(e).Contains(variable);
            switch (current)
            {
                case BinaryExpr { Op: BinaryOp.Add } b:
                    current = Contains(b.Left) ? b.Left : b.Right;
                    path.Add(new FusionStep(BinaryOp.Add, null, null));
                    break;
                case BinaryExpr { Op: BinaryOp.Subtract } b:
                    path.Add(new FusionStep(Contains(b.Left) ? BinaryOp.Add : BinaryOp.Subtract, null, null));
                    current = Contains(b.Left) ? b.Left : b.Right;
                    break;
                case BinaryExpr { Op: BinaryOp.Multiply } b:
                    path.Add(new FusionStep(BinaryOp.Multiply, Contains(b.Left) ? b.Right : b.Left, null));
                    current = Contains(b.Left) ? b.Left : b.Right;
                    break;
                case BinaryExpr { Op: BinaryOp.Divide } b when Contains(b.Left):
                    path.Add(new FusionStep(BinaryOp.Divide, b.Right, null));
                    current = b.Left;
                    break;
                case UnaryExpr { Op: UnaryOp.Negate } u:
                    path.Add(new FusionStep(BinaryOp.Subtract, null, null));
                    current = u.Operand;
                    break;
                case CastExpr { Type.IsFloating: true } c when c.Operand.Type.IsFloating:
                    path.Add(new FusionStep(BinaryOp.Add, null, c.Operand.Type));
                    current = c.Operand;
                    break;
                default:
                    return null;
            }
        }

        return path;
    }

    /// <summary>
    /// Whether every read of a <paramref name="watched"/> variable in one iteration of <paramref name="block"/> comes
    /// after a write of it in the same iteration on every path (<paramref name="defined"/>: those written so far).
    /// </summary>
    private static bool WrittenBeforeRead(EquatableArray<Stmt> block, HashSet<string> watched, HashSet<string> defined)
    {
        foreach (var statement in block)
        {
            if (IrWalker.Expressions(statement).SelectMany(IrWalker.ReadVariables).Any(n => watched.Contains(n) && !defined.Contains(n)))
            {
                return false;
            }

            switch (statement)
            {
                case AssignStmt a:
                    defined.Add(a.Target);
                    break;
                case IfStmt branch:
                    {
                        var then = new HashSet<string>(defined);
                        var otherwise = new HashSet<string>(defined);
                        if (!WrittenBeforeRead(branch.Then, watched, then) || !WrittenBeforeRead(branch.Else, watched, otherwise))
                        {
                            return false;
                        }

                        defined.UnionWith(then.Intersect(otherwise));
                        break;
                    }

                case LoopStmt inner:
                    {
                        // The inner loop may run zero times: its writes define nothing after it. Its own reads are checked
                        // against what was defined before it plus what its iteration defines first.
                        var iteration = new HashSet<string>(defined);
                        if (!WrittenBeforeRead(inner.Body.Concat(inner.Step).ToEquatableArray(), watched, iteration))
                        {
                            return false;
                        }

                        break;
                    }
            }
        }

        return true;
    }
}

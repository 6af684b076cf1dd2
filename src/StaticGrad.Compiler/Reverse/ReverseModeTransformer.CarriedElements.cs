using System.Collections.Generic;
using System.Linq;
using StaticGrad.Compiler.Emit;
using StaticGrad.Compiler.IR;
using StaticGrad.Compiler.Model;
using StaticGrad.Compiler.Naming;

namespace StaticGrad.Compiler.Reverse;

/// <summary>
/// Adjoint elements carried across the iterations of a fused loop in registers (issue 18, session 18; scalar
/// replacement, as hand-written gradients do). A fused iteration is reversed right after it runs, so its reverse runs
/// in the forward loop's order: when it adds into <c>dA[i]</c> and <c>dA[i + 1]</c> (Rosenbrock's <c>x[i + 1] − x[i]²</c>),
/// the next iteration adds into <c>dA[i + 1]</c> again as its <c>dA[i]</c>. Each contribution to those two elements
/// is added to a local instead (<c>_dxAt</c> for <c>dA[i]</c>, <c>_dxNext</c> for <c>dA[i + 1]</c>); the iteration
/// ends with one update <c>dA[i] += _dxAt</c> and hands <c>_dxNext</c> on as the next iteration's <c>_dxAt</c>; after
/// the loop, the last share goes to <c>dA[i]</c> at the exit index. One load, bounds check and store of the adjoint
/// per iteration instead of two, and no store-to-load dependency from one iteration to the next.
/// <para>
/// Sound because additions into an adjoint element commute: only code that reads an element of <c>dA</c> could see a
/// share that is still in a local. Nothing in the loop does: the conditions are a fused top-level loop (no jump, its
/// reverse in forward order) counted by <c>i</c> from a start the forward sweep can evaluate again, step 1, <c>i</c>
/// written only by the step; <c>A</c> an array of floating scalars with an adjoint, not stored into nor reassigned in
/// the loop and passed whole to no call (a callee's backward could read its adjoint); every element of <c>A</c> the
/// loop reads at <c>i</c> or <c>i + 1</c> or at an index that cannot be either (the other reads update <c>dA</c>
/// directly, which commutes with the carried shares). So that the final update is in bounds, a statement at the top of
/// the body reads <c>A[i + 1]</c> on every path: if the loop ran, its last iteration read the element at the exit index.
/// Shares are summed in another order than before: equal up to rounding.
/// </para>
/// </summary>
public sealed partial class ReverseModeTransformer
{
    /// <summary>The carried arrays of the fused loop being written, by array name; empty outside one.</summary>
    private readonly Dictionary<string, CarriedElements> _carriedElements = new();

    /// <summary>A carried array of a fused loop: its index variable and the locals holding the shares of <c>dA[i]</c> and <c>dA[i + 1]</c>.</summary>
    private sealed record CarriedElements(string Array, string Index, string At, string Next, IrType ElementType);

    /// <summary>
    /// Plans the carried arrays of the fused loop <paramref name="loop"/> (preceded in its block by
    /// <paramref name="previous"/>) and returns the exit update's guard start, or null when none is carried.
    /// </summary>
    private string? PlanCarriedElements(LoopStmt loop, Stmt? previous)
    {
        // An inner loop fused inside a carried iteration keeps the outer plan (its updates of dA[i] go to the same locals).
        if (_fusion.IsFusedInner(loop))
        {
            return null;
        }

        _carriedElements.Clear();
        if ( loop.Step.Count != 1 || CountingIndex(loop, previous) is not { } counting
            || !ReferenceEquals(counting.Increment, loop.Step[0]))
        {
            return null;
        }

        var index = counting.Increment.Target;
        var statements = IrWalker.Statements(loop.Body.Concat(loop.Step).ToEquatableArray()).ToList();
        if (statements.Any(s => s is EffectStmt or ReturnStmt or BreakStmt or ContinueStmt))
        {
            return null;
        }

        var expressions = statements.SelectMany(IrWalker.Expressions).Concat(loop.Condition is null ? Enumerable.Empty<Expr>() : new[] { loop.Condition })
            .SelectMany(IrWalker.Descendants).ToList();
        var candidates = expressions.OfType<ElementExpr>().Where(e => Offset(e.Index, index) == 1).Select(e => e.Array).Distinct().ToList();
        foreach (var array in candidates)
        {
            if (!_adjoints.TryGetValue(array, out var adjoint) || !_activity.IsActive(array)
                || _types[array] is not { Shape: ShapeKind.Array or ShapeKind.Span or ShapeKind.ReadOnlySpan, StructName.Length: 0, IsFloatingCollection: true } type
                || statements.Any(s => (s is StoreStmt store && store.Array == array) || (s is AssignStmt a && a.Target == array))
                || expressions.Any(e => e is MethodCallExpr call && call.Args.Any(arg => arg is not ElementExpr && IrWalker.ReadVariables(arg).Contains(array)))
                || expressions.OfType<ElementExpr>().Any(e => e.Array == array && Offset(e.Index, index) is null && !CannotBeNear(e.Index, index))
                || !ReadEveryIteration(loop, array, index, 1)
                || !(StartsAtZeroOrAbove(counting.Start) || ReadEveryIteration(loop, array, index, 0)))
            {
                continue;
            }

            var stem = "_" + NameScope.Unescaped(adjoint).TrimStart('_');
            _carriedElements[array] = new CarriedElements(array, index, Fresh(stem + "At"), Fresh(stem + "Next"), type.Element);
        }

        return _carriedElements.Count == 0 ? null : counting.Start;
    }

    /// <summary>The local an update of <paramref name="e"/> goes to while its array is carried, or null.</summary>
    private string? CarriedLocal(ElementExpr e) =>
        _carriedElements.TryGetValue(e.Array, out var carried)
            ? Offset(e.Index, carried.Index) switch { 0 => carried.At, 1 => carried.Next, _ => null }
            : null;

    /// <summary>The carried locals' declarations, written before the loop.</summary>
    private void DeclareCarriedElements(IndentedWriter w)
    {
        foreach (var carried in _carriedElements.Values)
        {
            w.WriteLine(carried.ElementType.ScalarKeyword + " " + carried.At + " = " + Zero(carried.ElementType) + ";");
            w.WriteLine(carried.ElementType.ScalarKeyword + " " + carried.Next + " = " + Zero(carried.ElementType) + ";");
        }
    }

    /// <summary>
    /// At the end of a fused iteration: one update of each carried element, and the next element's share handed on.
    /// The first addition into the next share at the iteration's level becomes an assignment (it is zero there).
    /// </summary>
    private string EndCarriedIteration(string iteration, int level)
    {
        var w = new IndentedWriter();
        w.Indent(level);
        w.AppendText(iteration);
        w.WriteLine("// One update of " + string.Join(", ", _carriedElements.Keys.Select(a => _adjoints[a])) + " per iteration: the share of [i + 1] waits in a register for the next iteration, where it is [i].");
        foreach (var carried in _carriedElements.Values)
        {
            w.WriteLine(ExpressionPrinter.Element(_adjoints[carried.Array], new VarExpr(IrType.Int, carried.Index)) + " += " + carried.At + ";");
            w.WriteLine(carried.At + " = " + carried.Next + ";");
            w.WriteLine(carried.Next + " = " + Zero(carried.ElementType) + ";");
        }

        var lines = w.ToString().Split('\n');
        var indent = lines[0].Substring(0, lines[0].Length - lines[0].TrimStart().Length);
        foreach (var carried in _carriedElements.Values)
        {
            AssignFirstAddition(lines, indent, carried.Next, Zero(carried.ElementType));
        }

        return string.Join("\n", lines);
    }

    /// <summary>After the loop: the last share, at the exit index (the loop ran when the index moved from its start).</summary>
    private void SettleCarriedElements(string start, IndentedWriter w)
    {
        foreach (var carried in _carriedElements.Values)
        {
            w.WriteLine("if (" + carried.Index + " > " + start + ")");
            w.OpenBrace();
            w.WriteLine(ExpressionPrinter.Element(_adjoints[carried.Array], new VarExpr(IrType.Int, carried.Index)) + " += " + carried.At + ";");
            w.CloseBrace();
        }

        _carriedElements.Clear();
    }

    /// <summary>0 for an index <c>i</c>, 1 for <c>i + 1</c> or <c>1 + i</c>, null otherwise.</summary>
    private static int? Offset(Expr index, string i) => index switch
    {
        VarExpr v when v.Name == i => 0,
        BinaryExpr { Op: BinaryOp.Add, Left: VarExpr v, Right: ConstExpr { Text: "1" } } when v.Name == i => 1,
        BinaryExpr { Op: BinaryOp.Add, Left: ConstExpr { Text: "1" }, Right: VarExpr v } when v.Name == i => 1,
        _ => null,
    };

    /// <summary>An index that differs from <c>i</c> and <c>i + 1</c> in every iteration: <c>i ± c</c> for a literal <c>c</c> other than 0 and 1.</summary>
    private static bool CannotBeNear(Expr index, string i) => index switch
    {
        BinaryExpr { Op: BinaryOp.Add, Left: VarExpr v, Right: ConstExpr c } when v.Name == i => c.Text is not ("0" or "1") && int.TryParse(c.Text, out _),
        BinaryExpr { Op: BinaryOp.Subtract, Left: VarExpr v, Right: ConstExpr c } when v.Name == i => c.Text is not ("0" or "-1") && int.TryParse(c.Text, out _),
        _ => false,
    };

    /// <summary>Whether evaluating <paramref name="e"/> always reads <c>array[i + 1]</c> (not only in a branch of <c>?:</c> or the right of <c>&amp;&amp;</c>/<c>||</c>).</summary>
    private static bool ReadsAlways(Expr e, string array, string i, int offset) => e switch
    {
        ElementExpr el when el.Array == array && Offset(el.Index, i) == offset => true,
        ConditionalExpr c => ReadsAlways(c.Condition, array, i, offset),
        BinaryExpr { Op: BinaryOp.ConditionalAnd or BinaryOp.ConditionalOr } b => ReadsAlways(b.Left, array, i, offset),
        _ => IrWalker.Children(e).Any(child => ReadsAlways(child, array, i, offset)),
    };

    /// <summary>Whether a statement at the top of the loop's body reads <c>array[i + offset]</c> on every path.</summary>
    private static bool ReadEveryIteration(LoopStmt loop, string array, string i, int offset) =>
        loop.Body.Any(s => s is AssignStmt or StoreStmt && IrWalker.Expressions(s).Any(e => ReadsAlways(e, array, i, offset)));

    /// <summary>
    /// Whether the loop's start is a literal at or above zero. Each iteration ends with an unguarded <c>dA[i] += …</c>:
    /// in bounds when i ≥ 0 (the read of <c>a[i + 1]</c> bounds it above), or when the iteration itself read <c>a[i]</c>
    /// (a loop from −1 that reads <c>a[i]</c> only under <c>i &gt;= 0 ? … : 0</c> must not carry: session 18's review).
    /// </summary>
    private static bool StartsAtZeroOrAbove(string start) =>
        int.TryParse(start, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out _);
}

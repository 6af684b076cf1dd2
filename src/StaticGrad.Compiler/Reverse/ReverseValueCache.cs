using System;
using System.Collections.Generic;
using System.Linq;
using StaticGrad.Compiler.Analysis;
using StaticGrad.Compiler.Derivatives;
using StaticGrad.Compiler.Emit;
using StaticGrad.Compiler.IR;
using StaticGrad.Compiler.Model;

namespace StaticGrad.Compiler.Reverse;

/// <summary>
/// The values of <c>Math</c> calls in the reverse sweep. Several partials are cheapest in terms of the call's value
/// (exp′ = exp, tanh′ = 1 − tanh², see <see cref="RuleContext.Y"/>), and the forward sweep computed it already, so
/// the reverse of one statement takes it
/// (a) from the statement's target, for <c>v = f(args)</c> when v still holds the value where the statement is undone
/// (f a <c>Math</c> function or a callee of a form in <see cref="ResultRules"/>, such as the logistic <c>Sigmoid</c>);
/// (b) from the stored element, for <c>a[i] = f(args)</c>, read before the element's old value is restored;
/// (c) otherwise from one evaluation bound to a local at the start of the statement's reverse, when the call's
/// value is needed there more than once (a partial for each factor of <c>x · exp(u)</c>, tanh′ written with tanh
/// twice). Rules receive the call's own text as its value, so (c) is found by the text: the statement's reverse is
/// written to a scratch writer first, then each call whose text occurs more than once is bound and replaced.
/// </summary>
internal sealed class ReverseValueCache
{
    private readonly ActivityAnalysis _activity;
    private readonly RecordingAnalysis _recording;
    private readonly Func<string, string> _temporary;
    private readonly Func<MethodCallExpr, bool> _isSavedCall;
    private readonly Dictionary<Stmt, LoopStmt?> _enclosingLoops = new(ReferenceComparer<Stmt>.Instance);
    private readonly Dictionary<string, List<AssignStmt>> _assignments = new();
    private readonly HashSet<string> _reboundArrays = new();
    private readonly Dictionary<Stmt, EnclosingArms> _arms = new(ReferenceComparer<Stmt>.Instance);
    private (Expr Value, string Result)? _quotient;

    public ReverseValueCache(MethodIR method, ActivityAnalysis activity, RecordingAnalysis recording, Func<string, string> temporary, Func<MethodCallExpr, bool> isSavedCall)
    {
        _isSavedCall = isSavedCall;
        _activity = activity;
        _recording = recording;
        _temporary = temporary;
        Index(method.Body, null);
        foreach (var statement in IrWalker.Statements(method.Body))
        {
            switch (statement)
            {
                case AssignStmt a:
                    if (!_assignments.TryGetValue(a.Target, out var list))
                    {
                        _assignments[a.Target] = list = new List<AssignStmt>();
                    }

                    list.Add(a);
                    _reboundArrays.Add(a.Target);
                    break;
                case NewArrayStmt n when _enclosingLoops[n] is not null || IrWalker.Statements(method.Body).OfType<NewArrayStmt>().Count(o => o.Target == n.Target) > 1:
                    _reboundArrays.Add(n.Target);
                    break;
            }
        }
    }

    /// <summary>
    /// For the reverse of <c>v = f(args)</c>: the name holding the call's value where the partials are evaluated, or
    /// null when no partial uses it or v does not hold it. With <paramref name="beforeRestore"/> (the statement's
    /// reverse restores v before propagating), the value is first copied to a local.
    /// </summary>
    public string? ResultOf(AssignStmt a, bool beforeRestore, IndentedWriter w)
    {
        if (!UsesResult(a.Value) || !TargetHoldsResult(a))
        {
            return null;
        }

        if (!beforeRestore)
        {
            return a.Target;
        }

        var name = _temporary("_y");
        w.WriteLine(a.Type.ScalarKeyword + " " + name + " = " + a.Target + ";");
        return name;
    }

    /// <summary>For the reverse of <c>a[i] = f(args)</c>, before the element is restored: the call's value copied to a local, or null.</summary>
    public string? ResultOf(StoreStmt s, string location, IndentedWriter w)
    {
        if (!UsesResult(s.Value) || !ElementHoldsResult(s))
        {
            return null;
        }

        var name = _temporary("_y");
        w.WriteLine(s.ElementType.ScalarKeyword + " " + name + " = " + location + ";");
        return name;
    }

    /// <summary>
    /// Writes the reverse of one statement whose right side is <paramref name="value"/>: <paramref name="propagate"/>
    /// writes it, then the whole right side's call is replaced by <paramref name="result"/> (when not null) and each
    /// call evaluated unconditionally by the forward statement whose text occurs more than once is bound to a local
    /// first. Operands hold the values the forward statement saw where the statement is propagated, so one evaluation
    /// there equals each of the ones it replaces.
    /// </summary>
    public void Propagate(Expr value, string? result, IndentedWriter w, Action<IndentedWriter> propagate)
    {
        var scratch = new IndentedWriter();
        scratch.Indent(w.Level);
        _quotient = result is not null && IsQuotient(value) ? (value, result) : null;
        propagate(scratch);
        _quotient = null;
        var text = scratch.ToString();
        if (result is not null && (value is BuiltinCallExpr || HasResultForm(value)))
        {
            text = text.Replace(ExpressionPrinter.Print(value), result);
        }

        // Outer calls first: an inner call is bound when it occurs again outside the outer call's binding, and its
        // binding is written before the outer one, which then reads it.
        var bindings = new List<string>();
        var seen = new HashSet<string>();
        foreach (var call in Unconditional(value))
        {
            var callText = ExpressionPrinter.Print(call);
            if ((result is not null && ReferenceEquals(call, value)) || !seen.Add(callText))
            {
                continue;
            }

            if (Occurrences(text, callText) + bindings.Sum(b => Occurrences(b, callText)) < 2)
            {
                continue;
            }

            var name = _temporary("_e");
            text = text.Replace(callText, name);
            for (var i = 0; i < bindings.Count; i++)
            {
                bindings[i] = bindings[i].Replace(callText, name);
            }

            bindings.Insert(0, call.Type.ScalarKeyword + " " + name + " = " + callText + ";");
        }

        foreach (var binding in bindings)
        {
            w.WriteLine(binding);
        }

        AppendIndented(w, text);
    }

    /// <summary>
    /// The name holding the value of <paramref name="quotient"/> while the reverse of the statement whose whole right
    /// side it is gets written (<see cref="Propagate"/> with a result), or null.
    /// </summary>
    public string? QuotientOf(BinaryExpr quotient) => _quotient is { } q && ReferenceEquals(q.Value, quotient) ? q.Result : null;

    /// <summary>A quotient whose denominator's partial is written from its value (<see cref="QuotientRule"/>).</summary>
    private bool IsQuotient(Expr value) => value is BinaryExpr { Op: BinaryOp.Divide, Type.Shape: ShapeKind.Scalar, Type.Scalar: ScalarKind.Double or ScalarKind.Float } b && _activity.IsActive(b.Right);

    /// <summary>Appends text a scratch writer indented for this position already.</summary>
    internal static void AppendIndented(IndentedWriter w, string text)
    {
        var raw = new IndentedWriter();
        var lines = text.Split('\n');
        for (var i = 0; i < lines.Length - 1; i++)
        {
            raw.WriteLine(lines[i]);
        }

        w.Append(raw);
    }

    /// <summary>Whether the expression is a call with a partial, for an active argument, written with the call's value.</summary>
    private bool UsesResult(Expr value)
    {
        // A call whose partial the forward sweep saved (CalleePartials) needs no value in the reverse.
        if (HasResultForm(value))
        {
            return _activity.IsActive(((MethodCallExpr)value).Args[0]) && !_isSavedCall((MethodCallExpr)value);
        }

        if (IsQuotient(value))
        {
            return true;
        }

        if (value is not BuiltinCallExpr call || BuiltinRules.Find(call.Function, call.Args.Count) is not { } rule)
        {
            return false;
        }

        for (var i = 0; i < call.Args.Count; i++)
        {
            if (_activity.IsActive(call.Args[i]) && rule.UsesResult(i))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>A call of a callee whose one partial is written from its value (<see cref="ResultRules"/>).</summary>
    private static bool HasResultForm(Expr value) => value is MethodCallExpr { Target.ResultForm.Length: > 0, Args.Count: 1 };

    /// <summary>
    /// Whether v holds the value <c>v = f(args)</c> assigned where its reverse starts: every other assignment of v
    /// that can run after it is undone before (saved and restored; a first definition runs before every other), and
    /// inside a loop the next iteration's run of the statement itself is undone too (saved, or v recomputed at the
    /// start of each reversed iteration).
    /// </summary>
    private bool TargetHoldsResult(AssignStmt a)
    {
        // A statement not in the method's body (none today) gets no reuse rather than a guess.
        if (!_enclosingLoops.TryGetValue(a, out var enclosing) || !_assignments.TryGetValue(a.Target, out var assignments))
        {
            return false;
        }

        foreach (var other in assignments)
        {
            if (!ReferenceEquals(other, a) && !IsRestored(other) && !_recording.IsFirstDefinition(other) && !Exclusive(a, other))
            {
                return false;
            }
        }

        return enclosing is not { } loop || IsRestored(a) || _recording.RecomputedIn(loop).Any(r => ReferenceEquals(r, a));
    }

    /// <summary>
    /// Whether the element holds the value stored where the store's reverse starts: the reverse sweep reads the array,
    /// so every store to it saves and restores the element, and the variable always names the same array.
    /// </summary>
    private bool ElementHoldsResult(StoreStmt s) => _recording.Needed.Contains(s.Array) && !_reboundArrays.Contains(s.Array);

    private bool IsRestored(Stmt statement) => _recording.SaveOf(statement) is Storage.Local or Storage.Tape;

    /// <summary>
    /// Whether two statements outside loops lie in different arms of one <c>if</c>: one run of the method runs at most
    /// one of them (NormalCdf's <c>tail</c>, assigned in each branch), so neither can overwrite the other's value.
    /// </summary>
    private bool Exclusive(Stmt a, Stmt b) =>
        _enclosingLoops[a] is null && _enclosingLoops.TryGetValue(b, out var loop) && loop is null
        && _arms[a].Any(x => _arms[b].Any(y => ReferenceEquals(x.Branch, y.Branch) && x.InThen != y.InThen));

    private void Index(EquatableArray<Stmt> block, LoopStmt? loop, EnclosingArms? arms = null)
    {
        arms ??= EnclosingArms.Empty;
        foreach (var statement in block)
        {
            _enclosingLoops[statement] = loop;
            _arms[statement] = arms;
            switch (statement)
            {
                case IfStmt branch:
                    Index(branch.Then, loop, arms.With(branch, inThen: true));
                    Index(branch.Else, loop, arms.With(branch, inThen: false));
                    break;
                case LoopStmt inner:
                    Index(inner.Body, inner, arms);
                    Index(inner.Step, inner, arms);
                    break;
            }
        }
    }

    /// <summary>The arms of the <c>if</c>s enclosing a statement.</summary>
    private sealed class EnclosingArms : List<(IfStmt Branch, bool InThen)>
    {
        public static readonly EnclosingArms Empty = new();

        public EnclosingArms With(IfStmt branch, bool inThen)
        {
            var arms = new EnclosingArms();
            arms.AddRange(this);
            arms.Add((branch, inThen));
            return arms;
        }
    }

    /// <summary>
    /// The calls the forward statement evaluates whatever its values (outer before inner): not those in a branch of
    /// <c>?:</c> or right of <c>&amp;&amp;</c>/<c>||</c>, which may not have run (Math.Round with bad digits throws).
    /// </summary>
    internal static IEnumerable<BuiltinCallExpr> Unconditional(Expr expression)
    {
        if (expression is BuiltinCallExpr call)
        {
            yield return call;
        }

        var children = expression switch
        {
            ConditionalExpr c => new[] { c.Condition },
            BinaryExpr { Op: BinaryOp.ConditionalAnd or BinaryOp.ConditionalOr } b => new[] { b.Left },
            _ => IrWalker.Children(expression),
        };
        foreach (var child in children)
        {
            foreach (var inner in Unconditional(child))
            {
                yield return inner;
            }
        }
    }

    internal static int Occurrences(string text, string part)
    {
        var count = 0;
        for (var index = text.IndexOf(part, StringComparison.Ordinal); index >= 0; index = text.IndexOf(part, index + part.Length, StringComparison.Ordinal))
        {
            count++;
        }

        return count;
    }
}

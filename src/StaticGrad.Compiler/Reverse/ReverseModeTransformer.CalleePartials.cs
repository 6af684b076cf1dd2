using System.Collections.Generic;
using System.Linq;
using StaticGrad.Compiler.Analysis;
using StaticGrad.Compiler.Emit;
using StaticGrad.Compiler.IR;
using StaticGrad.Compiler.Model;

namespace StaticGrad.Compiler.Reverse;

/// <summary>
/// No second primal of a callee. The reverse of a call to a [Differentiable] method calls the callee's backward,
/// which runs the callee's forward again (Black–Scholes evaluated <c>NormalCdf</c> twice per argument). When the
/// callee has scalar parameters and a scalar result, its partials are one number per parameter, so a statement the
/// forward sweep runs once per reversal (outside loops, or once per iteration of a fused loop) calls the backward
/// there instead of the primal, with seed 1: the one call returns the value and leaves the partials in locals. The
/// statement's reverse multiplies them by the call's adjoint, and every use of the call's value there reads the
/// value's local. The partials are taken at the values the call saw, so later overwrites of its arguments do not
/// matter; the call stays where it was in the expression (inside <c>?:</c> it runs only when the original did).
/// </summary>
public sealed partial class ReverseModeTransformer
{
    private readonly Dictionary<MethodCallExpr, SavedCall> _savedCalls = new(ReferenceComparer<MethodCallExpr>.Instance);
    private readonly Dictionary<Stmt, List<(string Text, string Value)>> _savedCallTexts = new(ReferenceComparer<Stmt>.Instance);
    private HashSet<Stmt>? _outsideLoops;

    /// <summary>
    /// Whether two saved calls of one callee in a statement become one call of its <c>{Name}BackwardPair</c>: set for
    /// the contract's backward, whose method's IR the generator reads the demand for the pair from
    /// (<see cref="Analysis.PairDemand"/>).
    /// </summary>
    public bool PairsCalls { get; init; }

    /// <summary>The local holding a saved call's value and, per argument, the local holding its partial (null: none).</summary>
    private sealed record SavedCall(string Value, IReadOnlyList<string?> Partials);

    /// <summary>
    /// The forward sweep's text of a statement's right side: each call whose partials are saved becomes
    /// <c>(_c = Backward(args, ref _dc…, 1))</c>. Inside a fused loop the partials are zeroed first (a backward adds).
    /// </summary>
    private string ForwardValue(Stmt statement, Expr value, IndentedWriter w)
    {
        var text = ExpressionPrinter.Print(value);
        if (!RunsOncePerReversal(statement))
        {
            return MarkKeptBuiltins(statement, value, text);
        }

        var replaced = new List<(MethodCallExpr Call, string CallText, string Text, string Value, string Arguments, string Partial)>();
        foreach (var call in DifferentiatedCalls(value).Where(CanSavePartials))
        {
            var callText = ExpressionPrinter.Print(call);
            if (ReverseValueCache.Occurrences(text, callText) != 1)
            {
                continue;
            }

            var passings = PassingsOf(call, out var backward);
            var partials = new List<string?>();
            var adjoints = new List<string>();
            for (var i = 0; i < call.Args.Count; i++)
            {
                if (passings[i].Passing != AdjointPassing.Ref)
                {
                    partials.Add(null);
                    continue;
                }

                var partial = Temporary("_dc");
                _declarations.Add(call.Type.ScalarKeyword + " " + partial + " = " + Zero(call.Type) + ";");
                if (_fusion.RunsOncePerFusedIteration(statement))
                {
                    w.WriteLine(partial + " = " + Zero(call.Type) + ";");
                }

                partials.Add(partial);
                adjoints.Add("ref " + partial);
            }

            var valueName = Temporary("_c");
            _declarations.Add(call.Type.ScalarKeyword + " " + valueName + " = " + Zero(call.Type) + ";");
            var one = call.Type.Scalar == ScalarKind.Float ? IndentedWriter.Literal(1f) : IndentedWriter.Literal(1.0);
            var arguments = call.Args.Select(ExpressionPrinter.Print).Concat(adjoints).Concat(new[] { one });
            var replacement = "(" + valueName + " = " + backward + "(" + string.Join(", ", arguments) + "))";
            text = text.Replace(callText, replacement);
            replaced.Add((call, callText, replacement, valueName, string.Join(", ", call.Args.Select(ExpressionPrinter.Print)), partials[0] ?? string.Empty));
            _savedCalls[call] = new SavedCall(valueName, partials);
            if (!_savedCallTexts.TryGetValue(statement, out var texts))
            {
                _savedCallTexts[statement] = texts = new List<(string, string)>();
            }

            texts.Add((callText, valueName));
        }

        return MarkKeptBuiltins(statement, value, PairsCalls ? Paired(value, replaced, text) : text);
    }

    /// <summary>
    /// Two saved calls of one callee that has <c>{Name}BackwardPair</c> (<see cref="Forward.PairBackward"/>) in the
    /// statement: the first becomes the pair, which runs both calls' backwards in one pass and sets the second's value,
    /// and the second reads that value. The pair's vector pass is arithmetic on the callee's own locals, but where the
    /// callee has no vector pass the pair is the two calls, which may throw (a guard) or log; so the second call and
    /// its argument run where the first is only when what the statement evaluates between the two cannot throw or call
    /// anything (<see cref="NothingBetweenCanThrow"/>), and the second's argument cannot throw either (no element read,
    /// call, integer division or conversion: <see cref="CannotThrow"/>). Neither call is under <c>?:</c> (each runs
    /// exactly when the statement does) nor inside the other's argument.
    /// </summary>
    private static string Paired(Expr value, List<(MethodCallExpr Call, string CallText, string Text, string Value, string Arguments, string Partial)> replaced, string text)
    {
        // Each replacement's text as it stands now: calls saved after it and read in its arguments were replaced in it too.
        var current = new List<(MethodCallExpr Call, string Text, string Value, string Arguments, string Partial)>();
        for (var k = 0; k < replaced.Count; k++)
        {
            var (call, _, replacement, valueName, arguments, partial) = replaced[k];
            for (var j = k + 1; j < replaced.Count; j++)
            {
                replacement = replacement.Replace(replaced[j].CallText, replaced[j].Text);
                arguments = arguments.Replace(replaced[j].CallText, replaced[j].Text);
            }

            current.Add((call, replacement, valueName, arguments, partial));
        }

        var conditional = new HashSet<MethodCallExpr>(ReferenceComparer<MethodCallExpr>.Instance);
        AddUnderConditional(value, false, conditional);
        var order = new List<Expr>();
        AddInEvaluationOrder(value, order);
        var candidates = current.Where(r => r.Call.Target.PairBackward.Length > 0 && r.Partial.Length > 0 && r.Call.Args.Count == 1 && !conditional.Contains(r.Call)
            && ReverseValueCache.Occurrences(text, r.Text) == 1).ToList();
        while (candidates.Count > 1)
        {
            var first = candidates[0];
            candidates.RemoveAt(0);
            var second = candidates.FirstOrDefault(c => c.Call.Target.Key == first.Call.Target.Key && c.Call.Target.PairBackward == first.Call.Target.PairBackward
                && CannotThrow(c.Call.Args[0]) && !IrWalker.Descendants(first.Call.Args[0]).Contains(c.Call) && !IrWalker.Descendants(c.Call.Args[0]).Contains(first.Call)
                && NothingBetweenCanThrow(order, first.Call, c.Call));
            if (second.Call is null)
            {
                continue;
            }

            candidates.Remove(second);
            text = text.Replace(first.Text, "(" + first.Value + " = " + first.Call.Target.PairBackward + "(" + first.Arguments + ", " + second.Arguments + ", ref " + first.Partial + ", ref " + second.Partial + ", out " + second.Value + "))");
            text = text.Replace(second.Text, second.Value);
        }

        return text;
    }

    /// <summary>An expression whose evaluation cannot throw: floating arithmetic on variables and constants, and <c>Math</c> functions of it.</summary>
    private static bool CannotThrow(Expr expression) => IrWalker.Descendants(expression).All(CannotThrowItself);

    /// <summary>
    /// Whether what the statement evaluates after the first call and before the second's argument cannot throw (nor
    /// have an effect: no call): the pair runs the second call where the first is, and a callee whose pair is the two
    /// calls may throw (a guard), so an element read or a logged call between would otherwise come after its
    /// exception (review of session 25). <paramref name="order"/> is the statement's expressions in evaluation order,
    /// each after its operands.
    /// </summary>
    private static bool NothingBetweenCanThrow(List<Expr> order, MethodCallExpr first, MethodCallExpr second)
    {
        var end = order.FindIndex(e => ReferenceEquals(e, first));
        var secondNodes = new HashSet<Expr>(IrWalker.Descendants(second), ReferenceComparer<Expr>.Instance);
        var start = order.FindIndex(secondNodes.Contains);
        return end >= 0 && start > end && order.Skip(end + 1).Take(start - end - 1).All(CannotThrowItself);
    }

    private static void AddInEvaluationOrder(Expr expression, List<Expr> order)
    {
        foreach (var child in IrWalker.Children(expression))
        {
            AddInEvaluationOrder(child, order);
        }

        order.Add(expression);
    }

    private static bool CannotThrowItself(Expr e) => e switch
    {
        VarExpr or ConstExpr or DetachExpr or ConditionalExpr => true,

        // Integer arithmetic can divide by zero or overflow (checked); a comparison of its operands cannot.
        UnaryExpr u => u.Type.IsFloating || u.Type.Scalar == ScalarKind.Bool,
        BinaryExpr b => b.Type.IsFloating || b.Type.Scalar == ScalarKind.Bool,
        CastExpr c => c.Type.IsFloating,
        BuiltinCallExpr call => call.Type.IsFloating && call.Args.All(a => a.Type.IsFloating) && call.Function is not ("Clamp" or "ClampNative"),
        _ => false,
    };

    private static void AddUnderConditional(Expr expression, bool under, HashSet<MethodCallExpr> calls)
    {
        if (expression is MethodCallExpr call && under)
        {
            calls.Add(call);
        }

        if (expression is ConditionalExpr c)
        {
            AddUnderConditional(c.Condition, under, calls);
            AddUnderConditional(c.WhenTrue, true, calls);
            AddUnderConditional(c.WhenFalse, true, calls);
            return;
        }

        foreach (var child in IrWalker.Children(expression))
        {
            AddUnderConditional(child, under, calls);
        }
    }

    /// <summary>Writes a statement's reverse, reading each saved call's and kept <c>Math</c> call's value from its local.</summary>
    private void WithSavedCalls(Stmt statement, IndentedWriter w, System.Action<IndentedWriter> reverse)
    {
        // The statement whose terms Accumulate receives (the Jacobian's forward builtin locals).
        _reversingStatement = statement;
        WithSavedCallsOf(statement, w, reverse);
        _reversingStatement = null;
    }

    private void WithSavedCallsOf(Stmt statement, IndentedWriter w, System.Action<IndentedWriter> reverse)
    {
        var hasTexts = _savedCallTexts.TryGetValue(statement, out var texts);
        if (!hasTexts && !_keptBuiltins.ContainsKey(statement) && !HasForwardBuiltinLocals(statement))
        {
            reverse(w);
            return;
        }

        var scratch = new IndentedWriter();
        scratch.Indent(w.Level);
        reverse(scratch);
        var text = scratch.ToString();
        foreach (var (callText, value) in hasTexts ? texts : Enumerable.Empty<(string, string)>())
        {
            text = text.Replace(callText, value);
        }

        text = ReadKeptBuiltins(statement, text);
        WriteKeptPops(statement, w);
        ReverseValueCache.AppendIndented(w, text);
    }

    /// <summary>
    /// The reverse of a saved call: its adjoint times each saved partial, into the arguments' adjoints, while every
    /// saved partial is finite. A partial taken under seed 1 can overflow where the seeded backward's does not: the
    /// callee's chain of finite factors multiplied by 1 passes the type's range, while under the call's adjoint it
    /// stays in range, or is exactly 0 where that adjoint is (random batch 20263101 P158: a helper whose local grows
    /// past 1e308 feeds a saturated Tanh, so the adjoint is 0 and 0 · ∞ gave NaN where the derivative is 0.0549, and
    /// PyTorch's backward, which only ever carries the seeded adjoint, gives 0.0549). A non-finite partial therefore
    /// sends the reverse to the callee's backward seeded with the adjoint, the code the call had without saved
    /// partials: its NaN and ±∞ are the seeded derivative's own (session 24). The fallback passes scalar adjoints as
    /// temporaries, so that the adjoints stay in registers on the path that is taken.
    /// </summary>
    private bool PropagateSavedCall(MethodCallExpr call, string g, IndentedWriter w)
    {
        if (!_savedCalls.TryGetValue(call, out var saved))
        {
            return false;
        }

        var active = Enumerable.Range(0, call.Args.Count).Where(i => saved.Partials[i] is not null && _activity.IsActive(call.Args[i])).ToList();
        if (active.Count == 0)
        {
            return true;
        }

        var keyword = call.Type.ScalarKeyword;
        Flush(w);
        w.WriteLine("if (" + string.Join(" && ", active.Select(i => keyword + ".IsFinite(" + saved.Partials[i] + ")")) + ")");
        w.OpenBrace();
        foreach (var i in active)
        {
            Propagate(call.Args[i], g + " * " + saved.Partials[i], w);
        }

        Flush(w);
        w.CloseBrace();
        w.WriteLine("else");
        w.OpenBrace();
        PropagateCall(call, g, w, deferrable: false, scalarTemporaries: true);
        Flush(w);
        w.CloseBrace();
        return true;
    }

    /// <summary>The adjoint passings of the backward the reverse of a call uses, and that backward's name.</summary>
    private IReadOnlyList<ParameterPassing> PassingsOf(MethodCallExpr call, out string backward)
    {
        var throughNoGrad = call.Target.BackwardIncludingNoGrad is not null
            && Enumerable.Range(0, call.Args.Count).Any(i => call.Target.Adjoints[i].Passing == AdjointPassing.None && call.Target.AllAdjoints[i].Passing != AdjointPassing.None && _activity.IsActive(call.Args[i]));
        backward = throughNoGrad ? call.Target.BackwardIncludingNoGrad! : call.Target.Backward;
        return throughNoGrad ? call.Target.AllAdjoints : call.Target.Adjoints;
    }

    /// <summary>A scalar call of a [Differentiable] method whose every adjoint is a scalar of the result's type.</summary>
    private bool CanSavePartials(MethodCallExpr call)
    {
        if (call.Target.Kind != CallKind.Differentiable || call.Target.Backward.Length == 0 || call.Target.Templates.Count > 0
            || call.Target.ResultMember.Length > 0 || !call.Type.IsFloating || call.Type.StructName.Length > 0 || !_activity.IsActive(call))
        {
            return false;
        }

        // A callee with a result form (the logistic) is differentiated from its value, σ(1 − σ): its own backward, the
        // quotient rule on exp, is 0·∞ = NaN where exp(−z) overflows (random programs, batch 20262154 P119), and the
        // value costs no more than the saved partial.
        if (call.Target.ResultForm.Length > 0)
        {
            return false;
        }

        var passings = PassingsOf(call, out _);
        for (var i = 0; i < call.Args.Count; i++)
        {
            switch (passings[i].Passing)
            {
                case AdjointPassing.Span:
                    return false;
                case AdjointPassing.Ref when !call.Args[i].Type.IsFloating || call.Args[i].Type.Scalar != call.Type.Scalar || call.Args[i].Type.StructName.Length > 0:
                    return false;
            }
        }

        return true;
    }

    /// <summary>
    /// The calls the reverse sweep differentiates through, outer before inner: not under <c>Detach</c>, in a
    /// condition, an index or any other non-floating value.
    /// </summary>
    private static IEnumerable<MethodCallExpr> DifferentiatedCalls(Expr expression)
    {
        if (!expression.Type.IsFloating || expression is DetachExpr)
        {
            yield break;
        }

        if (expression is MethodCallExpr call)
        {
            yield return call;
        }

        var children = expression is ConditionalExpr c ? new[] { c.WhenTrue, c.WhenFalse } : IrWalker.Children(expression);
        foreach (var child in children)
        {
            foreach (var inner in DifferentiatedCalls(child))
            {
                yield return inner;
            }
        }
    }

    /// <summary>Whether the forward sweep runs the statement at most once before its reverse: outside loops or once per fused iteration.</summary>
    private bool RunsOncePerReversal(Stmt statement)
    {
        if (_outsideLoops is null)
        {
            _outsideLoops = new HashSet<Stmt>(ReferenceComparer<Stmt>.Instance);
            AddOutsideLoops(_method.Body);
        }

        return _outsideLoops.Contains(statement) || _fusion.RunsOncePerFusedIteration(statement);
    }

    private void AddOutsideLoops(EquatableArray<Stmt> block)
    {
        foreach (var statement in block)
        {
            _outsideLoops!.Add(statement);
            if (statement is IfStmt branch)
            {
                AddOutsideLoops(branch.Then);
                AddOutsideLoops(branch.Else);
            }
        }
    }
}

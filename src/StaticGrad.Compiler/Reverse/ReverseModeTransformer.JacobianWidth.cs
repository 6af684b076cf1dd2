using System.Collections.Generic;
using System.Linq;
using StaticGrad.Compiler.Analysis;
using StaticGrad.Compiler.Emit;
using StaticGrad.Compiler.IR;
using StaticGrad.Compiler.Model;
using StaticGrad.Compiler.Naming;

namespace StaticGrad.Compiler.Reverse;

/// <summary>
/// <c>{Name}Jacobian</c> with ONE reverse sweep of width k (the result's k floating fields): every active variable has
/// k adjoints, one per field, and the reverse of each statement computes the statement's local partial derivatives
/// once (<see cref="LocalPartials"/>) and applies each to the k adjoints of what it reads
/// (<c>dXdx += p * dXdQ; dYdx += p * dYdQ;</c>). The per-field sweeps of <see cref="WriteJacobianBody"/> restore the
/// forward's state and evaluate every partial again for each field, divisions included (BA: 11 per sweep).
/// <para>
/// Only for straight-line bodies with branches: assignments, <c>if</c>/<c>else</c> and effect statements, the values
/// built from arithmetic, <c>?:</c> and <c>Math</c> calls. A body with loops, array writes or tape keeps the per-field
/// sweeps (its sweeps must start from the forward's state again, <see cref="SweepsCanRestart"/>), and so does one that
/// calls a <c>[Differentiable]</c> method or a rule (the callee's backward takes one seed) or takes a remainder of an
/// active value: <see cref="WidensToOneSweep"/> decides before anything is written.
/// </para>
/// <para>
/// The result's statement Σ seed.leaf · leaf (the scalarised result) is reversed once per field with that field's
/// seed leaf at 1 and the others at 0 written into it: the field's row starts at its own leaf.
/// </para>
/// </summary>
public sealed partial class ReverseModeTransformer
{
    /// <summary>Per active variable, its adjoint for each field (the signature's span for a span parameter).</summary>
    private readonly Dictionary<string, string[]> _wideAdjoints = new();

    private IReadOnlyList<JacobianField> _wideFields = System.Array.Empty<JacobianField>();

    /// <summary>The adjoint locals the sweep declares at 0 (intermediates' and scalar parameters' accumulators).</summary>
    private readonly HashSet<string> _zeroStartAdjoints = new();

    /// <summary>
    /// Of <see cref="_zeroStartAdjoints"/>, those that may be non-zero where the sweep is being written. An update from a
    /// known-zero adjoint is left out (its field's row does not pass there: the X residual's row never reaches the Y
    /// residual's statement), and the first update of a known-zero adjoint assigns instead of adding to 0 (which the
    /// JIT cannot fold: 0.0 + x is not x for x = −0.0).
    /// </summary>
    private HashSet<string> _maybeNonZero = new();

    /// <summary>Whether the body's reverse can be one sweep of width k: nothing in it needs a scalar seed.</summary>
    private bool WidensToOneSweep() =>
        !_usesTape
        && IrWalker.Statements(_method.Body).All(s => s is AssignStmt or IfStmt or EffectStmt)
        && IrWalker.Statements(_method.Body).OfType<IfStmt>().All(i => !_recording.HasReverse(i) || _siteNames.ContainsKey(i))
        && IrWalker.Statements(_method.Body).OfType<AssignStmt>().Where(a => _activity.IsActive(a.Value))
            .SelectMany(a => IrWalker.Descendants(a.Value))
            .All(e => e is not MethodCallExpr && e is not BinaryExpr { Op: BinaryOp.Remainder } && (e is not BuiltinCallExpr call || Derivatives.BuiltinRules.Find(call.Function, call.Args.Count) is not null));

    /// <summary>
    /// Writes the Jacobian's body over the forward sweep already written to <paramref name="forward"/> with one width-k
    /// reverse sweep, or returns false (writing nothing) when <see cref="WidensToOneSweep"/> says no.
    /// </summary>
    private bool WriteWideJacobianBody(IndentedWriter output, IndentedWriter forward, IReadOnlyList<JacobianField> fields, string valueSpan, string resultType, string value)
    {
        if (!WidensToOneSweep())
        {
            return false;
        }

        _wideFields = fields;
        var differentiable = _method.Parameters.Where(p => p.IsDifferentiable).ToList();
        var scalarParameters = new List<(string Local, string Signature, IrType Type)>();
        foreach (var parameter in differentiable)
        {
            _wideAdjoints[parameter.Name] = fields.Select(f => IsSignatureAdjoint(parameter.Name) ? f.Adjoints[parameter.Name] : Fresh("_" + f.Adjoints[parameter.Name])).ToArray();
            if (!IsSignatureAdjoint(parameter.Name))
            {
                scalarParameters.AddRange(fields.Select((f, j) => (_wideAdjoints[parameter.Name][j], f.Adjoints[parameter.Name], parameter.Type)));
                _zeroStartAdjoints.UnionWith(_wideAdjoints[parameter.Name]);
            }
        }

        var intermediates = _method.Locals.Where(l => l.Name != _resultName && _activity.IsActive(l.Name)).ToList();
        foreach (var local in intermediates)
        {
            var stem = NameScope.AdjointStem(Unprefixed(local.Name));
            _wideAdjoints[local.Name] = fields.Select(f => Fresh("d" + f.Title.Replace(".", string.Empty) + stem)).ToArray();
            _zeroStartAdjoints.UnionWith(_wideAdjoints[local.Name]);
        }

        var reverse = new IndentedWriter();
        reverse.Indent(output.Level);
        WideBlock(_method.Body, reverse);
        ResolveKeptBuiltins(forward);

        foreach (var local in _method.Locals)
        {
            output.WriteLine(LocalDeclaration(local.Name, local.Type));
        }

        foreach (var declaration in _declarations)
        {
            output.WriteLine(declaration);
        }

        // Only the adjoints the sweep reaches: a row that never passes a variable leaves its adjoint out.
        var reverseText = reverse.ToString();
        scalarParameters = scalarParameters.Where(p => Mentions(reverseText, p.Local)).ToList();
        foreach (var local in intermediates)
        {
            foreach (var adjoint in _wideAdjoints[local.Name].Where(a => Mentions(reverseText, a)))
            {
                output.WriteLine(local.Type.ScalarKeyword + " " + adjoint + " = " + Zero(local.Type) + ";");
            }
        }

        foreach (var (local, _, type) in scalarParameters)
        {
            output.WriteLine(type.ScalarKeyword + " " + local + " = " + Zero(type) + ";");
        }

        // The forward sweep computes the scalarised result from the seed leaves; its value is not used here.
        foreach (var seedLeaf in _method.Parameters.Where(p => fields.Any(f => f.Seed == p.Name)))
        {
            output.WriteLine(seedLeaf.Type.ScalarKeyword + " " + seedLeaf.Name + " = " + Zero(seedLeaf.Type) + ";");
        }

        output.WriteLine("var " + value + " = default(" + resultType + ");");
        output.WriteLine("global::System.Span<" + resultType + "> " + valueSpan + " = global::System.Runtime.InteropServices.MemoryMarshal.CreateSpan(ref " + value + ", 1);");
        output.WriteLine();
        output.WriteLine("// Forward sweep once.");
        output.Append(forward);
        if (_readForwardBuiltinLocals.Count > 0)
        {
            output.WriteLine("// The reverse sweep reads " + string.Join(", ", _readForwardBuiltinLocals) + " for the Math calls its derivatives repeat (each local is assigned once and never restored).");
        }

        output.WriteLine();
        output.WriteLine("// One reverse sweep for " + string.Join(", ", fields.Select(f => f.Title)) + " together: each statement's partial derivatives are computed once and applied to every field's adjoints"
            + (_groupedFieldRuns ? ", field by field between branches." : "."));
        output.Append(reverse);
        foreach (var (local, signature, _) in scalarParameters.Where(p => _maybeNonZero.Contains(p.Local)))
        {
            output.WriteLine(signature + " += " + local + ";");
        }

        output.WriteLine();
        output.WriteLine("return " + value + ";");
        return true;
    }

    private void WideBlock(EquatableArray<Stmt> block, IndentedWriter w)
    {
        _sweepReciprocals.Add(new Dictionary<string, string>());
        var run = new List<Stmt>();
        for (var i = block.Count - 1; i >= 0; i--)
        {
            var statement = block[i];
            if (!_recording.HasReverse(statement))
            {
                continue;
            }

            if (statement is not IfStmt branch)
            {
                run.Add(statement);
                continue;
            }

            WideRun(run, w, WideStatement);
            run.Clear();

            // After the branch an adjoint may be non-zero when it may be so after either side.
            var decision = _siteNames[statement];
            var hasThen = branch.Then.Any(_recording.HasReverse);
            var hasElse = branch.Else.Any(_recording.HasReverse);
            var before = new HashSet<string>(_maybeNonZero);
            w.WriteLine(hasThen ? "if (" + decision + ")" : "if (!" + decision + ")");
            w.OpenBrace();
            WideBlock(hasThen ? branch.Then : branch.Else, w);
            w.CloseBrace();
            var afterFirst = _maybeNonZero;
            _maybeNonZero = before;
            if (hasThen && hasElse)
            {
                w.WriteLine("else");
                w.OpenBrace();
                WideBlock(branch.Else, w);
                w.CloseBrace();
            }

            _maybeNonZero.UnionWith(afterFirst);
        }

        WideRun(run, w, WideStatement);
        _sweepReciprocals.RemoveAt(_sweepReciprocals.Count - 1);
    }

    /// <summary>The reverse of one statement of a run (no branch) for every field.</summary>
    private void WideStatement(Stmt statement, IndentedWriter w)
    {
        switch (statement)
        {
            case AssignStmt a when a.Target == _resultName:
                WideResult(a, w);
                break;
            case AssignStmt a when _wideAdjoints.ContainsKey(a.Target):
                WithSavedCalls(statement, w, inner => WideAssign(a, inner));
                break;
            case AssignStmt a:
                RestoreInSweep(a, w);
                break;
        }
    }

    /// <summary>
    /// The reverse of <c>t = value</c> for every field: t's old value back (when the forward saved it), the local
    /// partials once, then per read leaf and field <c>d{F}dLeaf += p * d{F}dT</c>; last t's own adjoints: times its
    /// partial when the value reads t, else cleared (unless this is t's first definition, after which nothing reads them).
    /// </summary>
    private void WideAssign(AssignStmt a, IndentedWriter w)
    {
        var target = _wideAdjoints[a.Target];
        var saved = SaveOf(a) != Storage.None;
        if (!_activity.IsActive(a.Value))
        {
            RestoreInSweep(a, w);
            if (!_recording.IsFirstDefinition(a))
            {
                ClearAll(target, a.Type, w);
            }

            return;
        }

        // No field's row passes through t here: nothing to propagate, and t's adjoints are 0 already.
        if (target.All(IsKnownZero))
        {
            RestoreInSweep(a, w);
            return;
        }

        var result = Values.ResultOf(a, beforeRestore: saved, w);
        RestoreInSweep(a, w);
        Values.Propagate(a.Value, result, w, inner =>
        {
            var partials = LocalPartials(a.Value, result, a.Type.Scalar == ScalarKind.Double, inner);
            WideTerm? own = null;
            var ownCast = false;
            foreach (var (leaf, partial, cast) in partials)
            {
                if (leaf is VarExpr v && v.Name == a.Target)
                {
                    (own, ownCast) = (partial, cast);
                    continue;
                }

                var fields = Enumerable.Range(0, _wideFields.Count).Where(j => !IsKnownZero(target[j])).ToList();
                var p = RunPartial(partial, fields.Count, inner);
                foreach (var j in fields)
                {
                    UnlessZero(a, target[j], a.Type, inner, () => inner.WriteLine(Update(LeafAdjoint(leaf, j), p, target[j], cast)));
                }
            }

            if (own is null)
            {
                if (!_recording.IsFirstDefinition(a))
                {
                    ClearAll(target, a.Type, inner);
                }

                return;
            }

            // t = f(t, …): the old t's adjoints are the new t's times ∂f/∂t (unchanged when that is 1).
            if (own.Text is null && !own.Negative)
            {
                return;
            }

            var reached = target.Where(t => !IsKnownZero(t)).ToList();
            var ownPartial = RunPartial(own, reached.Count, inner);
            foreach (var adjoint in reached)
            {
                var product = (ownPartial.Negative ? "-" : string.Empty) + (ownPartial.Text is null ? adjoint : Operand(ownPartial.Text) + " * " + adjoint);
                UnlessZero(a, adjoint, a.Type, inner, () => inner.WriteLine(adjoint + " = " + (ownCast ? "(float)(" + product + ")" : product) + ";"));
            }
        });
    }

    /// <summary>The result's statement, once per field with that field's seed leaf at 1 and the others at 0: its leaves' partials seed the field's row.</summary>
    private void WideResult(AssignStmt a, IndentedWriter w)
    {
        RestoreInSweep(a, w);
        for (var j = 0; j < _wideFields.Count; j++)
        {
            var seeds = _wideFields.Select((f, i) => (f.Seed, i)).ToDictionary(s => s.Seed, s => s.i == j);
            var unit = IrWalker.Rewrite(a.Value, e => e is VarExpr v && seeds.TryGetValue(v.Name, out var on) ? new ConstExpr(v.Type, on ? One(v.Type) : Zero(v.Type)) : e);
            foreach (var (leaf, partial, cast) in LocalPartials(unit, null, a.Type.Scalar == ScalarKind.Double, w))
            {
                var p = partial.Text is null ? One(leaf.Type) : partial.Text;
                w.WriteLine(Accumulation(LeafAdjoint(leaf, j), partial.Negative, cast ? "(float)(" + p + ")" : p));
            }
        }
    }

    /// <summary>Field <paramref name="field"/>'s adjoint of a leaf: the variable's, or the element's of the parameter's adjoint span.</summary>
    private string LeafAdjoint(Expr leaf, int field) => leaf switch
    {
        VarExpr v => _wideAdjoints[v.Name][field],
        ElementExpr e => ExpressionPrinter.Element(_wideAdjoints[e.Array][field], e.Index),
        _ => throw new System.InvalidOperationException("A leaf is a variable or an element."),
    };

    /// <summary><c>adjoint += p * g;</c> (<c>-=</c> for a negative partial, <c>+= g</c> for 1, a float adjoint cast when the product is double).</summary>
    private string Update(string adjoint, WideTerm partial, string g, bool cast)
    {
        var product = partial.Text is null ? g : Operand(partial.Text) + " * " + g;
        return Accumulation(adjoint, partial.Negative, cast ? "(float)(" + product + ")" : product);
    }

    /// <summary><c>adjoint += term;</c>, or <c>adjoint = term;</c> where the adjoint is a local still known to be 0.</summary>
    private string Accumulation(string adjoint, bool negative, string term)
    {
        var first = IsKnownZero(adjoint);
        _maybeNonZero.Add(adjoint);
        return first
            ? adjoint + " = " + (negative ? "-" + (IsPrimaryText(term) ? term : "(" + term + ")") : term) + ";"
            : adjoint + (negative ? " -= " : " += ") + term + ";";
    }

    private bool IsKnownZero(string adjoint) => _zeroStartAdjoints.Contains(adjoint) && !_maybeNonZero.Contains(adjoint);

    private static bool Mentions(string text, string name) => System.Text.RegularExpressions.Regex.IsMatch(text, @"(?<![\w@])" + System.Text.RegularExpressions.Regex.Escape(name) + @"(?![\w])");

    private static string Operand(string text) => IsPrimaryText(text) ? text : "(" + text + ")";

    private void ClearAll(IEnumerable<string> adjoints, IrType type, IndentedWriter w)
    {
        foreach (var adjoint in adjoints.Where(a => !IsKnownZero(a)))
        {
            w.WriteLine(adjoint + " = " + Zero(type) + ";");
            _maybeNonZero.Remove(adjoint);
        }
    }
}

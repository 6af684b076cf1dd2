using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using StaticGrad.Compiler.Analysis;
using StaticGrad.Compiler.Emit;
using StaticGrad.Compiler.IR;
using StaticGrad.Compiler.Model;

namespace StaticGrad.Compiler.Reverse;

/// <summary>
/// Several outputs in one sweep. A call of a [Differentiable] method returning a struct or tuple is lowered to one
/// statement per leaf of the result (<c>f_X = SpringForce(a, b).X; f_Y = …; f_Z = …;</c>), each a call of the callee
/// with the seed that is one on its leaf (Lowering/StructResultCalls.cs). Consecutive statements of one such call
/// with the same arguments evaluate the callee once: the forward sweep keeps its whole value in a local and each
/// statement reads its leaf. Their reverses call the callee's backward once, after the last of them: the scalarised
/// backward is linear in its seeds, so one call whose seed on each leaf is that leaf's adjoint (the vector-Jacobian
/// product of the whole result) adds what the one-hot calls added one by one. Deferring a leaf's backward past the
/// reverses of the other leaves is sound because those only restore and clear the leaves' own targets, which the
/// call's arguments do not read.
/// </summary>
public sealed partial class ReverseModeTransformer
{
    private readonly Dictionary<Stmt, string> _sharedResultDeclarations = new(ReferenceComparer<Stmt>.Instance);
    private readonly Dictionary<Stmt, (string Text, string Local)> _sharedResultReads = new(ReferenceComparer<Stmt>.Instance);
    private readonly Dictionary<MethodCallExpr, WholeSeedCall> _deferredLeafCalls = new(ReferenceComparer<MethodCallExpr>.Instance);
    private readonly Dictionary<Stmt, WholeSeedCall> _wholeSeedHeads = new(ReferenceComparer<Stmt>.Instance);

    /// <summary>The leaf calls of one struct result whose backwards become one call, and the adjoint each leaf's reverse passed.</summary>
    private sealed class WholeSeedCall
    {
        public WholeSeedCall(IReadOnlyList<MethodCallExpr> leaves) => Leaves = leaves;

        public IReadOnlyList<MethodCallExpr> Leaves { get; }

        public Dictionary<MethodCallExpr, string> Adjoints { get; } = new(ReferenceComparer<MethodCallExpr>.Instance);
    }

    /// <summary>Finds the runs of leaf statements of one struct-result call in a block, for its forward sweep.</summary>
    private void PlanSharedResults(EquatableArray<Stmt> block)
    {
        foreach (var run in LeafRuns(block))
        {
            var whole = WholeCallText(run[0].Call);
            var local = Temporary("_r");
            _sharedResultDeclarations[run[0].Statement] = "var " + local + " = " + whole + ";";
            foreach (var (statement, _) in run)
            {
                _sharedResultReads[statement] = (whole, local);
            }
        }
    }

    /// <summary>The forward sweep's text of a leaf statement's value: the leaf read from the call's kept value.</summary>
    private string SharedResultValue(Stmt statement, string text, IndentedWriter w)
    {
        if (_sharedResultDeclarations.TryGetValue(statement, out var declaration))
        {
            w.WriteLine(declaration);
        }

        return _sharedResultReads.TryGetValue(statement, out var read) ? text.Replace(read.Text, read.Local) : text;
    }

    /// <summary>Finds the runs of leaf statements whose reverses call the backward once, before a block is reversed.</summary>
    private void PlanWholeSeeds(EquatableArray<Stmt> block)
    {
        foreach (var run in WholeSeedRuns(block))
        {
            var group = new WholeSeedCall(run.Select(r => r.Call).ToList());
            foreach (var (_, call) in run)
            {
                _deferredLeafCalls[call] = group;
            }

            // The reverse sweep meets the run's first statement last.
            _wholeSeedHeads[run[0].Statement] = group;
        }
    }

    /// <summary>The leaf statements of a block whose reverses become one backward call each run (the first is the run's head).</summary>
    private IEnumerable<List<(Stmt Statement, MethodCallExpr Call)>> WholeSeedRuns(EquatableArray<Stmt> block)
    {
        foreach (var leaves in LeafRuns(block))
        {
            var run = leaves.Where(r => ReversedLeafCallOf(r.Statement) is not null).ToList();
            if (run.Count >= 2 && run.All(r => SameBackward(run[0].Call, r.Call)))
            {
                yield return run;
            }
        }
    }

    /// <summary>In a leaf's reverse: remembers its adjoint (bound to a local when later code clears it) instead of calling the backward.</summary>
    private bool DeferLeafCall(MethodCallExpr call, string g, IndentedWriter w)
    {
        if (!_deferredLeafCalls.TryGetValue(call, out var group))
        {
            return false;
        }

        if (!IsTemporary(g))
        {
            var bound = Temporary("_t");
            w.WriteLine(call.Type.ScalarKeyword + " " + bound + " = " + g + ";");
            g = bound;
        }

        group.Adjoints[call] = g;
        return true;
    }

    /// <summary>After the reverse of a run's first statement: the one backward call, seeded with every leaf's adjoint.</summary>
    private void WriteWholeSeedCall(Stmt statement, IndentedWriter w)
    {
        if (!_wholeSeedHeads.TryGetValue(statement, out var group) || group.Adjoints.Count == 0)
        {
            return;
        }

        var first = group.Leaves[0];
        var leading = LeadingArguments(first);
        var arguments = first.Args.ToList();
        for (var j = leading; j < arguments.Count - 1; j++)
        {
            var terms = new List<string>();
            foreach (var leaf in group.Leaves.Where(group.Adjoints.ContainsKey))
            {
                var seed = ((ConstExpr)leaf.Args[j]).Text;
                if (LiteralValue(seed) is not 0.0)
                {
                    terms.Add(LiteralValue(seed) is 1.0 ? group.Adjoints[leaf] : "(" + seed + ") * " + group.Adjoints[leaf]);
                }
            }

            if (terms.Count > 0)
            {
                arguments[j] = new ConstExpr(arguments[j].Type, string.Join(" + ", terms));
            }
        }

        group.Adjoints.Clear();
        WriteArgumentsReadAgain(statement, w);
        w.WriteLine("// One backward for the " + group.Leaves.Count.ToString(CultureInfo.InvariantCulture) + " fields of the result, seeded with their adjoints.");
        var one = first.Type.Scalar == ScalarKind.Float ? IndentedWriter.Literal(1f) : IndentedWriter.Literal(1.0);
        PropagateCall(first with { Args = arguments.ToEquatableArray() }, one, w);
        Flush(w);
    }

    /// <summary>A leaf statement of a struct-result call (its value the call, or the call converted): the call.</summary>
    private static MethodCallExpr? LeafCallOf(Stmt statement)
    {
        var value = statement switch
        {
            AssignStmt a => a.Value,
            StoreStmt s => s.Value,
            _ => null,
        };
        return (value is CastExpr cast ? cast.Operand : value) is MethodCallExpr { Target.ResultMember.Length: > 0 } call ? call : null;
    }

    /// <summary>An active leaf statement whose reverse calls the callee's own backward (not through a conversion, not the result).</summary>
    private MethodCallExpr? ReversedLeafCallOf(Stmt statement)
    {
        var (target, value) = statement switch
        {
            AssignStmt a => (a.Target, a.Value),
            StoreStmt s => (s.Array, s.Value),
            _ => (string.Empty, (Expr?)null),
        };
        if (value is not MethodCallExpr { Target: { Kind: CallKind.Differentiable, ResultMember.Length: > 0 } } call
            || !_recording.HasReverse(statement) || !_adjoints.ContainsKey(target) || !_activity.IsActive(value)
            || ReferenceEquals(statement, _fusion.Final) || target == _resultName)
        {
            return null;
        }

        PassingsOf(call, out var backward);
        return backward == call.Target.Backward && Enumerable.Range(LeadingArguments(call), call.Args.Count - LeadingArguments(call) - 1).All(j => call.Args[j] is ConstExpr c && LiteralValue(c.Text) is not null)
            ? call
            : null;
    }

    /// <summary>
    /// Runs of at least two consecutive leaf statements of one call (the same primal text: callee and arguments),
    /// none of whose arguments reads a variable the run writes.
    /// </summary>
    private static IEnumerable<List<(Stmt Statement, MethodCallExpr Call)>> LeafRuns(EquatableArray<Stmt> block)
    {
        var run = new List<(Stmt Statement, MethodCallExpr Call)>();
        foreach (var statement in block.Append(null))
        {
            var call = statement is null ? null : LeafCallOf(statement);
            if (call is not null && run.Count > 0 && WholeCallText(run[0].Call) != WholeCallText(call))
            {
                foreach (var finished in Finished(run))
                {
                    yield return finished;
                }

                run = new List<(Stmt, MethodCallExpr)>();
            }

            if (call is not null)
            {
                run.Add((statement!, call));
                continue;
            }

            foreach (var finished in Finished(run))
            {
                yield return finished;
            }

            run = new List<(Stmt, MethodCallExpr)>();
        }
    }

    private static IEnumerable<List<(Stmt Statement, MethodCallExpr Call)>> Finished(List<(Stmt Statement, MethodCallExpr Call)> run)
    {
        if (run.Count < 2)
        {
            yield break;
        }

        var written = run.Select(r => r.Statement is AssignStmt a ? a.Target : ((StoreStmt)r.Statement).Array).ToList();
        var reads = new HashSet<string>(run[0].Call.Args.Take(LeadingArguments(run[0].Call)).SelectMany(IrWalker.ReadVariables));
        if (written.Any(reads.Contains) || (run.All(r => r.Statement is AssignStmt) && written.Distinct().Count() != written.Count))
        {
            yield break;
        }

        yield return run;
    }

    /// <summary>Two leaves of one call whose backwards differ in the seed only.</summary>
    private static bool SameBackward(MethodCallExpr a, MethodCallExpr b) =>
        a.Target.Backward == b.Target.Backward
        && LeadingArguments(a) == LeadingArguments(b)
        && a.Args.Count == b.Args.Count
        && a.Args.Take(LeadingArguments(a)).SequenceEqual(b.Args.Take(LeadingArguments(b)));

    /// <summary>The primal call's text without the leaf's member: the whole struct value.</summary>
    private static string WholeCallText(MethodCallExpr call) => ExpressionPrinter.Print(call with { Target = call.Target with { ResultMember = string.Empty } });

    /// <summary>How many IR arguments are the callee's own (the rest are the result's seeds and the value's span).</summary>
    private static int LeadingArguments(MethodCallExpr call) =>
        call.Target.Templates.Count > 0 ? call.Target.Templates.Sum(t => t.Leaves) : call.Args.Count;

    /// <summary>The value of a numeric literal such as <c>1f</c>, <c>0.0</c> or <c>-2.5</c>, or null when the text is not one.</summary>
    private static double? LiteralValue(string text) =>
        double.TryParse(text.TrimEnd('f', 'F', 'd', 'D'), NumberStyles.Float, CultureInfo.InvariantCulture, out var value) ? value : null;

    private static bool IsTemporary(string g) => g.StartsWith("_t", System.StringComparison.Ordinal) && g.Length > 2 && char.IsDigit(g[2]) && IsName(g);
}

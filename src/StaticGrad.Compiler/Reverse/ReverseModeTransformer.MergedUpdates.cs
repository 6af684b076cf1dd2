using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using StaticGrad.Compiler.Emit;
using StaticGrad.Compiler.IR;

namespace StaticGrad.Compiler.Reverse;

/// <summary>
/// One update per array element per straight run of statements (Rosenbrock's fused iteration). The reverse of each
/// statement adds into the adjoint elements it reads (<c>dx[i] -= dSlope; … dx[i] += 2.0 * x[i] * _t1;</c>): two
/// loads, bounds checks and stores of the same element, the second waiting for the first. When the reverses of two or
/// more statements of a run add into the same element, each contribution is bound to a local where its statement's
/// reverse would have added it, and the element is updated once, with their sum, before the first code that could
/// read it or change its index: a statement that is not a plain scalar assignment (a store reads adjoint elements, a
/// call passes them, a branch or loop has its own scope) or that restores a variable an index reads, and the end of
/// the block (an iteration's reverse, a branch, the method). An element only one statement adds into keeps its update
/// where it was. Each update is written with a marker and settled when the run ends, once it is known which elements
/// more than one statement updated.
/// </summary>
public sealed partial class ReverseModeTransformer
{
    private const char Marker = '\u0001';

    private readonly Dictionary<string, (string Keyword, HashSet<string> IndexVariables)> _elementTargets = new();
    private readonly List<CarriedUpdate> _carried = new();
    private bool _carrying;
    private int _carryingStatement;
    private int _carryStart;

    /// <summary>An element update written with a marker in place of its target, from the reverse of one statement of the run.</summary>
    private sealed record CarriedUpdate(string Target, string Marker, int Statement);

    /// <summary>Queues an update of an array adjoint's element, remembering what its index reads.</summary>
    private void AccumulateElement(ElementExpr e, string g)
    {
        if (CarriedLocal(e) is { } carried)
        {
            Accumulate(carried, g);
            return;
        }

        var target = ExpressionPrinter.Element(_adjoints[e.Array], e.Index);
        if (!_elementTargets.ContainsKey(target))
        {
            _elementTargets[target] = (e.Type.ScalarKeyword, new HashSet<string>(IrWalker.ReadVariables(e.Index)));
        }

        Accumulate(target, g);
    }

    /// <summary>
    /// Before a statement's reverse: a plain scalar assignment (no branch of <c>?:</c>, no call whose reverse passes
    /// adjoints, no write of a variable a carried index reads) lets the carried updates wait; anything else settles them first.
    /// A saved call counts as a call: its reverse is a branch that may call the callee's backward (session 24).
    /// </summary>
    private void CarryAcross(Stmt statement, IndentedWriter w)
    {
        var plain = statement is AssignStmt { Type: { Shape: ShapeKind.Scalar, StructName.Length: 0 } } a
            && !IrWalker.Descendants(a.Value).Any(e => e is ConditionalExpr || e is MethodCallExpr)
            && !_carried.Any(c => _elementTargets[c.Target].IndexVariables.Contains(a.Target));
        if (!plain)
        {
            SettleCarried(w);
        }
        else if (_carried.Count == 0)
        {
            _carryStart = w.Length;
        }

        _carrying = plain;
        _carryingStatement++;
    }

    /// <summary>At the end of a block: the carried updates are settled (a branch or loop body is its own scope).</summary>
    private void EndCarrying(IndentedWriter w)
    {
        _carrying = false;
        SettleCarried(w);
    }

    /// <summary>While carrying, writes an element's update with a marker instead of its target; false otherwise.</summary>
    private bool CarryElementUpdate(string target, string update, IndentedWriter w)
    {
        if (!_carrying || !_elementTargets.ContainsKey(target))
        {
            return false;
        }

        var marker = Marker + _carried.Count.ToString(CultureInfo.InvariantCulture) + Marker;
        _carried.Add(new CarriedUpdate(target, marker, _carryingStatement));
        w.WriteLine(marker + update);
        return true;
    }

    /// <summary>
    /// Settles the marked updates: an element updated by one statement gets its update back in place; one updated by
    /// several gets each contribution bound to a local and one update with their sum, here.
    /// </summary>
    private void SettleCarried(IndentedWriter w)
    {
        if (_carried.Count == 0)
        {
            return;
        }

        var merged = new List<(string Target, List<string> Terms)>();
        foreach (var group in _carried.GroupBy(c => c.Target))
        {
            if (group.Select(c => c.Statement).Distinct().Count() == 1)
            {
                foreach (var update in group)
                {
                    w.Replace(update.Marker, group.Key, _carryStart);
                }

                continue;
            }

            var terms = new List<string>();
            foreach (var update in group)
            {
                var bound = Temporary("_t");
                var declaration = _elementTargets[group.Key].Keyword + " " + bound + " = ";
                w.Replace(update.Marker + " -= ", declaration + "-", _carryStart);
                w.Replace(update.Marker + " += ", declaration, _carryStart);
                terms.Add(bound);
            }

            merged.Add((group.Key, terms));
        }

        _carried.Clear();
        if (merged.Count > 0)
        {
            w.WriteLine("// One update per element: the contributions of the run's statements, summed.");
            foreach (var (target, terms) in merged)
            {
                w.WriteLine(target + Update(terms));
            }
        }
    }
}

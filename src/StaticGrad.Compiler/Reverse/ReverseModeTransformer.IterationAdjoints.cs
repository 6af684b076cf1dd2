using System.Collections.Generic;
using System.Linq;
using System.Text.RegularExpressions;
using StaticGrad.Compiler.Analysis;
using StaticGrad.Compiler.IR;
using StaticGrad.Compiler.Model;

namespace StaticGrad.Compiler.Reverse;

/// <summary>
/// The adjoint of a variable private to a fused iteration: its reverse clears the adjoint at the end of one iteration
/// and the next iteration's reverse adds to it first (Rosenbrock: <c>dValley += …</c> … <c>dValley = 0.0;</c>), an
/// addition of zero on the adjoint's dependency chain per iteration (issue 18, session 14). When every mention of the
/// variable is inside the loop's body, its adjoint is zero when each iteration starts (zero from its declaration, and
/// cleared by the previous iteration), so the first addition is an assignment.
/// </summary>
public sealed partial class ReverseModeTransformer
{
    private static readonly Regex s_jump = new(@"(?<![\w@])(break|continue|return|goto)(?![\w])");

    /// <summary>
    /// <paramref name="text"/>, one fused iteration of <paramref name="loop"/> (its forward and reverse, at one
    /// indentation), with the first <c>dV += e;</c> of each qualifying adjoint written <c>dV = e;</c>: the adjoint's
    /// first mention is that statement and its last a clear, both at the iteration's own level (run in every
    /// iteration), nothing in the text leaves the iteration early, and the variable is a scalar local mentioned
    /// nowhere outside the loop's body.
    /// </summary>
    private string AssignIterationAdjoints(LoopStmt loop, string text)
    {
        if (s_jump.IsMatch(text) || IrWalker.Statements(_method.Body).Any(s => s is EffectStmt))
        {
            return text;
        }

        var inside = new HashSet<Stmt>(IrWalker.Statements(loop.Body.Concat(loop.Step).ToEquatableArray()), ReferenceComparer<Stmt>.Instance);
        var outside = new HashSet<string>();
        foreach (var statement in IrWalker.Statements(_method.Body).Where(s => !inside.Contains(s)))
        {
            switch (statement)
            {
                case AssignStmt a:
                    outside.Add(a.Target);
                    break;
                case StoreStmt s:
                    outside.Add(s.Array);
                    break;
                case NewArrayStmt n:
                    outside.Add(n.Target);
                    break;
            }

            outside.UnionWith(IrWalker.Expressions(statement).SelectMany(IrWalker.ReadVariables));
        }

        var lines = text.Split('\n');
        var indent = lines[0].Substring(0, lines[0].Length - lines[0].TrimStart().Length);
        var assigned = new List<string>();
        foreach (var local in _method.Locals.Where(l => l.Type is { Shape: ShapeKind.Scalar, StructName.Length: 0, IsFloating: true } && !outside.Contains(l.Name)))
        {
            if (_adjoints.TryGetValue(local.Name, out var adjoint) && AssignFirstAddition(lines, indent, adjoint, Zero(local.Type)))
            {
                assigned.Add(local.Name);
            }
        }

        return assigned.Count == 0 ? text
            : indent + "// Private to each iteration, so their adjoints are zero when it starts: " + string.Join(", ", assigned) + ".\n" + string.Join("\n", lines);
    }

    /// <summary>Turns the first mention of <paramref name="adjoint"/> into an assignment when it adds to it and the last mention clears it, both at <paramref name="indent"/>; whether it did.</summary>
    private static bool AssignFirstAddition(string[] lines, string indent, string adjoint, string zero)
    {
        var mention = new Regex(@"(?<![\w@])" + Regex.Escape(adjoint) + @"(?![\w])");
        var mentions = Enumerable.Range(0, lines.Length).Where(k => mention.IsMatch(lines[k])).ToList();
        if (mentions.Count < 2 || lines[mentions[mentions.Count - 1]] != indent + adjoint + " = " + zero + ";")
        {
            return false;
        }

        var first = lines[mentions[0]];
        if (!first.StartsWith(indent + adjoint + " ", System.StringComparison.Ordinal) || AsAssignment(first.Substring(indent.Length), adjoint, mention) is not { } assignment)
        {
            return false;
        }

        lines[mentions[0]] = indent + assignment;
        return true;
    }
}

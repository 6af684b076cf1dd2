using System.Collections.Generic;
using System.Linq;
using System.Text.RegularExpressions;
using StaticGrad.Compiler.Analysis;
using StaticGrad.Compiler.Emit;
using StaticGrad.Compiler.IR;

namespace StaticGrad.Compiler.Reverse;

/// <summary>
/// The width-k sweep of <c>{Name}Jacobian</c> (<see cref="WriteWideJacobianBody"/>) written field by field over each
/// straight run of statements: the run's shared lines first (restores, reciprocals, the multipliers several leaves
/// share), then every update of the first field's adjoints, then the second field's, and so on. Interleaved
/// (<c>dXdx += p * dXdQ; dYdx += p * dYdQ;</c>) both fields' adjoints of every variable are live across the run:
/// BA's rotation branch holds about 2 × 20 adjoints and the JIT spilled 368 stack operands where the hand-written
/// code, one row at a time, has 206. Field by field, only one field's adjoints are live at a time, and a cheap
/// per-leaf partial (products and sums, no call, division or <c>?:</c>) is written into each field's update instead
/// of being bound to a local that would stay live from the first field's updates to the last's.
/// <para>
/// Moving a field's updates after the run's shared lines is right when no update reads a variable a shared line
/// writes after it: a partial that reads a variable the run restores is bound to a local where the interleaved sweep
/// computed it (<see cref="RunPartial"/>), and <see cref="GroupRun"/> checks the written lines again and keeps the
/// run's order when any line is not a single statement, a shared line reads an adjoint, or an update reads what a
/// later shared line writes.
/// </para>
/// </summary>
public sealed partial class ReverseModeTransformer
{
    private static readonly Regex s_assignedName = new(@"^(?:var |double |float )?(@?\w+)(\[[^\]]*\])? ?(?:=|\+=|-=) ", RegexOptions.CultureInvariant);

    /// <summary>Variables the run being reversed restores: a partial reading one is bound where it is computed.</summary>
    private HashSet<string> _runRestores = new();

    /// <summary>Whether some run of the sweep was written field by field (the sweep's comment says so).</summary>
    private bool _groupedFieldRuns;

    /// <summary>
    /// The per-leaf partial of a statement's update in a field-by-field run: bound to a local where it reads a variable
    /// the run restores (the field's updates come after the restore), shared by the fields when it is costly, else
    /// written into each update.
    /// </summary>
    private WideTerm RunPartial(WideTerm partial, int fields, IndentedWriter w)
    {
        if (partial.Text is null)
        {
            return partial;
        }

        if (_runRestores.Any(v => Mentions(partial.Text, v)))
        {
            var name = Temporary("_p");
            w.WriteLine("var " + name + " = " + Unparenthesized(ReadForwardBuiltinLocals(_reversingStatement, partial.Text)) + ";");
            return partial with { Text = name };
        }

        return fields > 1 && !IsCheapPartial(partial.Text) ? Shared(partial, w) : partial;
    }

    /// <summary>Products and sums of names, elements and literals: cheaper to compute again than to keep in a register.</summary>
    private static bool IsCheapPartial(string text) => text.IndexOfAny(new[] { '/', '?' }) < 0 && !Regex.IsMatch(text, @"[\w\]]\s*\(");

    /// <summary>
    /// Reverses a run of statements with no branch between them (last first) through <paramref name="reverse"/> into
    /// scratch, then writes its lines to <paramref name="w"/> grouped: shared lines in their order, then each field's.
    /// </summary>
    private void WideRun(List<Stmt> run, IndentedWriter w, System.Action<Stmt, IndentedWriter> reverse)
    {
        _runRestores = new HashSet<string>(run.OfType<AssignStmt>().Where(a => SaveOf(a) != Storage.None).Select(a => a.Target));
        var scratch = new IndentedWriter();
        scratch.Indent(w.Level);
        foreach (var statement in run)
        {
            reverse(statement, scratch);
        }

        _runRestores = new HashSet<string>();
        w.AppendText(GroupRun(scratch.ToString()));
    }

    /// <summary>The run's lines grouped by field, or as written when moving them could change what a line reads.</summary>
    private string GroupRun(string text)
    {
        var lines = text.Split('\n').Where(l => l.Length > 0).ToList();
        if (_wideFields.Count < 2 || lines.Count == 0)
        {
            return text;
        }

        var fieldOf = new Dictionary<string, int>();
        foreach (var adjoints in _wideAdjoints.Values)
        {
            for (var j = 0; j < adjoints.Length; j++)
            {
                fieldOf[adjoints[j]] = j;
            }
        }

        var shared = new List<string>();
        var byField = Enumerable.Range(0, _wideFields.Count).Select(_ => new List<string>()).ToArray();
        var moved = new List<string>();
        foreach (var line in lines)
        {
            var statement = line.Trim();
            var assigned = s_assignedName.Match(statement);
            if (!statement.EndsWith(";", System.StringComparison.Ordinal) || !assigned.Success)
            {
                return text;
            }

            if (fieldOf.TryGetValue(assigned.Groups[1].Value, out var field))
            {
                byField[field].Add(line);
                moved.Add(statement);
                continue;
            }

            // A shared line reads no adjoint, and no update already moved past it reads what it writes.
            var name = assigned.Groups[1].Value;
            if (fieldOf.Keys.Any(a => Mentions(statement, a)) || moved.Any(m => Mentions(m, name)))
            {
                return text;
            }

            shared.Add(line);
        }

        if (byField.Count(f => f.Count > 0) < 2)
        {
            return text;
        }

        _groupedFieldRuns = true;
        return string.Concat(shared.Concat(byField.SelectMany(f => f)).Select(l => l + "\n"));
    }
}

using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using StaticGrad.Compiler.Analysis;
using StaticGrad.Compiler.Emit;
using StaticGrad.Compiler.IR;

namespace StaticGrad.Compiler.Reverse;

/// <summary>
/// <c>Math</c> values of the forward sweep kept for the reverse. The reverse of a statement evaluates its partials on
/// the values the forward statement saw, so a call whose text occurs there (<c>exp(−r·T)</c> as the other factor of a
/// product, the argument of an outer call) has the value the forward sweep computed. For a statement that runs once
/// per reversal (outside loops, or once per iteration of a fused loop), the forward keeps each such call's value in a
/// local, <c>(_m = Math.Exp(u))</c>, and the statement's reverse reads the local instead of calling again.
/// <para>
/// Only calls the forward statement always evaluates are kept: not in a branch of <c>?:</c> or right of
/// <c>&amp;&amp;</c>/<c>||</c>. A derivative's text can equal the text of a call that did not run (cos from sin′ next
/// to a <c>Math.Cos</c> in the branch not taken), and its local would hold nothing. Whether the reverse reads a kept
/// value is known only once the reverse is written, so the forward writes markers around each candidate, and
/// <see cref="ResolveKeptBuiltins"/> turns them into the assignment or removes them.
/// </para>
/// </summary>
public sealed partial class ReverseModeTransformer
{
    private readonly Dictionary<Stmt, List<KeptBuiltin>> _keptBuiltins = new(ReferenceComparer<Stmt>.Instance);
    private int _keptCount;

    /// <summary>A candidate call: its text, the local that would hold it, and whether a reverse read it.</summary>
    private sealed class KeptBuiltin
    {
        public KeptBuiltin(string text, string name, string declaration)
        {
            Text = text;
            Name = name;
            Declaration = declaration;
        }

        public string Text { get; }

        public string Name { get; }

        public string Declaration { get; }

        public bool Used { get; set; }

        public string Open => "\u0001" + Name + "\u0001";

        public string Close => "\u0002" + Name + "\u0002";
    }

    /// <summary>The forward text with markers around each floating <c>Math</c> call the statement always evaluates (outer first).</summary>
    private string MarkKeptBuiltins(Stmt statement, Expr value, string text)
    {
        if (!RunsOncePerReversal(statement))
        {
            return text;
        }

        foreach (var call in ReverseValueCache.Unconditional(value).Where(c => c.Type.IsFloating && c.Type.StructName.Length == 0))
        {
            var callText = ExpressionPrinter.Print(call);
            if (ReverseValueCache.Occurrences(text, callText) != 1 || (_keptBuiltins.TryGetValue(statement, out var known) && known.Any(k => k.Text == callText)))
            {
                continue;
            }

            // A counter of its own: the other temporaries keep their numbers whether or not a candidate is used.
            var name = Fresh("_m" + (_keptCount++).ToString(CultureInfo.InvariantCulture));
            var kept = new KeptBuiltin(callText, name, call.Type.ScalarKeyword + " " + name + " = " + Zero(call.Type) + ";");
            text = text.Replace(callText, kept.Open + callText + kept.Close);
            if (!_keptBuiltins.TryGetValue(statement, out var list))
            {
                _keptBuiltins[statement] = list = new List<KeptBuiltin>();
            }

            list.Add(kept);
        }

        return text;
    }

    /// <summary>A statement's reverse text with each kept call's text read from its local (outer calls first).</summary>
    private string ReadKeptBuiltins(Stmt statement, string text)
    {
        text = ReadForwardBuiltinLocals(statement, text);
        if (!_keptBuiltins.TryGetValue(statement, out var list))
        {
            return text;
        }

        foreach (var kept in list)
        {
            if (ReverseValueCache.Occurrences(text, kept.Text) > 0)
            {
                kept.Used = true;
                text = text.Replace(kept.Text, kept.Name);
            }
        }

        return text;
    }

    /// <summary>Turns the markers of the forward sweep into assignments of the values a reverse reads, and drops the others.</summary>
    private void ResolveKeptBuiltins(IndentedWriter forward)
    {
        foreach (var kept in _keptBuiltins.Values.SelectMany(k => k))
        {
            forward.Replace(kept.Open, kept.Used ? "(" + kept.Name + " = " : string.Empty, 0);
            forward.Replace(kept.Close, kept.Used ? ")" : string.Empty, 0);
            if (kept.Used)
            {
                _declarations.Add(kept.Declaration);
            }
        }
    }
}

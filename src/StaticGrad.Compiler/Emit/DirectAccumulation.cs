using System.Collections.Generic;
using System.Linq;
using System.Text.RegularExpressions;

namespace StaticGrad.Compiler.Emit;

/// <summary>
/// A scalar parameter's adjoint is accumulated in a local and added to the caller's <c>ref</c> once, at the end
/// (<c>double _dx = 0.0;</c> … <c>_dx += e;</c> … <c>dx += _dx;</c>), so that a loop's accumulations stay in a
/// register whatever the <c>ref</c> aliases. Where the sweeps accumulate that local exactly once, in a statement of
/// the method's top level (so it runs at most once, outside every loop and branch), the local and its final add are
/// three statements for one: the statement adds to the <c>ref</c> itself (<c>dx += e;</c>). The caller sees the same
/// sum (<c>dx + (0 + e)</c> is <c>dx + e</c>), every other adjoint is only added to as before, so aliased <c>ref</c>s
/// still receive every term, and nothing reads the <c>ref</c> in between. It saves the compiler a local, two
/// statements and their flow analysis per such parameter (docs/benchmarks.md, "Build cost", session 18).
/// </summary>
public static class DirectAccumulation
{
    private const string IndentUnit = "    ";

    /// <summary>
    /// Of the candidate locals (local → the <c>ref</c> parameter it is added to at the end), those that
    /// <paramref name="forward"/> never mentions and <paramref name="reverse"/> mentions once, as the target of a
    /// <c>+=</c> or <c>-=</c> statement at indentation <paramref name="level"/> (the method body's own statements).
    /// A text with <c>goto</c> is left alone: a top-level statement after a label may run more than once.
    /// </summary>
    public static Dictionary<string, string> Find(string forward, string reverse, int level, IEnumerable<KeyValuePair<string, string>> candidates)
    {
        var found = new Dictionary<string, string>();
        if (Mentions(forward, "goto") > 0 || Mentions(reverse, "goto") > 0)
        {
            return found;
        }

        var indent = string.Concat(Enumerable.Repeat(IndentUnit, level));
        foreach (var pair in candidates)
        {
            if (Mentions(forward, pair.Key) == 0 && Mentions(reverse, pair.Key) == 1
                && Regex.IsMatch(reverse, "^" + Regex.Escape(indent + pair.Key) + " [-+]= ", RegexOptions.Multiline))
            {
                found[pair.Key] = pair.Value;
            }
        }

        return found;
    }

    /// <summary>The reverse sweep with each found local's one accumulation made to its <c>ref</c> parameter.</summary>
    public static string Retarget(string reverse, int level, IReadOnlyDictionary<string, string> found)
    {
        var indent = string.Concat(Enumerable.Repeat(IndentUnit, level));
        foreach (var pair in found)
        {
            reverse = Regex.Replace(reverse, "^" + Regex.Escape(indent + pair.Key) + "(?= [-+]= )", indent + pair.Value, RegexOptions.Multiline);
        }

        return reverse;
    }

    /// <summary>How often the name occurs as a whole word (a conservative count: comments and members count too).</summary>
    private static int Mentions(string text, string name) => Regex.Matches(text, @"(?<![\w@])" + Regex.Escape(name) + @"(?![\w])").Count;
}

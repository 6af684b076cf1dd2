using System.Collections.Generic;
using System.Linq;
using System.Text.RegularExpressions;

namespace StaticGrad.Compiler.Reverse;

/// <summary>
/// An adjoint cleared and then added to: the reverse of <c>v = f(v, …)</c> reads v's adjoint, clears it, and the
/// partial derivative with respect to v adds to it again (a Horner step <c>p = p * z + c</c> gives
/// <c>dP = 0.0; … dP += _t * z;</c>). The first addition after the clear, in the same straight-line code with nothing
/// reading the adjoint in between, becomes an assignment and the clear goes: one addition fewer on the adjoint's
/// dependency chain per step (issue 18, session 13).
/// </summary>
public sealed partial class ReverseModeTransformer
{
    /// <summary>
    /// <paramref name="text"/>: the clear of <paramref name="adjoint"/> on its first line, then the restore and the
    /// propagation, all at one indentation. Returns it with the first <c>adjoint += e;</c> (or <c>-= e</c>) turned into
    /// <c>adjoint = e;</c> (<c>-(e)</c>) and the clear removed, when every line before it is a statement at the same
    /// indentation that does not mention the adjoint and <c>e</c> does not read it; otherwise unchanged.
    /// </summary>
    internal static string AssignInsteadOfClearing(string text, string adjoint)
    {
        var lines = text.Split('\n');
        var first = lines[0];
        var indent = first.Substring(0, first.Length - first.TrimStart().Length);
        if (!first.TrimStart().StartsWith(adjoint + " = ", System.StringComparison.Ordinal))
        {
            return text;
        }

        var mention = new Regex(@"(?<![\w@])" + Regex.Escape(adjoint) + @"(?![\w])");
        for (var k = 1; k < lines.Length; k++)
        {
            var line = lines[k];
            if (line.Length <= indent.Length || !line.StartsWith(indent, System.StringComparison.Ordinal) || char.IsWhiteSpace(line[indent.Length]))
            {
                return text;
            }

            var statement = line.Substring(indent.Length);
            if (!statement.EndsWith(";", System.StringComparison.Ordinal) || statement.StartsWith("//", System.StringComparison.Ordinal))
            {
                return text;
            }

            if (AsAssignment(statement, adjoint, mention) is { } assignment)
            {
                lines[k] = indent + assignment;
                return string.Join("\n", lines.Skip(1));
            }

            if (mention.IsMatch(statement))
            {
                return text;
            }
        }

        return text;
    }

    /// <summary>
    /// <paramref name="statement"/> (<c>adjoint += e;</c> or <c>adjoint -= e;</c>, no indentation) as the assignment
    /// <c>adjoint = e;</c> (<c>-(e)</c>); null for any other statement or when <c>e</c> reads the adjoint.
    /// </summary>
    private static string? AsAssignment(string statement, string adjoint, Regex mention)
    {
        foreach (var op in new[] { " += ", " -= " })
        {
            if (statement.StartsWith(adjoint + op, System.StringComparison.Ordinal) && statement.EndsWith(";", System.StringComparison.Ordinal))
            {
                var value = statement.Substring(adjoint.Length + op.Length, statement.Length - adjoint.Length - op.Length - 1);
                if (mention.IsMatch(value))
                {
                    return null;
                }

                var simple = value.All(c => char.IsLetterOrDigit(c) || c == '_' || c == '.');
                return adjoint + " = " + (op == " += " ? value : simple ? "-" + value : "-(" + value + ")") + ";";
            }
        }

        return null;
    }
}

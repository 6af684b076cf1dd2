using System;
using System.Collections.Generic;
using System.Text;

namespace StaticGrad.Compiler.Emit;

/// <summary>
/// The identifiers of a loop's generated text, for moving the variables it writes into block-local copies: which
/// ones the text writes, and the text with them renamed. It reads only text this compiler wrote (no strings, no
/// lambdas: a text with either is left alone), so a small lexer is exact: an identifier preceded by <c>.</c> or
/// <c>::</c> is a member or a qualified name, anything else is a variable.
/// </summary>
public static class LoopLocals
{
    private static readonly string[] Unsafe = { "\"", "'", "=>", "delegate", "goto", "\\", "$" };
    private static readonly string[] AssignmentOperators = { "+=", "-=", "*=", "/=", "%=", "&=", "|=", "^=", "<<=", ">>=", "??=", "++", "--" };
    private static readonly string[] ScalarKeywords = { "double", "float", "int", "long", "bool" };

    /// <summary>The names (in order of first occurrence) that <paramref name="text"/> writes and <paramref name="candidate"/> accepts.</summary>
    public static List<string> Written(string text, Func<string, bool> candidate) => Scan(text, candidate).Written;

    /// <summary>
    /// The names (in order of first occurrence) that <paramref name="text"/> mentions but never writes (an element
    /// store <c>a[i] = …</c> does not write <c>a</c>) and <paramref name="candidate"/> accepts; empty where
    /// <see cref="Written"/> would leave the text alone.
    /// </summary>
    public static List<string> OnlyRead(string text, Func<string, bool> candidate)
    {
        var (written, mentioned) = Scan(text, candidate);
        return mentioned.FindAll(name => !written.Contains(name));
    }

    /// <summary>The accepted names <paramref name="text"/> writes and those it mentions; both empty for a text left alone.</summary>
    private static (List<string> Written, List<string> Mentioned) Scan(string text, Func<string, bool> candidate)
    {
        var written = new List<string>();
        var mentioned = new List<string>();
        var code = WithoutComments(text);
        if (Array.Exists(Unsafe, u => code.IndexOf(u, StringComparison.Ordinal) >= 0))
        {
            return (written, mentioned);
        }

        string? previousWord = null;
        foreach (var (start, length) in Variables(text))
        {
            var name = text.Substring(start, length);

            // A member named in an object initializer (new P { x = ... }) or a named argument (f(mean: false)) is not
            // the variable: renaming it would break the text, leaving it would split the variable. No copies then.
            if (IsMemberName(text, start, length) && candidate(name))
            {
                return (new List<string>(), new List<string>());
            }

            var accepted = !mentioned.Contains(name) && candidate(name);
            if (accepted)
            {
                mentioned.Add(name);
            }

            var isWrite = IsAssignedAt(text, start + length) || previousWord is "ref" or "out" || EndsWith(text, start, "++") || EndsWith(text, start, "--");
            if (isWrite && !written.Contains(name) && mentioned.Contains(name))
            {
                written.Add(name);
            }

            previousWord = name;
        }

        return (written, mentioned);
    }

    private static string WithoutComments(string text)
    {
        var code = new StringBuilder(text.Length);
        foreach (var line in text.Split('\n'))
        {
            var comment = line.IndexOf("//", StringComparison.Ordinal);
            code.Append(comment < 0 ? line : line.Substring(0, comment)).Append('\n');
        }

        return code.ToString();
    }

    /// <summary><paramref name="text"/> with each variable in <paramref name="map"/> renamed.</summary>
    public static string Rename(string text, IReadOnlyDictionary<string, string> map)
    {
        var result = new StringBuilder(text.Length + 64);
        var last = 0;
        foreach (var (start, length) in Variables(text))
        {
            if (map.TryGetValue(text.Substring(start, length), out var renamed))
            {
                result.Append(text, last, start - last).Append(renamed);
                last = start + length;
            }
        }

        return result.Append(text, last, text.Length - last).ToString();
    }

    /// <summary>Whether a method-level declaration (<c>int _n0 = 0;</c>) declares the scalar <paramref name="name"/>.</summary>
    public static bool DeclaresScalar(string declaration, string name)
    {
        var parts = declaration.Split(' ');
        return parts.Length >= 3 && Array.IndexOf(ScalarKeywords, parts[0]) >= 0 && parts[1] == name && parts[2] == "=";
    }

    /// <summary>The identifiers of the text that are not members or qualified names, outside comments; words such as <c>ref</c> included.</summary>
    private static IEnumerable<(int Start, int Length)> Variables(string text)
    {
        for (var i = 0; i < text.Length;)
        {
            var c = text[i];
            if (c == '/' && i + 1 < text.Length && text[i + 1] == '/')
            {
                i = text.IndexOf('\n', i) is var end && end >= 0 ? end : text.Length;
            }
            else if (IsIdentifierStart(c) || char.IsDigit(c))
            {
                var start = i;
                for (i++; i < text.Length && (IsIdentifierPart(text[i]) || (char.IsDigit(c) && text[i] == '.')); i++)
                {
                }

                if (!char.IsDigit(c) && !IsQualified(text, start))
                {
                    yield return (start, i - start);
                }
            }
            else
            {
                i++;
            }
        }
    }

    private static bool IsIdentifierStart(char c) => char.IsLetter(c) || c == '_' || c == '@' || c > 127;

    private static bool IsIdentifierPart(char c) => char.IsLetterOrDigit(c) || c == '_' || c == '@' || c > 127;

    /// <summary>Whether the identifier at <paramref name="start"/> follows <c>.</c> or <c>::</c> (spaces skipped).</summary>
    private static bool IsQualified(string text, int start)
    {
        var j = start - 1;
        while (j >= 0 && text[j] == ' ')
        {
            j--;
        }

        return j >= 0 && (text[j] == '.' || (text[j] == ':' && j > 0 && text[j - 1] == ':'));
    }

    /// <summary>
    /// Whether the identifier at <paramref name="start"/> follows <c>{</c>, <c>,</c> or <c>(</c> on its line and is
    /// followed by <c>=</c> (not <c>==</c>) or <c>:</c> (not <c>::</c>): an initializer's member or a named argument
    /// (a statement starts its own line in generated text, so this errs only towards leaving a loop alone).
    /// </summary>
    private static bool IsMemberName(string text, int start, int length)
    {
        var j = start - 1;
        while (j >= 0 && text[j] == ' ')
        {
            j--;
        }

        if (j < 0 || (text[j] != '{' && text[j] != ',' && text[j] != '('))
        {
            return false;
        }

        var k = start + length;
        while (k < text.Length && text[k] == ' ')
        {
            k++;
        }

        return k < text.Length
            && ((text[k] == '=' && (k + 1 >= text.Length || text[k + 1] != '='))
                || (text[k] == ':' && (k + 1 >= text.Length || text[k + 1] != ':')));
    }

    /// <summary>Whether an assignment operator (not <c>==</c>) follows position <paramref name="end"/> (spaces skipped).</summary>
    private static bool IsAssignedAt(string text, int end)
    {
        var j = end;
        while (j < text.Length && text[j] == ' ')
        {
            j++;
        }

        if (j < text.Length && text[j] == '=' && (j + 1 >= text.Length || text[j + 1] != '='))
        {
            return true;
        }

        return Array.Exists(AssignmentOperators, op => string.CompareOrdinal(text, j, op, 0, op.Length) == 0);
    }

    /// <summary>Whether the text right before <paramref name="start"/> (spaces skipped) ends with <paramref name="suffix"/>.</summary>
    private static bool EndsWith(string text, int start, string suffix)
    {
        var j = start;
        while (j > 0 && text[j - 1] == ' ')
        {
            j--;
        }

        return j >= suffix.Length && string.CompareOrdinal(text, j - suffix.Length, suffix, 0, suffix.Length) == 0;
    }
}

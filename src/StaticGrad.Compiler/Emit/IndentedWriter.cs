using System.Globalization;
using System.Text;

namespace StaticGrad.Compiler.Emit;

/// <summary>
/// Writes C# source line by line with indentation. Generated code must not depend on the culture of the machine
/// that compiles it, so numbers go through <see cref="Literal(double)"/> and friends, never string interpolation.
/// </summary>
public sealed class IndentedWriter
{
    private const string IndentUnit = "    ";
    private readonly StringBuilder _builder = new();
    private int _indent;

    public void WriteLine(string line)
    {
        if (line.Length > 0)
        {
            for (var i = 0; i < _indent; i++)
            {
                _builder.Append(IndentUnit);
            }

            _builder.Append(line);
        }

        _builder.Append('\n');
    }

    public void WriteLine() => _builder.Append('\n');

    public void OpenBrace()
    {
        WriteLine("{");
        _indent++;
    }

    public void CloseBrace(string suffix = "")
    {
        _indent--;
        WriteLine("}" + suffix);
    }

    public void Indent() => _indent++;

    public void Indent(int levels) => _indent += levels;

    public void Unindent() => _indent--;

    /// <summary>The current indentation depth.</summary>
    public int Level => _indent;

    /// <summary>Appends what another writer wrote (it was indented for this position already).</summary>
    public void Append(IndentedWriter other) => _builder.Append(other._builder);

    /// <summary>Appends text written by another writer for this position (lines indented already).</summary>
    public void AppendText(string text) => _builder.Append(text);

    /// <summary>Appends text another writer wrote one level deeper than this position, one level less indented.</summary>
    public void AppendOutdented(string text)
    {
        foreach (var line in text.Split('\n'))
        {
            if (line.Length > 0)
            {
                _builder.Append(line.StartsWith(IndentUnit, System.StringComparison.Ordinal) ? line.Substring(IndentUnit.Length) : line).Append('\n');
            }
            else
            {
                _builder.Append('\n');
            }
        }

        // Split gives one empty piece after the text's final newline, which is not a line.
        if (text.Length == 0 || text[text.Length - 1] == '\n')
        {
            _builder.Length--;
        }
    }

    /// <summary>The number of characters written so far.</summary>
    public int Length => _builder.Length;

    /// <summary>Replaces text written at or after <paramref name="start"/>.</summary>
    public void Replace(string oldValue, string newValue, int start) => _builder.Replace(oldValue, newValue, start, _builder.Length - start);

    /// <summary>Removes each line holding <paramref name="marker"/>, with its newline.</summary>
    public void RemoveLinesContaining(string marker)
    {
        var text = _builder.ToString();
        if (text.IndexOf(marker, System.StringComparison.Ordinal) < 0)
        {
            return;
        }

        _builder.Clear();
        foreach (var line in text.Split('\n'))
        {
            if (line.IndexOf(marker, System.StringComparison.Ordinal) < 0)
            {
                _builder.Append(line).Append('\n');
            }
        }

        // Split gives one piece after the text's final newline, which is not a line.
        _builder.Length--;
    }

    public override string ToString() => _builder.ToString();

    /// <summary>A double literal that round-trips, in invariant culture.</summary>
    public static string Literal(double value)
    {
        if (double.IsNaN(value))
        {
            return "double.NaN";
        }

        if (double.IsPositiveInfinity(value))
        {
            return "double.PositiveInfinity";
        }

        if (double.IsNegativeInfinity(value))
        {
            return "double.NegativeInfinity";
        }

        var text = value.ToString("R", CultureInfo.InvariantCulture);
        return text.IndexOfAny(new[] { '.', 'E', 'e' }) >= 0 ? text : text + ".0";
    }

    /// <summary>A float literal that round-trips, in invariant culture.</summary>
    public static string Literal(float value)
    {
        if (float.IsNaN(value))
        {
            return "float.NaN";
        }

        if (float.IsPositiveInfinity(value))
        {
            return "float.PositiveInfinity";
        }

        if (float.IsNegativeInfinity(value))
        {
            return "float.NegativeInfinity";
        }

        return value.ToString("R", CultureInfo.InvariantCulture) + "f";
    }

    public static string Literal(int value) => value.ToString(CultureInfo.InvariantCulture);

    public static string Literal(long value) => value.ToString(CultureInfo.InvariantCulture) + "L";
}

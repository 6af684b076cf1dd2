using System.Text;

namespace StaticGrad.Generator.Tests.RandomPrograms;

/// <summary>Writes a method and its lockstep finite-difference reference side by side, with indentation.</summary>
internal sealed class ProgramWriter
{
    private readonly StringBuilder _src = new();
    private readonly StringBuilder _ref = new();
    private int _indent;

    public string SrcText => _src.ToString();

    public string RefText => _ref.ToString();

    public void Both(string line)
    {
        Src(line);
        Ref(line);
    }

    public void Src(string line) => _src.Append(' ', 4 * _indent).AppendLine(line);

    public void Ref(string line) => _ref.Append(' ', 4 * _indent).AppendLine(line);

    public void Open(string header)
    {
        Both(header);
        Both("{");
        _indent++;
    }

    public void Open(string src, string reference)
    {
        Src(src);
        Ref(reference);
        Both("{");
        _indent++;
    }

    public void Indent() => _indent++;

    public void Outdent() => _indent--;

    public void Close()
    {
        _indent--;
        Both("}");
    }
}

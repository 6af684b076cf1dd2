using System.Text.RegularExpressions;

namespace StaticGrad.Package.Tests;

/// <summary>A diagnostic as MSBuild prints it: <c>/path/File.cs(line,col): error ID: message [project]</c>.</summary>
internal sealed record BuildDiagnostic(string File, (int Line, int Column) Position, string Severity, string Id);

/// <summary>Reads the diagnostics out of <c>dotnet build</c>'s console output.</summary>
internal static partial class BuildDiagnostics
{
    public static IReadOnlyList<BuildDiagnostic> Parse(string output) =>
        Line().Matches(output)
            .Select(m => new BuildDiagnostic(
                Path.GetFileName(m.Groups["file"].Value),
                (int.Parse(m.Groups["line"].Value, System.Globalization.CultureInfo.InvariantCulture),
                 int.Parse(m.Groups["column"].Value, System.Globalization.CultureInfo.InvariantCulture)),
                m.Groups["severity"].Value,
                m.Groups["id"].Value))
            .ToArray();

    [GeneratedRegex(@"^\s*(?<file>[^\r\n(]+?)\((?<line>\d+),(?<column>\d+)\): (?<severity>error|warning|info) (?<id>[A-Z]+\d+):", RegexOptions.Multiline)]
    private static partial Regex Line();
}

using System.Globalization;
using System.Text.RegularExpressions;

namespace StaticGrad.Benchmarks.AnalyzerCost;

/// <summary>
/// What one <c>dotnet build -p:ReportAnalyzer=true -clp:PerformanceSummary</c> prints that the measurement needs: the Csc
/// task's time (MSBuild's task performance summary) and each analyzer's time (the compiler's own ReportAnalyzer table).
/// </summary>
internal sealed partial record BuildReport(double CscSeconds, double AllAnalyzersSeconds, IReadOnlyDictionary<string, double> AnalyzerSeconds, int Warnings, int Errors)
{
    /// <summary>Seconds of the analyzers of the StaticGrad.Analyzers assembly (0 when the compiler did not run them).</summary>
    public double StaticGradSeconds => AnalyzerSeconds.Where(a => a.Key.StartsWith("StaticGrad.", StringComparison.Ordinal)).Sum(a => a.Value);

    /// <summary>Seconds of the analyzer whose full type name ends with <paramref name="analyzer"/>.</summary>
    public double Seconds(string analyzer) => AnalyzerSeconds.Where(a => a.Key.EndsWith("." + analyzer, StringComparison.Ordinal)).Sum(a => a.Value);

    public static BuildReport Parse(string output)
    {
        var csc = double.NaN;
        var all = double.NaN;
        var analyzers = new Dictionary<string, double>(StringComparer.Ordinal);
        var inAnalyzers = false;
        foreach (var raw in output.Split('\n'))
        {
            var line = raw.Trim();
            if (CscLine().Match(line) is { Success: true } task)
            {
                csc = double.Parse(task.Groups[1].Value, CultureInfo.InvariantCulture) / 1000;
            }
            else if (TotalLine().Match(line) is { Success: true } total)
            {
                inAnalyzers = total.Groups[1].Value == "analyzer";
                if (inAnalyzers)
                {
                    all = ParseSeconds(total.Groups[2].Value);
                }
            }
            else if (inAnalyzers && AnalyzerLine().Match(line) is { Success: true } analyzer)
            {
                // Analyzer rows name the type ("StaticGrad.Analyzers.TensorUsage.TensorUsageAnalyzer (SG0001, …)"); assembly
                // rows carry ", Version=" and are the sums of the rows under them.
                var name = analyzer.Groups[2].Value;
                if (!name.Contains(", Version=", StringComparison.Ordinal))
                {
                    var type = name.Split(' ')[0];
                    analyzers[type] = analyzers.GetValueOrDefault(type) + ParseSeconds(analyzer.Groups[1].Value);
                }
            }
        }

        return new BuildReport(csc, all, analyzers, Count(output, WarningLine()), Count(output, ErrorLine()));
    }

    /// <summary>ReportAnalyzer prints "&lt;0.001" for times it rounds to zero.</summary>
    private static double ParseSeconds(string text) => text.StartsWith('<') ? 0 : double.Parse(text, CultureInfo.InvariantCulture);

    private static int Count(string output, Regex summary) => summary.Match(output) is { Success: true } m ? int.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture) : -1;

    [GeneratedRegex(@"^(\d+) ms\s+Csc\s+\d+ calls")]
    private static partial Regex CscLine();

    [GeneratedRegex(@"^Total (analyzer|generator) execution time: (<?[\d.]+) seconds")]
    private static partial Regex TotalLine();

    [GeneratedRegex(@"^(<?[\d.]+)\s+<?\d+\s+(\S.*)$")]
    private static partial Regex AnalyzerLine();

    [GeneratedRegex(@"^\s*(\d+) Warning\(s\)", RegexOptions.Multiline)]
    private static partial Regex WarningLine();

    [GeneratedRegex(@"^\s*(\d+) Error\(s\)", RegexOptions.Multiline)]
    private static partial Regex ErrorLine();
}

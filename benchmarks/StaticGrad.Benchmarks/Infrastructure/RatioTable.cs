using System.Globalization;
using System.Text;
using BenchmarkDotNet.Reports;
using BenchmarkDotNet.Running;

namespace StaticGrad.Benchmarks.Infrastructure;

/// <summary>
/// The ratios docs/benchmarks.md reports, computed from one run's mean times: generated ÷ hand-written, gradient ÷
/// objective, tape ÷ generated, finite differences ÷ generated, and the bytes allocated per call.
/// </summary>
public static class RatioTable
{
    public static string Create(IEnumerable<Summary> summaries) => Create(Measurements(summaries));

    /// <summary>One row per successful benchmark: class (without "Benchmarks"), parameters, method, mean, bytes per call.</summary>
    public static IEnumerable<Measurement> Measurements(IEnumerable<Summary> summaries) => summaries.SelectMany(s => s.Reports)
        .Where(r => r.Success && r.ResultStatistics is not null)
        .Select(r => new Measurement(
            r.BenchmarkCase.Descriptor.Type.Name.Replace("Benchmarks", string.Empty, StringComparison.Ordinal),
            CaseOf(r.BenchmarkCase),
            r.BenchmarkCase.Descriptor.WorkloadMethod.Name,
            r.ResultStatistics!.Mean,
            r.GcStats.GetBytesAllocatedPerOperation(r.BenchmarkCase)));

    /// <summary>A case's parameters as the table shows them (<c>Instance=1k/gmm_d2_K5</c>); --short names its processes by it too.</summary>
    public static string CaseOf(BenchmarkCase benchmark)
    {
        ArgumentNullException.ThrowIfNull(benchmark);
        return string.Join(", ", benchmark.Parameters.Items.Select(p => $"{p.Name}={Format(p.Value)}"));
    }

    /// <summary>Tab-separated lines: how a --short child hands its measurements to the parent.</summary>
    public static IEnumerable<string> Write(IEnumerable<Measurement> measurements) => measurements.Select(m =>
        string.Join('\t', m.Workload, m.Case, m.Method, m.MeanNanoseconds.ToString("R", CultureInfo.InvariantCulture), m.BytesPerOperation?.ToString(CultureInfo.InvariantCulture) ?? string.Empty));

    public static IEnumerable<Measurement> Read(IEnumerable<string> lines) => lines.Select(line => line.Split('\t')).Select(f => new Measurement(
        f[0], f[1], f[2], double.Parse(f[3], CultureInfo.InvariantCulture), f[4].Length == 0 ? null : long.Parse(f[4], CultureInfo.InvariantCulture)));

    public static string Create(IEnumerable<Measurement> measurements)
    {
        var rows = measurements.ToList();
        var text = new StringBuilder();
        text.AppendLine("| workload | case | objective | hand-written | generated | generated ÷ hand | hand grad ÷ objective | generated grad ÷ objective | tape ÷ generated | FD ÷ generated | bytes/call hand / generated / tape |");
        text.AppendLine("|---|---|---|---|---|---|---|---|---|---|---|");
        foreach (var group in rows.GroupBy(r => (r.Workload, r.Case)))
        {
            var byMethod = group.ToDictionary(r => r.Method);
            var objective = byMethod.GetValueOrDefault("Objective");
            var hand = byMethod.GetValueOrDefault("HandWritten");
            var generated = byMethod.GetValueOrDefault("Generated");
            var tape = byMethod.GetValueOrDefault("Tape");
            var fd = byMethod.GetValueOrDefault("FiniteDifferences");
            if (hand is null)
            {
                continue;
            }

            var exact = generated ?? hand;
            text.Append(CultureInfo.InvariantCulture, $"| {group.Key.Workload} | {group.Key.Case} | {Time(objective)} | {Time(hand)} | {Time(generated)} ")
                .Append(CultureInfo.InvariantCulture, $"| {Ratio(generated, hand)} | {Ratio(hand, objective)} | {Ratio(generated, objective)} ")
                .Append(CultureInfo.InvariantCulture, $"| {Ratio(tape, generated)} | {Ratio(fd, exact)}{(generated is null && fd is not null ? " (÷ hand)" : string.Empty)} ")
                .AppendLine(CultureInfo.InvariantCulture, $"| {Bytes(hand)} / {Bytes(generated)} / {Bytes(tape)} |");
        }

        var compile = rows.Where(r => r.Workload == "Generator").ToList();
        if (compile.Count > 0)
        {
            text.AppendLine();
            text.AppendLine("| generator benchmark | case | time | per method | bytes allocated |");
            text.AppendLine("|---|---|---|---|---|");
            foreach (var r in compile)
            {
                var methods = int.Parse(r.Case.Split('=')[^1], CultureInfo.InvariantCulture);
                var perMethod = r.Method == "FullRun" ? Time(r with { MeanNanoseconds = r.MeanNanoseconds / methods }) : "—";
                text.AppendLine(CultureInfo.InvariantCulture, $"| {r.Method} | {r.Case} | {Time(r)} | {perMethod} | {Bytes(r)} |");
            }
        }

        return text.ToString();
    }

    private static string Format(object? value) => value is IFormattable f ? f.ToString(null, CultureInfo.InvariantCulture) : value?.ToString() ?? "null";

    private static string Ratio(Measurement? numerator, Measurement? denominator) =>
        numerator is null || denominator is null ? "—" : (numerator.MeanNanoseconds / denominator.MeanNanoseconds).ToString("0.00", CultureInfo.InvariantCulture);

    private static string Bytes(Measurement? m) => m?.BytesPerOperation is { } b ? b.ToString(CultureInfo.InvariantCulture) : "—";

    private static string Time(Measurement? m) => m is null ? "—" : m.MeanNanoseconds switch
    {
        < 1e3 => (m.MeanNanoseconds).ToString("0.0", CultureInfo.InvariantCulture) + " ns",
        < 1e6 => (m.MeanNanoseconds / 1e3).ToString("0.00", CultureInfo.InvariantCulture) + " µs",
        < 1e9 => (m.MeanNanoseconds / 1e6).ToString("0.00", CultureInfo.InvariantCulture) + " ms",
        _ => (m.MeanNanoseconds / 1e9).ToString("0.00", CultureInfo.InvariantCulture) + " s",
    };

    public sealed record Measurement(string Workload, string Case, string Method, double MeanNanoseconds, long? BytesPerOperation);
}

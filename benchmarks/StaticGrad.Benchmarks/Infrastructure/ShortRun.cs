using System.Diagnostics;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Filters;
using BenchmarkDotNet.Running;

namespace StaticGrad.Benchmarks.Infrastructure;

/// <summary>
/// --short: every benchmark case (a class, with one value of each of its parameters) timed in a process of its own,
/// then one ratio table from all of them. In one process the generated and hand gradients are shared by every
/// instance, so their tier-1 code carried the dynamic-PGO profile of whichever instance (or the verification) ran
/// first; a fresh process per case lets no profile cross cases. Each child runs <see cref="ShortChild"/>.
/// </summary>
public static class ShortRun
{
    public static int Run(string[] benchmarkArguments)
    {
        if (!TryParseFilter(benchmarkArguments, out var patterns))
        {
            Console.Error.WriteLine("--short understands only --filter <patterns>; run without --short for other BenchmarkDotNet options.");
            return 2;
        }

        var config = SuiteRunner.CreateConfig(isShort: true);
        if (patterns.Length > 0)
        {
            config = config.AddFilter(new GlobFilter(patterns));
        }

        var cases = BenchmarkTypes()
            .SelectMany(type => BenchmarkConverter.TypeToBenchmarks(type, config).BenchmarksCases)
            .Select(ShortChild.CaseOf)
            .Distinct()
            .ToList();
        var folder = Directory.CreateTempSubdirectory("staticgrad-short-");
        var failed = 0;
        var measurements = new List<RatioTable.Measurement>();
        var clock = Stopwatch.StartNew();
        for (var i = 0; i < cases.Count; i++)
        {
            var (type, parameters) = cases[i];
            var output = Path.Combine(folder.FullName, $"{i}.tsv");
            Console.WriteLine($"// [{i + 1}/{cases.Count}, {clock.Elapsed:mm\\:ss}] {type} {parameters}: own process");
            if (RunChild(type, parameters, output) != 0 || !File.Exists(output))
            {
                failed++;
                Console.Error.WriteLine($"// {type} {parameters} failed.");
            }

            if (File.Exists(output))
            {
                measurements.AddRange(RatioTable.Read(File.ReadAllLines(output)));
            }
        }

        folder.Delete(recursive: true);
        var table = RatioTable.Create(measurements);
        var results = Path.Combine(DefaultConfig.Instance.ArtifactsPath, "results");
        Directory.CreateDirectory(results);
        var path = Path.Combine(results, "ratios.md");
        File.WriteAllText(path, table);
        Console.WriteLine(table);
        Console.WriteLine($"Ratios written to {path} ({cases.Count} processes, {clock.Elapsed:mm\\:ss}, {failed} failed)");
        return failed > 0 ? 1 : 0;
    }

    private static bool TryParseFilter(string[] arguments, out string[] patterns)
    {
        patterns = arguments.Skip(1).ToArray();
        return arguments.Length == 0 || (arguments[0] == "--filter" && patterns.All(p => !p.StartsWith('-')));
    }

    private static IEnumerable<Type> BenchmarkTypes() => typeof(ShortRun).Assembly.GetExportedTypes()
        .Where(t => t is { IsAbstract: false, IsGenericTypeDefinition: false } && t.GetMethods().Any(m => m.IsDefined(typeof(BenchmarkAttribute), inherit: false)))
        .OrderBy(t => t.Name, StringComparer.Ordinal);

    /// <summary>This program again (the apphost, or dotnet with this assembly), with the environment as it is: no runtime settings added.</summary>
    private static int RunChild(string type, string parameters, string output)
    {
        var host = Environment.ProcessPath ?? "dotnet";
        var start = new ProcessStartInfo(host) { UseShellExecute = false };
        if (Path.GetFileNameWithoutExtension(host) == "dotnet")
        {
            start.ArgumentList.Add(typeof(ShortRun).Assembly.Location);
        }

        foreach (var argument in new[] { ShortChild.Switch, type, parameters, output })
        {
            start.ArgumentList.Add(argument);
        }

        using var child = Process.Start(start)!;
        child.WaitForExit();
        return child.ExitCode;
    }
}

using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Diagnosers;
using BenchmarkDotNet.Filters;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Reports;
using BenchmarkDotNet.Running;
using BenchmarkDotNet.Toolchains.InProcess.Emit;

namespace StaticGrad.Benchmarks.Infrastructure;

/// <summary>Runs the BenchmarkDotNet suite in short or full mode and writes the ratio table from the results.</summary>
public static class SuiteRunner
{
    public static int Run(string[] benchmarkArguments, bool isShort)
    {
        if (isShort)
        {
            return ShortRun.Run(benchmarkArguments);
        }

        var config = CreateConfig(isShort);
        if (!benchmarkArguments.Contains("--filter") && !benchmarkArguments.Contains("--list"))
        {
            benchmarkArguments = [.. benchmarkArguments, "--filter", "*"];
        }

        var summaries = BenchmarkSwitcher.FromAssembly(typeof(SuiteRunner).Assembly).Run(benchmarkArguments, config).ToArray();
        if (summaries.Length == 0)
        {
            return 0;
        }

        var table = RatioTable.Create(summaries);
        var path = Path.Combine(summaries[0].ResultsDirectoryPath, "ratios.md");
        File.WriteAllText(path, table);
        Console.WriteLine(table);
        Console.WriteLine($"Ratios written to {path}");
        return summaries.Any(s => s.HasCriticalValidationErrors || s.Reports.Any(r => !r.Success)) ? 1 : 0;
    }

    /// <summary>
    /// Short: in-process (no rebuild of this project per benchmark), 2 warm-up and 5 measured iterations of 0.25 s,
    /// in a process per case after a warm-up to tier 1 (<see cref="ShortRun"/>), so that the whole suite fits in
    /// about ten minutes on two cores. Full: BenchmarkDotNet's default job.
    /// </summary>
    public static IConfig CreateConfig(bool isShort)
    {
        var job = isShort
            ? Job.Default
                .WithToolchain(InProcessEmitToolchain.Instance)
                .WithLaunchCount(1)
                .WithWarmupCount(2)
                .WithIterationCount(5)
                .WithIterationTime(Perfolizer.Horology.TimeInterval.FromMilliseconds(250))
                .WithId("Short")
            : Job.Default.WithId("Full");
        return DefaultConfig.Instance
            .AddJob(job.AsDefault())
            .AddDiagnoser(MemoryDiagnoser.Default)
            .AddFilter(new SimpleFilter(Suites.Selection.IsTimed))
            .WithOptions(ConfigOptions.JoinSummary);
    }
}

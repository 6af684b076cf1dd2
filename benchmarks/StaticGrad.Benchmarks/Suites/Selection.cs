using BenchmarkDotNet.Running;
using StaticGrad.Benchmarks.Workloads.Ba;
using StaticGrad.Benchmarks.Workloads.Gmm;

namespace StaticGrad.Benchmarks.Suites;

/// <summary>Which benchmark cases run: finite differences only where they finish in reasonable time.</summary>
public static class Selection
{
    /// <summary>Set by Program for --short, so that the filter (built before BenchmarkDotNet runs) knows the mode.</summary>
    public const string ShortModeEnvironmentVariable = "STATICGRAD_BENCHMARKS_SHORT";

    /// <summary>Set to 1 to time the A/A controls (ControlBenchmarks.cs) too; they are not part of the suite.</summary>
    public const string ControlEnvironmentVariable = "STATICGRAD_BENCHMARKS_CONTROL";

    public static bool IsTimed(BenchmarkCase benchmark)
    {
        ArgumentNullException.ThrowIfNull(benchmark);
        var type = benchmark.Descriptor.Type;
        if ((type == typeof(GmmControlBenchmarks) || type == typeof(RosenbrockControlBenchmarks)) && Environment.GetEnvironmentVariable(ControlEnvironmentVariable) != "1")
        {
            return false;
        }

        var method = benchmark.Descriptor.WorkloadMethod.Name;

        // BA: --short times the smallest ADBench file only (ba5 has 225 911 observations; its tape allocates ~1 GB a call).
        var baFile = benchmark.Parameters.Items.FirstOrDefault(p => p.Name == nameof(BaBenchmarks.File))?.Value as string;
        if (baFile is not null && Environment.GetEnvironmentVariable(ShortModeEnvironmentVariable) == "1" && baFile != BaCatalog.ShortModeInstance)
        {
            return false;
        }

        var instance = benchmark.Parameters.Items.FirstOrDefault(p => p.Name == nameof(GmmBenchmarks.Instance))?.Value as string;

        // Central differences over every GMM parameter cost 2·P objectives (P = 21 450 for d64_K10): only the smallest file.
        return !(method == "FiniteDifferences" && instance is not null && instance != GmmCatalog.Benchmarked[0]);
    }
}

using BenchmarkDotNet.Running;
using StaticGrad.Benchmarks.Workloads.Gmm;

namespace StaticGrad.Benchmarks.Suites;

/// <summary>Which benchmark cases run: finite differences only where they finish in reasonable time.</summary>
public static class Selection
{
    public static bool IsTimed(BenchmarkCase benchmark)
    {
        var method = benchmark.Descriptor.WorkloadMethod.Name;
        var instance = benchmark.Parameters.Items.FirstOrDefault(p => p.Name == nameof(GmmBenchmarks.Instance))?.Value as string;

        // Central differences over every GMM parameter cost 2·P objectives (P = 21 450 for d64_K10): only the smallest file.
        return !(method == "FiniteDifferences" && instance is not null && instance != GmmCatalog.Benchmarked[0]);
    }
}

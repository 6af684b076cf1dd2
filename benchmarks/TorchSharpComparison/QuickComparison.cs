using System.Diagnostics;
using StaticGrad;
using StaticGrad.Benchmarks.Workloads.Runtime;
using TorchSharp;

namespace TorchSharpComparison;

/// <summary>
/// <c>--quick [samples]</c>: every workload on StaticGrad and on TorchSharp in one process, one thread each,
/// alternating samples so that both see the same machine load; prints medians of wall-clock and process CPU time per
/// call, and the ratio. Each workload first runs for 2 s so that tiered compilation has replaced tier-0 code.
/// <c>--quick samples filter</c> runs only the rows whose "workload dtype" contains one of the comma-separated filters
/// (e.g. <c>f32</c>, or <c>softmax,MLP</c>); the steady state (allocations and collections per call) of the MLP step and softmax runs when a filter matches
/// "MLP f64", "softmax f32", ….
/// </summary>
internal static class QuickComparison
{
    public static void Run(string[] args)
    {
        torch.set_num_threads(1);
        Autograd.NumThreads = 1;
        int samples = args.Length > 0 ? int.Parse(args[0], System.Globalization.CultureInfo.InvariantCulture) : 15;
        s_filters = args.Length > 1 ? args[1].Split(',') : [""];
        Console.WriteLine($"CPU: {CpuName()}, {Environment.ProcessorCount} logical processors visible; .NET {Environment.Version}; TorchSharp {typeof(torch).Assembly.GetName().Version}; libtorch threads {torch.get_num_threads()}");
        Console.WriteLine("| workload | dtype | StaticGrad median | TorchSharp median | ratio (wall) | ratio (CPU) | StaticGrad allocated/call |");
        Console.WriteLine("|---|---|---|---|---|---|---|");
        foreach (var (sg, ts, name) in new[] { (DType.Float64, torch.ScalarType.Float64, "f64"), (DType.Float32, torch.ScalarType.Float32, "f32") })
        {
            foreach (int n in new[] { 64, 256, 1024 })
            {
                var s = new RuntimeWorkloads(n, sg);
                var t = new TorchWorkloads(n, ts);
                Compare($"MatMul {n}", name, () => s.MatMul(), t.MatMul, samples, 2.0 * n * n * n);
            }

            var sw = new RuntimeWorkloads(2, sg);
            var tw = new TorchWorkloads(2, ts);
            Compare("elementwise chain 1e6 fwd+bwd", name, sw.ElementwiseChain, tw.ElementwiseChain, samples, 0);
            Compare("MLP 784-128-10 step, batch 64", name, sw.MlpStep, tw.MlpStep, samples, 0);
            Compare("softmax+log_softmax [64,1000] fwd+bwd", name, sw.Softmax, tw.Softmax, samples, 0);
            Compare("Sum(dim) [64,1000] fwd+bwd", name, sw.SumDim, tw.SumDim, samples, 0);
            Compare("broadcast add [64,1000]+[1000] fwd+bwd", name, sw.BroadcastAdd, tw.BroadcastAdd, samples, 0);
        }

        foreach (var (dtype, name) in new[] { (DType.Float64, "f64"), (DType.Float32, "f32") })
        {
            var workloads = new RuntimeWorkloads(2, dtype);
            if (s_filters.Any(f => $"MLP {name}".Contains(f, StringComparison.OrdinalIgnoreCase)))
            {
                SteadyState($"MLP step {name}", workloads.MlpStep);
            }

            if (s_filters.Any(f => $"softmax {name}".Contains(f, StringComparison.OrdinalIgnoreCase)))
            {
                SteadyState($"softmax {name}", workloads.Softmax);
            }
        }
    }

    /// <summary>A workload's steady state: 1 000 calls after 1 000 of warm-up, bytes allocated and collections of each generation.</summary>
    private static void SteadyState(string name, Action step)
    {
        for (int i = 0; i < 1000; i++)
        {
            step();
        }

        int gen0 = GC.CollectionCount(0), gen1 = GC.CollectionCount(1), gen2 = GC.CollectionCount(2);
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 1000; i++)
        {
            step();
        }

        long perStep = (GC.GetAllocatedBytesForCurrentThread() - before) / 1000;
        Console.WriteLine($"{name}, 1 000 calls after 1 000 of warm-up: {perStep / 1024.0:F1} KiB allocated per call; collections gen-0 {GC.CollectionCount(0) - gen0}, gen-1 {GC.CollectionCount(1) - gen1}, gen-2 {GC.CollectionCount(2) - gen2}");
    }

    private static string[] s_filters = [""];

    private static void Compare(string workload, string dtype, Action staticGrad, Action torchSharp, int samples, double flops)
    {
        if (!s_filters.Any(f => $"{workload} {dtype}".Contains(f, StringComparison.OrdinalIgnoreCase)))
        {
            return;
        }

        int reps = Calibrate(staticGrad);
        var sgWall = new List<double>();
        var sgCpu = new List<double>();
        var tsWall = new List<double>();
        var tsCpu = new List<double>();
        long allocated = 0;
        for (int i = 0; i < samples; i++)
        {
            long before = GC.GetAllocatedBytesForCurrentThread();
            Time(staticGrad, reps, sgWall, sgCpu);
            allocated = (GC.GetAllocatedBytesForCurrentThread() - before) / reps;
            Time(torchSharp, reps, tsWall, tsCpu);
        }

        double sg = Median(sgWall), ts = Median(tsWall), sgc = Median(sgCpu), tsc = Median(tsCpu);
        string rate = flops > 0 ? $" ({flops / sgc / 1e9:F1} vs {flops / tsc / 1e9:F1} GFLOP/s CPU)" : "";
        Console.WriteLine($"| {workload} | {dtype} | {Format(sg)} | {Format(ts)} | {sg / ts:F2} | {sgc / tsc:F2}{rate} | {allocated / 1024.0:F1} KiB |");
    }

    private static int Calibrate(Action action)
    {
        // Long enough for tiered compilation to replace the runtime's tier-0 code (a short warm-up measured
        // unoptimised code: 5-10x on the small workloads).
        var warmUp = Stopwatch.StartNew();
        for (int i = 0; i < 3 || warmUp.Elapsed.TotalSeconds < 2; i++)
        {
            action();
        }

        var watch = Stopwatch.StartNew();
        int reps = 0;
        while (watch.Elapsed.TotalMilliseconds < 50)
        {
            action();
            reps++;
        }

        return Math.Max(1, reps);
    }

    private static void Time(Action action, int reps, List<double> wall, List<double> cpu)
    {
        var process = Process.GetCurrentProcess();
        var cpuStart = process.TotalProcessorTime;
        var watch = Stopwatch.StartNew();
        for (int i = 0; i < reps; i++)
        {
            action();
        }

        wall.Add(watch.Elapsed.TotalSeconds / reps);
        process.Refresh();
        cpu.Add((process.TotalProcessorTime - cpuStart).TotalSeconds / reps);
    }

    private static double Median(List<double> values)
    {
        values.Sort();
        return values[values.Count / 2];
    }

    private static string Format(double seconds) => seconds >= 1e-3 ? $"{seconds * 1e3:F2} ms" : $"{seconds * 1e6:F1} µs";

    internal static string CpuName() =>
        File.Exists("/proc/cpuinfo")
            ? File.ReadLines("/proc/cpuinfo").FirstOrDefault(l => l.StartsWith("model name", StringComparison.Ordinal))?.Split(':')[1].Trim() ?? "unknown"
            : "unknown";
}

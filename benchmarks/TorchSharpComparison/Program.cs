using BenchmarkDotNet.Running;
using TorchSharpComparison;

// Default: the BenchmarkDotNet comparison (ComparisonBenchmarks.cs), StaticGrad and TorchSharp in this one process.
// --quick [samples]: the faster side-by-side table of QuickComparison.cs.
if (args.Length > 0 && args[0] == "--quick")
{
    QuickComparison.Run(args[1..]);
    return;
}

BenchmarkSwitcher.FromAssembly(typeof(ComparisonConfig).Assembly).Run(args, new ComparisonConfig());

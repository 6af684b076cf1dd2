using StaticGrad.Benchmarks.Checking;
using StaticGrad.Benchmarks.Infrastructure;

namespace StaticGrad.Benchmarks;

/// <summary>
/// <c>--verify</c>: check every gradient against the hand-written one (exit code 1 on any mismatch).
/// <c>--short</c>: the whole suite in about ten minutes (a process per case, each method warmed up to tier 1, then
/// in-process, few iterations; only <c>--filter</c> is understood with it). <c>--data &lt;dir&gt;</c>: the ADBench
/// folder (default ../shared/adbench beside the repository; generated instances when absent). Other arguments go
/// to BenchmarkDotNet (e.g. <c>--filter *Gmm*</c>); every benchmark runs when no filter is given.
/// </summary>
public static class Program
{
    public static int Main(string[] args)
    {
        if (args.Length > 0 && args[0] == CompileTime.BuildCostProjects.Switch)
        {
            return CompileTime.BuildCostProjects.Write(args[1..]);
        }

        if (args.Length > 0 && args[0] == CompileTime.InProcessBuildCost.Switch)
        {
            return CompileTime.InProcessBuildCost.Run(args[1..]);
        }

        if (args.Length > 0 && args[0] == CompileTime.GeneratedCodeVariants.Switch)
        {
            return CompileTime.GeneratedCodeVariants.Run(args[1..]);
        }

        if (args.Length > 0 && args[0] == AnalyzerCost.AnalyzerCostBenchmark.Switch)
        {
            return AnalyzerCost.AnalyzerCostBenchmark.Run(args[1..]);
        }

        if (args.Length > 0 && args[0] == AnalyzerCost.WarmAnalyzerCost.Switch)
        {
            return AnalyzerCost.WarmAnalyzerCost.Run(args[1..]);
        }

        if (args.Length > 0 && args[0] == ShortChild.Switch)
        {
            return ShortChild.Run(args[1..]);
        }

        if (args.Length > 0 && args[0] == Workloads.Ba.BaAlternating.Switch)
        {
            return Workloads.Ba.BaAlternating.Run(args[1..]);
        }

        var options = ProgramOptions.Parse(args);
        if (options.Error is not null)
        {
            Console.Error.WriteLine(options.Error);
            Console.Error.WriteLine(ProgramOptions.Usage);
            return 2;
        }

        if (options.DataDirectory is not null)
        {
            if (!Directory.Exists(options.DataDirectory))
            {
                Console.Error.WriteLine($"The ADBench data folder '{options.DataDirectory}' (--data) does not exist.");
                return 2;
            }

            Environment.SetEnvironmentVariable(AdbenchData.EnvironmentVariable, Path.GetFullPath(options.DataDirectory));
        }

        if (options.Short)
        {
            Environment.SetEnvironmentVariable(Suites.Selection.ShortModeEnvironmentVariable, "1");
        }

        // Every implementation is checked before anything is timed: a fast gradient that is wrong is worthless.
        var verifier = new Verifier(Console.Out);
        Verification.RunAll(verifier, AdbenchData.Directory);
        Console.WriteLine($"{verifier.Passed} passed, {verifier.Failed} failed");
        if (verifier.Failed > 0 || options.VerifyOnly)
        {
            return verifier.Failed > 0 ? 1 : 0;
        }

        return SuiteRunner.Run(options.BenchmarkArguments, options.Short);
    }
}

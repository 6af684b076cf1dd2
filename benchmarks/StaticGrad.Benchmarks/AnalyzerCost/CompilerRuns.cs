using System.Diagnostics;
using System.Runtime.InteropServices;
using System.Text.RegularExpressions;

namespace StaticGrad.Benchmarks.AnalyzerCost;

/// <summary>
/// Runs the compiler of a built project again by itself, with and without the StaticGrad analyzers, and measures its
/// processor time. ReportAnalyzer's figures are wall-clock stopwatches around callbacks that run on several threads
/// at once, so on a loaded machine they count the time an analyzer waits for a core; the processor time of the whole
/// compiler process with and without the analyzers is the cost that does not depend on the load. Each command line can
/// also run with the compiler's concurrent build off (<c>/parallel-</c>, <c>CompilationOptions.ConcurrentBuild</c> false):
/// Roslyn's analyzer driver then gives its analysis scope <c>concurrentAnalysis: false</c> and drains the compilation's
/// events on one task instead of one worker per core, so callbacks run one at a time and ReportAnalyzer's stopwatches,
/// summed per analyzer, no longer add up callbacks that overlap on the cores.
/// </summary>
internal sealed partial class CompilerRuns
{
    private readonly string _compiler;
    private readonly string _directory;
    private readonly string _with;
    private readonly string _without;

    private CompilerRuns(string compiler, string directory, string with, string without)
    {
        _compiler = compiler;
        _directory = directory;
        _with = with;
        _without = without;
    }

    /// <summary>The compiler command line of a detailed (<c>-v:d</c>) build log, or null when there is none.</summary>
    public static CompilerRuns? FromBuildLog(string log, string directory)
    {
        foreach (var raw in log.Split('\n'))
        {
            var line = raw.Trim();
            if (CompilerLine().Match(line) is { Success: true } match && line.Contains(" /noconfig", StringComparison.Ordinal))
            {
                var arguments = match.Groups[2].Value;
                var with = Path.Combine(directory, "with.rsp");
                var without = Path.Combine(directory, "without.rsp");
                File.WriteAllText(with, arguments.Contains("/reportanalyzer", StringComparison.Ordinal) ? arguments : arguments + " /reportanalyzer");
                File.WriteAllText(without, StaticGradAnalyzer().Replace(arguments, string.Empty).Replace("/reportanalyzer", string.Empty, StringComparison.Ordinal));
                return new CompilerRuns(match.Groups[1].Value, directory, with, without);
            }
        }

        return null;
    }

    /// <summary>One compiler run: its output, wall-clock seconds and processor seconds (user + system).</summary>
    /// <param name="analyzers">Whether the StaticGrad analyzers (and ReportAnalyzer) are on the command line.</param>
    /// <param name="serial">Whether the compiler runs with its concurrent build off (<c>/parallel-</c>, last on the line wins).</param>
    public (string Output, double Wall, double Cpu) Run(bool analyzers, bool serial)
    {
        var arguments = "@" + (analyzers ? _with : _without) + (serial ? " /parallel-" : string.Empty);
        var start = new ProcessStartInfo(_compiler, arguments)
        {
            WorkingDirectory = _directory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        var before = ChildrenCpuSeconds();
        var clock = Stopwatch.StartNew();
        using var process = Process.Start(start)!;
        var error = process.StandardError.ReadToEndAsync();
        var output = process.StandardOutput.ReadToEnd() + error.Result;
        process.WaitForExit();
        var wall = clock.Elapsed.TotalSeconds;
        return (output, wall, ChildrenCpuSeconds() - before);
    }

    /// <summary>Processor time of the waited-for child processes (getrusage(RUSAGE_CHILDREN)); NaN where there is none.</summary>
    private static double ChildrenCpuSeconds()
    {
        if (!OperatingSystem.IsLinux() && !OperatingSystem.IsMacOS())
        {
            return double.NaN;
        }

        return GetResourceUsage(-1, out var usage) == 0
            ? usage.UserSeconds + (usage.UserMicroseconds / 1e6) + usage.SystemSeconds + (usage.SystemMicroseconds / 1e6)
            : double.NaN;
    }

    [DllImport("libc", EntryPoint = "getrusage")]
    private static extern int GetResourceUsage(int who, out ResourceUsage usage);

    [StructLayout(LayoutKind.Sequential)]
    private struct ResourceUsage
    {
        public long UserSeconds;
        public long UserMicroseconds;
        public long SystemSeconds;
        public long SystemMicroseconds;
        [MarshalAs(UnmanagedType.ByValArray, SizeConst = 14)]
        public long[] Rest;
    }

    [GeneratedRegex(@"^(\S*[/\\](?:csc|csc\.exe))\s+(/noconfig.*)$")]
    private static partial Regex CompilerLine();

    [GeneratedRegex(@"/analyzer:\S*StaticGrad\.(?:Analyzers|Compiler)\.dll")]
    private static partial Regex StaticGradAnalyzer();
}

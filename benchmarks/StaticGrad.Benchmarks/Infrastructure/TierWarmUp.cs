using System.Diagnostics;
using System.Runtime;

namespace StaticGrad.Benchmarks.Infrastructure;

/// <summary>
/// Calls a benchmarked method until its tier-1 code runs, before BenchmarkDotNet times it. With the default runtime
/// settings a method is compiled three times (tier 0, tier 0 instrumented for dynamic PGO after 30 calls, tier 1 after
/// about 30 more, each in the background after a 100 ms delay; a long call in between runs OSR code), so a 100 ms call
/// needs several seconds of calls, far more than --short's iterations. One rule for every method (generated, hand,
/// objective, tape): at least <see cref="MinimumCalls"/> calls and <see cref="MinimumTime"/>, then until no method
/// at all was compiled during the last <see cref="QuietCalls"/> calls and <see cref="QuietTime"/>, within
/// <see cref="Limit"/> (reached only by calls of a quarter second and more: FD, the ODE's, the generator's).
/// </summary>
public static class TierWarmUp
{
    public const int MinimumCalls = 50;
    public const int QuietCalls = 30;
    public static readonly TimeSpan MinimumTime = TimeSpan.FromSeconds(1);
    public static readonly TimeSpan QuietTime = TimeSpan.FromSeconds(0.5);
    public static readonly TimeSpan Limit = TimeSpan.FromSeconds(15);

    public static Result Run(Action call)
    {
        ArgumentNullException.ThrowIfNull(call);
        var clock = Stopwatch.StartNew();
        var compiled = JitInfo.GetCompiledMethodCount();
        long calls = 0, lastCompilationCall = 0;
        var lastCompilationTime = TimeSpan.Zero;
        while (true)
        {
            call();
            calls++;
            var now = clock.Elapsed;
            var count = JitInfo.GetCompiledMethodCount();
            if (count != compiled)
            {
                compiled = count;
                lastCompilationCall = calls;
                lastCompilationTime = now;
            }

            var settled = calls >= MinimumCalls && now >= MinimumTime
                && calls - lastCompilationCall >= QuietCalls && now - lastCompilationTime >= QuietTime;
            if (settled || now >= Limit)
            {
                return new Result(calls, now, lastCompilationCall, settled);
            }
        }
    }

    /// <summary>How the warm-up ended: <paramref name="Settled"/> is false when <see cref="Limit"/> stopped it.</summary>
    public sealed record Result(long Calls, TimeSpan Elapsed, long LastCompilationCall, bool Settled)
    {
        public override string ToString() =>
            $"{Calls} calls in {Elapsed.TotalSeconds:0.0} s, last compilation at call {LastCompilationCall}{(Settled ? string.Empty : " (time limit)")}";
    }
}

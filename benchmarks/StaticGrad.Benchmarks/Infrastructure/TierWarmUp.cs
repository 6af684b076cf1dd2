using System.Diagnostics;
using System.Runtime;

namespace StaticGrad.Benchmarks.Infrastructure;

/// <summary>
/// Calls a benchmarked method until its tier-1 code runs, before BenchmarkDotNet times it. With the default runtime
/// settings a method with loops is compiled three times (tier 0, instrumented for dynamic PGO after 30 calls, tier 1
/// after 30 more, each in the background after a 100 ms delay; a long call before that runs OSR code): measured, the
/// last compilation of a GMM gradient came at call 61. A 100 ms call thus needs seconds of calls, more than --short's
/// iterations give it. One rule for every method (generated, hand, objective, tape): at least
/// <see cref="MinimumCalls"/> calls and <see cref="MinimumTime"/>, then until no method at all was compiled during the
/// last <see cref="QuietCalls"/> calls and <see cref="QuietTime"/>, within <see cref="Limit"/> (reached on a quiet
/// machine only by calls of 0.13 s and more — finite differences, the ODE's, the generator's, GMM d64_K10's tape —
/// whose hot loops are mostly in callees that reach tier 1 within the first call; the limit keeps --short near ten minutes).
/// </summary>
public static class TierWarmUp
{
    public const int MinimumCalls = 70;
    public const int QuietCalls = 10;
    public static readonly TimeSpan MinimumTime = TimeSpan.FromSeconds(1);
    public static readonly TimeSpan QuietTime = TimeSpan.FromSeconds(0.5);
    public static readonly TimeSpan Limit = TimeSpan.FromSeconds(10);

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

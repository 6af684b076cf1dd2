using StaticGrad.CompilerServices;

namespace StaticGrad.Benchmarks.Infrastructure;

/// <summary>How much tape one generated gradient call reserves, measured on a fresh thread (the tape is per thread).</summary>
public static class TapeProbe
{
    /// <summary>
    /// <see cref="AdTape.ReservedBytes"/> after <paramref name="call"/> ran once on a new thread: at least the peak
    /// the reverse sweep saved, less than twice it; 0 when the call used no tape.
    /// </summary>
    public static long ReservedBytesAfter(Action call)
    {
        long bytes = 0;
        var thread = new Thread(() =>
        {
            call();
            bytes = AdTape.Current.ReservedBytes;
        });
        thread.Start();
        thread.Join();
        return bytes;
    }
}

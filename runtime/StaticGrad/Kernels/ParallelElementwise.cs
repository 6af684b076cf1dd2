namespace StaticGrad;

/// <summary>
/// Splits an elementwise kernel over <see cref="Autograd.NumThreads"/> threads when the tensor is large enough to pay
/// for it. Chunks start at multiples of 64 elements, so every element goes through the same vector or scalar path as
/// on one thread: results do not depend on the thread count.
/// </summary>
internal static class ParallelElementwise
{
    /// <summary>Below this many elements per thread, starting the threads costs more than the work they share.</summary>
    internal const int MinElementsPerThread = 1 << 16;

    /// <summary>How many chunks <see cref="For"/> would use; 1 means the caller should run the kernel directly (no delegate).</summary>
    public static int Chunks(int length)
    {
        int threads = Autograd.NumThreads;
        return threads <= 1 || length < 2 * MinElementsPerThread ? 1 : Math.Min(threads, length / MinElementsPerThread);
    }

    /// <summary>Runs <paramref name="body"/>(start, count) over consecutive chunks covering [0, <paramref name="length"/>).</summary>
    public static void For(int length, Action<int, int> body)
    {
        int chunks = Chunks(length);
        if (chunks <= 1)
        {
            body(0, length);
            return;
        }

        int per = ((length + chunks - 1) / chunks + 63) / 64 * 64;
        Parallel.For(0, chunks, new ParallelOptions { MaxDegreeOfParallelism = chunks }, c =>
        {
            int start = c * per;
            if (start < length)
            {
                body(start, Math.Min(per, length - start));
            }
        });
    }
}

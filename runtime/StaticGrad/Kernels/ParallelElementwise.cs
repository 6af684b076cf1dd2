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

    /// <summary>
    /// Runs <paramref name="body"/>(firstRow, rowCount) over consecutive blocks of whole rows covering
    /// [0, <paramref name="rows"/>), in parallel when the rows hold enough elements. A row is always computed whole by
    /// one call, so a row kernel gives the same bits whatever the thread count.
    /// </summary>
    public static void ForRows(int rows, int rowLength, Action<int, int> body)
    {
        int chunks = RowChunks(rows, rowLength);
        if (chunks <= 1)
        {
            body(0, rows);
            return;
        }

        int per = (rows + chunks - 1) / chunks;
        Parallel.For(0, chunks, new ParallelOptions { MaxDegreeOfParallelism = chunks }, c =>
        {
            int start = c * per;
            if (start < rows)
            {
                body(start, Math.Min(per, rows - start));
            }
        });
    }

    /// <summary>How many blocks of rows <see cref="ForRows"/> would use.</summary>
    public static int RowChunks(int rows, int rowLength)
    {
        long total = (long)rows * rowLength;
        int threads = Autograd.NumThreads;
        return threads <= 1 || rows < 2 || total < 2L * MinElementsPerThread
            ? 1
            : (int)Math.Min(Math.Min(threads, total / MinElementsPerThread), rows);
    }
}

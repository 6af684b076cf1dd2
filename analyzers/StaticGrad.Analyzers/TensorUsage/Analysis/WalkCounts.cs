using System;

namespace StaticGrad.Analyzers.TensorUsage.Analysis;

/// <summary>
/// Counts of the analysis's own work on the current thread: what the walks did, in numbers that do not depend on the
/// machine's load (processor time on the shared build machine varies by ±25 % between runs of the same build; these
/// do not). Thread-static so that counting takes no lock; a test hook reads them around each callback, which runs on
/// one thread from start to end.
/// </summary>
internal static class WalkCounts
{
    [ThreadStatic]
    private static long _summariesComputed;

    [ThreadStatic]
    private static long _summariesReused;

    [ThreadStatic]
    private static long _bodiesBound;

    [ThreadStatic]
    private static long _statesCloned;

    [ThreadStatic]
    private static long _statesJoined;

    public static void SummaryComputed() => _summariesComputed++;

    public static void SummaryReused() => _summariesReused++;

    public static void BodyBound() => _bodiesBound++;

    public static void StateCloned() => _statesCloned++;

    public static void StateJoined() => _statesJoined++;

    /// <summary>
    /// The counts of this thread so far, with the bytes it allocated as <paramref name="allocatedBytes"/> tells
    /// (<c>GC.GetAllocatedBytesForCurrentThread</c>, which netstandard2.0 does not have: the test hook passes it).
    /// </summary>
    public static WalkCount Now(Func<long> allocatedBytes) =>
        new(_summariesComputed, _summariesReused, _bodiesBound, _statesCloned, _statesJoined, allocatedBytes());
}

/// <summary>A test hook: the counts of every tensor-usage callback of one analyzer, added up.</summary>
internal sealed class WalkCountTotal
{
    private readonly object _gate = new();
    private WalkCount _total;

    /// <param name="allocatedBytes">The current thread's allocated bytes (<c>GC.GetAllocatedBytesForCurrentThread</c>).</param>
    public WalkCountTotal(Func<long> allocatedBytes) => AllocatedBytes = allocatedBytes;

    public Func<long> AllocatedBytes { get; }

    public WalkCount Total
    {
        get
        {
            lock (_gate)
            {
                return _total;
            }
        }
    }

    public void Add(WalkCount count)
    {
        lock (_gate)
        {
            _total += count;
        }
    }
}

/// <summary>A snapshot of <see cref="WalkCounts"/>, or the difference of two.</summary>
/// <param name="SummariesComputed">Summaries computed (a walk of the callee's body each).</param>
/// <param name="SummariesReused">Summaries read from the compilation's cache.</param>
/// <param name="BodiesBound">Callees' bodies bound for summaries (the driver had not offered them).</param>
/// <param name="StatesCloned">Flow states copied (at every condition, loop pass and return).</param>
/// <param name="StatesJoined">Flow states joined (where paths meet).</param>
/// <param name="AllocatedBytes">Bytes allocated by the thread.</param>
internal readonly record struct WalkCount(long SummariesComputed, long SummariesReused, long BodiesBound, long StatesCloned, long StatesJoined, long AllocatedBytes)
{
    public static WalkCount operator -(WalkCount after, WalkCount before) =>
        new(
            after.SummariesComputed - before.SummariesComputed,
            after.SummariesReused - before.SummariesReused,
            after.BodiesBound - before.BodiesBound,
            after.StatesCloned - before.StatesCloned,
            after.StatesJoined - before.StatesJoined,
            after.AllocatedBytes - before.AllocatedBytes);

    public static WalkCount operator +(WalkCount left, WalkCount right) =>
        new(
            left.SummariesComputed + right.SummariesComputed,
            left.SummariesReused + right.SummariesReused,
            left.BodiesBound + right.BodiesBound,
            left.StatesCloned + right.StatesCloned,
            left.StatesJoined + right.StatesJoined,
            left.AllocatedBytes + right.AllocatedBytes);
}

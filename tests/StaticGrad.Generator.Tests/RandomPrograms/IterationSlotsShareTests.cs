using System.Globalization;
using Xunit.Abstractions;

namespace StaticGrad.Generator.Tests.RandomPrograms;

/// <summary>
/// The share of the random programs (the batches of <see cref="OptimisationShareTests"/>, generator only) whose
/// backward saves values in slots numbered by loop indices instead of on the tape. Session 17: inside the loops of a
/// fused iteration, 3.8 % (19 of 500) measured when the <c>SlottedRow</c> production was added, 0 before it.
/// Session 19: under a counted loop outside every loop (LSTM's cells), with the <c>SlottedCell</c> production. The
/// random-program test checks those programs' gradients against finite differences. The minimums are below the
/// measured shares, so that a change of the random stream does not fail the tests while the paths are still exercised.
/// Session 19 also: the fused-iteration share fell to 1.8 % (9 of 500) with the <c>DeadTail</c> production (a tail
/// writing, after the result's value is taken, a local a reduction loop reads refuses that loop's fusion); the tail is
/// no longer drawn after the fused-loop productions, and the share is 3.2 % (16 of 500).
/// </summary>
public sealed class IterationSlotsShareTests
{
    private const int Batches = 2;
    private const int BatchSize = 250;
    private const int FirstSeed = 20261123;

    private readonly ITestOutputHelper _output;

    public IterationSlotsShareTests(ITestOutputHelper output) => _output = output;

    [Fact]
    public void Random_programs_save_in_iteration_slots() => AssertShare("in a slot those loops' indices number", "in iteration slots", 2.0);

    /// <summary>
    /// Session 23 (gmm23d): saves under one counted leaf loop inside a fused iteration (the <c>IterationStack</c> production,
    /// GMM's log-sum-exp): 2.2 % (11 of 500) measured when the production was added, 0 before it.
    /// </summary>
    [Fact]
    public void Random_programs_save_in_leaf_loop_slots_of_a_fused_iteration() => AssertShare("in a slot its index numbers", "in slots of a leaf loop inside a fused iteration", 1.0);

    [Fact]
    public void Random_programs_save_in_loop_slots() => AssertShare("in a slot their indices number", "in slots under a loop outside loops", 3.0);

    private void AssertShare(string marker, string what, double minimum)
    {
        var backwards = GeneratedBatches.Backwards(FirstSeed, Batches, BatchSize).ToList();
        int programs = backwards.Count, slots = backwards.Count(b => b.Contains(marker, StringComparison.Ordinal));

        var share = 100.0 * slots / programs;
        _output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{programs} programs: a value saved {what} in {slots} ({share:F1} %)."));
        Assert.True(share >= minimum, string.Create(CultureInfo.InvariantCulture, $"Only {share:F1} % of the random programs save {what} (minimum {minimum} %)."));
    }
}

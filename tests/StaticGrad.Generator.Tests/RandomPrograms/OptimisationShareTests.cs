using System.Globalization;
using System.Text.RegularExpressions;
using StaticGrad.Generator.Tests.Infrastructure;
using Xunit.Abstractions;

namespace StaticGrad.Generator.Tests.RandomPrograms;

/// <summary>
/// The issue-18 optimisations must stay exercised by the random programs that <see cref="RandomProgramTests"/> checks
/// against finite differences: the same batches (its default seeds) are generated here, and the share of programs
/// whose backward uses each optimisation must reach a stated minimum. Only the generator runs (no emit), so this is cheap.
/// </summary>
public sealed partial class OptimisationShareTests
{
    private const int Batches = 2;

    /// <summary>The arguments-read-again path is rare: counted over CI's four random-program batches (generated once, shared).</summary>
    private const int ReadAgainBatches = 4;
    private const int BatchSize = 250;
    private const int FirstSeed = 20261123;

    /// <summary>
    /// Minimum shares in percent of the programs: callee partials saved in the forward sweep (40 % measured on these
    /// seeds), element updates merged across statements (1.2 %), Math values kept for the reverse (71.6 %); below the
    /// measured shares so that a change of the random stream does not fail the test while the optimisation is still
    /// exercised. Loops in registers (session 12): a loop reversed by its index instead of a trip counter (42.4 %), a
    /// loop on block-local copies (73.2 %). Session 13: a loop index set to its exit value instead of saved (19.2 %), a cleared adjoint assigned instead of added to (42.2 %). Session 14: an innermost loop reading
    /// an array from a block-local copy of its reference (49.8 %), an iteration-private adjoint assigned
    /// (5.4 %). Session 15: a loop under <c>i + 1 &lt; bound</c> that keeps no trip counter (3.2 %), values read again
    /// from arrays in a loop that stores or calls (0.8 %); a loop starting at the outer counter + 1 reversed back to
    /// that start is counted and printed but has no minimum: 0 of these 500 programs (their inner index is never
    /// needed, so its trip count is taken after the forward loop; CountedLoopAdversarialTests covers it). Session 16: a
    /// call's argument locals read again right before its one backward (3 of the 1 000 programs of
    /// <see cref="ReadAgainBatches"/> batches, the ones RandomProgramTests checks in CI; 0 of the first 500 after the
    /// session's merges: the <c>ResultCallIntoArray</c> production's array is often not kept by the reverse, or another
    /// call is handed an array; the minimum asks for at least one of the 1 000; ArgumentsReadAgainAdversarialTests covers
    /// the shapes). No random program has an array private to a fused iteration (the generator
    /// writes no per-iteration scratch arrays), so that one is exercised by ArrayRegionTests only.
    /// </summary>
    private const double MinSavedCallShare = 10.0;
    private const double MinMergedUpdateShare = 0.5;
    private const double MinKeptBuiltinShare = 20.0;
    private const double MinCountedLoopShare = 20.0;
    private const double MinRegisterLoopShare = 35.0;
    private const double MinExitResetShare = 8.0;
    private const double MinAssignedAdjointShare = 20.0;
    private const double MinArrayCopyShare = 20.0;
    private const double MinIterationAdjointShare = 2.0;
    private const double MinOffsetLoopShare = 1.5;
    private const double MinStoringRecomputeShare = 0.4;
    private const double MinReadAgainAtCallShare = 0.1;

    private readonly ITestOutputHelper _output;

    public OptimisationShareTests(ITestOutputHelper output) => _output = output;

    [GeneratedRegex(@"\(_c\d+(?:_\d+)? = [\w.:]+Backward\w*\(")]
    private static partial Regex SavedCall();

    [GeneratedRegex(@"\(_m\d+(?:_\d+)? = ")]
    private static partial Regex KeptBuiltin();

    /// <summary>The reverse of v = f(v, …) assigning v's adjoint from the value it read (instead of clearing it and adding to it).</summary>
    [GeneratedRegex(@"var (_t\d+(?:_\d+)?) = (_?\w+);\n(?:[^\n]*\n){0,3}?\s*\2 = [^\n;]*\b\1\b")]
    private static partial Regex AssignedAdjoint();

    /// <summary>A counted loop's reverse: it runs until the index is back at its start, undoing the step first.</summary>
    [GeneratedRegex(@"while \((\w+) > [^\n]+\)\n\s*\{\n\s*\1 -= 1;")]
    private static partial Regex CountedReverse();

    /// <summary>A loop under <c>i + 1 &lt; bound</c> whose forward body does not start by counting its trips.</summary>
    [GeneratedRegex(@"while \(\w+ \+ 1 < [^\n]+\)\n\s*\{\n(?!\s*_n\d+(?:_\d+)?\+\+;)")]
    private static partial Regex OffsetLoopWithoutCounter();

    /// <summary>A counted reverse running back to a start read from another index (<c>j = i + 1</c>).</summary>
    [GeneratedRegex(@"while \((\w+) > [A-Za-z_]\w* \+ 1\)\n\s*\{\n\s*\1 -= 1;")]
    private static partial Regex NextStartReverse();

    [Fact]
    public void Random_programs_exercise_the_speed_optimisations()
    {
        int programs = 0, savedCalls = 0, mergedUpdates = 0, keptBuiltins = 0, privateArrays = 0, countedLoops = 0, registerLoops = 0, exitResets = 0, assignedAdjoints = 0, arrayCopies = 0, iterationAdjoints = 0, offsetLoops = 0, nextStarts = 0, storingRecomputes = 0, readAgainAtCall = 0;
        var readAgainPrograms = 0;
        for (var b = 0; b < ReadAgainBatches; b++)
        {
            var (batch, output) = GeneratedBatches.Get(FirstSeed + b, BatchSize);
            foreach (var program in batch.Programs)
            {
                var backward = output.Sources.Where(s => s.HintName.EndsWith(".Programs." + program.Name + ".g.cs", StringComparison.Ordinal)).Select(s => s.Source).SingleOrDefault() ?? string.Empty;
                readAgainPrograms++;
                readAgainAtCall += backward.Contains("// The arguments read again: ", StringComparison.Ordinal) ? 1 : 0;
                if (b >= Batches)
                {
                    continue;
                }

                programs++;
                savedCalls += SavedCall().IsMatch(backward) ? 1 : 0;
                mergedUpdates += backward.Contains("// One update per element:", StringComparison.Ordinal) ? 1 : 0;
                keptBuiltins += KeptBuiltin().IsMatch(backward) ? 1 : 0;
                privateArrays += backward.Contains("// Written whole before it is read", StringComparison.Ordinal) ? 1 : 0;
                countedLoops += CountedReverse().IsMatch(backward) ? 1 : 0;
                registerLoops += backward.Contains("// In block-local copies of ", StringComparison.Ordinal) ? 1 : 0;
                assignedAdjoints += AssignedAdjoint().IsMatch(backward) ? 1 : 0;
                arrayCopies += backward.Contains("the array references ", StringComparison.Ordinal) ? 1 : 0;
                iterationAdjoints += backward.Contains("// Private to each iteration, so their adjoints are zero when it starts: ", StringComparison.Ordinal) ? 1 : 0;
                exitResets += backward.Contains("// The index's exit value: its start saved nothing.", StringComparison.Ordinal) ? 1 : 0;
                offsetLoops += OffsetLoopWithoutCounter().IsMatch(backward) ? 1 : 0;
                nextStarts += NextStartReverse().IsMatch(backward) ? 1 : 0;
                storingRecomputes += backward.Contains(", which this loop's stores and calls cannot change.", StringComparison.Ordinal) ? 1 : 0;
            }
        }

        var savedShare = 100.0 * savedCalls / programs;
        var mergedShare = 100.0 * mergedUpdates / programs;
        var keptShare = 100.0 * keptBuiltins / programs;
        var countedShare = 100.0 * countedLoops / programs;
        var registerShare = 100.0 * registerLoops / programs;
        var resetShare = 100.0 * exitResets / programs;
        var assignedShare = 100.0 * assignedAdjoints / programs;
        var arrayCopyShare = 100.0 * arrayCopies / programs;
        var iterationShare = 100.0 * iterationAdjoints / programs;
        var offsetShare = 100.0 * offsetLoops / programs;
        var nextStartShare = 100.0 * nextStarts / programs;
        var storingRecomputeShare = 100.0 * storingRecomputes / programs;
        var readAgainShare = 100.0 * readAgainAtCall / readAgainPrograms;
        _output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{programs} programs: callee partials saved in {savedCalls} ({savedShare:F1} %), element updates merged in {mergedUpdates} ({mergedShare:F1} %), Math values kept in {keptBuiltins} ({keptShare:F1} %), arrays private to a fused iteration in {privateArrays}, a loop reversed by its index in {countedLoops} ({countedShare:F1} %), a loop on block-local copies in {registerLoops} ({registerShare:F1} %), an index set to its exit value in {exitResets} ({resetShare:F1} %), a cleared adjoint assigned in {assignedAdjoints} ({assignedShare:F1} %), an array read from a block-local copy in {arrayCopies} ({arrayCopyShare:F1} %), an iteration-private adjoint assigned in {iterationAdjoints} ({iterationShare:F1} %), an i + 1 < bound loop without a trip counter in {offsetLoops} ({offsetShare:F1} %), a reverse back to a start i + 1 in {nextStarts} ({nextStartShare:F1} %), values read again in a loop that stores or calls in {storingRecomputes} ({storingRecomputeShare:F1} %), arguments read again at a call in {readAgainAtCall} of {readAgainPrograms} ({readAgainShare:F1} %)."));
        Assert.True(offsetShare >= MinOffsetLoopShare, string.Create(CultureInfo.InvariantCulture, $"Only {offsetShare:F1} % of the random programs run an i + 1 < bound loop without a trip counter (minimum {MinOffsetLoopShare} %)."));
        Assert.True(storingRecomputeShare >= MinStoringRecomputeShare, string.Create(CultureInfo.InvariantCulture, $"Only {storingRecomputeShare:F1} % of the random programs read values again in a loop that stores or calls (minimum {MinStoringRecomputeShare} %)."));
        Assert.True(readAgainShare >= MinReadAgainAtCallShare, string.Create(CultureInfo.InvariantCulture, $"Only {readAgainShare:F1} % of the random programs read a call's arguments again before its backward (minimum {MinReadAgainAtCallShare} %)."));
        Assert.True(savedShare >= MinSavedCallShare, string.Create(CultureInfo.InvariantCulture, $"Only {savedShare:F1} % of the random programs save a callee's partials (minimum {MinSavedCallShare} %)."));
        Assert.True(keptShare >= MinKeptBuiltinShare, string.Create(CultureInfo.InvariantCulture, $"Only {keptShare:F1} % of the random programs keep a Math value for the reverse (minimum {MinKeptBuiltinShare} %)."));
        Assert.True(countedShare >= MinCountedLoopShare, string.Create(CultureInfo.InvariantCulture, $"Only {countedShare:F1} % of the random programs reverse a loop by its index (minimum {MinCountedLoopShare} %)."));
        Assert.True(registerShare >= MinRegisterLoopShare, string.Create(CultureInfo.InvariantCulture, $"Only {registerShare:F1} % of the random programs run a loop on block-local copies (minimum {MinRegisterLoopShare} %)."));
        Assert.True(assignedShare >= MinAssignedAdjointShare, string.Create(CultureInfo.InvariantCulture, $"Only {assignedShare:F1} % of the random programs assign a cleared adjoint (minimum {MinAssignedAdjointShare} %)."));
        Assert.True(resetShare >= MinExitResetShare, string.Create(CultureInfo.InvariantCulture, $"Only {resetShare:F1} % of the random programs set a loop index to its exit value (minimum {MinExitResetShare} %)."));
        Assert.True(arrayCopyShare >= MinArrayCopyShare, string.Create(CultureInfo.InvariantCulture, $"Only {arrayCopyShare:F1} % of the random programs read an array from a block-local copy (minimum {MinArrayCopyShare} %)."));
        Assert.True(iterationShare >= MinIterationAdjointShare, string.Create(CultureInfo.InvariantCulture, $"Only {iterationShare:F1} % of the random programs assign an iteration-private adjoint (minimum {MinIterationAdjointShare} %)."));
        Assert.True(mergedShare >= MinMergedUpdateShare, string.Create(CultureInfo.InvariantCulture, $"Only {mergedShare:F1} % of the random programs merge element updates (minimum {MinMergedUpdateShare} %)."));
    }
}

using System.Globalization;
using Xunit.Abstractions;

namespace StaticGrad.Generator.Tests.RandomPrograms;

/// <summary>
/// Session 22: the share of the programs considered for a generic twin (every <see cref="GenericTwins.Every"/>th) whose
/// text is rewritten into a generic-math method that compiles (<see cref="GenericTwins.Rewrite"/>, no generator: the
/// random-program test compiles and compares them). The minimum is below the measured share (docs/random-programs.md,
/// "Session 22: generic twins"), so that a change of the random stream does not fail the test while the twins still
/// exercise the retyping of what the optimisations emit.
/// </summary>
public sealed class GenericTwinShareTests
{
    private const int Seed = 20262850;
    private const int BatchSize = 100;
    private const double MinTwinShare = 35.0;

    private readonly ITestOutputHelper _output;

    public GenericTwinShareTests(ITestOutputHelper output) => _output = output;

    [Fact]
    public void A_share_of_random_programs_get_a_generic_twin()
    {
        var batch = RandomBatch.Create(Seed, BatchSize);
        var outcome = new GenericTwins.Outcome();
        var considered = batch.Programs.Where((_, i) => GenericTwins.Considered(i)).ToList();
        var (_, twins) = GenericTwins.Rewrite(batch, considered, outcome);

        var share = 100.0 * twins.Count / considered.Count;
        _output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{considered.Count} programs considered, {twins.Count} twins ({share:F1} %); no twin: {string.Join("; ", outcome.Skipped.Select(s => s.Value + " × " + s.Key))}."));
        Assert.Equal(considered.Count, outcome.Considered);
        Assert.All(twins, t => Assert.Contains("where T : global::System.Numerics.IFloatingPointIeee754<T>", t.Source, StringComparison.Ordinal));
        Assert.True(share >= MinTwinShare, string.Create(CultureInfo.InvariantCulture, $"Only {share:F1} % of the considered programs got a generic twin (minimum {MinTwinShare} %)."));
    }
}

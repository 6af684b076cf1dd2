using System.Globalization;

namespace StaticGrad.Generator.Tests.RandomPrograms;

/// <summary>
/// Session 18: backwards in forward mode (<c>Forward/TangentBackward.cs</c>), for one scalar input whose reverse sweep
/// would save values or replay a loop. The programs with one scalar input draw that shape themselves; the batch's
/// one-input helper <c>Helpers.Horner</c> (<see cref="Production.SingleInputCall"/>) always takes it, and the programs
/// calling it check its backward with a seed other than 1 where the call is reversed inside a loop.
/// </summary>
public sealed partial class OptimisationShareTests
{
    /// <summary>Minimum share in percent of the programs whose own backward runs in forward mode: 12.8 % measured on these 500 (64; 50 call the one-input helper), the minimum below it.</summary>
    private const double MinTangentBackwardShare = 6.0;

    private const string TangentBackwardMark = "// Forward mode: ";

    [Fact]
    public void Random_programs_exercise_backwards_in_forward_mode()
    {
        int programs = 0, forward = 0, calling = 0;
        for (var b = 0; b < Batches; b++)
        {
            var (batch, output) = GeneratedBatches.Get(FirstSeed + b, BatchSize);
            var helper = output.Sources.Single(s => s.HintName.EndsWith(".Helpers.Horner.g.cs", StringComparison.Ordinal)).Source;
            Assert.True(helper.Contains(TangentBackwardMark, StringComparison.Ordinal), "Helpers.Horner's backward is not in forward mode:\n" + helper);
            foreach (var program in batch.Programs)
            {
                programs++;
                calling += program.Uses.Contains(Production.SingleInputCall) ? 1 : 0;
                var backward = output.Sources.Where(s => s.HintName.EndsWith(".Programs." + program.Name + ".g.cs", StringComparison.Ordinal)).Select(s => s.Source).SingleOrDefault() ?? string.Empty;
                forward += backward.Contains(TangentBackwardMark, StringComparison.Ordinal) ? 1 : 0;
            }
        }

        var share = 100.0 * forward / programs;
        _output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{programs} programs: a backward in forward mode in {forward} ({share:F1} %), a call of the one-input helper in {calling}."));
        Assert.True(share >= MinTangentBackwardShare, string.Create(CultureInfo.InvariantCulture, $"Only {share:F1} % of the random programs have a backward in forward mode (minimum {MinTangentBackwardShare} %)."));
    }

    /// <summary>Minimum share in percent of the programs whose backward calls <c>Helpers.HornerBackwardPair</c>: 2.4 % measured on these 500 (12 of the 29 that draw it; the others call it in a loop or with an inactive variable), the minimum below it.</summary>
    private const double MinPairShare = 1.0;

    [Fact]
    public void Random_programs_exercise_pairs_of_one_input_calls()
    {
        int programs = 0, paired = 0, drawn = 0;
        var vectorised = false;
        for (var b = 0; b < Batches; b++)
        {
            var (batch, output) = GeneratedBatches.Get(FirstSeed + b, BatchSize);
            var pair = output.Sources.SingleOrDefault(s => s.HintName.EndsWith(".Helpers.Horner.Backward-Pair.g.cs", StringComparison.Ordinal)).Source ?? string.Empty;
            foreach (var program in batch.Programs)
            {
                programs++;
                drawn += program.Uses.Contains(Production.PairedCall) ? 1 : 0;
                var backward = output.Sources.Where(s => s.HintName.EndsWith(".Programs." + program.Name + ".g.cs", StringComparison.Ordinal)).Select(s => s.Source).SingleOrDefault() ?? string.Empty;
                if (backward.Contains("HornerBackwardPair(", StringComparison.Ordinal))
                {
                    paired++;
                    vectorised |= pair.Contains("Vector128.IsHardwareAccelerated", StringComparison.Ordinal);
                }
            }
        }

        var share = 100.0 * paired / programs;
        _output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{programs} programs: the pair drawn in {drawn}, called in {paired} ({share:F1} %); the helper's pair over vector lanes: {vectorised}."));
        Assert.True(share >= MinPairShare, string.Create(CultureInfo.InvariantCulture, $"Only {share:F1} % of the random programs call the one-input helper's pair (minimum {MinPairShare} %)."));
        Assert.True(vectorised, "No batch's one-input helper had a pair over vector lanes.");
    }
}

using System.Globalization;
using Xunit.Abstractions;

namespace StaticGrad.Generator.Tests.RandomPrograms;

/// <summary>
/// The random programs exercise <c>[Differentiable(Jacobian = true)]</c> (issue 18): every batch's four struct- and
/// tuple-returning helpers ask for it, and <see cref="JacobianCheck"/> compares each with central differences in the
/// random-program test. This asserts the share of those Jacobians that run one forward sweep for all fields (the rest,
/// helpers with a loop, call the backward per field), over the helpers of four batches.
/// </summary>
public sealed class JacobianShareTests
{
    private const int FirstSeed = 20261990;
    private const int Batches = 4;

    /// <summary>
    /// Measured 43.8 % (7 of 16 helpers; the others have a loop) on these seeds, 55.0 % (11 of 20) since session 17 added
    /// the rotation helper; about half of the first, so that a change of the random stream does not fail it.
    /// </summary>
    private const double MinShare = 25.0;

    /// <summary>Measured 55.0 % (11 of 20 helpers: every one-forward-sweep Jacobian, the 4 rotation helpers among them) on these seeds; half of it.</summary>
    private const double MinWideShare = 27.5;

    /// <summary>
    /// Session 18: measured 55.0 % (11 of 20 helpers, the 4 rotation helpers among them) written field by field between
    /// branches (every width-k sweep with two fields reached in a run); half of it.
    /// </summary>
    private const double MinGroupedShare = 27.5;

    private readonly ITestOutputHelper _output;

    public JacobianShareTests(ITestOutputHelper output) => _output = output;

    [Fact]
    public void Random_result_helpers_get_one_forward_sweep_Jacobians()
    {
        int helpers = 0, oneSweep = 0;
        for (var seed = FirstSeed; seed < FirstSeed + Batches; seed++)
        {
            var (_, output) = GeneratedBatches.Get(seed, 4);
            foreach (var name in ProgramGenerator.ResultHelperNames)
            {
                var source = output.Sources.Single(s => s.HintName.EndsWith(".Helpers." + name + ".g.cs", StringComparison.Ordinal)).Source;
                Assert.Contains(name + "Jacobian(", source, StringComparison.Ordinal);
                helpers++;
                oneSweep += source.Contains("// Forward sweep once", StringComparison.Ordinal) ? 1 : 0;
            }
        }

        var share = 100.0 * oneSweep / helpers;
        _output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{helpers} result helpers: {oneSweep} Jacobians with one forward sweep ({share:F1} %)."));
        Assert.True(share >= MinShare, string.Create(CultureInfo.InvariantCulture, $"Only {share:F1} % of the result helpers' Jacobians run one forward sweep (minimum {MinShare} %)."));
    }

    /// <summary>
    /// Session 17: the share of the result helpers' Jacobians with ONE reverse sweep of width k (each statement's partials
    /// computed once for every field), and every batch's BA-shaped <see cref="ProgramGenerator.ResultRotation"/> among
    /// them, so that the random run's <see cref="JacobianCheck"/> compares that sweep's rows with central differences.
    /// </summary>
    [Fact]
    public void Random_result_helpers_get_one_width_k_reverse_sweep()
    {
        int helpers = 0, wide = 0, rotations = 0, grouped = 0, groupedRotations = 0;
        for (var seed = FirstSeed; seed < FirstSeed + Batches; seed++)
        {
            var (_, output) = GeneratedBatches.Get(seed, 4);
            foreach (var name in ProgramGenerator.ResultHelperNames)
            {
                var source = output.Sources.Single(s => s.HintName.EndsWith(".Helpers." + name + ".g.cs", StringComparison.Ordinal)).Source;
                var isWide = source.Contains("// One reverse sweep for", StringComparison.Ordinal);
                helpers++;
                wide += isWide ? 1 : 0;
                rotations += isWide && name == ProgramGenerator.ResultRotation ? 1 : 0;

                // Session 18: the sweep written field by field between branches (JacobianFieldRuns).
                var isGrouped = source.Contains("field by field between branches", StringComparison.Ordinal);
                grouped += isGrouped ? 1 : 0;
                groupedRotations += isGrouped && name == ProgramGenerator.ResultRotation ? 1 : 0;
            }
        }

        var share = 100.0 * wide / helpers;
        _output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{helpers} result helpers: {wide} Jacobians with one width-k reverse sweep ({share:F1} %), {rotations} of {Batches} rotation helpers."));
        Assert.Equal(Batches, rotations);
        Assert.Equal(Batches, groupedRotations);
        var groupedShare = 100.0 * grouped / helpers;
        _output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{grouped} of them written field by field between branches ({groupedShare:F1} %)."));
        Assert.True(groupedShare >= MinGroupedShare, string.Create(CultureInfo.InvariantCulture, $"Only {groupedShare:F1} % of the result helpers' Jacobians are written field by field (minimum {MinGroupedShare} %)."));
        Assert.True(share >= MinWideShare, string.Create(CultureInfo.InvariantCulture, $"Only {share:F1} % of the result helpers' Jacobians run one width-k reverse sweep (minimum {MinWideShare} %)."));
    }
}

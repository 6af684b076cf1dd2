using System.Globalization;

namespace StaticGrad.Generator.Tests.RandomPrograms;

/// <summary>
/// Session 17: an inner loop fused inside a fused outer iteration (<see cref="Production.InnerReduction"/>, n-body's
/// pair loop): each of its iterations reversed right after it runs instead of in a second loop.
/// </summary>
public sealed partial class OptimisationShareTests
{
    /// <summary>Minimum share in percent of the programs: 4.8 % measured on these 500 (24 of the 53 with an inner reduction loop; in the others the outer loop is not fused or the inner one is refused).</summary>
    private const double MinInnerFusionShare = 2.0;

    [Fact]
    public void Random_programs_fuse_inner_reduction_loops()
    {
        var (programs, withInner, fused) = CountPrograms(Production.InnerReduction, "// Fused inside the outer iteration: ");
        var share = 100.0 * fused / programs;
        _output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{programs} programs: an inner reduction loop in {withInner}, fused inside the outer iteration in {fused} ({share:F1} %)."));
        Assert.True(share >= MinInnerFusionShare, string.Create(CultureInfo.InvariantCulture, $"Only {share:F1} % of the random programs fuse an inner loop inside a fused iteration (minimum {MinInnerFusionShare} %)."));
    }
}

using StaticGrad.Generator.Tests.Correctness.Harness;

namespace StaticGrad.Generator.Tests.RandomPrograms;

/// <summary>
/// The one-sided rescue of <see cref="TwoStepCheck"/> (batch 20261180, P206: <c>x &gt;= Detach(x) ? Detach(x) : x</c>
/// has its kink exactly at the point, where central differences of both step sizes agree on the mean of the two
/// sides): it accepts either one-sided derivative at a kink of the point, and nothing else.
/// </summary>
public sealed class TwoStepCheckTests
{
    private static readonly FiniteDifferenceCheck.Tolerances Tolerance = FiniteDifferenceCheck.Double;

    // f(x0 + t) for a kink at x0 = 0.7: slope 2 on the right, 0.5 on the left (central differences give 1.25).
    private static double Kinked(double t) => t >= 0 ? Math.Sin(0.7) + 2 * t : Math.Sin(0.7) + 0.5 * t + 0.1 * t * t;

    [Theory]
    [InlineData(2.0, true)]
    [InlineData(0.5, true)]
    [InlineData(1.25, false)]
    [InlineData(0.0, false)]
    [InlineData(2.001, false)]
    public void At_a_kink_of_the_point_either_one_sided_derivative_is_accepted(double derivative, bool accepted)
    {
        var check = new TwoStepCheck();
        Assert.Equal(accepted, check.OneSidedMatch(Kinked, 0.7, derivative, Tolerance));
        Assert.Equal(accepted ? 1 : 0, check.OneSided);
    }

    [Fact]
    public void Without_a_kink_a_wrong_derivative_is_not_rescued()
    {
        var check = new TwoStepCheck();
        double Smooth(double t) => Math.Sin(0.7 + t);
        Assert.False(check.OneSidedMatch(Smooth, 0.7, Math.Cos(0.7) * 1.01, Tolerance));
        Assert.False(check.OneSidedMatch(Smooth, 0.7, Math.Cos(0.7), Tolerance));
    }
}

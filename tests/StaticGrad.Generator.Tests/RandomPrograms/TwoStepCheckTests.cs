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

    // f(x0 + t) at x0 = 0.7: slope 2 on the right, and on the left a constant 5 (a jump): the value at the point
    // belongs to the right branch (batch 20261486, P121).
    private static double JumpsLeft(double t) => t >= 0 ? Math.Sin(0.7) + 2 * t : 5 + 0.5 * t;

    [Theory]
    [InlineData(2.0, true)]
    [InlineData(0.5, false)]
    [InlineData(0.0, false)]
    public void Where_one_side_jumps_only_the_other_sides_derivative_is_accepted(double derivative, bool accepted)
    {
        var check = new TwoStepCheck();
        Assert.Equal(accepted, check.OneSidedMatch(JumpsLeft, 0.7, derivative, Tolerance));
        Assert.False(TwoStepCheck.JumpsAtPoint(JumpsLeft, 0.7, Tolerance));
    }

    [Fact]
    public void A_value_off_both_neighbouring_branches_is_a_jump_at_the_point_for_double_and_float_steps()
    {
        // Round(v) at v = 0.5 exactly, every neighbour rounding the other way (batch 20261214, P167).
        static double Isolated(double t) => t == 0 ? 0.3 : 1.3 + 0.4 * t;
        Assert.True(TwoStepCheck.JumpsAtPoint(Isolated, 0.7, Tolerance));
        Assert.True(TwoStepCheck.JumpsAtPoint(Isolated, 0.7, FiniteDifferenceCheck.Single, 1e-2, 3e-3));
        Assert.False(new TwoStepCheck().OneSidedMatch(Isolated, 0.7, 0.4, Tolerance));
    }

    [Fact]
    public void Continuous_functions_have_no_jump_at_the_point()
    {
        static double Steep(double t) => 1e4 * Math.Sin(0.7 + t);
        static double Flat(double t) => Math.Sin(0.7) + 1e-9 * t;
        foreach (var f in new Func<double, double>[] { Kinked, Steep, Flat, JumpsLeft })
        {
            Assert.False(TwoStepCheck.JumpsAtPoint(f, 0.7, Tolerance));
            Assert.False(TwoStepCheck.JumpsAtPoint(f, 0.7, FiniteDifferenceCheck.Single, 1e-2, 3e-3));
        }
    }
}

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

    // f(x0 + t) at x0 = 0.00245 (batch 20261510, P174, float): a kink at the point (slope 1 to the right, 2 to the
    // left, central differences give 1.5) and a second kink 0.0012 to the left (slope -2 beyond it), inside the float
    // steps: only one-sided differences with smaller steps see the left slope.
    private static double TwoKinks(double t) => t >= 0 ? 1 + t : t >= -0.001225 ? 1 + 2 * t : 1 - 0.00245 - 2 * (t + 0.001225);

    [Theory]
    [InlineData(2.0, true)]
    [InlineData(1.0, true)]
    [InlineData(1.5, false)]
    [InlineData(2.1, false)]
    [InlineData(-2.0, false)]
    public void With_a_second_kink_inside_the_steps_the_one_sided_derivatives_come_from_smaller_steps(double derivative, bool accepted)
    {
        var check = new TwoStepCheck();
        Assert.Equal(accepted, check.OneSidedMatch(TwoKinks, 0.00245, derivative, FiniteDifferenceCheck.Single, 1e-2, 3e-3));
    }

    // f(x0 + t) at a tie of Min (batch 20261510, P174, float): slope 1 to the right and 2 to the left, where the rule
    // splits the derivative (1.5), then two more kinks within 0.0017 to the left after which the slope is 1 again:
    // central differences with the float steps 0.01 and 0.003 both give 1.
    private static double TieWithNearbyKinks(double t) =>
        t >= 0 ? t : t >= -0.001225 ? 2 * t : t >= -0.0049 / 3 ? -0.00245 - 2 * (t + 0.001225) : t;

    private static (double Value, double Rounding) Central(Func<double, double> g, double h, FiniteDifferenceCheck.Tolerances tolerance) =>
        ((g(h) - g(-h)) / (2 * h), 4 * tolerance.Epsilon * Math.Max(Math.Abs(g(h)), Math.Abs(g(-h))) / (2 * h));

    [Theory]
    [InlineData(1.5, true)]
    [InlineData(1.0, false)]
    [InlineData(2.0, false)]
    [InlineData(1.52, false)]
    public void Central_differences_with_kinks_inside_the_steps_are_refined_to_smaller_steps(double derivative, bool accepted)
    {
        var single = FiniteDifferenceCheck.Single;
        Assert.Equal(1.0, Central(TieWithNearbyKinks, 3e-3, single).Value, 9);
        Assert.Equal(accepted, TwoStepCheck.RefinedCentralMatch(h => Central(TieWithNearbyKinks, h, single), derivative, single, 1e-2, 3e-3));
    }

    [Fact]
    public void Refined_central_differences_do_not_rescue_a_wrong_derivative_of_a_smooth_function()
    {
        static double Smooth(double t) => Math.Sin(0.7 + t);
        var single = FiniteDifferenceCheck.Single;
        Assert.False(TwoStepCheck.RefinedCentralMatch(h => Central(Smooth, h, single), Math.Cos(0.7) * 1.01, single, 1e-2, 3e-3));
        Assert.True(TwoStepCheck.RefinedCentralMatch(h => Central(Smooth, h, single), Math.Cos(0.7), single, 1e-2, 3e-3));
    }
}

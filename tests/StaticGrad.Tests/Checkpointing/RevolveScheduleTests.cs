namespace StaticGrad.Tests.Checkpointing;

using StaticGrad;

/// <summary>The binomial arithmetic behind the schedule: β(c, t) = C(c + t, c), and splits that keep both parts within it.</summary>
public class RevolveScheduleTests
{
    [Theory]
    [InlineData(1, 0, 1)]
    [InlineData(1, 5, 6)]
    [InlineData(3, 2, 10)]
    [InlineData(21, 8, 4292145)]
    [InlineData(101, 4, 4780230)]
    public void BetaIsTheBinomialCoefficient(int states, int repetitions, long expected)
        => Assert.Equal(expected, RevolveSchedule.Beta(states, repetitions));

    [Fact]
    public void BetaFollowsPascalsRuleAndSaturates()
    {
        for (int c = 2; c < 60; c++)
        {
            for (int t = 1; t < 60; t++)
            {
                long beta = RevolveSchedule.Beta(c, t);
                if (beta < long.MaxValue)
                {
                    Assert.Equal(RevolveSchedule.Beta(c, t - 1) + RevolveSchedule.Beta(c - 1, t), beta);
                }
                else
                {
                    Assert.True((Int128)RevolveSchedule.Beta(c, t - 1) + RevolveSchedule.Beta(c - 1, t) >= long.MaxValue);
                }
            }
        }

        Assert.Equal(long.MaxValue, RevolveSchedule.Beta(200, 200));
    }

    [Theory]
    [InlineData(1_000_000, 20, 7)]
    [InlineData(1_000_000, 100, 4)]
    [InlineData(1, 0, 0)]
    [InlineData(2, 0, 1)]
    [InlineData(10, 0, 9)]
    public void RepetitionsIsTheLeastSufficientT(int steps, int snapshots, int expected)
    {
        Assert.Equal(expected, Checkpoint.Repetitions(steps, snapshots));
        Assert.True(RevolveSchedule.Beta(snapshots + 1, expected) >= steps);
        Assert.True(expected == 0 || RevolveSchedule.Beta(snapshots + 1, expected - 1) < steps);
    }

    [Fact]
    public void EverySplitLeavesBothPartsReversibleWithinTheBound()
    {
        for (int states = 2; states <= 8; states++)
        {
            for (int steps = 2; steps <= 400; steps++)
            {
                int t = RevolveSchedule.Repetitions(steps, states);
                int split = RevolveSchedule.Split(steps, states);
                Assert.InRange(split, 1, steps - 1);
                Assert.True(split <= RevolveSchedule.Beta(states, t - 1), $"first part of {steps} with {states} states");
                Assert.True(steps - split <= RevolveSchedule.Beta(states - 1, t), $"rest of {steps} with {states} states");
            }
        }
    }

    [Fact]
    public void CountsOutOfRangeAreRefused()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => Checkpoint.Repetitions(0, 3));
        Assert.Throws<ArgumentOutOfRangeException>(() => Checkpoint.Repetitions(10, -1));
    }
}

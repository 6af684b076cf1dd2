namespace StaticGrad.Integration.Tests.Checkpointing;

/// <summary>
/// <see cref="Checkpoint.Backward{TState}(TState, int, CheckpointStep{TState}, CheckpointPullback{TState}, CheckpointSeed{TState}, ref TState, int)"/>
/// driven by the generated backward of a struct-state step, as a user writes it, against the generated backward of
/// the same simulation written as one loop, and against central differences.
/// </summary>
public class CheckpointedGeneratedStepTests
{
    [Theory]
    [InlineData(1, 0)]
    [InlineData(500, 0)]
    [InlineData(500, 3)]
    [InlineData(2000, 12)]
    public void GivesTheUncheckpointedGradient(int steps, int snapshots)
    {
        const double mu = 0.9;
        var initial = new PhaseState(1.1, -0.4);

        double dMu = 0;
        double loss = 0;
        var dInitial = default(PhaseState);
        Checkpoint.Backward(
            initial,
            steps,
            s => Oscillator.Step(s, mu),
            (PhaseState s, ref PhaseState dS, PhaseState seed) => Oscillator.StepBackward(s, mu, ref dS, ref dMu, seed),
            final =>
            {
                var dFinal = default(PhaseState);
                loss = Oscillator.EnergyBackward(final, ref dFinal);
                return dFinal;
            },
            ref dInitial,
            snapshots,
            out var statistics);

        double dx = 0, dv = 0, dMuLoop = 0;
        double lossLoop = Oscillator.SimulateBackward(initial.X, initial.V, mu, steps, ref dx, ref dv, ref dMuLoop);

        // Tolerance: the two sweeps add the same terms in a different order; relative 1e-11.
        Assert.Equal(lossLoop, loss, 1e-11 * Math.Abs(lossLoop));
        Assert.Equal(dx, dInitial.X, 1e-11 * (1 + Math.Abs(dx)));
        Assert.Equal(dv, dInitial.V, 1e-11 * (1 + Math.Abs(dv)));
        Assert.Equal(dMuLoop, dMu, 1e-11 * (1 + Math.Abs(dMuLoop)));
        Assert.InRange(statistics.PeakStates, 1, snapshots + 1);

        // Tolerance: central differences with h = 1e-6 on a smooth map, relative 1e-6.
        const double h = 1e-6;
        double fd = (Oscillator.Simulate(initial.X, initial.V, mu + h, steps) - Oscillator.Simulate(initial.X, initial.V, mu - h, steps)) / (2 * h);
        Assert.Equal(fd, dMu, 1e-6 * (1 + Math.Abs(fd)));
    }
}

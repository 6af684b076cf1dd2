namespace StaticGrad.Tests.Checkpointing;

using StaticGrad;

/// <summary>
/// The checkpointed reverse sweep against the one that stores every state, on a damped nonlinear oscillator stepped
/// with RK4: the same pullbacks see the same states, so the gradients agree exactly; and both against central
/// differences. Also the cost: exactly one pullback per step, no step advanced more than Revolve's repetition number
/// allows, never more than snapshots + 1 states held.
/// </summary>
public class CheckpointTests
{
    private const double H = 0.01;

    [Theory]
    [InlineData(1, 0)]
    [InlineData(2, 0)]
    [InlineData(7, 0)]
    [InlineData(7, 1)]
    [InlineData(50, 2)]
    [InlineData(300, 3)]
    [InlineData(1000, 10)]
    [InlineData(64, 100)]
    public void MatchesTheStoreEveryStateSweepExactlyWithinRevolvesBound(int steps, int snapshots)
    {
        var initial = new State(1.2, -0.3);
        var expected = StoreEveryState(initial, steps, out var expectedFinal, out double expectedDMu);

        var oscillator = new Oscillator(0.7);
        var dInitial = new State(0.25, -0.5);
        var final = Checkpoint.Backward(initial, steps, oscillator.Step, oscillator.Pullback, LossSeed, ref dInitial, snapshots, out var statistics);

        Assert.Equal(expectedFinal, final);
        Assert.Equal(expected.X + 0.25, dInitial.X);
        Assert.Equal(expected.V - 0.5, dInitial.V);
        Assert.Equal(expectedDMu, oscillator.DMu);

        int t = Checkpoint.Repetitions(steps, snapshots);
        Assert.Equal(t, statistics.Repetitions);
        Assert.Equal(steps, statistics.Pullbacks);
        Assert.Equal(steps, oscillator.Pullbacks);
        Assert.Equal(statistics.Advances, oscillator.Steps);
        Assert.InRange(statistics.Advances, steps, (long)Math.Max(t, 1) * steps);
        Assert.InRange(statistics.PeakStates, 1, snapshots + 1);
    }

    [Fact]
    public void AgreesWithCentralDifferences()
    {
        // Tolerance: central differences with h = 1e-6 on a smooth map of 400 RK4 steps, relative 1e-6.
        const int steps = 400;
        var initial = new State(0.8, 0.4);
        var oscillator = new Oscillator(1.3);
        var dInitial = default(State);
        Checkpoint.Backward(initial, steps, oscillator.Step, oscillator.Pullback, LossSeed, ref dInitial, snapshots: 5);

        const double h = 1e-6;
        double dx = (Loss(Run(new State(initial.X + h, initial.V), steps, 1.3)) - Loss(Run(new State(initial.X - h, initial.V), steps, 1.3))) / (2 * h);
        double dv = (Loss(Run(new State(initial.X, initial.V + h), steps, 1.3)) - Loss(Run(new State(initial.X, initial.V - h), steps, 1.3))) / (2 * h);
        double dMu = (Loss(Run(initial, steps, 1.3 + h)) - Loss(Run(initial, steps, 1.3 - h))) / (2 * h);

        Assert.Equal(dx, dInitial.X, 1e-6 * (1 + Math.Abs(dx)));
        Assert.Equal(dv, dInitial.V, 1e-6 * (1 + Math.Abs(dv)));
        Assert.Equal(dMu, oscillator.DMu, 1e-6 * (1 + Math.Abs(dMu)));
    }

    [Fact]
    public void TheSeedSeesTheFinalStateOnce()
    {
        int calls = 0;
        var oscillator = new Oscillator(0.5);
        var dInitial = default(State);
        var final = Checkpoint.Backward(new State(1, 0), 100, oscillator.Step, oscillator.Pullback, s => { calls++; return LossSeed(s); }, ref dInitial, 3);
        Assert.Equal(1, calls);
        Assert.Equal(Run(new State(1, 0), 100, 0.5), final);
    }

    [Fact]
    public void BadArgumentsAreRefused()
    {
        var oscillator = new Oscillator(0.5);
        var d = default(State);
        Assert.Throws<ArgumentOutOfRangeException>(() => Checkpoint.Backward(new State(1, 0), 0, oscillator.Step, oscillator.Pullback, LossSeed, ref d, 3));
        Assert.Throws<ArgumentOutOfRangeException>(() => Checkpoint.Backward(new State(1, 0), 5, oscillator.Step, oscillator.Pullback, LossSeed, ref d, -1));
        Assert.Throws<ArgumentNullException>(() => Checkpoint.Backward(new State(1, 0), 5, null!, oscillator.Pullback, LossSeed, ref d, 3));
    }

    private static State StoreEveryState(State initial, int steps, out State final, out double dMu)
    {
        var oscillator = new Oscillator(0.7);
        var states = new State[steps + 1];
        states[0] = initial;
        for (int i = 0; i < steps; i++)
        {
            states[i + 1] = oscillator.Step(states[i]);
        }

        final = states[steps];
        var adjoint = LossSeed(final);
        for (int i = steps - 1; i >= 0; i--)
        {
            var before = default(State);
            oscillator.Pullback(states[i], ref before, adjoint);
            adjoint = before;
        }

        dMu = oscillator.DMu;
        return adjoint;
    }

    private static State Run(State state, int steps, double mu)
    {
        var oscillator = new Oscillator(mu);
        for (int i = 0; i < steps; i++)
        {
            state = oscillator.Step(state);
        }

        return state;
    }

    private static double Loss(State s) => (s.X * s.X) + (0.5 * s.V * s.V);

    private static State LossSeed(State s) => new(2 * s.X, s.V);

    internal readonly record struct State(double X, double V);

    /// <summary>x'' = −μ(x² − 1)x' − x − 0.1 x³ (Van der Pol with a cubic spring), one RK4 step, and its hand-written pullback.</summary>
    private sealed class Oscillator(double mu)
    {
        public double DMu { get; private set; }

        public int Steps { get; private set; }

        public int Pullbacks { get; private set; }

        public State Step(State s)
        {
            Steps++;
            return Rk4(s);
        }

        public void Pullback(State s, ref State dS, State seed)
        {
            Pullbacks++;

            // Recompute the stages, then pull the seed back through them (reverse order of the forward).
            var k1 = F(s);
            var s2 = new State(s.X + (H / 2 * k1.X), s.V + (H / 2 * k1.V));
            var k2 = F(s2);
            var s3 = new State(s.X + (H / 2 * k2.X), s.V + (H / 2 * k2.V));
            var k3 = F(s3);
            var s4 = new State(s.X + (H * k3.X), s.V + (H * k3.V));

            var dK1 = new State(H / 6 * seed.X, H / 6 * seed.V);
            var dK2 = new State(H / 3 * seed.X, H / 3 * seed.V);
            var dK3 = new State(H / 3 * seed.X, H / 3 * seed.V);
            var dK4 = new State(H / 6 * seed.X, H / 6 * seed.V);
            var dX = seed;

            var dS4 = FPullback(s4, dK4);
            dX = Add(dX, dS4);
            dK3 = Add(dK3, Scale(dS4, H));
            var dS3 = FPullback(s3, dK3);
            dX = Add(dX, dS3);
            dK2 = Add(dK2, Scale(dS3, H / 2));
            var dS2 = FPullback(s2, dK2);
            dX = Add(dX, dS2);
            dK1 = Add(dK1, Scale(dS2, H / 2));
            var dS1 = FPullback(s, dK1);
            dX = Add(dX, dS1);

            dS = Add(dS, dX);
        }

        private State Rk4(State s)
        {
            var k1 = F(s);
            var k2 = F(new State(s.X + (H / 2 * k1.X), s.V + (H / 2 * k1.V)));
            var k3 = F(new State(s.X + (H / 2 * k2.X), s.V + (H / 2 * k2.V)));
            var k4 = F(new State(s.X + (H * k3.X), s.V + (H * k3.V)));
            return new State(s.X + (H / 6 * (k1.X + (2 * k2.X) + (2 * k3.X) + k4.X)), s.V + (H / 6 * (k1.V + (2 * k2.V) + (2 * k3.V) + k4.V)));
        }

        private State F(State s) => new(s.V, (-mu * ((s.X * s.X) - 1) * s.V) - s.X - (0.1 * s.X * s.X * s.X));

        // The pullback of F at s: the adjoint of s from the adjoint of F(s); μ's partial accumulates.
        private State FPullback(State s, State d)
        {
            DMu += d.V * (-((s.X * s.X) - 1) * s.V);
            double dx = d.V * ((-mu * 2 * s.X * s.V) - 1 - (0.3 * s.X * s.X));
            double dv = d.X + (d.V * (-mu * ((s.X * s.X) - 1)));
            return new State(dx, dv);
        }

        private static State Add(State a, State b) => new(a.X + b.X, a.V + b.V);

        private static State Scale(State a, double c) => new(a.X * c, a.V * c);
    }
}

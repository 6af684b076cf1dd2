namespace StaticGrad.Integration.Tests.Checkpointing;

/// <summary>The state of a one-dimensional oscillator: position and velocity.</summary>
/// <param name="X">The position.</param>
/// <param name="V">The velocity.</param>
public readonly record struct PhaseState(double X, double V);

/// <summary>
/// Van der Pol with a cubic spring, x'' = −μ(x² − 1)x' − x − 0.1x³, stepped with RK4 — written once as a
/// <c>[Differentiable]</c> step over a struct state (for <see cref="Checkpoint"/>) and once as one
/// <c>[Differentiable]</c> loop (whose generated backward saves every step on its tape).
/// </summary>
public static partial class Oscillator
{
    /// <summary>The time step.</summary>
    public const double H = 0.01;

    /// <summary>The acceleration at position <paramref name="x"/> and velocity <paramref name="v"/>.</summary>
    [Differentiable]
    public static double Accel(double x, double v, double mu) => (-mu * ((x * x) - 1) * v) - x - (0.1 * x * x * x);

    /// <summary>One RK4 step.</summary>
    [Differentiable]
    public static PhaseState Step(PhaseState s, double mu)
    {
        double k1x = s.V;
        double k1v = Accel(s.X, s.V, mu);
        double k2x = s.V + (H / 2 * k1v);
        double k2v = Accel(s.X + (H / 2 * k1x), s.V + (H / 2 * k1v), mu);
        double k3x = s.V + (H / 2 * k2v);
        double k3v = Accel(s.X + (H / 2 * k2x), s.V + (H / 2 * k2v), mu);
        double k4x = s.V + (H * k3v);
        double k4v = Accel(s.X + (H * k3x), s.V + (H * k3v), mu);
        return new PhaseState(s.X + (H / 6 * (k1x + (2 * k2x) + (2 * k3x) + k4x)), s.V + (H / 6 * (k1v + (2 * k2v) + (2 * k3v) + k4v)));
    }

    /// <summary>The loss read off the final state.</summary>
    [Differentiable]
    public static double Energy(PhaseState s) => (s.X * s.X) + (0.5 * s.V * s.V);

    /// <summary>The same simulation and loss as one loop.</summary>
    [Differentiable]
    public static double Simulate(double x, double v, double mu, int steps)
    {
        for (int i = 0; i < steps; i++)
        {
            double k1x = v;
            double k1v = Accel(x, v, mu);
            double k2x = v + (H / 2 * k1v);
            double k2v = Accel(x + (H / 2 * k1x), v + (H / 2 * k1v), mu);
            double k3x = v + (H / 2 * k2v);
            double k3v = Accel(x + (H / 2 * k2x), v + (H / 2 * k2v), mu);
            double k4x = v + (H * k3v);
            double k4v = Accel(x + (H * k3x), v + (H * k3v), mu);
            double nextX = x + (H / 6 * (k1x + (2 * k2x) + (2 * k3x) + k4x));
            double nextV = v + (H / 6 * (k1v + (2 * k2v) + (2 * k3v) + k4v));
            x = nextX;
            v = nextV;
        }

        return (x * x) + (0.5 * v * v);
    }
}

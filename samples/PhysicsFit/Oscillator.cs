using StaticGrad;

namespace PhysicsFit;

/// <summary>A damped harmonic oscillator x″ = −k·x − c·x′, released from x = 1 at rest.</summary>
public static partial class Oscillator
{
    /// <summary>
    /// The position at <paramref name="time"/>, integrated with <paramref name="steps"/> classical Runge–Kutta steps.
    /// The generator writes <c>PositionBackward</c> (the loop's reverse sweep) and, opted in with <c>Tensor = true</c>,
    /// the Tensor overload <c>Position(Tensor, Tensor, Tensor, int)</c>, which runs this integrator for every element of broadcast
    /// tensors and records one <c>PositionBackward</c> node.
    /// </summary>
    /// <param name="time">When to read the position (≥ 0).</param>
    /// <param name="stiffness">k, the spring constant divided by the mass.</param>
    /// <param name="damping">c, the damping coefficient divided by the mass.</param>
    /// <param name="steps">The number of fixed steps from 0 to <paramref name="time"/>.</param>
    /// <returns>x(time).</returns>
    [Differentiable(Tensor = true)]
    public static double Position(double time, double stiffness, double damping, int steps)
    {
        var dt = time / steps;
        var x = 1.0;
        var v = 0.0;
        for (var i = 0; i < steps; i++)
        {
            var a1 = -stiffness * x - damping * v;
            var x2 = x + 0.5 * dt * v;
            var v2 = v + 0.5 * dt * a1;
            var a2 = -stiffness * x2 - damping * v2;
            var x3 = x + 0.5 * dt * v2;
            var v3 = v + 0.5 * dt * a2;
            var a3 = -stiffness * x3 - damping * v3;
            var x4 = x + dt * v3;
            var v4 = v + dt * a3;
            var a4 = -stiffness * x4 - damping * v4;
            x += dt / 6 * (v + 2 * v2 + 2 * v3 + v4);
            v += dt / 6 * (a1 + 2 * a2 + 2 * a3 + a4);
        }

        return x;
    }

    /// <summary>The closed-form solution of the under-damped case (4k &gt; c²), to check the integrator against.</summary>
    /// <param name="time">When to read the position.</param>
    /// <param name="stiffness">k.</param>
    /// <param name="damping">c.</param>
    /// <returns>x(time).</returns>
    public static double Exact(double time, double stiffness, double damping)
    {
        var decay = damping / 2;
        var omega = Math.Sqrt(stiffness - decay * decay);
        return Math.Exp(-decay * time) * (Math.Cos(omega * time) + decay / omega * Math.Sin(omega * time));
    }
}

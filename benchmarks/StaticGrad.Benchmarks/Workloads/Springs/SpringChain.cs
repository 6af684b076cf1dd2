using System.Numerics;

namespace StaticGrad.Benchmarks.Workloads.Springs;

/// <summary>One point mass of the chain: the state a particle simulation keeps per body.</summary>
public struct Particle
{
    public Vector3 Position;
    public Vector3 Velocity;
}

/// <summary>
/// A chain of unit masses joined by springs, advanced by semi-implicit Euler steps and scored by its total energy at
/// the end, written as simulation code is: an array of <see cref="Particle"/> structs, a helper returning the spring
/// force as a <see cref="Vector3"/> and one returning the next <see cref="Particle"/>. Its gradient is with respect to
/// every initial position and velocity.
/// </summary>
public static partial class SpringChain
{
#if GENERATED_SPRINGS
    [Differentiable]
#endif
    public static float Energy(Particle[] particles, [NoGrad] float stiffness, [NoGrad] float rest, [NoGrad] float dt, int steps)
    {
        var n = particles.Length;
        var forces = new Vector3[n];
        for (var t = 0; t < steps; t++)
        {
            for (var i = 0; i < n; i++)
            {
                forces[i] = Vector3.Zero;
            }

            for (var i = 0; i + 1 < n; i++)
            {
                var f = SpringForce(particles[i].Position, particles[i + 1].Position, stiffness, rest);
                forces[i] += f;
                forces[i + 1] -= f;
            }

            for (var i = 0; i < n; i++)
            {
                particles[i] = Kick(particles[i], forces[i], dt);
            }
        }

        var energy = 0f;
        for (var i = 0; i < n; i++)
        {
            energy += 0.5f * particles[i].Velocity.LengthSquared();
            if (i + 1 < n)
            {
                var stretch = Vector3.Distance(particles[i].Position, particles[i + 1].Position) - rest;
                energy += 0.5f * stiffness * stretch * stretch;
            }
        }

        return energy;
    }

    /// <summary>The force of the spring from <paramref name="a"/> to <paramref name="b"/> on <paramref name="a"/>.</summary>
#if GENERATED_SPRINGS
    [Differentiable]
#endif
    public static Vector3 SpringForce(Vector3 a, Vector3 b, float stiffness, float rest)
    {
        var d = b - a;
        var length = d.Length();
        return stiffness * (length - rest) / length * d;
    }

    /// <summary>One semi-implicit Euler step of a unit mass: the velocity first, then the position with the new velocity.</summary>
#if GENERATED_SPRINGS
    [Differentiable]
#endif
    public static Particle Kick(Particle p, Vector3 force, float dt)
    {
        var velocity = p.Velocity + dt * force;
        return new Particle { Position = p.Position + dt * velocity, Velocity = velocity };
    }
}

using System.Numerics;

namespace StaticGrad.Benchmarks.Workloads.Springs;

/// <summary>The chain's energy gradient by every implementation: each returns the energy and writes ∂E/∂particles (a <see cref="Particle"/> per mass).</summary>
public static class SpringGradients
{
    public const int Masses = 32;

    public const int Steps = 8;

    public const float Stiffness = 4f;

    public const float Rest = 0.5f;

    public const float Dt = 0.05f;

    /// <summary>A seeded chain along x, stretched and compressed at random, with small velocities.</summary>
    public static Particle[] Chain(int masses)
    {
        var random = new Random(2026);
        float Next(float scale) => (float)random.NextDouble() * scale - scale / 2;
        var particles = new Particle[masses];
        for (var i = 0; i < masses; i++)
        {
            particles[i].Position = new Vector3(i * Rest + Next(0.2f), Next(0.2f), Next(0.2f));
            particles[i].Velocity = new Vector3(Next(0.4f), Next(0.4f), Next(0.4f));
        }

        return particles;
    }

    /// <summary>
    /// The forward pass keeps every step's positions (the forces depend on them); the reverse pass runs the steps
    /// backwards: x' = x + dt·v' and v' = v + dt·f(x), with ∂(s·d)/∂d = s·I + (k·rest/L³)·d·dᵀ for a spring
    /// d = b − a, L = |d|, s = k(L − rest)/L.
    /// </summary>
    public static float HandWritten(Particle[] initial, Span<Particle> dParticles, Vector3[] history, Vector3[] forces)
    {
        var n = initial.Length;
        var x = new Span<Vector3>(history, Steps * n, n);
        var v = forces.AsSpan(n, n);
        for (var i = 0; i < n; i++)
        {
            x[i] = initial[i].Position;
            v[i] = initial[i].Velocity;
        }

        var f = forces.AsSpan(0, n);
        for (var t = 0; t < Steps; t++)
        {
            x.CopyTo(history.AsSpan(t * n, n));
            f.Clear();
            for (var i = 0; i + 1 < n; i++)
            {
                var d = x[i + 1] - x[i];
                var length = d.Length();
                var force = Stiffness * (length - Rest) / length * d;
                f[i] += force;
                f[i + 1] -= force;
            }

            for (var i = 0; i < n; i++)
            {
                v[i] += Dt * f[i];
                x[i] += Dt * v[i];
            }
        }

        // Energy at the end, and its gradient: gv = v, gx from each spring's potential.
        var energy = 0f;
        for (var i = 0; i < n; i++)
        {
            energy += 0.5f * v[i].LengthSquared();
            dParticles[i].Velocity = v[i];
            dParticles[i].Position = Vector3.Zero;
        }

        for (var i = 0; i + 1 < n; i++)
        {
            var d = x[i + 1] - x[i];
            var length = d.Length();
            var stretch = length - Rest;
            energy += 0.5f * Stiffness * stretch * stretch;
            var g = Stiffness * stretch / length * d;
            dParticles[i + 1].Position += g;
            dParticles[i].Position -= g;
        }

        var gf = forces.AsSpan(0, n);
        for (var t = Steps - 1; t >= 0; t--)
        {
            var xt = history.AsSpan(t * n, n);
            for (var i = 0; i < n; i++)
            {
                // x' = x + dt·v' gives v' the adjoint of x' times dt; v' = v + dt·f gives f that of v' times dt.
                dParticles[i].Velocity += Dt * dParticles[i].Position;
                gf[i] = Dt * dParticles[i].Velocity;
            }

            for (var i = 0; i + 1 < n; i++)
            {
                var d = xt[i + 1] - xt[i];
                var length = d.Length();
                var s = Stiffness * (length - Rest) / length;
                var w = gf[i] - gf[i + 1];
                var gd = s * w + Stiffness * Rest / (length * length * length) * Vector3.Dot(d, w) * d;
                dParticles[i + 1].Position += gd;
                dParticles[i].Position -= gd;
            }
        }

        return energy;
    }

    /// <summary>Scratch for <see cref="HandWritten"/>: every step's positions and the final ones, and forces and velocities.</summary>
    public static (Vector3[] History, Vector3[] Forces) Scratch(int masses) => (new Vector3[(Steps + 1) * masses], new Vector3[2 * masses]);

#if GENERATED_SPRINGS
    /// <summary>The generated backward; the caller's adjoints are zeroed first, as the contract says (it accumulates).</summary>
    public static float Generated(Particle[] particles, Span<Particle> dParticles)
    {
        dParticles.Clear();
        return SpringChain.EnergyBackward(particles, Stiffness, Rest, Dt, Steps, dParticles);
    }
#endif

    /// <summary>The objective on a copy (Energy advances the array it is given).</summary>
    public static float Objective(Particle[] particles, Particle[] copy)
    {
        particles.CopyTo(copy, 0);
        return SpringChain.Energy(copy, Stiffness, Rest, Dt, Steps);
    }

    /// <summary>Central differences in double over the float energy, one coordinate at a time (the check's reference only).</summary>
    public static void FiniteDifferences(Particle[] particles, Span<double> gradient)
    {
        var copy = new Particle[particles.Length];
        for (var k = 0; k < 6 * particles.Length; k++)
        {
            var body = k / 6;
            var saved = particles[body];
            var value = Component(saved, k % 6);
            var h = 1e-2f * (1f + MathF.Abs(value));
            particles[body] = With(saved, k % 6, value + h);
            double up = Objective(particles, copy);
            particles[body] = With(saved, k % 6, value - h);
            double down = Objective(particles, copy);
            particles[body] = saved;
            gradient[k] = (up - down) / ((double)(value + h) - (value - h));
        }
    }

    /// <summary>The adjoints as one vector, six numbers per mass (position, then velocity), for the checks.</summary>
    public static double[] Flatten(ReadOnlySpan<Particle> dParticles)
    {
        var flat = new double[6 * dParticles.Length];
        for (var i = 0; i < dParticles.Length; i++)
        {
            for (var c = 0; c < 6; c++)
            {
                flat[6 * i + c] = Component(dParticles[i], c);
            }
        }

        return flat;
    }

    private static float Component(Particle p, int c) => c < 3 ? p.Position[c] : p.Velocity[c - 3];

    private static Particle With(Particle p, int c, float value)
    {
        if (c < 3)
        {
            p.Position[c] = value;
        }
        else
        {
            p.Velocity[c - 3] = value;
        }

        return p;
    }
}

using StaticGrad.Benchmarks.Checking;

namespace StaticGrad.Benchmarks.Workloads.Springs;

public static class SpringChecks
{
    /// <summary>
    /// The energy is a float: central differences need a step of 1e-2 to rise above its rounding, which leaves a
    /// truncation error of the order of the step squared times the energy's third derivative (measured 6.0e-4 on the
    /// 8-mass chain). The two exact gradients agree to float rounding accumulated over the steps (measured 1.0e-7).
    /// </summary>
    public const double FiniteDifferenceTolerance = 1e-2;

    public const double FloatTolerance = 1e-5;

    public static void Run(Verifier verifier)
    {
        verifier.Section("spring chain (Particle structs, struct-returning helpers)");
        var particles = SpringGradients.Chain(8);
        var before = (Particle[])particles.Clone();
        var energy = SpringGradients.Objective(particles, new Particle[particles.Length]);
        var dParticles = new Particle[particles.Length];
        var (history, forces) = SpringGradients.Scratch(particles.Length);
        verifier.Value("hand-written gradient's energy vs Energy", energy, SpringGradients.HandWritten(particles, dParticles, history, forces), FloatTolerance);
        var hand = SpringGradients.Flatten(dParticles);
        var fd = new double[hand.Length];
        SpringGradients.FiniteDifferences(particles, fd);
        verifier.Gradient("hand-written vs central differences", hand, fd, FiniteDifferenceTolerance);
#if GENERATED_SPRINGS
        verifier.Value("generated backward's energy vs Energy", energy, SpringGradients.Generated(particles, dParticles), FloatTolerance);
        verifier.Gradient("generated vs hand-written", hand, SpringGradients.Flatten(dParticles), FloatTolerance);
        verifier.Absolute("particles the generated backward changed in the caller's array", 0, particles.Where((p, i) => !p.Equals(before[i])).Count(), 0);
#else
        verifier.Skip("generated spring-chain gradient", "SPRINGS is not in StaticGradGeneratedWorkloads");
#endif
    }
}

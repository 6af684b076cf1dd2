using System.Numerics;
using StaticGrad.Benchmarks.Checking;

namespace StaticGrad.Benchmarks.Workloads.NBody;

public static class NBodyChecks
{
    /// <summary>
    /// The energy is a float: central differences need a step of 1e-2 to rise above its rounding, and the softened
    /// potential's curvature at that step leaves a truncation error near 1e-2 (measured 1.1e-2 on this cluster). The
    /// two exact gradients agree to float rounding.
    /// </summary>
    public const double FiniteDifferenceTolerance = 3e-2;

    public const double FloatTolerance = 1e-5;

    public static void Run(Verifier verifier)
    {
        verifier.Section("n-body energy (Vector3)");
        var (positions, velocities, masses) = NBodyGradients.Cluster(16);
        var energy = NBodyEnergy.Energy(positions, velocities, masses);
        var dPositions = new Vector3[positions.Length];
        var dVelocities = new Vector3[positions.Length];
        verifier.Value("hand-written gradient's energy vs Energy", energy, NBodyGradients.HandWritten(positions, velocities, masses, dPositions, dVelocities), FloatTolerance);
        var hand = NBodyGradients.Flatten(dPositions, dVelocities);
        var fd = new double[hand.Length];
        NBodyGradients.FiniteDifferences(positions, velocities, masses, fd);
        verifier.Gradient("hand-written vs central differences", hand, fd, FiniteDifferenceTolerance);
#if GENERATED_NBODY
        verifier.Value("generated backward's energy vs Energy", energy, NBodyGradients.Generated(positions, velocities, masses, dPositions, dVelocities), FloatTolerance);
        verifier.Gradient("generated vs hand-written", hand, NBodyGradients.Flatten(dPositions, dVelocities), FloatTolerance);
#else
        verifier.Skip("generated n-body gradient", "NBODY is not in StaticGradGeneratedWorkloads");
#endif
    }
}

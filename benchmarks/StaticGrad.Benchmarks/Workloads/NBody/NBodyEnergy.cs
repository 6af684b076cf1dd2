using System.Numerics;

namespace StaticGrad.Benchmarks.Workloads.NBody;

/// <summary>
/// The total energy of a softened gravitational n-body system, written as physics code keeps its bodies: positions
/// and velocities in <see cref="Vector3"/> arrays, masses constant. Its gradient is the (negated) force on every
/// body and the momentum of every body.
/// </summary>
public static partial class NBodyEnergy
{
    /// <summary>Plummer softening length squared: keeps the potential finite for close encounters.</summary>
    public const float Softening2 = 0.01f;

#if GENERATED_NBODY
    [Differentiable]
#endif
    public static float Energy(Vector3[] positions, Vector3[] velocities, [NoGrad] float[] masses)
    {
        var kinetic = 0f;
        var potential = 0f;
        for (var i = 0; i < positions.Length; i++)
        {
            kinetic += 0.5f * masses[i] * velocities[i].LengthSquared();
            for (var j = i + 1; j < positions.Length; j++)
            {
                var r = positions[i] - positions[j];
                potential -= masses[i] * masses[j] / MathF.Sqrt(r.LengthSquared() + Softening2);
            }
        }

        return kinetic + potential;
    }
}

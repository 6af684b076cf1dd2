using System.Numerics;

namespace StaticGrad.Benchmarks.Workloads.NBody;

/// <summary>The energy gradient by every implementation: each returns the energy and writes ∂E/∂positions and ∂E/∂velocities.</summary>
public static class NBodyGradients
{
    public const int Bodies = 64;

    /// <summary>A seeded cluster: positions in a unit cube, small velocities, masses in [0.5, 1.5).</summary>
    public static (Vector3[] Positions, Vector3[] Velocities, float[] Masses) Cluster(int bodies)
    {
        var random = new Random(2026);
        Vector3 Next(float scale) => new((float)random.NextDouble() * scale - scale / 2, (float)random.NextDouble() * scale - scale / 2, (float)random.NextDouble() * scale - scale / 2);
        var positions = new Vector3[bodies];
        var velocities = new Vector3[bodies];
        var masses = new float[bodies];
        for (var i = 0; i < bodies; i++)
        {
            positions[i] = Next(1f);
            velocities[i] = Next(0.2f);
            masses[i] = 0.5f + (float)random.NextDouble();
        }

        return (positions, velocities, masses);
    }

    /// <summary>One pass over the pairs: ∂E/∂rᵢ = Σⱼ mᵢmⱼ(rᵢ − rⱼ)/d³ (d the softened distance, Newton's third law for j), ∂E/∂vᵢ = mᵢvᵢ.</summary>
    public static float HandWritten(Vector3[] positions, Vector3[] velocities, float[] masses, Span<Vector3> dPositions, Span<Vector3> dVelocities)
    {
        var kinetic = 0f;
        var potential = 0f;
        for (var i = 0; i < positions.Length; i++)
        {
            kinetic += 0.5f * masses[i] * velocities[i].LengthSquared();
            dVelocities[i] = masses[i] * velocities[i];
            for (var j = i + 1; j < positions.Length; j++)
            {
                var r = positions[i] - positions[j];
                var inverse = 1f / MathF.Sqrt(r.LengthSquared() + NBodyEnergy.Softening2);
                var mm = masses[i] * masses[j];
                potential -= mm * inverse;
                var force = mm * inverse * inverse * inverse * r;
                dPositions[i] += force;
                dPositions[j] -= force;
            }
        }

        return kinetic + potential;
    }

#if GENERATED_NBODY
    /// <summary>The generated backward; the caller's adjoints are zeroed first, as the contract says (it accumulates).</summary>
    public static float Generated(Vector3[] positions, Vector3[] velocities, float[] masses, Span<Vector3> dPositions, Span<Vector3> dVelocities)
    {
        dPositions.Clear();
        dVelocities.Clear();
        return NBodyEnergy.EnergyBackward(positions, velocities, masses, dPositions, dVelocities);
    }
#endif

    /// <summary>Central differences in double over the float energy, one coordinate at a time (the check's reference only).</summary>
    public static void FiniteDifferences(Vector3[] positions, Vector3[] velocities, float[] masses, Span<double> gradient)
    {
        var n = positions.Length;
        for (var k = 0; k < 6 * n; k++)
        {
            var array = k < 3 * n ? positions : velocities;
            var body = (k % (3 * n)) / 3;
            var axis = k % 3;
            var saved = array[body];
            var h = 1e-2f * (1f + MathF.Abs(saved[axis]));
            var plus = saved;
            plus[axis] += h;
            array[body] = plus;
            double up = NBodyEnergy.Energy(positions, velocities, masses);
            var minus = saved;
            minus[axis] -= h;
            array[body] = minus;
            double down = NBodyEnergy.Energy(positions, velocities, masses);
            array[body] = saved;
            gradient[k] = (up - down) / ((double)plus[axis] - minus[axis]);
        }
    }

    /// <summary>The adjoints as one vector, positions first, for the checks.</summary>
    public static double[] Flatten(Vector3[] dPositions, Vector3[] dVelocities) =>
        dPositions.Concat(dVelocities).SelectMany(v => new double[] { v.X, v.Y, v.Z }).ToArray();
}

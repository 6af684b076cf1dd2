using System.Numerics;
using BenchmarkDotNet.Attributes;
using StaticGrad.Benchmarks.Workloads.NBody;

namespace StaticGrad.Benchmarks.Suites;

/// <summary>The energy of 64 softened gravitating bodies (<see cref="Vector3"/> arrays) and its gradient.</summary>
[MemoryDiagnoser]
public class NBodyBenchmarks
{
    private readonly Vector3[] _positions;
    private readonly Vector3[] _velocities;
    private readonly float[] _masses;
    private readonly Vector3[] _dPositions = new Vector3[NBodyGradients.Bodies];
    private readonly Vector3[] _dVelocities = new Vector3[NBodyGradients.Bodies];

    public NBodyBenchmarks() => (_positions, _velocities, _masses) = NBodyGradients.Cluster(NBodyGradients.Bodies);

    [Benchmark]
    public float Objective() => NBodyEnergy.Energy(_positions, _velocities, _masses);

    [Benchmark(Baseline = true)]
    public float HandWritten() => NBodyGradients.HandWritten(_positions, _velocities, _masses, _dPositions, _dVelocities);

#if GENERATED_NBODY
    [Benchmark]
    public float Generated() => NBodyGradients.Generated(_positions, _velocities, _masses, _dPositions, _dVelocities);
#endif
}

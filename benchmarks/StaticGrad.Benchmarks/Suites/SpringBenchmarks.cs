using BenchmarkDotNet.Attributes;
using StaticGrad.Benchmarks.Workloads.Springs;

namespace StaticGrad.Benchmarks.Suites;

/// <summary>A chain of 32 <see cref="Particle"/> structs, 8 steps, its final energy and gradient (struct-returning helpers).</summary>
[MemoryDiagnoser]
public class SpringBenchmarks
{
    private readonly Particle[] _particles = SpringGradients.Chain(SpringGradients.Masses);
    private readonly Particle[] _copy = new Particle[SpringGradients.Masses];
    private readonly Particle[] _dParticles = new Particle[SpringGradients.Masses];
    private readonly (System.Numerics.Vector3[] History, System.Numerics.Vector3[] Forces) _scratch = SpringGradients.Scratch(SpringGradients.Masses);

    [Benchmark]
    public float Objective() => SpringGradients.Objective(_particles, _copy);

    [Benchmark(Baseline = true)]
    public float HandWritten() => SpringGradients.HandWritten(_particles, _dParticles, _scratch.History, _scratch.Forces);

#if GENERATED_SPRINGS
    [Benchmark]
    public float Generated() => SpringGradients.Generated(_particles, _dParticles);
#endif
}

namespace StaticGrad;

/// <summary>
/// A seeded, deterministic random source for <see cref="Tensor.Randn(int[], RandomGenerator, DType, bool)"/> and <see cref="Tensor.Rand(int[], RandomGenerator, DType, bool)"/> (PyTorch's
/// <c>torch.Generator</c>): the same seed gives the same numbers on every machine and .NET version
/// (xoshiro256** seeded through SplitMix64; normals by Box–Muller).
/// </summary>
public sealed class RandomGenerator
{
    private ulong _s0, _s1, _s2, _s3;
    private double? _spareNormal;

    /// <summary>Creates a generator with the given seed.</summary>
    /// <param name="seed">The seed.</param>
    public RandomGenerator(long seed) => ManualSeed(seed);

    /// <summary>The generator factories use when none is given, seeded with 0 until <see cref="ManualSeed"/> is called on it.</summary>
    public static RandomGenerator Default { get; } = new(0);

    /// <summary>Restarts the sequence from <paramref name="seed"/> (PyTorch's <c>generator.manual_seed(seed)</c>).</summary>
    /// <param name="seed">The seed.</param>
    /// <returns>This generator.</returns>
    public RandomGenerator ManualSeed(long seed)
    {
        ulong x = unchecked((ulong)seed);
        _s0 = SplitMix(ref x);
        _s1 = SplitMix(ref x);
        _s2 = SplitMix(ref x);
        _s3 = SplitMix(ref x);
        _spareNormal = null;
        return this;
    }

    /// <summary>The next uniform double in [0, 1).</summary>
    /// <returns>The number.</returns>
    public double NextUniform() => (NextUInt64() >> 11) * (1.0 / (1UL << 53));

    /// <summary>The next standard normal double.</summary>
    /// <returns>The number.</returns>
    public double NextNormal()
    {
        if (_spareNormal is { } spare)
        {
            _spareNormal = null;
            return spare;
        }

        double u1 = 1.0 - NextUniform();
        double u2 = NextUniform();
        double r = Math.Sqrt(-2.0 * Math.Log(u1));
        _spareNormal = r * Math.Sin(2 * Math.PI * u2);
        return r * Math.Cos(2 * Math.PI * u2);
    }

    /// <summary>The next 64 random bits.</summary>
    /// <returns>The bits.</returns>
    public ulong NextUInt64()
    {
        ulong result = RotateLeft(_s1 * 5, 7) * 9;
        ulong t = _s1 << 17;
        _s2 ^= _s0;
        _s3 ^= _s1;
        _s1 ^= _s2;
        _s0 ^= _s3;
        _s2 ^= t;
        _s3 = RotateLeft(_s3, 45);
        return result;
    }

    private static ulong RotateLeft(ulong x, int k) => (x << k) | (x >> (64 - k));

    private static ulong SplitMix(ref ulong x)
    {
        ulong z = x += 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }
}

using System.Collections.Concurrent;
using StaticGrad.Generator.Tests.Infrastructure;

namespace StaticGrad.Generator.Tests.RandomPrograms;

/// <summary>
/// A random batch with the generator's output for it, made once per test run: the share tests read the same batches
/// (seed 20261123 and the next), and running the generator over 250 programs is most of their time.
/// </summary>
internal static class GeneratedBatches
{
    private static readonly ConcurrentDictionary<(int Seed, int Size), Lazy<(RandomBatch Batch, GeneratorOutput Output)>> Made = new();

    public static (RandomBatch Batch, GeneratorOutput Output) Get(int seed, int size) =>
        Made.GetOrAdd((seed, size), key => new Lazy<(RandomBatch, GeneratorOutput)>(() =>
        {
            var batch = RandomBatch.Create(key.Seed, key.Size);
            return (batch, GeneratorHarness.Run(batch.Source));
        })).Value;

    /// <summary>Each program's generated backward (empty when it has none), over <paramref name="batches"/> batches from <paramref name="firstSeed"/>.</summary>
    public static IEnumerable<string> Backwards(int firstSeed, int batches, int size) =>
        Enumerable.Range(firstSeed, batches).SelectMany(seed =>
        {
            var (batch, output) = Get(seed, size);
            return batch.Programs.Select(program => output.Sources
                .Where(s => s.HintName.EndsWith(".Programs." + program.Name + ".g.cs", StringComparison.Ordinal))
                .Select(s => s.Source).SingleOrDefault() ?? string.Empty);
        });
}

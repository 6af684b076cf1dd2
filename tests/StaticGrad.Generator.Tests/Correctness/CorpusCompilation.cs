using StaticGrad.Generator.Tests.Correctness.Corpus;
using StaticGrad.Generator.Tests.Correctness.Harness;

namespace StaticGrad.Generator.Tests.Correctness;

/// <summary>The corpus compiled once for every correctness test (the compilation is the slow part).</summary>
internal static class CorpusCompilation
{
    private static readonly Lazy<CompiledBatch> s_batch = new(() => CompiledBatch.Compile(CorpusSources.All, CorpusSources.Methods));

    public static CompiledBatch Batch => s_batch.Value;

    /// <summary>The loaded method, or a test failure that carries everything needed to reproduce the problem.</summary>
    public static LoadedMethod Load(string key)
    {
        var batch = Batch;
        if (batch.Loaded.TryGetValue(key, out var loaded))
        {
            return loaded;
        }

        var method = CorpusSources.Find(key);
        throw new Xunit.Sdk.XunitException($"{key} could not be compiled: {batch.Failures.GetValueOrDefault(key)}\n\n{batch.Describe(method)}");
    }
}

using System.Collections.Concurrent;
using System.Text.Json;

namespace StaticGrad.Tests.Oracle.Harness;

/// <summary>
/// The recordings of <c>oracle_cases.py</c> under PyTorch 2.11, embedded in the test assembly so that a clone without
/// <c>../shared</c> still checks the runtime against them.
/// </summary>
internal static class OracleData
{
    /// <summary>The run with <c>ATEN_CPU_CAPABILITY=default</c> (no fused multiply-add in vectorised kernels).</summary>
    public const string DefaultCpu = "pytorch-2.11-default-cpu";

    /// <summary>The run on the native AVX512 capability (fused multiply-add in <c>param.add_(g, alpha=-lr)</c>).</summary>
    public const string Avx512 = "pytorch-2.11-avx512";

    private static readonly ConcurrentDictionary<string, JsonDocument> s_documents = new(StringComparer.Ordinal);

    public static JsonDocument Document(string recording) => s_documents.GetOrAdd(recording, Load);

    public static JsonElement Meta(string recording) => Document(recording).RootElement.GetProperty("meta");

    public static IReadOnlyList<string> CaseIds(string recording = DefaultCpu) =>
        Document(recording).RootElement.GetProperty("cases").EnumerateArray()
            .Select(c => c.GetProperty("id").GetString()!)
            .ToList();

    public static JsonElement Case(string id, string recording = DefaultCpu)
    {
        foreach (var c in Document(recording).RootElement.GetProperty("cases").EnumerateArray())
        {
            if (c.GetProperty("id").GetString() == id)
            {
                return c;
            }
        }

        throw new KeyNotFoundException($"The oracle recording '{recording}' has no case '{id}'.");
    }

    private static JsonDocument Load(string recording)
    {
        var resource = $"Oracle.{recording}.json";
        using var stream = typeof(OracleData).Assembly.GetManifestResourceStream(resource)
            ?? throw new InvalidOperationException($"The test assembly does not embed '{resource}'.");
        return JsonDocument.Parse(stream);
    }
}

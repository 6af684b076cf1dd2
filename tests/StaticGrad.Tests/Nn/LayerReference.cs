using System.Text.Json;

namespace StaticGrad.Tests.Nn;

/// <summary>The libtorch reference values of Data/layers-reference.json (see Data/README.md), by case name.</summary>
internal static class LayerReference
{
    private static readonly Lazy<JsonDocument> Document = new(() =>
    {
        using var stream = typeof(LayerReference).Assembly.GetManifestResourceStream("Nn.layers-reference.json")
            ?? throw new InvalidOperationException("The test assembly does not embed 'Nn.layers-reference.json'.");
        return JsonDocument.Parse(stream);
    });

    /// <summary>The names of the cases of operation <paramref name="op"/>, as xunit member data.</summary>
    public static TheoryData<string> Names(string op)
    {
        var data = new TheoryData<string>();
        foreach (var c in Document.Value.RootElement.GetProperty("cases").EnumerateArray())
        {
            if (c.GetProperty("op").GetString() == op)
            {
                data.Add(c.GetProperty("name").GetString()!);
            }
        }

        return data;
    }

    public static LayerCase Case(string name)
    {
        foreach (var c in Document.Value.RootElement.GetProperty("cases").EnumerateArray())
        {
            if (c.GetProperty("name").GetString() == name)
            {
                return new LayerCase(c);
            }
        }

        throw new KeyNotFoundException($"layers-reference.json has no case '{name}'.");
    }

    /// <summary>A grad_fn name recorded outside the cases (e.g. dropout's).</summary>
    public static string GradFn(string key) => Document.Value.RootElement.GetProperty("grad_fn").GetProperty(key).GetString()!;
}

internal sealed class LayerCase(JsonElement element)
{
    public string GradFn => element.GetProperty("grad_fn").GetString()!;

    public bool Has(string key) => element.TryGetProperty(key, out _);

    public Tensor Tensor(string key, bool requiresGrad = false)
    {
        var t = element.GetProperty(key);
        var shape = t.GetProperty("shape").EnumerateArray().Select(e => e.GetInt32()).ToArray();
        var data = t.GetProperty("data").EnumerateArray().Select(e => e.GetDouble()).ToArray();
        return StaticGrad.Tensor.FromArray(data, shape, requiresGrad);
    }

    public (int H, int W) Pair(string key)
    {
        var values = element.GetProperty(key).EnumerateArray().Select(e => e.GetInt32()).ToArray();
        return (values[0], values[1]);
    }

    public int Int(string key) => element.GetProperty(key).GetInt32();

    public double Number(string key) => element.GetProperty(key).GetDouble();

    public bool Bool(string key) => element.GetProperty(key).GetBoolean();
}

using System.Globalization;
using System.Text.Json;

namespace StaticGrad.Tests.Oracle.Harness;

/// <summary>Decoding of the oracle's value encoding (nested lists, "nan"/"inf" strings, complex pairs).</summary>
internal static class OracleJson
{
    public static bool IsTensor(JsonElement e) =>
        e.ValueKind == JsonValueKind.Object && e.TryGetProperty("dtype", out _) && e.TryGetProperty("value", out _);

    public static bool IsAttempt(JsonElement e) =>
        e.ValueKind == JsonValueKind.Object && e.TryGetProperty("raised", out _) && e.TryGetProperty("warnings", out _);

    /// <summary>The shape implied by a nested list: a bare number is a scalar (<c>[]</c>).</summary>
    public static int[] ShapeOf(JsonElement nested)
    {
        var shape = new List<int>();
        var e = nested;
        while (e.ValueKind == JsonValueKind.Array)
        {
            shape.Add(e.GetArrayLength());
            if (e.GetArrayLength() == 0)
            {
                break;
            }

            e = e[0];
        }

        return shape.ToArray();
    }

    /// <summary>Row-major values of a nested list; booleans become 1/0 as <c>torch.tensor(bools).tolist()</c> compares.</summary>
    public static double[] Flatten(JsonElement nested)
    {
        var values = new List<double>();
        Collect(nested, values);
        return values.ToArray();
    }

    public static double Number(JsonElement e) => e.ValueKind switch
    {
        JsonValueKind.Number => e.GetDouble(),
        JsonValueKind.True => 1,
        JsonValueKind.False => 0,
        JsonValueKind.String => e.GetString() switch
        {
            "nan" => double.NaN,
            "inf" => double.PositiveInfinity,
            "-inf" => double.NegativeInfinity,
            var s => throw new FormatException($"'{s}' is not an oracle number."),
        },
        _ => throw new FormatException($"{e.ValueKind} is not an oracle number."),
    };

    public static string Describe(JsonElement e) => e.ValueKind == JsonValueKind.String
        ? e.GetString()!
        : e.GetRawText();

    public static string Format(double value) => value.ToString("R", CultureInfo.InvariantCulture);

    private static void Collect(JsonElement e, List<double> into)
    {
        if (e.ValueKind == JsonValueKind.Array)
        {
            foreach (var item in e.EnumerateArray())
            {
                Collect(item, into);
            }
        }
        else
        {
            into.Add(Number(e));
        }
    }
}

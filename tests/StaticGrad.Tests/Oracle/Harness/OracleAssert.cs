using System.Collections;
using System.Globalization;
using System.Text.Json;
using Xunit.Sdk;

namespace StaticGrad.Tests.Oracle.Harness;

/// <summary>Structural comparison of a .NET observation with the oracle's JSON encoding of PyTorch's.</summary>
internal static class OracleAssert
{
    /// <summary>
    /// PyTorch's C++ warnings end with a build-dependent " (Triggered internally at …)" suffix (SPEC §0.3): compared by
    /// the text before it.
    /// </summary>
    private const string TriggeredSuffix = " (Triggered internally at ";

    public static void Matches(JsonElement expected, object? actual, Tolerance? tolerance, string path)
    {
        if (expected.ValueKind == JsonValueKind.Null)
        {
            if (actual is not null)
            {
                throw new XunitException($"{path}: PyTorch recorded None, the runtime gave {Show(actual)}.");
            }

            return;
        }

        if (OracleJson.IsTensor(expected))
        {
            TensorMatches(expected, actual as Tensor ?? throw new XunitException($"{path}: expected a tensor, got {Show(actual)}."), tolerance, path);
            return;
        }

        switch (expected.ValueKind)
        {
            case JsonValueKind.True or JsonValueKind.False:
                Assert.True(actual is bool, $"{path}: expected a bool, got {Show(actual)}.");
                Assert.True(expected.GetBoolean() == (bool)actual!, $"{path}: expected {expected.GetBoolean()}, got {actual}.");
                return;
            case JsonValueKind.Number:
                var number = actual switch
                {
                    int i => i,
                    long l => l,
                    double d => d,
                    float f => f,
                    _ => throw new XunitException($"{path}: expected a number, got {Show(actual)}."),
                };
                var t = tolerance ?? Tolerance.Float64;
                Assert.True(t.Accepts(expected.GetDouble(), number), $"{path}: expected {expected.GetRawText()}, got {OracleJson.Format(number)} ({t}).");
                return;
            case JsonValueKind.String:
                Assert.Equal(expected.GetString(), actual as string);
                return;
            case JsonValueKind.Array:
                Assert.True(OracleCase.IsSequence(actual), $"{path}: expected a list, got {Show(actual)}.");
                var items = ((IEnumerable)actual!).Cast<object?>().ToList();
                Assert.True(expected.GetArrayLength() == items.Count, $"{path}: expected {expected.GetArrayLength()} items, got {items.Count}.");
                for (var i = 0; i < items.Count; i++)
                {
                    Matches(expected[i], items[i], tolerance, $"{path}[{i}]");
                }

                return;
            case JsonValueKind.Object:
                var dictionary = actual as IReadOnlyDictionary<string, object?>
                    ?? throw new XunitException($"{path}: expected a dictionary, got {Show(actual)}.");
                var expectedKeys = expected.EnumerateObject().Select(p => p.Name).OrderBy(k => k, StringComparer.Ordinal).ToList();
                Assert.Equal(expectedKeys, dictionary.Keys.OrderBy(k => k, StringComparer.Ordinal).ToList());
                foreach (var property in expected.EnumerateObject())
                {
                    Matches(property.Value, dictionary[property.Name], tolerance, $"{path}.{property.Name}");
                }

                return;
            default:
                throw new XunitException($"{path}: cannot compare {expected.ValueKind}.");
        }
    }

    /// <summary>
    /// Compares every recorded field of a tensor: dtype, shape, values (within <paramref name="tolerance"/>, by default
    /// a few ulp of the dtype), requires_grad, is_leaf, grad_fn name, retains_grad, is_inference, version and grad.
    /// </summary>
    public static void TensorMatches(JsonElement expected, Tensor actual, Tolerance? tolerance, string path, string? netDType = null)
    {
        var facts = TensorFacts.Of(actual);
        var dtype = netDType ?? expected.GetProperty("dtype").GetString()!;
        var t = tolerance ?? Tolerance.ForDType(dtype);

        Assert.True(dtype == facts.DType, $"{path}: dtype {dtype} expected, got {facts.DType}.");
        var shape = expected.GetProperty("shape").EnumerateArray().Select(e => e.GetInt32()).ToArray();
        Assert.True(shape.SequenceEqual(facts.Shape), $"{path}: shape [{string.Join(", ", shape)}] expected, got [{string.Join(", ", facts.Shape)}].");
        ValuesMatch(expected.GetProperty("value"), facts.Values, t, path + ".value");

        Flag(expected, "requires_grad", facts.RequiresGrad, path);
        Flag(expected, "is_leaf", facts.IsLeaf, path);
        var gradFn = expected.GetProperty("grad_fn");
        Assert.True(
            (gradFn.ValueKind == JsonValueKind.Null ? null : gradFn.GetString()) == facts.GradFn,
            $"{path}: grad_fn {OracleJson.Describe(gradFn)} expected, got {facts.GradFn ?? "None"}.");
        Flag(expected, "retains_grad", facts.RetainsGrad, path);
        Flag(expected, "is_inference", facts.IsInference, path);

        var version = expected.GetProperty("version");
        if (version.ValueKind == JsonValueKind.Number)
        {
            Assert.True(version.GetInt64() == facts.Version, $"{path}: version {version.GetInt64()} expected, got {facts.VersionText}.");
        }
        else
        {
            Assert.True(version.GetString() == facts.VersionText, $"{path}: version '{version.GetString()}' expected, got '{facts.VersionText}'.");
        }

        if (expected.TryGetProperty("grad", out var grad))
        {
            if (grad.ValueKind == JsonValueKind.Null)
            {
                Assert.True(facts.Grad is null, $"{path}: grad None expected, got {Show(facts.Grad)}.");
            }
            else
            {
                Assert.True(facts.Grad is not null, $"{path}: grad {grad.GetRawText()} expected, got None.");
                var gradFacts = TensorFacts.Of(facts.Grad!);
                var gradShape = OracleJson.ShapeOf(grad);
                Assert.True(gradShape.SequenceEqual(gradFacts.Shape), $"{path}.grad: shape [{string.Join(", ", gradShape)}] expected, got [{string.Join(", ", gradFacts.Shape)}].");
                ValuesMatch(grad, gradFacts.Values, t, path + ".grad");
            }
        }
    }

    public static void WarningsMatch(JsonElement expected, IReadOnlyList<string> actual, string path) =>
        WarningsMatch(expected.EnumerateArray().Select(w => w.GetProperty("message").GetString()!).ToList(), actual, path);

    /// <summary>Compares warning texts in order, each without PyTorch's build-dependent suffix and traceback.</summary>
    public static void WarningsMatch(IReadOnlyList<string> expected, IReadOnlyList<string> actual, string path)
    {
        var expectedTexts = expected.Select(Comparable).ToList();
        var actualTexts = actual.Select(Comparable).ToList();
        Assert.True(
            expectedTexts.SequenceEqual(actualTexts),
            $"{path}: warnings [{string.Join(" | ", expectedTexts)}] expected, got [{string.Join(" | ", actualTexts)}].");
    }

    public static void ValuesMatch(JsonElement expected, IReadOnlyList<double> actual, Tolerance tolerance, string path)
    {
        var values = OracleJson.Flatten(expected);
        Assert.True(values.Length == actual.Count, $"{path}: {values.Length} values expected, got {actual.Count}.");
        for (var i = 0; i < values.Length; i++)
        {
            if (!tolerance.Accepts(values[i], actual[i]))
            {
                throw new XunitException(
                    $"{path}[{i}]: expected {OracleJson.Format(values[i])}, got {OracleJson.Format(actual[i])} ({tolerance}); " +
                    $"all expected {expected.GetRawText()}, got [{string.Join(", ", actual.Select(OracleJson.Format))}].");
            }
        }
    }

    /// <summary>The warning without the build-dependent suffix and without a traceback (anomaly reports list the
    /// Python or .NET call stack after their first line).</summary>
    private static string Comparable(string warning)
    {
        var cut = warning.IndexOf(TriggeredSuffix, StringComparison.Ordinal);
        var text = cut < 0 ? warning : warning[..cut];
        var newline = text.IndexOf('\n', StringComparison.Ordinal);
        return newline < 0 ? text : text[..newline];
    }

    private static void Flag(JsonElement expected, string name, bool actual, string path)
    {
        var e = expected.GetProperty(name).GetBoolean();
        Assert.True(e == actual, $"{path}: {name} {e} expected, got {actual}.");
    }

    private static string Show(object? value) => value switch
    {
        null => "null",
        Tensor t => "tensor " + string.Join(", ", TensorFacts.Of(t).Values.Select(OracleJson.Format)),
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString() ?? value.GetType().Name,
    };
}

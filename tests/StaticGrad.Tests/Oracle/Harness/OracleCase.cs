using System.Collections;
using System.Text.Json;
using Xunit.Sdk;

namespace StaticGrad.Tests.Oracle.Harness;

/// <summary>
/// One recorded case of <c>oracle_cases.py</c>: a test runs the same scenario in C# and hands each observation to
/// this object under the key PyTorch recorded it with. Every output key must be checked (or declared not applicable
/// to .NET with a reason) before <see cref="AllOutputsChecked"/>, so a port cannot silently skip an observation.
/// </summary>
internal sealed class OracleCase
{
    private readonly JsonElement _case;
    private readonly HashSet<string> _checked = new(StringComparer.Ordinal);

    // Every warning of the whole scenario, so that one the runtime raises outside an attempt is caught too.
    private readonly WarningCapture _caseWarnings = WarningCapture.Start();

    // Warnings PyTorch raised in steps that have no .NET meaning, so not expected from the runtime.
    private readonly List<string> _excusedWarnings = new();

    private OracleCase(string id, string recording, JsonElement data)
    {
        Id = id;
        Recording = recording;
        _case = data;
        Assert.Equal("ok", data.GetProperty("status").GetString());
    }

    public string Id { get; }

    public string Recording { get; }

    public JsonElement Outputs => _case.GetProperty("outputs");

    public JsonElement Inputs => _case.GetProperty("inputs");

    /// <summary>Warnings PyTorch emitted during the whole case (including those inside attempts).</summary>
    public IReadOnlyList<string> Warnings => _case.GetProperty("warnings").EnumerateArray()
        .Select(w => w.GetProperty("message").GetString()!)
        .ToList();

    public static OracleCase Load(string id, string recording = OracleData.DefaultCpu) =>
        new(id, recording, OracleData.Case(id, recording));

    /// <summary>The raw recorded observation; marks the key as checked, so the caller must assert on it.</summary>
    public JsonElement Output(string key)
    {
        if (!Outputs.TryGetProperty(key, out var value))
        {
            throw new XunitException($"{Id}: PyTorch recorded no output '{key}'.");
        }

        _checked.Add(key);
        return value;
    }

    public JsonElement Input(string key) => Inputs.GetProperty(key);

    /// <summary>Compares a tensor (or <c>null</c>) with the recorded description: values, dtype, shape and autograd state.</summary>
    /// <param name="key">The observation's key.</param>
    /// <param name="actual">The runtime's tensor.</param>
    /// <param name="tolerance">The value tolerance; a few ulp of the dtype by default.</param>
    /// <param name="netDType">
    /// The dtype expected instead of PyTorch's where the runtime has no such dtype (int32, float16): the nearest .NET
    /// meaning, stated by the test.
    /// </param>
    public void Tensor(string key, StaticGrad.Tensor? actual, Tolerance? tolerance = null, string? netDType = null)
    {
        var expected = Output(key);
        if (expected.ValueKind == System.Text.Json.JsonValueKind.Null || netDType is null)
        {
            OracleAssert.Matches(expected, actual, tolerance, $"{Id}.{key}");
            return;
        }

        Assert.NotNull(actual);
        OracleAssert.TensorMatches(expected, actual!, tolerance, $"{Id}.{key}", netDType);
    }

    /// <summary>Compares a plain observation (bool, number, string, list, dictionary or tensor).</summary>
    public void Value(string key, object? actual, Tolerance? tolerance = null) =>
        OracleAssert.Matches(Output(key), actual, tolerance, $"{Id}.{key}");

    /// <summary>
    /// Runs a step that PyTorch either completed (its result is compared) or failed (the exception type, mapped to
    /// .NET, and the exact message are compared). Warnings emitted by the step are compared with PyTorch's.
    /// </summary>
    public void Attempt(string key, Func<object?> step, Type? exception = null, string? message = null, Tolerance? tolerance = null)
    {
        var recorded = Output(key);
        Assert.True(OracleJson.IsAttempt(recorded), $"{Id}.{key} is not a recorded attempt.");
        var path = $"{Id}.{key}";
        object? result = null;
        Exception? thrown = null;
        IReadOnlyList<string> warnings;
        using (var capture = WarningCapture.Start())
        {
            try
            {
                result = step();
            }
            catch (Exception e) when (e is not XunitException)
            {
                thrown = e;
            }

            warnings = capture.Messages;
        }

        if (recorded.GetProperty("raised").GetBoolean())
        {
            var pythonType = recorded.GetProperty("exc_type").GetString()!;
            var expectedType = exception ?? MapPythonException(pythonType);
            if (thrown is null)
            {
                throw new XunitException($"{path}: PyTorch raised {pythonType}, the runtime returned normally.");
            }

            if (!expectedType.IsInstanceOfType(thrown))
            {
                throw new XunitException(
                    $"{path}: PyTorch raised {pythonType}; expected {expectedType.Name}, got {thrown.GetType().Name}: {thrown.Message}\n{thrown.StackTrace}");
            }

            Assert.Equal(message ?? recorded.GetProperty("exc_message").GetString(), MessageOf(thrown));
        }
        else
        {
            if (thrown is not null)
            {
                throw new XunitException($"{path}: PyTorch succeeded, the runtime threw {thrown.GetType().Name}: {thrown.Message}\n{thrown.StackTrace}");
            }

            OracleAssert.Matches(recorded.GetProperty("result"), result, tolerance, path + ".result");
        }

        OracleAssert.WarningsMatch(recorded.GetProperty("warnings"), warnings, path);
    }

    /// <inheritdoc cref="Attempt(string, Func{object?}, Type?, string?, Tolerance?)"/>
    public void Attempt(string key, Action step, Type? exception = null, string? message = null) =>
        Attempt(key, () => { step(); return null; }, exception, message);

    /// <summary>
    /// Marks an observation that has no .NET meaning (Python-only argument parsing, torchvision, …) as deliberately
    /// not compared. The reason is for the reader of the test; the test must check the nearest .NET meaning itself.
    /// </summary>
    public void NotApplicable(string key, string reason)
    {
        Assert.False(string.IsNullOrWhiteSpace(reason));
        var recorded = Output(key);
        if (OracleJson.IsAttempt(recorded))
        {
            _excusedWarnings.AddRange(recorded.GetProperty("warnings").EnumerateArray().Select(w => w.GetProperty("message").GetString()!));
        }
    }

    /// <summary>
    /// Asserts that every recorded observation was compared and that the scenario raised exactly PyTorch's warnings.
    /// </summary>
    public void AllOutputsChecked()
    {
        _caseWarnings.Dispose();
        var missing = Outputs.EnumerateObject().Select(p => p.Name).Where(k => !_checked.Contains(k)).ToList();
        Assert.True(missing.Count == 0, $"{Id}: observations not compared: {string.Join(", ", missing)}");
        var expected = Warnings.ToList();
        foreach (var excused in _excusedWarnings)
        {
            expected.Remove(excused);
        }

        OracleAssert.WarningsMatch(expected, _caseWarnings.Messages, Id + " (whole case)");
    }

    /// <summary>DESIGN: autograd-state errors are InvalidOperationException; type and value errors are ArgumentException.</summary>
    public static Type MapPythonException(string pythonType) => pythonType switch
    {
        "RuntimeError" => typeof(InvalidOperationException),
        "TypeError" or "ValueError" => typeof(ArgumentException),
        _ => throw new XunitException($"No .NET mapping for Python's {pythonType}."),
    };

    /// <summary>The message as PyTorch would print it: without the " (Parameter 'x')" suffix .NET appends.</summary>
    public static string MessageOf(Exception e) =>
        e is ArgumentException { ParamName: { } name } && e.Message.EndsWith($" (Parameter '{name}')", StringComparison.Ordinal)
            ? e.Message[..^$" (Parameter '{name}')".Length]
            : e.Message;

    internal static bool IsSequence(object? value) => value is IEnumerable and not string and not StaticGrad.Tensor;
}

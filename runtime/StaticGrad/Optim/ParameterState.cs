using System.Collections;
using System.Diagnostics.CodeAnalysis;

namespace StaticGrad.Optim;

/// <summary>The state an optimizer keeps for one parameter (one of PyTorch's <c>optimizer.state[p]</c> dicts).</summary>
public sealed class ParameterState : IReadOnlyDictionary<string, Tensor>
{
    private readonly Dictionary<string, Tensor> _entries = new(StringComparer.Ordinal);

    /// <inheritdoc/>
    public int Count => _entries.Count;

    /// <inheritdoc/>
    public IEnumerable<string> Keys => _entries.Keys;

    /// <inheritdoc/>
    public IEnumerable<Tensor> Values => _entries.Values;

    /// <inheritdoc/>
    public Tensor this[string key] => _entries[key];

    /// <inheritdoc/>
    public bool ContainsKey(string key) => _entries.ContainsKey(key);

    /// <inheritdoc/>
    public bool TryGetValue(string key, [MaybeNullWhen(false)] out Tensor value) => _entries.TryGetValue(key, out value);

    /// <inheritdoc/>
    public IEnumerator<KeyValuePair<string, Tensor>> GetEnumerator() => _entries.GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    internal void Set(string key, Tensor value) => _entries[key] = value;
}

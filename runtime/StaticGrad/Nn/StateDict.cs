using System.Collections;
using System.Diagnostics.CodeAnalysis;

namespace StaticGrad.Nn;

/// <summary>
/// Tensors by dotted name in a fixed order (PyTorch's <c>OrderedDict</c> state dict): what
/// <see cref="Module.StateDict"/> returns, <see cref="Module.LoadStateDict"/> takes and <see cref="StateDictFile"/>
/// writes. Enumeration follows insertion order.
/// </summary>
public sealed class StateDict : IReadOnlyDictionary<string, Tensor>
{
    private readonly List<string> _keys = new();
    private readonly Dictionary<string, Tensor> _values = new(StringComparer.Ordinal);

    /// <summary>The number of entries.</summary>
    public int Count => _keys.Count;

    /// <summary>The names, in order.</summary>
    public IEnumerable<string> Keys => _keys;

    /// <summary>The tensors, in order.</summary>
    public IEnumerable<Tensor> Values => _keys.Select(k => _values[k]);

    /// <summary>The tensor named <paramref name="key"/>.</summary>
    /// <param name="key">The dotted name.</param>
    /// <exception cref="KeyNotFoundException">No entry has this name.</exception>
    public Tensor this[string key] => _values[key];

    /// <summary>Appends an entry.</summary>
    /// <param name="key">The dotted name.</param>
    /// <param name="tensor">The tensor.</param>
    /// <exception cref="ArgumentException">The name is already present.</exception>
    public void Add(string key, Tensor tensor)
    {
        ArgumentNullException.ThrowIfNull(key);
        ArgumentNullException.ThrowIfNull(tensor);
        _values.Add(key, tensor);
        _keys.Add(key);
    }

    /// <summary>Removes the entry named <paramref name="key"/>, e.g. a head that a new model replaces.</summary>
    /// <param name="key">The dotted name.</param>
    /// <returns>Whether an entry was removed.</returns>
    public bool Remove(string key) => _values.Remove(key) && _keys.Remove(key);

    /// <inheritdoc/>
    public bool ContainsKey(string key) => _values.ContainsKey(key);

    /// <inheritdoc/>
    public bool TryGetValue(string key, [MaybeNullWhen(false)] out Tensor value) => _values.TryGetValue(key, out value);

    /// <inheritdoc/>
    public IEnumerator<KeyValuePair<string, Tensor>> GetEnumerator() =>
        _keys.Select(k => new KeyValuePair<string, Tensor>(k, _values[k])).GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
}

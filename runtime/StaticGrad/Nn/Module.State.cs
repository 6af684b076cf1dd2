using System.Globalization;
using System.Text;

namespace StaticGrad.Nn;

/// <summary>Buffers (state that is not learned, such as running statistics) and the state dict of parameters and buffers.</summary>
public abstract partial class Module
{
    private readonly List<string> _bufferNames = new();
    private readonly Dictionary<string, Tensor?> _buffers = new(StringComparer.Ordinal);
    private readonly HashSet<string> _nonPersistentBuffers = new(StringComparer.Ordinal);

    /// <summary>
    /// The buffers of this module and its descendants, each once, in the order of <see cref="NamedBuffers"/> (PyTorch's
    /// <c>module.buffers()</c>).
    /// </summary>
    /// <param name="recurse">Include the buffers of child modules.</param>
    /// <returns>The buffers.</returns>
    public IEnumerable<Tensor> Buffers(bool recurse = true) => NamedBuffers(recurse).Select(b => b.Buffer);

    /// <summary>
    /// The buffers with dotted names (<c>bn1.running_mean</c>), a module's own first, then each child's, depth first,
    /// as <see cref="NamedParameters"/> orders parameters (PyTorch's <c>module.named_buffers()</c>).
    /// </summary>
    /// <param name="recurse">Include the buffers of child modules.</param>
    /// <returns>The named buffers.</returns>
    public IEnumerable<(string Name, Tensor Buffer)> NamedBuffers(bool recurse = true) =>
        NamedTensors(recurse, m => m._bufferNames, (m, name) => m._buffers[name]);

    /// <summary>
    /// The module's state by dotted name (PyTorch's <c>module.state_dict()</c>): for each module in the order of
    /// <see cref="NamedModules"/>, its parameters then its persistent buffers. The values are detached aliases: they
    /// share storage with the parameters and buffers, so they see later training and writing into them changes the model.
    /// </summary>
    /// <returns>The state, in order.</returns>
    public StateDict StateDict()
    {
        var state = new StateDict();
        foreach (var (prefix, module) in NamedModules())
        {
            foreach (var name in module._parameterNames)
            {
                if (module._parameters[name] is { } parameter)
                {
                    state.Add(Qualified(prefix, name), parameter.Detach());
                }
            }

            foreach (var name in module._bufferNames)
            {
                if (module._buffers[name] is { } buffer && !module._nonPersistentBuffers.Contains(name))
                {
                    state.Add(Qualified(prefix, name), buffer.Detach());
                }
            }
        }

        return state;
    }

    /// <summary>
    /// Copies parameters and buffers from <paramref name="stateDict"/> into this module in place, without recording
    /// (PyTorch's <c>module.load_state_dict(state_dict, strict)</c>); values are converted to each tensor's dtype.
    /// </summary>
    /// <param name="stateDict">The state by dotted name, e.g. from <see cref="StateDict()"/> or <see cref="StateDictFile.Load(string)"/>.</param>
    /// <param name="strict">Fail when a key of this module is missing or a key is unexpected; shapes must always match.</param>
    /// <returns>The missing and unexpected keys (empty when <paramref name="strict"/> succeeded).</returns>
    /// <exception cref="ArgumentException">A shape differs, or keys are missing or unexpected with <paramref name="strict"/>: PyTorch's message, listing all of them.</exception>
    public LoadStateDictResult LoadStateDict(IReadOnlyDictionary<string, Tensor> stateDict, bool strict = true)
    {
        ArgumentNullException.ThrowIfNull(stateDict);
        var expected = StateDict();
        var missing = expected.Keys.Where(k => !stateDict.ContainsKey(k)).ToList();
        var unexpected = stateDict.Keys.Where(k => !expected.ContainsKey(k)).ToList();
        var errors = new List<string>();
        foreach (var (key, target) in expected)
        {
            if (stateDict.TryGetValue(key, out var source) && !source.Shape.AsSpan().SequenceEqual(target.Shape))
            {
                errors.Add($"size mismatch for {key}: copying a param with shape {ShapeUtil.TorchSize(source.Shape)} from checkpoint, the shape in current model is {ShapeUtil.TorchSize(target.Shape)}.");
            }
        }

        if (strict && unexpected.Count > 0)
        {
            errors.Insert(0, "Unexpected key(s) in state_dict: " + Quoted(unexpected) + ". ");
        }

        if (strict && missing.Count > 0)
        {
            errors.Insert(0, "Missing key(s) in state_dict: " + Quoted(missing) + ". ");
        }

        if (errors.Count > 0)
        {
            throw new ArgumentException($"Error(s) in loading state_dict for {GetType().Name}:\n\t" + string.Join("\n\t", errors), nameof(stateDict));
        }

        using (Autograd.NoGrad())
        {
            foreach (var (key, target) in expected)
            {
                if (stateDict.TryGetValue(key, out var source))
                {
                    target.CopyFrom(source);
                }
            }
        }

        return new LoadStateDictResult(missing, unexpected);
    }

    /// <summary>
    /// Adds or replaces the buffer <paramref name="name"/> (PyTorch's <c>register_buffer</c>): state that is saved
    /// with the module but not learned. A null buffer keeps the slot but is neither listed nor saved.
    /// </summary>
    /// <param name="name">A name without dots, unique among this module's parameters, buffers and children.</param>
    /// <param name="tensor">The buffer, or null.</param>
    /// <param name="persistent">Whether <see cref="StateDict"/> includes it.</param>
    /// <returns><paramref name="tensor"/>.</returns>
    /// <exception cref="ArgumentException">The name is empty, has a dot, or names a parameter or child module.</exception>
    protected Tensor? RegisterBuffer(string name, Tensor? tensor, bool persistent = true)
    {
        ValidateName(name, "buffer");
        if (_parameters.ContainsKey(name) || _modules.ContainsKey(name))
        {
            throw new ArgumentException($"attribute '{name}' already exists", nameof(name));
        }

        if (!_buffers.ContainsKey(name))
        {
            _bufferNames.Add(name);
        }

        _buffers[name] = tensor;
        if (persistent)
        {
            _nonPersistentBuffers.Remove(name);
        }
        else
        {
            _nonPersistentBuffers.Add(name);
        }

        return tensor;
    }

    /// <summary>The registered buffer <paramref name="name"/> (null if registered as null).</summary>
    /// <param name="name">The buffer's name.</param>
    /// <returns>The buffer.</returns>
    /// <exception cref="KeyNotFoundException">No buffer has this name.</exception>
    protected Tensor? GetBuffer(string name) =>
        _buffers.TryGetValue(name, out var b) ? b : throw new KeyNotFoundException($"'{GetType().Name}' object has no buffer '{name}'");

    /// <summary>
    /// The non-null tensors each module lists under <paramref name="names"/>, with dotted names, each tensor once,
    /// modules in the order of <see cref="NamedModules"/> (the order PyTorch's <c>named_parameters</c> and
    /// <c>named_buffers</c> share).
    /// </summary>
    private IEnumerable<(string Name, TTensor Tensor)> NamedTensors<TTensor>(bool recurse, Func<Module, List<string>> names, Func<Module, string, TTensor?> lookup)
        where TTensor : Tensor
    {
        var seen = new HashSet<Tensor>(ReferenceEqualityComparer.Instance);
        var modules = recurse ? NamedModules() : new[] { (Name: string.Empty, Module: this) };
        foreach (var (prefix, module) in modules)
        {
            foreach (var name in names(module))
            {
                if (lookup(module, name) is { } tensor && seen.Add(tensor))
                {
                    yield return (Qualified(prefix, name), tensor);
                }
            }
        }
    }

    private static string Qualified(string prefix, string name) => prefix.Length == 0 ? name : prefix + "." + name;

    private static string Quoted(IEnumerable<string> keys) =>
        string.Join(", ", keys.Select(k => new StringBuilder("\"").Append(k).Append('"').ToString()));
}

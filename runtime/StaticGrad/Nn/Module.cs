namespace StaticGrad.Nn;

/// <summary>
/// The base of every layer and model (PyTorch's <c>nn.Module</c>): it computes <see cref="Forward"/> and owns named
/// parameters and child modules, found recursively by <see cref="Parameters"/> and <see cref="NamedParameters"/>.
/// </summary>
/// <remarks>
/// C# has no attribute-assignment hook, so a module registers its state explicitly, usually in its constructor and in
/// property setters: <see cref="RegisterParameter"/> and <see cref="RegisterModule{TModule}"/>. Registering again under
/// an existing name replaces the entry in place and keeps its position, which is how a fine-tuning head is swapped
/// (PyTorch's <c>model.fc = nn.Linear(…)</c>):
/// <code>
/// sealed class Net : Module
/// {
///     public Net() { Backbone = RegisterModule("backbone", new Linear(4, 8)); Fc = new Linear(8, 2); }
///     public Linear Backbone { get; }
///     public Linear Fc { get => GetModule&lt;Linear&gt;("fc"); set => RegisterModule("fc", value); }
///     public override Tensor Forward(Tensor x) => Fc.Forward(Backbone.Forward(x).Relu());
/// }
/// </code>
/// </remarks>
public abstract partial class Module
{
    private readonly List<string> _parameterNames = new();
    private readonly Dictionary<string, Parameter?> _parameters = new(StringComparer.Ordinal);
    private readonly List<string> _moduleNames = new();
    private readonly Dictionary<string, Module> _modules = new(StringComparer.Ordinal);

    /// <summary>Whether the module is in training mode (PyTorch's <c>module.training</c>); true until <see cref="Eval"/>.</summary>
    public bool Training { get; private set; } = true;

    /// <summary>Computes the module's output for <paramref name="input"/> (PyTorch's <c>module(input)</c>).</summary>
    /// <param name="input">The input batch.</param>
    /// <returns>The output.</returns>
    public abstract Tensor Forward(Tensor input);

    /// <summary>
    /// Every parameter of this module and its descendants, each once, in registration order: a module's own
    /// parameters first, then each child's, depth first (PyTorch's <c>module.parameters()</c>).
    /// </summary>
    /// <param name="recurse">Include the parameters of child modules.</param>
    /// <returns>The parameters.</returns>
    public IEnumerable<Parameter> Parameters(bool recurse = true) => NamedParameters(recurse).Select(p => p.Parameter);

    /// <summary>
    /// The parameters with PyTorch's dotted names (<c>weight</c>, <c>0.bias</c>, <c>fc.weight</c>), in the order of
    /// <see cref="Parameters"/> (PyTorch's <c>module.named_parameters()</c>).
    /// </summary>
    /// <param name="recurse">Include the parameters of child modules.</param>
    /// <returns>The named parameters.</returns>
    public IEnumerable<(string Name, Parameter Parameter)> NamedParameters(bool recurse = true) =>
        NamedTensors(recurse, m => m._parameterNames, (m, name) => m._parameters[name]);

    /// <summary>The direct child modules in registration order (PyTorch's <c>module.children()</c>).</summary>
    /// <returns>The children.</returns>
    public IEnumerable<Module> Children() => NamedChildren().Select(c => c.Module);

    /// <summary>The direct child modules with their names (PyTorch's <c>module.named_children()</c>).</summary>
    /// <returns>The named children.</returns>
    public IEnumerable<(string Name, Module Module)> NamedChildren()
    {
        var seen = new HashSet<Module>(ReferenceEqualityComparer.Instance);
        foreach (var name in _moduleNames)
        {
            var module = _modules[name];
            if (seen.Add(module))
            {
                yield return (name, module);
            }
        }
    }

    /// <summary>This module and all its descendants, depth first, each once (PyTorch's <c>module.modules()</c>).</summary>
    /// <returns>The modules.</returns>
    public IEnumerable<Module> Modules() => NamedModules().Select(m => m.Module);

    /// <summary>
    /// This module (named <c>""</c>) and all its descendants with dotted names, depth first, each once (PyTorch's
    /// <c>module.named_modules()</c>).
    /// </summary>
    /// <returns>The named modules.</returns>
    public IEnumerable<(string Name, Module Module)> NamedModules()
    {
        var seen = new HashSet<Module>(ReferenceEqualityComparer.Instance);
        var result = new List<(string, Module)>();
        Collect(this, string.Empty, seen, result);
        return result;
    }

    /// <summary>
    /// Sets <see cref="Tensor.RequiresGrad"/> on every parameter (PyTorch's <c>module.requires_grad_(flag)</c>): false
    /// freezes the module, so its parameters get no gradient and an optimizer leaves them alone.
    /// </summary>
    /// <param name="requiresGrad">The new flag.</param>
    /// <returns>This module.</returns>
    public Module SetRequiresGrad(bool requiresGrad = true)
    {
        foreach (var parameter in Parameters())
        {
            parameter.SetRequiresGrad(requiresGrad);
        }

        return this;
    }

    /// <summary>Sets training mode on this module and its descendants (PyTorch's <c>module.train(mode)</c>).</summary>
    /// <param name="mode">True for training, false for evaluation.</param>
    /// <returns>This module.</returns>
    public Module Train(bool mode = true)
    {
        foreach (var module in Modules())
        {
            module.Training = mode;
        }

        return this;
    }

    /// <summary>Sets evaluation mode on this module and its descendants (PyTorch's <c>module.eval()</c>).</summary>
    /// <returns>This module.</returns>
    public Module Eval() => Train(false);

    /// <summary>
    /// Resets the gradients of every parameter (PyTorch's <c>module.zero_grad(set_to_none)</c>): to null by default,
    /// or to zeros in place.
    /// </summary>
    /// <param name="setToNone">Set <see cref="Tensor.Grad"/> to null instead of zeroing it.</param>
    public void ZeroGrad(bool setToNone = true)
    {
        foreach (var parameter in Parameters())
        {
            GradReset.Reset(parameter, setToNone);
        }
    }

    /// <summary>
    /// Adds or replaces the parameter <paramref name="name"/> (PyTorch's <c>register_parameter</c>, or assigning an
    /// <c>nn.Parameter</c> attribute). A null parameter keeps the slot but contributes nothing, like a disabled bias.
    /// </summary>
    /// <param name="name">A name without dots, unique among this module's parameters and children.</param>
    /// <param name="parameter">The parameter, or null.</param>
    /// <returns><paramref name="parameter"/>.</returns>
    /// <exception cref="ArgumentException">The name is empty, has a dot, or names a child module.</exception>
    protected Parameter? RegisterParameter(string name, Parameter? parameter)
    {
        ValidateName(name, "parameter");
        if (_modules.ContainsKey(name) || _buffers.ContainsKey(name))
        {
            throw new ArgumentException($"attribute '{name}' already exists", nameof(name));
        }

        if (!_parameters.ContainsKey(name))
        {
            _parameterNames.Add(name);
        }

        _parameters[name] = parameter;
        return parameter;
    }

    /// <summary>
    /// Adds or replaces the child module <paramref name="name"/> (PyTorch's <c>add_module</c>, or assigning a module
    /// attribute). Replacing keeps the child's position, so a new head stays last.
    /// </summary>
    /// <typeparam name="TModule">The child's type.</typeparam>
    /// <param name="name">A name without dots, unique among this module's parameters and children.</param>
    /// <param name="module">The child.</param>
    /// <returns><paramref name="module"/>.</returns>
    /// <exception cref="ArgumentException">The name is empty, has a dot, or names a parameter.</exception>
    protected TModule RegisterModule<TModule>(string name, TModule module)
        where TModule : Module
    {
        ArgumentNullException.ThrowIfNull(module);
        ValidateName(name, "module");
        if (_parameters.ContainsKey(name) || _buffers.ContainsKey(name))
        {
            throw new ArgumentException($"attribute '{name}' already exists", nameof(name));
        }

        if (!_modules.ContainsKey(name))
        {
            _moduleNames.Add(name);
        }

        _modules[name] = module;
        return module;
    }

    /// <summary>The registered parameter <paramref name="name"/> (null if registered as null).</summary>
    /// <param name="name">The parameter's name.</param>
    /// <returns>The parameter.</returns>
    /// <exception cref="KeyNotFoundException">No parameter has this name.</exception>
    protected Parameter? GetParameter(string name) =>
        _parameters.TryGetValue(name, out var p) ? p : throw new KeyNotFoundException($"'{GetType().Name}' object has no parameter '{name}'");

    /// <summary>The registered child module <paramref name="name"/>.</summary>
    /// <typeparam name="TModule">The expected type.</typeparam>
    /// <param name="name">The child's name.</param>
    /// <returns>The child.</returns>
    /// <exception cref="KeyNotFoundException">No child has this name.</exception>
    protected TModule GetModule<TModule>(string name)
        where TModule : Module =>
        _modules.TryGetValue(name, out var m)
            ? (TModule)m
            : throw new KeyNotFoundException($"'{GetType().Name}' object has no submodule '{name}'");

    /// <summary>The names of the direct children, in order.</summary>
    private protected IReadOnlyList<string> ModuleNames => _moduleNames;

    private protected bool HasModule(string name) => _modules.ContainsKey(name);

    private static void Collect(Module module, string prefix, HashSet<Module> seen, List<(string, Module)> into)
    {
        if (!seen.Add(module))
        {
            return;
        }

        into.Add((prefix, module));
        foreach (var name in module._moduleNames)
        {
            Collect(module._modules[name], prefix.Length == 0 ? name : prefix + "." + name, seen, into);
        }
    }

    private static void ValidateName(string name, string kind)
    {
        ArgumentNullException.ThrowIfNull(name);
        if (name.Length == 0)
        {
            throw new ArgumentException($"{kind} name can't be empty string \"\"", nameof(name));
        }

        if (name.Contains('.', StringComparison.Ordinal))
        {
            throw new ArgumentException($"{kind} name can't contain \".\", got: {name}", nameof(name));
        }
    }
}

using System.Collections;
using System.Globalization;

namespace StaticGrad.Nn;

/// <summary>
/// Modules applied one after another (PyTorch's <c>nn.Sequential</c>). Children are named <c>"0"</c>, <c>"1"</c>, …
/// unless names are given; the indexers replace a child in place, which is how a pretrained head is swapped.
/// </summary>
public sealed class Sequential : Module, IEnumerable<Module>
{
    /// <summary>An empty chain, filled with <see cref="Add"/> or a collection initializer (<c>new Sequential { a, b }</c>).</summary>
    public Sequential()
    {
    }

    /// <summary>Chains <paramref name="modules"/>, named by position.</summary>
    /// <param name="modules">The modules, first applied first.</param>
    public Sequential(params Module[] modules)
    {
        ArgumentNullException.ThrowIfNull(modules);
        foreach (var module in modules)
        {
            Add(module);
        }
    }

    /// <summary>Chains named modules (PyTorch's <c>nn.Sequential(OrderedDict(...))</c>).</summary>
    /// <param name="modules">The names and modules, first applied first.</param>
    /// <exception cref="ArgumentException">Two modules have the same name.</exception>
    public Sequential(params (string Name, Module Module)[] modules)
    {
        ArgumentNullException.ThrowIfNull(modules);
        foreach (var (name, module) in modules)
        {
            if (HasModule(name))
            {
                throw new ArgumentException($"duplicate module name '{name}'", nameof(modules));
            }

            RegisterModule(name, module);
        }
    }

    /// <summary>The number of modules.</summary>
    public int Count => ModuleNames.Count;

    /// <summary>The module at <paramref name="index"/> (negative counts from the end); setting replaces it.</summary>
    /// <param name="index">The position.</param>
    /// <exception cref="ArgumentOutOfRangeException">The position is outside the chain.</exception>
    public Module this[int index]
    {
        get => GetModule<Module>(NameAt(index));
        set => RegisterModule(NameAt(index), value);
    }

    /// <summary>The module named <paramref name="name"/>; setting replaces it in place.</summary>
    /// <param name="name">The module's name.</param>
    /// <exception cref="KeyNotFoundException">No module has this name (getting or setting).</exception>
    public Module this[string name]
    {
        get => GetModule<Module>(name);
        set
        {
            if (!HasModule(name))
            {
                throw new KeyNotFoundException($"'Sequential' object has no submodule '{name}'");
            }

            RegisterModule(name, value);
        }
    }

    /// <summary>Appends <paramref name="module"/>, named by its position (PyTorch's <c>append</c>).</summary>
    /// <param name="module">The module.</param>
    /// <returns>This sequence.</returns>
    public Sequential Add(Module module)
    {
        RegisterModule(Count.ToString(CultureInfo.InvariantCulture), module);
        return this;
    }

    /// <inheritdoc/>
    public override Tensor Forward(Tensor input)
    {
        var x = input;
        foreach (var name in ModuleNames)
        {
            x = GetModule<Module>(name).Forward(x);
        }

        return x;
    }

    /// <inheritdoc/>
    public IEnumerator<Module> GetEnumerator() => ModuleNames.Select(GetModule<Module>).GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    private string NameAt(int index)
    {
        var i = index < 0 ? index + Count : index;
        if (i < 0 || i >= Count)
        {
            throw new ArgumentOutOfRangeException(nameof(index), index, $"index {index} is out of range");
        }

        return ModuleNames[i];
    }
}

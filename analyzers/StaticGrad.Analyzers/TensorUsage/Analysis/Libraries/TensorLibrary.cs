using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Collections.Immutable;

namespace StaticGrad.Analyzers.TensorUsage.Analysis.Libraries;

/// <summary>
/// One tensor library as the rules see it: where its types live, how its member and parameter names map to the
/// canonical names the transfer functions and rules are written against (StaticGrad's), and how a message written
/// with StaticGrad's names reads in the library's own. The rules exist once; each library is described once.
/// </summary>
internal abstract class TensorLibrary
{
    private readonly ConcurrentDictionary<string, string> _canonical = new();
    private readonly System.Func<string, string> _translate;

    protected TensorLibrary() => _translate = Translate;

    /// <summary>The name used in diagnostics' properties and docs ("StaticGrad", "TorchSharp").</summary>
    public abstract string Name { get; }

    /// <summary>Metadata name of the tensor type; the library is analyzed only when the compilation has it.</summary>
    public abstract string TensorType { get; }

    /// <summary>Name of the assembly that ships the library's types: the tensor type is looked up there and in source only.</summary>
    public abstract string AssemblyName { get; }

    /// <summary>Metadata name of the static class whose methods create tensors and run operations (null: the tensor type).</summary>
    public abstract string? FactoryHost { get; }

    /// <summary>Metadata names of the types whose static members change grad mode or run autograd functions.</summary>
    public abstract ImmutableArray<string> AutogradTypes { get; }

    public abstract string ParameterType { get; }

    public abstract string OptimizerType { get; }

    public abstract string ModuleType { get; }

    /// <summary>
    /// How source spells the module and optimizer members that hand a registered parameter back out, where code could
    /// change its flag (see <c>RegisteredParameterReach</c>).
    /// </summary>
    public abstract IReadOnlyList<string> ParameterHandouts { get; }

    /// <summary>Whether the library registers every parameter field of a module by itself (TorchSharp's reflection).</summary>
    public abstract bool RegistersParameterFields { get; }

    /// <summary>Message fragments written with StaticGrad's names and their spelling in this library, longest first.</summary>
    public abstract IReadOnlyList<(string StaticGrad, string Library)> Spelling { get; }

    /// <summary>The canonical (StaticGrad) name of a member or parameter name of this library.</summary>
    /// <remarks>Called for every library member the analysis meets: a hit allocates nothing (a method group given to
    /// <c>GetOrAdd</c> allocated a delegate per call).</remarks>
    public string Canonical(string name) =>
        NamesAreCanonical ? name : _canonical.TryGetValue(name, out var canonical) ? canonical : _canonical.GetOrAdd(name, _translate);

    /// <summary>Whether the library's names are the canonical ones (no lookup on the hot path).</summary>
    protected virtual bool NamesAreCanonical => false;

    /// <summary>A message or title of a rule in this library's names.</summary>
    public string Spell(string text)
    {
        foreach (var (staticGrad, library) in Spelling)
        {
            text = text.Replace(staticGrad, library);
        }

        return text;
    }

    /// <summary>The canonical (StaticGrad) name of a parameter name of this library.</summary>
    public virtual string CanonicalParameter(string name) => name;

    protected abstract string Translate(string name);
}

using System.Collections.Generic;
using System.Threading;
using Microsoft.CodeAnalysis;
using StaticGrad.Compiler.IR;
using StaticGrad.Compiler.Model;

namespace StaticGrad.Compiler.Lowering;

/// <summary>State of one method's lowering: diagnostics, sites, and the unique names of its locals.</summary>
internal sealed class LoweringContext
{
    private readonly Dictionary<ISymbol, (string Name, IrType Type)> _variables = new(SymbolEqualityComparer.Default);
    private readonly HashSet<string> _names = new();

    public LoweringContext(SemanticModel semanticModel, CancellationToken cancellationToken)
    {
        SemanticModel = semanticModel;
        CancellationToken = cancellationToken;
        Diagnostics = new();
        Sites = new();
    }

    /// <summary>The context of a lifted local function: its own names, the method's diagnostics, sites and lifting.</summary>
    public LoweringContext(LoweringContext method)
        : this(method.SemanticModel, method.CancellationToken)
    {
        Diagnostics = method.Diagnostics;
        Sites = method.Sites;
        Lifting = method.Lifting;
        Method = method.Method;
        PrimaryParameters = method.PrimaryParameters;
        _parent = method;
    }

    private readonly LoweringContext? _parent;

    /// <summary>The recursive local functions of the method being lowered (null outside a method's lowering).</summary>
    public LocalFunctionLifting? Lifting { get; set; }

    public SemanticModel SemanticModel { get; }

    /// <summary>The [Differentiable] method being lowered (null in a context made for something else).</summary>
    public IMethodSymbol? Method { get; set; }

    /// <summary>The accessors of primary-constructor parameters the body reads, declared with the method's backward.</summary>
    public List<PrimaryParameterAccessor> PrimaryParameters { get; } = new();

    public CancellationToken CancellationToken { get; }

    public List<DiagnosticInfo> Diagnostics { get; }

    public List<LocationInfo> Sites { get; }

    public List<LocalIR> Locals { get; } = new();

    public HashSet<string> ParameterCollections { get; } = new();

    /// <summary>A parameter array of structs whose elements the body writes: the leaves its entry copy copies (ParameterCopies).</summary>
    public Dictionary<string, IReadOnlyList<StructLeaf>> WrittenStructArrays { get; } = new();

    /// <summary>Every struct parameter and local, scalarised: the IR names of its leaves.</summary>
    public Dictionary<ISymbol, StructVariable> Structs { get; } = new(SymbolEqualityComparer.Default);

    /// <summary>For a method returning a struct or tuple: its layout and the IR parameter of the seed of each leaf (null for an inactive leaf).</summary>
    public (StructLayout Layout, string?[] Seeds)? ResultSeeds { get; set; }

    /// <summary>For a method returning a struct or tuple: the IR parameter, a span of one result, where each return also writes the value.</summary>
    public string? ResultOutput { get; set; }

    public bool HasErrors { get; private set; }

    private void MarkError()
    {
        HasErrors = true;
        _parent?.MarkError();
    }

    public void Report(string id, LocationInfo? location, params string[] arguments)
    {
        Diagnostics.Add(DiagnosticInfo.Create(id, location, arguments));
        if (Diagnostics[Diagnostics.Count - 1].Id is not ("SG1005" or "SG1006" or "SG1011"))
        {
            HasErrors = true;
            _parent?.MarkError();
        }
    }

    public void Report(string id, SyntaxNode syntax, params string[] arguments) => Report(id, LocationInfo.From(syntax), arguments);

    /// <summary>Registers a source position for an IR node whose analysis may report a diagnostic there.</summary>
    public int Site(SyntaxNode syntax)
    {
        Sites.Add(LocationInfo.From(syntax) ?? new LocationInfo(string.Empty, default, default));
        return Sites.Count - 1;
    }

    public void DeclareParameter(IParameterSymbol parameter, IrType type)
    {
        // Names are kept as C# spells them (a parameter `@base` stays `@base`), so every printer can write them as they are.
        var name = Naming.NameScope.Escape(parameter.Name);
        _names.Add(parameter.Name);
        _variables[parameter] = (name, type);
        if (type.IsCollection)
        {
            ParameterCollections.Add(name);
        }
    }

    /// <summary>A variable of the method read by a lifted local function: a parameter of the lifted function, under a name unique in it.</summary>
    public string DeclareCapture(ISymbol symbol, IrType type)
    {
        var name = FreshName(symbol.Name);
        _variables[symbol] = (name, type);
        if (type.IsCollection)
        {
            ParameterCollections.Add(name);
        }

        return name;
    }

    /// <summary>Declares a local under a name unique in the method (the reverse sweep hoists every local to the top).</summary>
    public string DeclareLocal(ILocalSymbol local, IrType type)
    {
        if (_variables.TryGetValue(local, out var existing))
        {
            return existing.Name;
        }

        var name = FreshName(local.Name);
        _variables[local] = (name, type);
        Locals.Add(new LocalIR(name, type));
        return name;
    }

    /// <summary>
    /// A variable of the method for another symbol (a local function's parameter, inlined): a fresh local, or, with
    /// <paramref name="alias"/>, the name of the array it stands for.
    /// </summary>
    public string DeclareVariable(ISymbol symbol, IrType type, string? alias = null)
    {
        var name = alias ?? FreshName(symbol.Name);
        _variables[symbol] = (name, type);
        if (alias is null)
        {
            Locals.Add(new LocalIR(name, type));
        }

        return name;
    }

    /// <summary>A compiler-introduced local (foreach index, normalisation flags).</summary>
    public string DeclareHidden(string baseName, IrType type)
    {
        var name = FreshName(baseName);
        Locals.Add(new LocalIR(name, type));
        return name;
    }

    /// <summary>A name unique in the method for a scalarised struct parameter's leaf (not a local: it is a parameter of the IR).</summary>
    public string DeclareLeafParameter(string baseName) => FreshName(baseName);

    /// <summary>Parameters whose type was reported as unsupported: expressions using them report nothing more.</summary>
    public HashSet<ISymbol> RefusedParameters { get; } = new(SymbolEqualityComparer.Default);

    public bool TryGetVariable(ISymbol symbol, out string name, out IrType type)
    {
        if (_variables.TryGetValue(symbol, out var found))
        {
            (name, type) = found;
            return true;
        }

        name = string.Empty;
        type = IrType.Double;
        return false;
    }

    private string FreshName(string baseName)
    {
        // A hidden local derived from an escaped name (`_@baseIndex`) drops the `@`; a user's keyword name keeps it escaped.
        baseName = baseName.Replace("@", string.Empty);
        var name = baseName;
        for (var i = 1; !_names.Add(name); i++)
        {
            name = baseName + "_" + i.ToString(System.Globalization.CultureInfo.InvariantCulture);
        }

        return Naming.NameScope.Escape(name);
    }
}

using System.Collections.Immutable;
using Microsoft.CodeAnalysis;

namespace StaticGrad.Analyzers.TensorUsage.Analysis.Interprocedural;

/// <summary>
/// Where an analysis runs in a chain of summarized calls: its depth, the functions above it (a call back into one
/// of them is recursion, left unknown), and whether a bound cut some call short, in which case its summary is not
/// cached (it is less precise than the same call analyzed from a shallower place).
/// </summary>
internal sealed class CallContext
{
    private readonly ImmutableHashSet<ISymbol> _active;

    private CallContext(SummaryCache cache, int depth, ImmutableHashSet<ISymbol> active)
    {
        Cache = cache;
        Depth = depth;
        _active = active;
    }

    public SummaryCache Cache { get; }

    public int Depth { get; }

    public bool Truncated { get; set; }

    /// <summary>The longest chain of summarized calls used below this point (0 when none).</summary>
    public int Height { get; set; }

    public static CallContext Root(SummaryCache cache, ISymbol function) =>
        new(cache, 0, ImmutableHashSet.Create<ISymbol>(SymbolEqualityComparer.Default, function));

    public bool IsActive(ISymbol function) => _active.Contains(function);

    public CallContext Enter(ISymbol function) => new(Cache, Depth + 1, _active.Add(function));
}

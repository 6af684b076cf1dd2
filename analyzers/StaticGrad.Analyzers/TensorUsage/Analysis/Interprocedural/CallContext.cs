using Microsoft.CodeAnalysis;

namespace StaticGrad.Analyzers.TensorUsage.Analysis.Interprocedural;

/// <summary>
/// Where an analysis runs in a chain of summarized calls: its depth, the functions above it (a call back into one
/// of them is recursion, left unknown), and whether a bound cut some call short, in which case its summary is not
/// cached (it is less precise than the same call analyzed from a shallower place).
/// </summary>
internal sealed class CallContext
{
    // The chain is at most MaxDepth long: a parent link is cheaper than a set per analyzed function.
    private readonly ISymbol _function;
    private readonly CallContext? _parent;

    private CallContext(SummaryCache cache, int depth, ISymbol function, CallContext? parent)
    {
        Cache = cache;
        Depth = depth;
        _function = function;
        _parent = parent;
    }

    public SummaryCache Cache { get; }

    public int Depth { get; }

    public bool Truncated { get; set; }

    /// <summary>The longest chain of summarized calls used below this point (0 when none).</summary>
    public int Height { get; set; }

    public static CallContext Root(SummaryCache cache, ISymbol function) =>
        new(cache, 0, function, null);

    public bool IsActive(ISymbol function)
    {
        for (var context = this; context is not null; context = context._parent)
        {
            if (SymbolEqualityComparer.Default.Equals(context._function, function))
            {
                return true;
            }
        }

        return false;
    }

    public CallContext Enter(ISymbol function) => new(Cache, Depth + 1, function, this);
}

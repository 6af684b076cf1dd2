using System;
using System.Collections.Immutable;
using Microsoft.CodeAnalysis;

namespace StaticGrad.Analyzers.TensorUsage.Analysis.Interprocedural;

/// <summary>A call as a summary sees it: the function, the grad mode at the call, and the facts of its arguments.</summary>
internal sealed class SummaryKey : IEquatable<SummaryKey>
{
    public SummaryKey(ISymbol function, GradMode mode, ImmutableArray<TensorFact?> arguments)
    {
        Function = function;
        Mode = mode;
        Arguments = arguments;
    }

    public ISymbol Function { get; }

    public GradMode Mode { get; }

    public ImmutableArray<TensorFact?> Arguments { get; }

    public bool Equals(SummaryKey? other)
    {
        if (other is null || Mode != other.Mode || Arguments.Length != other.Arguments.Length || !SymbolEqualityComparer.Default.Equals(Function, other.Function))
        {
            return false;
        }

        for (var i = 0; i < Arguments.Length; i++)
        {
            if (!Equals(Arguments[i], other.Arguments[i]))
            {
                return false;
            }
        }

        return true;
    }

    public override bool Equals(object? obj) => Equals(obj as SummaryKey);

    public override int GetHashCode()
    {
        var hash = SymbolEqualityComparer.Default.GetHashCode(Function) * 31 + (int)Mode;
        foreach (var argument in Arguments)
        {
            hash = hash * 31 + (argument?.GetHashCode() ?? 0);
        }

        return hash;
    }
}

using System;
using System.Collections.Immutable;
using Microsoft.CodeAnalysis;

namespace StaticGrad.Analyzers.TensorUsage.Analysis.Interprocedural;

/// <summary>A call as a summary sees it: the function, the grad mode at the call, the facts of its arguments and the lambdas passed to it.</summary>
internal sealed class SummaryKey : IEquatable<SummaryKey>
{
    public SummaryKey(ISymbol function, GradMode mode, ImmutableArray<TensorFact?> arguments, ImmutableArray<IOperation?> lambdas)
    {
        Function = function;
        Mode = mode;
        Arguments = arguments;
        Lambdas = lambdas;
    }

    public ISymbol Function { get; }

    public GradMode Mode { get; }

    public ImmutableArray<TensorFact?> Arguments { get; }

    /// <summary>For each argument, the lambda it holds (compared by reference), or empty when no argument holds one.</summary>
    public ImmutableArray<IOperation?> Lambdas { get; }

    public bool Equals(SummaryKey? other)
    {
        if (other is null || Mode != other.Mode || Arguments.Length != other.Arguments.Length || Lambdas.Length != other.Lambdas.Length || !SymbolEqualityComparer.Default.Equals(Function, other.Function))
        {
            return false;
        }

        for (var i = 0; i < Lambdas.Length; i++)
        {
            if (!ReferenceEquals(Lambdas[i], other.Lambdas[i]))
            {
                return false;
            }
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

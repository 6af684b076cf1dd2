using System.Collections.Generic;
using Microsoft.CodeAnalysis;

namespace StaticGrad.Analyzers.TensorUsage.Analysis;

/// <summary>Keys of the flow state: locals and parameters (compared as symbols) and flow captures.</summary>
internal sealed class VariableKeyComparer : IEqualityComparer<object>
{
    public static readonly VariableKeyComparer Instance = new();

    public new bool Equals(object? x, object? y) =>
        x is ISymbol a && y is ISymbol b ? SymbolEqualityComparer.Default.Equals(a, b) : object.Equals(x, y);

    public int GetHashCode(object obj) =>
        obj is ISymbol symbol ? SymbolEqualityComparer.Default.GetHashCode(symbol) : obj.GetHashCode();
}

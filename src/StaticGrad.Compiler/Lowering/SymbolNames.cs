using Microsoft.CodeAnalysis;

namespace StaticGrad.Compiler.Lowering;

/// <summary>
/// Compares a symbol with a full name (<c>StaticGrad.DifferentiableAttribute</c>, <c>System.Math</c>) part by part,
/// without building its display string: the lowering and the analyzer ask this for every attribute of every method
/// and parameter, and <c>ToDisplayString</c> was a third of the lowering's own time.
/// </summary>
public static class SymbolNames
{
    /// <summary>Whether <paramref name="symbol"/> (a non-generic type or a namespace) has exactly the dotted full name <paramref name="fullName"/>.</summary>
    public static bool Is(ISymbol? symbol, string fullName)
    {
        var end = fullName.Length;
        for (var current = symbol; current is not null and not INamespaceSymbol { IsGlobalNamespace: true }; current = current.ContainingSymbol)
        {
            var name = current.Name;
            var start = end - name.Length;
            if (start < 0 || string.CompareOrdinal(fullName, start, name, 0, name.Length) != 0)
            {
                return false;
            }

            if (current.ContainingSymbol is null or INamespaceSymbol { IsGlobalNamespace: true })
            {
                return start == 0;
            }

            if (start == 0 || fullName[start - 1] != '.')
            {
                return false;
            }

            end = start - 1;
        }

        return false;
    }

    /// <summary>Whether <paramref name="symbol"/> carries an attribute of the full name <paramref name="attribute"/>.</summary>
    public static bool HasAttribute(ISymbol symbol, string attribute)
    {
        foreach (var data in symbol.GetAttributes())
        {
            if (Is(data.AttributeClass, attribute))
            {
                return true;
            }
        }

        return false;
    }
}

using System.Collections.Generic;
using System.Linq;
using Microsoft.CodeAnalysis;
using StaticGrad.Compiler.Model;

namespace StaticGrad.Compiler.Lowering;

/// <summary>Reads <c>[Differentiable(Hessian = true)]</c>: the per-method opt-in for the second-order file.</summary>
public static class HessianOptIn
{
    public const string PropertyName = "Hessian";

    public static bool IsSet(IMethodSymbol method) =>
        method.GetAttributes()
            .Where(a => SymbolNames.Is(a.AttributeClass, Symbols.DifferentiableAttribute))
            .SelectMany(a => a.NamedArguments)
            .Any(n => n.Key == PropertyName && n.Value.Value is true);

    /// <summary>
    /// The floating members of each array or span of structs a Hessian method takes (empty without <c>Hessian = true</c>):
    /// the dense Hessian counts one row per member of each element, so its generated code names them
    /// (<c>_vP[_i].X = 1f</c>), which the IR type (the struct's name) does not.
    /// </summary>
    internal static EquatableArray<BoundaryParameter> StructArrays(IMethodSymbol method)
    {
        if (!IsSet(method))
        {
            return EquatableArray<BoundaryParameter>.Empty;
        }

        var result = new List<BoundaryParameter>();
        foreach (var parameter in method.Parameters)
        {
            if (StatementLowering.StructArrayType(parameter.Type) is { } type && StructLayout.Of(ElementType(parameter.Type)) is { } layout)
            {
                var leaves = layout.Leaves.Where(l => l.Type.IsFloating).Select(l => new BoundaryLeaf(l.Access, l.Type.ScalarKeyword, true, AdjointWrite.Add));
                result.Add(new BoundaryParameter(Naming.NameScope.Escape(parameter.Name), type.ScalarKeyword, true, leaves.ToEquatableArray()));
            }
        }

        return result.ToEquatableArray();
    }

    private static ITypeSymbol? ElementType(ITypeSymbol type) =>
        type is IArrayTypeSymbol array ? array.ElementType : type is INamedTypeSymbol { TypeArguments.Length: 1 } span ? span.TypeArguments[0] : null;
}

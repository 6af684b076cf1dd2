using System.Linq;
using Microsoft.CodeAnalysis;

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
    /// The Hessian methods take their directions and rows as spans over the parameters' elements: a two-dimensional
    /// or jagged array, or an array of structs, has no such span, so asking for them is one error on that parameter
    /// (never a silently missing method).
    /// </summary>
    internal static void CheckParameters(IMethodSymbol method, LoweringContext context)
    {
        if (!IsSet(method))
        {
            return;
        }

        foreach (var parameter in method.Parameters)
        {
            if (TypeMapping.ToIrType(parameter.Type) is { } type && (type.IsMultiDimensional || type.StructName.Length > 0))
            {
                context.Report(
                    "SG1004",
                    Model.LocationInfo.From(parameter.Locations.FirstOrDefault()),
                    parameter.Name,
                    "[Differentiable(Hessian = true)] takes its directions as spans over one-dimensional parameters, and a '" + parameter.Type.ToDisplayString() + "' has none; pass the values as a one-dimensional array (m[i * n + j]), or remove Hessian = true");
            }
        }
    }
}

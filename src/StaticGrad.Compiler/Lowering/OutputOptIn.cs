using System.Linq;
using Microsoft.CodeAnalysis;

namespace StaticGrad.Compiler.Lowering;

/// <summary>
/// Reads the opt-in properties of <c>[Differentiable]</c> (<c>Forward</c>, <c>Tensor</c>): the value written on the
/// attribute, or null when it is not written and the project default (<c>StaticGradForward</c>, <c>StaticGradTensor</c>)
/// decides.
/// </summary>
public static class OutputOptIn
{
    public const string Forward = "Forward";
    public const string Tensor = "Tensor";

    /// <summary>Generate <c>{Name}BackwardIncludingNoGrad</c> even when no caller in the compilation needs it (callers in other assemblies).</summary>
    public const string IncludingNoGrad = "IncludingNoGrad";

    /// <summary>Generate <c>{Name}Jacobian</c>: one adjoint set per floating field of a tuple or struct result.</summary>
    public const string Jacobian = "Jacobian";

    public static bool? Explicit(IMethodSymbol method, string property) =>
        Explicit(method.GetAttributes().Where(a => SymbolNames.Is(a.AttributeClass, Symbols.DifferentiableAttribute)), property);

    public static bool? Explicit(System.Collections.Generic.IEnumerable<AttributeData> attributes, string property)
    {
        foreach (var argument in attributes.SelectMany(a => a.NamedArguments))
        {
            if (argument.Key == property && argument.Value.Value is bool value)
            {
                return value;
            }
        }

        return null;
    }
}

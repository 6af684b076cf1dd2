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
}

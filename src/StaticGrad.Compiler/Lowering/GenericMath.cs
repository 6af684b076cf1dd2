using System.Linq;
using Microsoft.CodeAnalysis;
using StaticGrad.Compiler.Model;

namespace StaticGrad.Compiler.Lowering;

/// <summary>
/// Generic math: a method type parameter constrained to a System.Numerics number interface over itself
/// (<c>T : IFloatingPointIeee754&lt;T&gt;</c>, <c>INumberBase&lt;T&gt;</c>, <c>IRootFunctions&lt;T&gt;</c>, …) is read as
/// <c>double</c>, and its static members (<c>T.Exp</c>, <c>T.One</c>, <c>T.CreateChecked</c>) and operators as
/// double's. The generated code is retyped to <c>T</c> afterwards, so every rule of the one derivative table serves it.
/// </summary>
internal static class GenericMath
{
    /// <summary>A type parameter of a method whose constraints make it a generic-math number type.</summary>
    public static bool IsFloatingTypeParameter(ITypeSymbol? type) =>
        type is ITypeParameterSymbol { TypeParameterKind: TypeParameterKind.Method } parameter
        && parameter.ConstraintTypes.OfType<INamedTypeSymbol>().Any(c => IsNumberInterfaceOver(c, parameter) || c.AllInterfaces.Any(i => IsNumberInterfaceOver(i, parameter)));

    /// <summary>The generic-math spec of a method generic over exactly one such type parameter, or null.</summary>
    public static GenericMathSpec? Spec(IMethodSymbol method)
    {
        if (method.TypeParameters is not [var parameter] || !IsFloatingTypeParameter(parameter))
        {
            return null;
        }

        var constraints = parameter.ConstraintTypes.Select(c => c.ToDisplayString(SymbolDisplayFormat.FullyQualifiedFormat)).ToList();
        return new GenericMathSpec(parameter.Name, "where " + parameter.Name + " : " + string.Join(", ", constraints));
    }

    /// <summary>A static member of a System.Numerics interface reached through the type parameter (<c>T.Exp</c>, <c>T.Pi</c>, <c>x * y</c> on T).</summary>
    public static bool IsInterfaceMember(ISymbol? member) =>
        member is { IsStatic: true, ContainingType: { TypeKind: TypeKind.Interface } type }
        && type.ContainingNamespace?.ToDisplayString() == "System.Numerics"
        && type.TypeArguments.Any(IsFloatingTypeParameter);

    /// <summary>The double spelling of a generic-math constant (<c>T.One</c> → <c>1.0</c>, <c>T.Pi</c> → <c>double.Pi</c>), or null.</summary>
    public static string? ConstantText(IPropertySymbol property) => !IsInterfaceMember(property) ? null : property.Name switch
    {
        "One" or "MultiplicativeIdentity" => "1.0",
        "Zero" or "AdditiveIdentity" => "0.0",
        "NegativeOne" => "-1.0",
        "Pi" or "E" or "Tau" or "Epsilon" or "NaN" or "PositiveInfinity" or "NegativeInfinity" or "NegativeZero" or "MaxValue" or "MinValue" => "double." + property.Name,
        _ => null,
    };

    private static bool IsNumberInterfaceOver(INamedTypeSymbol type, ITypeParameterSymbol parameter) =>
        type is { Name: "INumberBase", TypeArguments: [var argument] }
        && type.ContainingNamespace?.ToDisplayString() == "System.Numerics"
        && SymbolEqualityComparer.Default.Equals(argument, parameter);
}

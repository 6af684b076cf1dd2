using Microsoft.CodeAnalysis;
using StaticGrad.Compiler.IR;

namespace StaticGrad.Compiler.Lowering;

/// <summary>Maps Roslyn types to <see cref="IrType"/>; anything else is outside the body language.</summary>
internal static class TypeMapping
{
    public static IrType? ToIrType(ITypeSymbol? type)
    {
        switch (type)
        {
            case null:
                return null;
            case IArrayTypeSymbol { Rank: 1 } array when Scalar(array.ElementType) is { } element:
                return new IrType(element, ShapeKind.Array);
            case IArrayTypeSymbol { Rank: 2 } array when Scalar(array.ElementType) is { } element:
                return new IrType(element, ShapeKind.Array2D);
            case IArrayTypeSymbol { Rank: 1, ElementType: IArrayTypeSymbol { Rank: 1 } row } when Scalar(row.ElementType) is { } element:
                return new IrType(element, ShapeKind.Jagged);
            case INamedTypeSymbol { IsGenericType: true, TypeArguments.Length: 1 } named
                when named.ContainingNamespace?.ToDisplayString() == "System" && Scalar(named.TypeArguments[0]) is { } element:
                return named.Name switch
                {
                    "Span" => new IrType(element, ShapeKind.Span),
                    "ReadOnlySpan" => new IrType(element, ShapeKind.ReadOnlySpan),
                    _ => null,
                };
            default:
                return Scalar(type) is { } scalar ? new IrType(scalar, ShapeKind.Scalar) : StatementLowering.StructArrayType(type);
        }
    }

    public static bool IsFloating(ITypeSymbol? type) => type?.SpecialType is SpecialType.System_Double or SpecialType.System_Single;

    private static ScalarKind? Scalar(ITypeSymbol type) => GenericMath.IsFloatingTypeParameter(type) ? ScalarKind.Double : type.SpecialType switch
    {
        SpecialType.System_Double => ScalarKind.Double,
        SpecialType.System_Single => ScalarKind.Float,
        SpecialType.System_Int32 => ScalarKind.Int,
        SpecialType.System_Int64 => ScalarKind.Long,
        SpecialType.System_Boolean => ScalarKind.Bool,
        _ => null,
    };
}

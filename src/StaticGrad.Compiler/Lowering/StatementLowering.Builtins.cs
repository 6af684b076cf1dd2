using System.Globalization;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;
using StaticGrad.Compiler.IR;

namespace StaticGrad.Compiler.Lowering;

/// <summary>Recognising the math library's calls and their option arguments, and indices from the end.</summary>
internal sealed partial class StatementLowering
{
    /// <summary>
    /// Where a static math function lives, as the generated code spells it: Math and MathF, and the static members
    /// of double and float (generic math: <c>double.Exp2</c>, <c>float.Hypot</c>); null for anything else.
    /// </summary>
    private static string? BuiltinContainer(IMethodSymbol method)
    {
        if (!method.IsStatic || method.ContainingType is not { } type)
        {
            return null;
        }

        return type.SpecialType switch
        {
            SpecialType.System_Double => "double",
            SpecialType.System_Single => "float",
            _ => SymbolNames.Is(type, "System.Math") ? "global::System.Math" : SymbolNames.Is(type, "System.MathF") ? "global::System.MathF" : null,
        };
    }

    /// <summary>
    /// <see cref="BuiltinContainer"/> for a call in the method being lowered. In a generic-math method an integer
    /// overload (<c>Math.Max(i - 1, 0)</c>, <c>Math.Abs(k)</c>) is spelled on its own type (<c>int.Max</c>, .NET 7's
    /// static members, which a generic-math method already needs): the generated text is retyped afterwards, every
    /// <c>global::System.Math.X</c> becoming the float function <c>T.X</c>, which takes no int.
    /// </summary>
    private string? CallContainer(IMethodSymbol method)
    {
        if (method.Parameters.Length > 0 && IsInteger(method.Parameters[0].Type) && BuiltinContainer(method) == "global::System.Math"
            && _context.Method is { } enclosing && GenericMath.Spec(enclosing) is not null)
        {
            return method.Parameters[0].Type.ToDisplayString();
        }

        return BuiltinContainer(method);

        static bool IsInteger(ITypeSymbol type) => type.SpecialType is SpecialType.System_SByte or SpecialType.System_Byte or SpecialType.System_Int16
            or SpecialType.System_UInt16 or SpecialType.System_Int32 or SpecialType.System_UInt32 or SpecialType.System_Int64 or SpecialType.System_UInt64
            or SpecialType.System_IntPtr or SpecialType.System_UIntPtr;
    }

    /// <summary>An enum constant (<c>MidpointRounding.AwayFromZero</c>, a user's option enum) as an inactive value spelled in C#.</summary>
    private static Expr? EnumConstant(IOperation operation)
    {
        if (operation.Type is not INamedTypeSymbol { TypeKind: TypeKind.Enum } enumType || operation.ConstantValue is not { HasValue: true, Value: { } value })
        {
            return null;
        }

        var number = System.Convert.ToInt64(value, CultureInfo.InvariantCulture).ToString(CultureInfo.InvariantCulture);
        return new ConstExpr(IrType.Int, "((" + enumType.ToDisplayString(SymbolDisplayFormat.FullyQualifiedFormat) + ")(" + number + "))");
    }

    /// <summary>The <c>k</c> of an index from the end, <c>a[^k]</c> (read as <c>a[a.Length - k]</c>), or null.</summary>
    private static IOperation? FromEnd(IOperation index) => SkipConversions(index) is IUnaryOperation { OperatorKind: UnaryOperatorKind.Hat } hat ? hat.Operand : null;

    private static bool IsRange(IOperation index) => index.Type is { Name: "Range", ContainingNamespace.Name: "System" } || index is IRangeOperation;
}

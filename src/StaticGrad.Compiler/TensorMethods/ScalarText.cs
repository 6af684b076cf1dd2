using System;
using System.Globalization;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;
using StaticGrad.Compiler.Emit;

namespace StaticGrad.Compiler.TensorMethods;

/// <summary>
/// Prints a scalar argument of a tensor operation (a scalar operand, an exponent, a dim) as C# source. Scalars are
/// never differentiated in a Tensor body, so they may only be built from what the generated code can evaluate again
/// the same way: constants, scalar parameters, arithmetic on those, and shape queries of tensor values.
/// </summary>
internal static class ScalarText
{
    /// <summary>The text, or null with <paramref name="unsupported"/> set to the part that cannot be printed.</summary>
    public static string? Print(IOperation operation, Func<IOperation, string?> tensorName, out IOperation? unsupported)
    {
        unsupported = null;
        if (operation.ConstantValue is { HasValue: true } constant && Constant(constant.Value, operation.Type) is { } text)
        {
            return text;
        }

        switch (operation)
        {
            case IConversionOperation conversion when IsScalar(conversion.Type):
                var inner = Print(conversion.Operand, tensorName, out unsupported);
                return inner is null || conversion.IsImplicit ? inner : "((" + conversion.Type!.ToDisplayString() + ")" + inner + ")";
            // A primary-constructor parameter of the type cannot be named in the generated part (CS9105): refused.
            case IParameterReferenceOperation parameter when IsScalar(parameter.Type) && parameter.Parameter.ContainingSymbol is not IMethodSymbol { MethodKind: MethodKind.Constructor }:
                return Naming.NameScope.Escape(parameter.Parameter.Name);
            case IUnaryOperation { OperatorMethod: null } unary when unary.OperatorKind is UnaryOperatorKind.Minus or UnaryOperatorKind.Plus:
                var operand = Print(unary.Operand, tensorName, out unsupported);
                return operand is null ? null : "(" + (unary.OperatorKind == UnaryOperatorKind.Minus ? "-" : "+") + operand + ")";
            case IBinaryOperation { OperatorMethod: null } binary when Operator(binary.OperatorKind) is { } symbol:
                var left = Print(binary.LeftOperand, tensorName, out unsupported);
                if (left is null)
                {
                    return null;
                }

                var right = Print(binary.RightOperand, tensorName, out unsupported);
                return right is null ? null : "(" + left + " " + symbol + " " + right + ")";
            case IInvocationOperation { Instance: { } instance, TargetMethod.Name: "Size", Arguments.Length: 1 } size when IsTensorMember(size.TargetMethod):
                var sizeOf = tensorName(instance);
                var dim = Print(size.Arguments[0].Value, tensorName, out unsupported);
                if (sizeOf is null)
                {
                    unsupported = instance;
                }

                return sizeOf is null || dim is null ? null : sizeOf + ".Size(" + dim + ")";
            case IPropertyReferenceOperation { Instance: { } instance, Property.Name: "NumElements" or "Dim" } property when IsTensorMember(property.Property):
                var of = tensorName(instance);
                if (of is null)
                {
                    unsupported = instance;
                }

                return of is null ? null : of + "." + property.Property.Name;
            default:
                unsupported = operation;
                return null;
        }
    }

    private static bool IsScalar(ITypeSymbol? type) => type?.SpecialType is
        SpecialType.System_Double or SpecialType.System_Single or SpecialType.System_Int32 or SpecialType.System_Int64 or SpecialType.System_Boolean;

    private static bool IsTensorMember(ISymbol member) => TensorMethodLowering.IsTensor(member.ContainingType);

    private static string? Operator(BinaryOperatorKind kind) => kind switch
    {
        BinaryOperatorKind.Add => "+",
        BinaryOperatorKind.Subtract => "-",
        BinaryOperatorKind.Multiply => "*",
        BinaryOperatorKind.Divide => "/",
        _ => null,
    };

    private static string? Constant(object? value, ITypeSymbol? type) => (value, type?.SpecialType) switch
    {
        (_, SpecialType.System_Double) => IndentedWriter.Literal(Convert.ToDouble(value, CultureInfo.InvariantCulture)),
        (_, SpecialType.System_Single) => IndentedWriter.Literal(Convert.ToSingle(value, CultureInfo.InvariantCulture)),
        (_, SpecialType.System_Int32) => IndentedWriter.Literal(Convert.ToInt32(value, CultureInfo.InvariantCulture)),
        (_, SpecialType.System_Int64) => IndentedWriter.Literal(Convert.ToInt64(value, CultureInfo.InvariantCulture)),
        (bool b, SpecialType.System_Boolean) => b ? "true" : "false",
        _ => null,
    };
}

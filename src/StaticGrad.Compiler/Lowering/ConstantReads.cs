using System.Globalization;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Operations;
using StaticGrad.Compiler.IR;

namespace StaticGrad.Compiler.Lowering;

/// <summary>
/// Configuration read as constants: an expression built only from configuration parameters (string, enum, class,
/// delegate, a struct without floating data, anything [NoGrad]), <c>this</c>, static members and literals carries no
/// derivative, so it is kept as C# text. Its parts are spelled fully qualified, so the text means the same in the
/// generated file as in the user's.
/// </summary>
internal sealed partial class StatementLowering
{
    /// <summary>The constant read, or null when <paramref name="operation"/> involves a variable of the body.</summary>
    private ConstExpr? ConstantRead(IOperation operation)
    {
        if (operation is ILocalReferenceOperation || ConstantText(operation) is not { } text)
        {
            return null;
        }

        return new ConstExpr(TypeMapping.ToIrType(operation.Type) ?? IrType.Opaque(FullName(operation.Type)), text);
    }

    /// <summary>
    /// A folded constant can print as a signed literal ("-2.0", from a const local or a constant condition): as the
    /// operand of a sign it would read as "--" (decrement), and as a receiver "-2.0.CompareTo(y)" means
    /// "-(2.0.CompareTo(y))", so such a text is parenthesised there.
    /// </summary>
    private static string? Receiver(string? text) => text is not null && (text.StartsWith("-", System.StringComparison.Ordinal) || text.StartsWith("+", System.StringComparison.Ordinal)) ? "(" + text + ")" : text;

    private static string FullName(ITypeSymbol? type) => type?.ToDisplayString(SymbolDisplayFormat.FullyQualifiedFormat) ?? "object";

    private string? ConstantText(IOperation operation)
    {
        switch (operation)
        {
            case IParameterReferenceOperation parameter:
                return _context.TryGetVariable(parameter.Parameter, out var name, out var type)
                    ? type.Scalar == ScalarKind.Opaque ? name : null
                    : PrimaryConstructorParameters.Read(parameter.Parameter, _context, _inlinedInstance is not null);
            case IInstanceReferenceOperation { ReferenceKind: InstanceReferenceKind.ContainingTypeInstance }:
                return _inlinedInstance is null ? "this" : null;
            case IFieldReferenceOperation field:
                return Member(field.Field, field.Instance);
            case IPropertyReferenceOperation { Arguments.Length: 0 } property:
                return Member(property.Property, property.Instance);
            case IPropertyReferenceOperation { Instance: { } instance } indexer:
                return Indexed(instance, indexer.Arguments.Select(a => a.Value));
            case IArrayElementReferenceOperation element:
                return Indexed(element.ArrayReference, element.Indices);
            case IParenthesizedOperation parenthesized:
                return ConstantText(parenthesized.Operand);
            case IConversionOperation { OperatorMethod: null } conversion:
                return ConstantText(conversion.Operand) is { } operand
                    ? conversion.IsImplicit ? operand : "((" + FullName(conversion.Type) + ")" + operand + ")"
                    : null;
            case IBinaryOperation { Syntax: BinaryExpressionSyntax syntax } binary:
                return ConstantText(binary.LeftOperand) is { } left && ConstantText(binary.RightOperand) is { } right
                    ? "(" + left + " " + syntax.OperatorToken.Text + " " + right + ")"
                    : null;
            case IUnaryOperation { Syntax: PrefixUnaryExpressionSyntax syntax } unary:
                // A folded operand can be a negative literal ("-1.14f" from a constant condition or a const local):
                // "-" + "-1.14f" would print the decrement operator "--".
                return ConstantText(unary.Operand) is { } unaryOperand ? "(" + syntax.OperatorToken.Text + Receiver(unaryOperand) + ")" : null;
            // A local function is inlined even when its arguments are constants: the generated method cannot call it.
            case IInvocationOperation { TargetMethod: { ReturnsVoid: false, IsGenericMethod: false, MethodKind: not MethodKind.LocalFunction } method } invocation
                when invocation.Arguments.All(a => a.Parameter is { RefKind: RefKind.None } && a.ArgumentKind == ArgumentKind.Explicit) && !IsImpureValueCall(invocation):
                {
                    var receiver = method.IsStatic ? (GenericMath.IsInterfaceMember(method) ? "double" : FullName(method.ContainingType)) : invocation.Instance is null ? "this" : Receiver(ConstantText(invocation.Instance));
                    var arguments = invocation.Arguments.OrderBy(a => a.Parameter!.Ordinal).Select(a => ConstantText(a.Value)).ToList();
                    return receiver is null || arguments.Any(a => a is null) || (receiver == "this" && _inlinedInstance is not null)
                        ? null
                        : receiver + "." + method.Name + "(" + string.Join(", ", arguments) + ")";
                }

            case IDefaultValueOperation:
                return "default(" + FullName(operation.Type) + ")";
            default:
                return operation.ConstantValue is { HasValue: true } constant ? Literal(constant.Value, operation.Type) : null;
        }
    }

    private string? Member(ISymbol member, IOperation? instance)
    {
        NoteConfigurationRead(member);
        if (member is IPropertySymbol property && GenericMath.ConstantText(property) is { } generic)
        {
            return generic;
        }

        if (member.IsStatic)
        {
            return FullName(member.ContainingType) + "." + member.Name;
        }

        return instance is not null && Receiver(ConstantText(instance)) is { } receiver ? receiver + "." + member.Name : null;
    }

    private string? Indexed(IOperation collection, System.Collections.Generic.IEnumerable<IOperation> indices)
    {
        var receiver = ConstantText(collection);
        var texts = indices.Select(ConstantText).ToList();
        return receiver is null || texts.Any(t => t is null) ? null : receiver + "[" + string.Join(", ", texts) + "]";
    }

    private static string? Literal(object? value, ITypeSymbol? type) => value switch
    {
        null => type is null ? "null" : "default(" + FullName(type) + ")",
        string s => SymbolDisplay.FormatLiteral(s, quote: true),
        char c => SymbolDisplay.FormatLiteral(c, quote: true),
        bool b => b ? "true" : "false",
        _ when type?.TypeKind == TypeKind.Enum => "((" + FullName(type) + ")" + System.Convert.ToString(value, CultureInfo.InvariantCulture) + ")",
        double d => Emit.IndentedWriter.Literal(d),
        float f => Emit.IndentedWriter.Literal(f),
        int i => Emit.IndentedWriter.Literal(i),
        long l => Emit.IndentedWriter.Literal(l),
        _ => "((" + FullName(type) + ")" + System.Convert.ToString(value, CultureInfo.InvariantCulture) + ")",
    };
}

using System;
using System.Linq;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Operations;
using StaticGrad.Compiler.Derivatives;

namespace StaticGrad.Compiler.Lowering;

/// <summary>
/// Recognises a [Differentiable] callee whose derivative the rule table writes from its value
/// (<see cref="ResultRules"/>): today the logistic function as users write it, <c>1 / (1 + Math.Exp(-z))</c> (also
/// <c>Math.Exp(-z) + 1</c>, <c>MathF</c> for <c>float</c>, <c>double.Exp</c>/<c>float.Exp</c>). Only a body of exactly that expression over the one
/// parameter qualifies: anything else keeps the callee's backward, which is always right. A generic-math callee over
/// one floating <c>T</c> qualifies with <c>T.One / (T.One + T.Exp(-z))</c> (its operators are the interfaces').
/// </summary>
internal static class CalleeResultForms
{
    /// <summary>The callee's form (<see cref="ResultRules"/>' names), or empty.</summary>
    public static string Of(IMethodSymbol method, Compilation compilation, CancellationToken cancellationToken)
    {
        // A generic-math callee (T Logistic<T>(T z) where T : IFloatingPointIeee754<T>) is read in its declaration, over
        // its own T, and called at double, float or the caller's T (which the caller reads as double).
        var declared = method.OriginalDefinition;
        if (method.Parameters.Length != 1 || method.ReturnsByRef || method.ReturnsByRefReadonly
            || method.Parameters[0] is not { RefKind: RefKind.None }
            || declared.Parameters[0] is not { RefKind: RefKind.None } parameter
            || !IsFloating(method.ReturnType)
            || !SymbolEqualityComparer.Default.Equals(method.Parameters[0].Type, method.ReturnType)
            || !SymbolEqualityComparer.Default.Equals(parameter.Type, declared.ReturnType)
            || (method.IsGenericMethod && GenericMath.Spec(declared) is null)
            || Symbols.HasAttribute(parameter, Symbols.NoGradAttribute))
        {
            return string.Empty;
        }

        var syntax = declared.DeclaringSyntaxReferences.Length == 1 ? declared.DeclaringSyntaxReferences[0].GetSyntax(cancellationToken) : null;
        ExpressionSyntax? body = syntax switch
        {
            MethodDeclarationSyntax { ExpressionBody: { } arrow } => arrow.Expression,
            MethodDeclarationSyntax { Body.Statements: [ReturnStatementSyntax { Expression: { } returned }] } => returned,
            _ => null,
        };
        if (body is null || compilation.GetSemanticModel(body.SyntaxTree).GetOperation(body, cancellationToken) is not { } operation)
        {
            return string.Empty;
        }

        return IsLogistic(operation, parameter) ? ResultRules.Logistic : string.Empty;
    }

    /// <summary>double, float, or a generic-math type parameter (read as double).</summary>
    private static bool IsFloating(ITypeSymbol type) =>
        type.SpecialType is SpecialType.System_Double or SpecialType.System_Single || GenericMath.IsFloatingTypeParameter(type);

    /// <summary>The built-in operator, or for T the generic-math interface's (<c>IDivisionOperators&lt;T, T, T&gt;</c>).</summary>
    private static bool IsBuiltinOperator(IMethodSymbol? operatorMethod) => operatorMethod is null || GenericMath.IsInterfaceMember(operatorMethod);

    /// <summary><c>1 / (1 + exp(−z))</c> in the parameter's own type, the sum in either order.</summary>
    private static bool IsLogistic(IOperation operation, IParameterSymbol parameter)
    {
        if (Strip(operation) is not IBinaryOperation { OperatorKind: BinaryOperatorKind.Divide } quotient
            || !IsBuiltinOperator(quotient.OperatorMethod)
            || !IsOne(quotient.LeftOperand)
            || Strip(quotient.RightOperand) is not IBinaryOperation { OperatorKind: BinaryOperatorKind.Add } sum
            || !IsBuiltinOperator(sum.OperatorMethod)
            || !SymbolEqualityComparer.Default.Equals(quotient.Type, parameter.Type))
        {
            return false;
        }

        return (IsOne(sum.LeftOperand) && IsExpOfNegated(sum.RightOperand, parameter))
            || (IsOne(sum.RightOperand) && IsExpOfNegated(sum.LeftOperand, parameter));
    }

    private static bool IsExpOfNegated(IOperation operation, IParameterSymbol parameter)
    {
        var math = parameter.Type.SpecialType == SpecialType.System_Single ? "MathF" : "Math";
        return Strip(operation) is IInvocationOperation { Instance: null, TargetMethod: { Name: "Exp", ContainingType: { Name: var container } } exp, Arguments: [var argument] } call
            && (GenericMath.IsInterfaceMember(exp) || exp.ContainingType.SpecialType == parameter.Type.SpecialType
                || (container == math && exp.ContainingType.ContainingNamespace is { Name: "System", ContainingNamespace.IsGlobalNamespace: true }))
            && SymbolEqualityComparer.Default.Equals(exp.ReturnType, parameter.Type)
            && Strip(argument.Value) is IUnaryOperation { OperatorKind: UnaryOperatorKind.Minus, Operand: var operand } negation
            && IsBuiltinOperator(negation.OperatorMethod)
            && Strip(operand) is IParameterReferenceOperation reference
            && SymbolEqualityComparer.Default.Equals(reference.Parameter, parameter)
            && SymbolEqualityComparer.Default.Equals(call.Type, parameter.Type);
    }

    /// <summary>A constant equal to one (1, 1.0, 1f, an int 1 converted, <c>T.One</c>, or <c>T.CreateChecked(1)</c>).</summary>
    private static bool IsOne(IOperation operation) => operation switch
    {
        { ConstantValue: { HasValue: true, Value: double or float or int } constant } => Convert.ToDouble(constant.Value, System.Globalization.CultureInfo.InvariantCulture) == 1.0,
        IPropertyReferenceOperation { Property: var property } => GenericMath.ConstantText(property) == "1.0",
        IInvocationOperation { TargetMethod: { Name: "CreateChecked" or "CreateSaturating" or "CreateTruncating" } create, Arguments: [var argument] } =>
            GenericMath.IsInterfaceMember(create) && IsOne(argument.Value),
        _ => false,
    };

    /// <summary>Implicit numeric conversions and parentheses, which change neither value nor type here.</summary>
    private static IOperation Strip(IOperation operation)
    {
        while (operation is IConversionOperation { IsImplicit: true, OperatorMethod: null } conversion && conversion.Type?.SpecialType is SpecialType.System_Double or SpecialType.System_Single)
        {
            operation = conversion.Operand;
        }

        return operation;
    }
}

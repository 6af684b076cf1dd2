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
/// <c>Math.Exp(-z) + 1</c>, <c>MathF</c> for <c>float</c>). Only a body of exactly that expression over the one
/// parameter qualifies: anything else keeps the callee's backward, which is always right.
/// </summary>
internal static class CalleeResultForms
{
    /// <summary>The callee's form (<see cref="ResultRules"/>' names), or empty.</summary>
    public static string Of(IMethodSymbol method, Compilation compilation, CancellationToken cancellationToken)
    {
        if (method.Parameters.Length != 1 || method.IsGenericMethod || method.ReturnsByRef || method.ReturnsByRefReadonly
            || method.Parameters[0] is not { RefKind: RefKind.None } parameter
            || method.ReturnType.SpecialType is not (SpecialType.System_Double or SpecialType.System_Single)
            || !SymbolEqualityComparer.Default.Equals(parameter.Type, method.ReturnType)
            || Symbols.HasAttribute(parameter, Symbols.NoGradAttribute))
        {
            return string.Empty;
        }

        var syntax = method.DeclaringSyntaxReferences.Length == 1 ? method.DeclaringSyntaxReferences[0].GetSyntax(cancellationToken) : null;
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

    /// <summary><c>1 / (1 + exp(−z))</c> in the parameter's own type, the sum in either order.</summary>
    private static bool IsLogistic(IOperation operation, IParameterSymbol parameter)
    {
        if (Strip(operation) is not IBinaryOperation { OperatorKind: BinaryOperatorKind.Divide, OperatorMethod: null } quotient
            || !IsOne(quotient.LeftOperand)
            || Strip(quotient.RightOperand) is not IBinaryOperation { OperatorKind: BinaryOperatorKind.Add, OperatorMethod: null } sum
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
        return Strip(operation) is IInvocationOperation { Instance: null, TargetMethod: { Name: "Exp", ContainingType: { Name: var container, ContainingNamespace: { Name: "System", ContainingNamespace.IsGlobalNamespace: true } } } exp, Arguments: [var argument] } call
            && container == math
            && SymbolEqualityComparer.Default.Equals(exp.ReturnType, parameter.Type)
            && Strip(argument.Value) is IUnaryOperation { OperatorKind: UnaryOperatorKind.Minus, OperatorMethod: null, Operand: var operand }
            && Strip(operand) is IParameterReferenceOperation reference
            && SymbolEqualityComparer.Default.Equals(reference.Parameter, parameter)
            && SymbolEqualityComparer.Default.Equals(call.Type, parameter.Type);
    }

    /// <summary>A constant equal to one (1, 1.0, 1f, or an int 1 converted).</summary>
    private static bool IsOne(IOperation operation) => operation.ConstantValue is { HasValue: true, Value: double or float or int } constant
        && Convert.ToDouble(constant.Value, System.Globalization.CultureInfo.InvariantCulture) == 1.0;

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

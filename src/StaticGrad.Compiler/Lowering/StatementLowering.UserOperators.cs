using System.Collections.Generic;
using System.Linq;
using Microsoft.CodeAnalysis;
using StaticGrad.Compiler.IR;
using StaticGrad.Compiler.Model;

namespace StaticGrad.Compiler.Lowering;

/// <summary>
/// Uses of a [Differentiable] user operator whose body is more than one expression (<see cref="UserOperators"/>;
/// a one-expression operator is still read through): a call of its generated members, struct operands passed leaf
/// by leaf as to any [Differentiable] method, and a struct result called once per leaf as a struct-returning method's.
/// </summary>
internal sealed partial class StatementLowering
{
    /// <summary>A struct- or tuple-valued use, or null when <paramref name="method"/> is no such operator.</summary>
    private StructValue? LowerUserOperatorStruct(IOperation operation, IMethodSymbol? method, IReadOnlyList<IOperation> operands, StructLayout layout)
    {
        if (method is null || StructResult.ScalarType(method.ReturnType) is not { } scalar || UserOperatorCall(operation, method, operands, scalar) is not { } call)
        {
            return null;
        }

        return call is MethodCallExpr leafCall ? ResultLeafCalls(leafCall, method!, scalar, layout, operation.Syntax) : Zeros(layout);
    }

    /// <summary>A number-valued use (<c>a * b</c> as a dot product), or null when <paramref name="method"/> is no such operator.</summary>
    private Expr? LowerUserOperatorScalar(IOperation operation, IMethodSymbol? method, IReadOnlyList<IOperation> operands) =>
        TypeMapping.ToIrType(method?.ReturnType) is { IsFloating: true } type ? UserOperatorCall(operation, method, operands, type) : null;

    private Expr? UserOperatorCall(IOperation operation, IMethodSymbol? method, IReadOnlyList<IOperation> operands, IrType type)
    {
        if (UserOperators.Token(method) is not { } token || method!.Parameters.Length != operands.Count || SingleExpressionBody(method) is not null)
        {
            return null;
        }

        var callee = method.ContainingType.ToDisplayString(SymbolDisplayFormat.FullyQualifiedFormat) + "." + method.Name;
        var forward = OutputOptIn.Explicit(method, OutputOptIn.Forward);
        var target = new CallTarget(CallKind.Differentiable, callee, callee + "Backward", Symbols.Key(method), Symbols.Display(method), method.Parameters.Select(Symbols.BackwardPassing).ToEquatableArray())
        {
            HasHessian = HessianOptIn.IsSet(method),
            HasTangent = forward == true,
            TangentFollowsProjectDefault = forward is null,
            OperatorToken = token,
        };
        var arguments = new Expr[operands.Count];
        Dictionary<int, StructValue>? structs = null;
        for (var i = 0; i < operands.Count; i++)
        {
            var (parameter, operand) = (method.Parameters[i], operands[i]);
            if (!IsStructValue(operand))
            {
                arguments[i] = LowerExpression(operand);
                continue;
            }

            var layout = StructLayout.Of(operand.Type)!;
            if (Symbols.HasAttribute(parameter, Symbols.NoGradAttribute) || !SymbolEqualityComparer.Default.Equals(parameter.Type, operand.Type)
                || StructConstruction.Text(layout, ArgumentTemplate.Placeholders(layout.Leaves.Count).ToList()) is null)
            {
                return Unsupported(operand, "this '" + layout.Type.Name + "' operand of '" + Symbols.Display(method) + "' (an operand is passed to a differentiable parameter of exactly its type, whose members are all settable)");
            }

            (structs ??= new())[i] = LowerStruct(operand);
            arguments[i] = s_error;
        }

        return structs is null
            ? new MethodCallExpr(type, target, arguments.ToEquatableArray(), _context.Site(operation.Syntax))
            : StructArgumentCall(operation, type, target, arguments, structs);
    }
}

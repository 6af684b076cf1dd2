using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Operations;
using StaticGrad.Analyzers.TensorUsage.Rules;

namespace StaticGrad.Analyzers.TensorUsage.Analysis;

internal sealed partial class TensorInterpreter
{
    /// <summary>For <c>total = total + x</c>, the addition (with <c>total</c> on the left), else null.</summary>
    private IBinaryOperation? AccumulatedOperand(IOperation value, ILocalSymbol target) =>
        Unwrap(value) is IBinaryOperation { OperatorMethod: { } method, LeftOperand: var left } sum
        && _api.IsTensorMember(method) && _api.NameOf(method) == TensorApi.Addition
        && Unwrap(left) is ILocalReferenceOperation { Local: var local } && SymbolEqualityComparer.Default.Equals(local, target)
            ? sum
            : null;

    /// <summary>
    /// SG0017: <paramref name="operand"/> certainly requires grad, the sum is recorded, the statement is in a loop, the
    /// accumulator is declared outside that loop, and the accumulator is only ever read for its value (never
    /// differentiated, returned or handed to other code): every iteration's graph stays reachable for nothing.
    /// </summary>
    private void CheckAccumulation(IOperation statement, ILocalSymbol accumulator, IOperation operand, AbstractValue operandValue, AbstractValue result)
    {
        if (!Reporting || !operandValue.Fact.RequiresGrad || result.Fact.State != GradState.NonLeaf)
        {
            return;
        }

        var loop = EnclosingLoop(statement.Syntax);
        var declaration = accumulator.DeclaringSyntaxReferences.FirstOrDefault();
        if (loop is null || declaration is null || loop.Span.Contains(declaration.Span) || !OnlyReadForValue(accumulator))
        {
            return;
        }

        // The suggested receiver is parenthesized when it is an operator expression: "(x * 2.0).Detach()", not "x * 2.0.Detach()".
        var name = NameOf(operand);
        var receiver = operand.Syntax is ExpressionSyntax and not (IdentifierNameSyntax or MemberAccessExpressionSyntax or InvocationExpressionSyntax or ElementAccessExpressionSyntax or ParenthesizedExpressionSyntax)
            ? "(" + name + ")"
            : name;
        Sink.Report(LossAccumulatedRule.Descriptor, statement.Syntax, name, accumulator.Name, receiver);
    }

    /// <summary>The innermost loop around a statement, inside the analyzed function (not beyond a lambda or local function).</summary>
    private static SyntaxNode? EnclosingLoop(SyntaxNode node)
    {
        for (var current = node.Parent; current is not null; current = current.Parent)
        {
            switch (current)
            {
                case ForStatementSyntax or ForEachStatementSyntax or WhileStatementSyntax or DoStatementSyntax:
                    return current;
                case AnonymousFunctionExpressionSyntax or LocalFunctionStatementSyntax or MemberDeclarationSyntax:
                    return null;
            }
        }

        return null;
    }

    private bool OnlyReadForValue(ILocalSymbol accumulator)
    {
        foreach (var reference in _root.DescendantsAndSelf().OfType<ILocalReferenceOperation>())
        {
            if (!SymbolEqualityComparer.Default.Equals(reference.Local, accumulator))
            {
                continue;
            }

            IOperation use = reference;
            while (use.Parent is IConversionOperation { OperatorMethod: null } conversion)
            {
                use = conversion;
            }

            var fine = use.Parent switch
            {
                ICompoundAssignmentOperation compound => compound.Target == use,
                ISimpleAssignmentOperation assignment => assignment.Target == use,
                IBinaryOperation { Parent: ISimpleAssignmentOperation { Target: ILocalReferenceOperation target } } sum =>
                    sum.LeftOperand == use && SymbolEqualityComparer.Default.Equals(target.Local, accumulator),
                IInvocationOperation invocation => invocation.Instance == use && _api.NameOf(invocation.TargetMethod) is TensorApi.Item or "ToString" or "ToArray" or TensorApi.Detach or "Print",
                IArgumentOperation { Parent: IInvocationOperation call } => !_api.MayRunUserCode(call.TargetMethod, call.Instance?.Type, hasDelegateArgument: false) && !_api.IsTensorMember(call.TargetMethod),
                IInterpolationOperation => true,
                _ => false,
            };

            if (!fine)
            {
                return false;
            }
        }

        return true;
    }
}

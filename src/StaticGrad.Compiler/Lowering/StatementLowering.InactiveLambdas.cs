using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;
using StaticGrad.Compiler.IR;

namespace StaticGrad.Compiler.Lowering;

/// <summary>
/// Lambdas in guard, logging and other discarded calls (<c>items.ForEach(i => Log(i))</c>,
/// <c>Array.Sort(names, (p, q) => string.CompareOrdinal(p, q))</c>) take no part in differentiation: they are written
/// into the generated code like the rest of the call, their parameters by name. A lambda with statements, or one that
/// assigns anything, is refused with the call.
/// </summary>
internal sealed partial class StatementLowering
{
    private bool PrintLambda(IAnonymousFunctionOperation lambda, EffectWriter w, out IOperation? unprintable)
    {
        unprintable = lambda;
        var body = lambda.Body.Operations.Where(o => o is not IReturnOperation { ReturnedValue: null, IsImplicit: true }).ToList() is [var only] ? only switch
        {
            IReturnOperation { ReturnedValue: { } value } => value,
            IExpressionStatementOperation { Operation: not (IAssignmentOperation or IIncrementOrDecrementOperation) } statement => statement.Operation,
            _ => null,
        } : null;
        if (body is null || body.DescendantsAndSelf().Any(o => o is IAssignmentOperation or IIncrementOrDecrementOperation))
        {
            return false;
        }

        w.Text((lambda.Symbol.IsStatic ? "static " : string.Empty) + "(" + string.Join(", ", lambda.Symbol.Parameters.Select(p => Naming.NameScope.Escape(p.Name))) + ") => ");
        return PrintInactive(body, w, out unprintable);
    }

    /// <summary>
    /// A lambda passed to a call as a value (<c>Array.FindIndex(Labels, l =&gt; l.Length &gt; 3)</c>) that reads only its
    /// own parameters and configuration: a constant of its delegate type. One that reads the body's variables is refused.
    /// </summary>
    private Expr? LowerInactiveLambda(IOperation operation)
    {
        var lambda = operation as IAnonymousFunctionOperation ?? (operation as IDelegateCreationOperation)?.Target as IAnonymousFunctionOperation;
        var writer = new EffectWriter();
        if (lambda is null || operation.Type is null || !PrintLambda(lambda, writer, out _))
        {
            return null;
        }

        var statement = writer.ToStatement();
        return statement.Holes.Any(h => h is not ConstExpr)
            ? null
            : new ConstExpr(IrType.Opaque(operation.Type.ToDisplayString(SymbolDisplayFormat.FullyQualifiedFormat)), statement.Text(Emit.ExpressionPrinter.Print));
    }

    private static bool IsLambdaParameter(IOperation operation) =>
        operation is IParameterReferenceOperation { Parameter.ContainingSymbol: IMethodSymbol { MethodKind: MethodKind.AnonymousFunction } };

    /// <summary>Whether the operation reads a lambda's parameter: then it is written as C#, not lowered.</summary>
    private static bool ReadsLambdaParameter(IOperation operation) => operation.DescendantsAndSelf().Any(IsLambdaParameter);
}

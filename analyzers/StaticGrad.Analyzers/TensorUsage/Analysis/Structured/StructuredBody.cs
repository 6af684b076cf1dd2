using System.Collections.Generic;
using System.Linq;
using System.Runtime.CompilerServices;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Operations;

namespace StaticGrad.Analyzers.TensorUsage.Analysis.Structured;

/// <summary>
/// Decides whether a body can be analyzed by walking its operation tree (<see cref="StructuredFlow"/>) with the
/// result the control flow graph would give: only blocks, declarations, expression statements, returns, if/else,
/// top-tested <c>for</c>/<c>while</c> loops (with <c>break</c> and <c>continue</c>, not crossing a <c>using</c>), <c>foreach</c> over framework collections (no return out of it), <c>using</c> of a
/// grad-mode scope (StaticGrad's structs, TorchSharp's classes), constructor bodies, conditions made of <c>&amp;&amp;</c>/<c>||</c> over plain expressions,
/// and the conditional operator as an initializer, a returned value or assigned to a local, parameter or array element; expressions only of kinds that Roslyn's graph
/// keeps as they are (tuples, deconstruction into new locals and interpolated strings included; no short-circuit
/// outside conditions, null-conditional, coalescing, switch or throw expressions, no object initializers, patterns other than constants,
/// await, local functions). Lambdas inside must be structured too. Anything else: the graph.
/// </summary>
internal static class StructuredBody
{
    /// <summary>Graphs larger than this are not summarized (SummaryCache.MaxBlocks); a walked tree must stay clearly below it.</summary>
    private const int MaxBlockEstimate = 250;

    public static bool IsStructured(IOperation statements, TensorApi api)
    {
        var blocks = 3;
        return Statement(statements, api, ref blocks) && blocks <= MaxBlockEstimate;
    }

    private static bool Statement(IOperation operation, TensorApi api, ref int blocks) => Statement(operation, api, ref blocks, inLoop: false);

    /// <param name="inLoop">Whether a <c>break</c> here leaves the innermost loop directly (not through a <c>using</c>'s finally).</param>
    [MethodImpl(Jit.Optimized)]
    private static bool Statement(IOperation operation, TensorApi api, ref int blocks, bool inLoop)
    {
        switch (operation)
        {
            case IBlockOperation block:
                foreach (var statement in block.Operations)
                {
                    if (!Statement(statement, api, ref blocks, inLoop))
                    {
                        return false;
                    }
                }

                return true;
            case IVariableDeclarationGroupOperation group:
                foreach (var declaration in group.Declarations)
                {
                    if (declaration.Initializer is not null)
                    {
                        return false;
                    }

                    foreach (var declarator in declaration.Declarators)
                    {
                        if (declarator.Symbol.IsRef || (declarator.Initializer is { } initializer && !Value(initializer.Value, api, ref blocks)))
                        {
                            return false;
                        }
                    }
                }

                return true;
            case IExpressionStatementOperation { Operation: ISimpleAssignmentOperation { IsRef: false, Value: IConditionalOperation conditional, Target: var target } }
                when target is ILocalReferenceOperation { Local.IsRef: false } or IParameterReferenceOperation { Parameter.RefKind: RefKind.None } or IArrayElementReferenceOperation:
                // The graph captures the target (a variable, or an element with its array and indices) before the branch.
                return (target is not IArrayElementReferenceOperation || Expression(target, api, ref blocks)) && Value(conditional, api, ref blocks);
            case IExpressionStatementOperation statement:
                return Expression(statement.Operation, api, ref blocks);
            case IReturnOperation { Kind: OperationKind.Return } returned:
                blocks++;
                return returned.ReturnedValue is null || Value(returned.ReturnedValue, api, ref blocks);
            case IConditionalOperation branch:
                blocks += 3;
                return Condition(branch.Condition, api, ref blocks) && Statement(branch.WhenTrue, api, ref blocks, inLoop)
                    && (branch.WhenFalse is null || Statement(branch.WhenFalse, api, ref blocks, inLoop));
            case IBranchOperation { BranchKind: BranchKind.Break or BranchKind.Continue }:
                blocks++;
                return inLoop;
            case IForLoopOperation loop:
                blocks += 4;
                foreach (var statement in loop.Before)
                {
                    if (statement is not (IVariableDeclarationGroupOperation or IExpressionStatementOperation) || !Statement(statement, api, ref blocks))
                    {
                        return false;
                    }
                }

                foreach (var statement in loop.AtLoopBottom)
                {
                    if (statement is not IExpressionStatementOperation || !Statement(statement, api, ref blocks))
                    {
                        return false;
                    }
                }

                return loop.Condition is { } test && Condition(test, api, ref blocks) && Statement(loop.Body, api, ref blocks, inLoop: true);
            case IWhileLoopOperation { ConditionIsTop: true, ConditionIsUntil: false, IgnoredCondition: null, Condition: { } condition } loop:
                blocks += 4;
                return Condition(condition, api, ref blocks) && Statement(loop.Body, api, ref blocks, inLoop: true);
            case IForEachLoopOperation { IsAsynchronous: false, LoopControlVariable: IVariableDeclaratorOperation { Symbol.IsRef: false } } loop when CurrentType(loop) is not null && IsPlainEnumeration(loop, api):
                blocks += 6;
                return Expression(loop.Collection, api, ref blocks) && !LeavesThroughFinally(loop) && Statement(loop.Body, api, ref blocks, inLoop: true);
            case IConstructorBodyOperation { BlockBody: var body, ExpressionBody: var expression } constructor when (body is null) != (expression is null):
                // The graph runs the base or this constructor's call, then the body (exactly one: a primary constructor has none).
                return (constructor.Initializer is null || Statement(constructor.Initializer, api, ref blocks)) && Statement((IOperation?)body ?? expression!, api, ref blocks);
            case IUsingOperation { IsAsynchronous: false } usingStatement:
                blocks += 4;
                return ScopeResource(usingStatement.Resources, api, ref blocks) && Statement(usingStatement.Body, api, ref blocks);
            case IEmptyOperation:
                return true;
            default:
                return false;
        }
    }

    /// <summary>
    /// The type of a <c>foreach</c>'s <c>Current</c> when its element reaches the variable without a user-defined
    /// conversion (else null: the graph would call the operator).
    /// </summary>
    public static ITypeSymbol? CurrentType(IForEachLoopOperation loop)
    {
        if (loop.Syntax is not CommonForEachStatementSyntax syntax || loop.SemanticModel is not { } model)
        {
            return null;
        }

        var info = model.GetForEachStatementInfo(syntax);
        return info.CurrentProperty is { } current && !info.CurrentConversion.IsUserDefined && !info.ElementConversion.IsUserDefined ? current.Type : null;
    }

    /// <summary>
    /// A <c>foreach</c> whose collection is not a tensor and whose <c>GetEnumerator</c>, <c>MoveNext</c>, <c>Current</c>
    /// and <c>Dispose</c> run no user code (a framework collection or array): in the graph they change nothing the
    /// analysis tracks, so the walk need not run them.
    /// </summary>
    private static bool IsPlainEnumeration(IForEachLoopOperation loop, TensorApi api)
    {
        var info = loop.SemanticModel!.GetForEachStatementInfo((CommonForEachStatementSyntax)loop.Syntax);
        return !api.IsTensor(loop.Collection.Type) && info.GetEnumeratorMethod is { } getEnumerator && info.MoveNextMethod is { } moveNext
            && IsPlain(getEnumerator, api) && IsPlain(moveNext, api) && (info.CurrentProperty!.GetMethod is not { } getter || IsPlain(getter, api))
            && (info.DisposeMethod is not { } dispose || IsPlain(dispose, api));
    }

    private static bool IsPlain(IMethodSymbol method, TensorApi api) => !api.IsInRuntime(method) && !api.MayRunUserCode(method, receiverType: null, hasDelegateArgument: false);

    /// <summary>
    /// A return reaches the enumerator's finally with the loop's exit, and the graph continues from the finally both after
    /// the loop and to the function's exit, which the walk does not join. A break needs nothing more: the finally changes
    /// nothing, so the loop's exit is the join of the end and the breaks, as for <c>for</c>.
    /// </summary>
    private static bool LeavesThroughFinally(IForEachLoopOperation loop) => loop.Body.Descendants().Any(o => o is IReturnOperation);

    /// <summary>A grad-mode scope (a struct: its graph disposes it; a class: its graph tests it for null first).</summary>
    private static bool ScopeResource(IOperation resource, TensorApi api, ref int blocks)
    {
        if (resource is IVariableDeclarationGroupOperation { Declarations: [{ Initializer: null, Declarators: [{ Initializer: { } initializer, Symbol: var local }] }] })
        {
            return IsScope(local.Type, api) && Expression(initializer.Value, api, ref blocks);
        }

        return resource is IInvocationOperation && IsScope(resource.Type, api) && Expression(resource, api, ref blocks);
    }

    /// <summary>A scope type, or <c>IDisposable</c> (what TorchSharp's <c>no_grad()</c> returns; the walk checks that it holds a scope).</summary>
    private static bool IsScope(ITypeSymbol? type, TensorApi api) =>
        type is { IsValueType: true } or { IsReferenceType: true } && type.OriginalDefinition.SpecialType != SpecialType.System_Nullable_T
        && (api.IsGradModeScope(type) || type.SpecialType == SpecialType.System_IDisposable);

    /// <summary>
    /// A branch or loop condition: a plain expression that is not a constant (the graph prunes constant branches), or
    /// <c>&amp;&amp;</c>/<c>||</c> of such conditions (the graph branches on each operand, as <see cref="StructuredFlow"/> does).
    /// </summary>
    private static bool Condition(IOperation condition, TensorApi api, ref int blocks)
    {
        if (StructuredFlow.IsShortCircuit(condition) is { } shortCircuit)
        {
            blocks++;
            return Condition(shortCircuit.LeftOperand, api, ref blocks) && Condition(shortCircuit.RightOperand, api, ref blocks);
        }

        return !condition.ConstantValue.HasValue && Expression(condition, api, ref blocks);
    }

    /// <summary>A declarator's initializer or a returned value: an expression, or one conditional operator of expressions.</summary>
    [MethodImpl(Jit.Optimized)]
    private static bool Value(IOperation value, TensorApi api, ref int blocks)
    {
        if (value is IConditionalOperation { WhenFalse: { } whenFalse, IsRef: false } conditional)
        {
            blocks += 3;
            return Condition(conditional.Condition, api, ref blocks) && Expression(conditional.WhenTrue, api, ref blocks) && Expression(whenFalse, api, ref blocks);
        }

        return Expression(value, api, ref blocks);
    }

    [MethodImpl(Jit.Optimized)]
    private static bool Expression(IOperation operation, TensorApi api, ref int blocks)
    {
        // Switched on the kind rather than tested against each interface: this runs on every operation of every body.
        switch (operation.Kind)
        {
            case OperationKind.Binary when ((IBinaryOperation)operation).OperatorKind is BinaryOperatorKind.ConditionalAnd or BinaryOperatorKind.ConditionalOr:
            case OperationKind.LocalReference when ((ILocalReferenceOperation)operation).Local.IsRef:
            case OperationKind.SimpleAssignment when ((ISimpleAssignmentOperation)operation).IsRef:
            case OperationKind.ObjectCreation when ((IObjectCreationOperation)operation).Initializer is not null:
                return false;
            case OperationKind.DelegateCreation:
                switch (((IDelegateCreationOperation)operation).Target)
                {
                    case IAnonymousFunctionOperation lambda:
                        // The lambda is walked on its own when it is analyzed or called: its body must be structured too, and
                        // without loops, so that its walk always converges (a lambda's graph is only reachable through its method's).
                        return Statement(lambda.Body, api, ref blocks) && !lambda.Body.Descendants().Any(o => o is ILoopOperation);
                    case IMethodReferenceOperation reference:
                        return reference.Instance is null || Expression(reference.Instance, api, ref blocks);
                    default:
                        return false;
                }

            case OperationKind.DeconstructionAssignment when ((IDeconstructionAssignmentOperation)operation).Target is not IDeclarationExpressionOperation { Expression: ITupleOperation tuple }
                || !tuple.Elements.All(e => e is ILocalReferenceOperation { Local.IsRef: false }):
                // Deconstruction into new locals only: the graph keeps it as it is.
                return false;
            case OperationKind.IsPattern when ((IIsPatternOperation)operation).Pattern is not (IConstantPatternOperation or INegatedPatternOperation { Pattern: IConstantPatternOperation }):
                // Only `is null`, `is not null` and other constants: patterns that declare or test types go to the graph.
                return false;
            case OperationKind.IsPattern or OperationKind.ConstantPattern or OperationKind.NegatedPattern:
            case OperationKind.DeconstructionAssignment or OperationKind.DeclarationExpression or OperationKind.Tuple
                or OperationKind.InterpolatedString or OperationKind.InterpolatedStringText or OperationKind.Interpolation:
            case OperationKind.Invocation or OperationKind.Argument or OperationKind.LocalReference or OperationKind.ParameterReference
                or OperationKind.FieldReference or OperationKind.PropertyReference or OperationKind.Literal or OperationKind.Conversion
                or OperationKind.Binary or OperationKind.Unary or OperationKind.ArrayCreation or OperationKind.ArrayInitializer
                or OperationKind.ArrayElementReference or OperationKind.ObjectCreation or OperationKind.SimpleAssignment
                or OperationKind.CompoundAssignment or OperationKind.Increment or OperationKind.Decrement or OperationKind.DefaultValue
                or OperationKind.InstanceReference or OperationKind.TypeOf:
                foreach (var child in operation.ChildOperations)
                {
                    if (!Expression(child, api, ref blocks))
                    {
                        return false;
                    }
                }

                return true;
            default:
                return false;
        }
    }
}

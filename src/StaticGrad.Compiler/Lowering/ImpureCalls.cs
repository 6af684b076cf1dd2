using System.Collections.Generic;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;
using StaticGrad.Compiler.IR;
using StaticGrad.Compiler.Model;

namespace StaticGrad.Compiler.Lowering;

/// <summary>
/// Calls of methods that are not known to be pure (a user helper that draws from a <c>Random</c>, advances a counter,
/// logs): C# runs such a call once, where it stands, and the generated code must too. The reverse sweep, the tangent
/// and the Hessian print an expression's operands again where a partial needs them (<c>s += Draw() * x</c> has the
/// partial <c>Draw()</c> for x), so the call is evaluated once into a hidden local, in C#'s order, before the
/// statement that holds it, and everything after reads the local; inside a loop the local is saved per iteration like
/// any overwritten value (the recomputation of RecordingAnalysis never re-evaluates a call). A call whose value is
/// assigned straight to a local or parameter needs no second local: that variable already holds it.
/// Known pure, and so printed again freely: <c>System.Math</c>/<c>MathF</c>, the static and instance methods of
/// .NET's primitive value types and <c>string</c> (<c>double.IsNaN</c>, <c>int.Max</c>), <c>System.Half</c> and
/// <c>decimal</c>, System.Numerics' value types (<c>Vector3</c>, <c>Complex</c>, matrices) and its generic-math
/// interfaces (<c>T.Sin</c>), and [Differentiable] methods (generated code owns them: their bodies cannot write
/// fields). Everything else is not: user methods, static or instance (a [DerivativeOf] rule's primal too), methods of
/// classes such as <c>Random</c>, and delegates.
/// </summary>
internal sealed partial class StatementLowering
{
    /// <summary>Whether running <paramref name="method"/> again, or not at all, cannot be observed (see the class summary).</summary>
    internal static bool IsKnownPure(IMethodSymbol method)
    {
        // [Differentiable] methods, and methods their author declares pure with .NET's own annotation: the way to keep
        // a pure user helper under '?:' or in a [Differentiable] callee, where an unknown one is refused.
        if (Symbols.HasAttribute(method, Symbols.DifferentiableAttribute) || GenericMath.IsInterfaceMember(method)
            || Symbols.HasAttribute(method.OriginalDefinition, "System.Diagnostics.Contracts.PureAttribute"))
        {
            return true;
        }

        var type = method.ContainingType;
        if (type is null)
        {
            return false;
        }

        var ns = type.ContainingNamespace?.ToDisplayString();
        if (ns == "System" && type.Name is "Math" or "MathF")
        {
            return true;
        }

        // Primitive value types and string: their members compute from their operands (no state, no virtual dispatch).
        // System's other value types likewise (Half, Span and ReadOnlySpan views, Index, Range), except the span
        // members that write through the span; and an array's bounds.
        if (type.SpecialType is >= SpecialType.System_Boolean and <= SpecialType.System_String
            || (ns == "System" && type.IsValueType && method.Name is not ("CopyTo" or "TryCopyTo" or "Fill" or "Clear"))
            || (type.SpecialType == SpecialType.System_Array && method.Name is "GetLength" or "GetLowerBound" or "GetUpperBound"))
        {
            return true;
        }

        // LINQ's operators and span views compute from their sources (a lambda's calls are checked as calls of their
        // own); Debug.Assert and ThrowIf… guards either throw the first time or never, so a second run is not observable.
        return (ns == "System.Numerics" && type.IsValueType)
            || (ns == "System.Linq" && type.Name == "Enumerable")
            || (ns == "System" && type.Name == "MemoryExtensions")
            || (ns == "System.Diagnostics" && type.Name == "Debug")
            || (ns == "StaticGrad" && type.Name == "Autograd")
            || (method.IsStatic && method.Name.StartsWith("ThrowIf", System.StringComparison.Ordinal) && type.Name.EndsWith("Exception", System.StringComparison.Ordinal));
    }

    /// <summary>
    /// A method not known to be pure that a [Differentiable] callee of this compilation calls, directly or through its
    /// own [Differentiable] callees (by name), or null. The caller runs such a callee twice (its primal in the forward
    /// sweep, its backward in the reverse one; a saved partial's fallback too), so its calls would run twice.
    /// </summary>
    private string? ImpureCallIn(IMethodSymbol method, HashSet<IMethodSymbol>? visited = null)
    {
        visited ??= new HashSet<IMethodSymbol>(SymbolEqualityComparer.Default);
        if (!visited.Add(method.OriginalDefinition))
        {
            return null;
        }

        foreach (var declaration in method.OriginalDefinition.DeclaringSyntaxReferences)
        {
            var syntax = declaration.GetSyntax(_context.CancellationToken);
            var model = _context.SemanticModel.Compilation.GetSemanticModel(syntax.SyntaxTree);
            if (model.GetOperation(syntax, _context.CancellationToken) is not { } body)
            {
                continue;
            }

            foreach (var invocation in body.DescendantsAndSelf().OfType<IInvocationOperation>())
            {
                var callee = invocation.TargetMethod;
                if (callee.MethodKind == MethodKind.LocalFunction)
                {
                    continue;
                }

                if (Symbols.HasAttribute(callee, Symbols.DifferentiableAttribute))
                {
                    if (ImpureCallIn(callee, visited) is { } inner)
                    {
                        return inner;
                    }

                    continue;
                }

                if (!IsKnownPure(callee))
                {
                    return callee.ContainingType is null ? callee.Name : callee.ContainingType.Name + "." + callee.Name;
                }
            }
        }

        return null;
    }

    /// <summary>
    /// A scalar call that <see cref="LowerInvocation"/> binds (<see cref="BindImpureCall"/>): its method is not known to
    /// be pure and its value is a number or bool (a call returning a string, a class object or a struct is kept as
    /// configuration text, as before).
    /// </summary>
    private static bool IsImpureValueCall(IOperation operation) =>
        operation is IInvocationOperation { TargetMethod: { MethodKind: not MethodKind.LocalFunction } method } invocation
        && !IsKnownPure(method)
        && !Symbols.IsAutograd(method, "Detach")
        && TypeMapping.ToIrType(invocation.Type) is { IsCollection: false, StructName.Length: 0 } type
        && type.Scalar != ScalarKind.Opaque;

    /// <summary>
    /// The impure call's value: the call itself where its value goes straight into a variable, else a hidden local
    /// assigned just before the statement. A loop condition's calls are bound by <see cref="HoistEffects"/>. Under a
    /// <c>?:</c>, <c>??</c>, a short-circuit's right operand or a switch arm, C# may not run the call at all, so binding
    /// it ahead would run it when C# does not: refused with the rewrite.
    /// </summary>
    private Expr BindImpureCall(IInvocationOperation invocation, MethodCallExpr call)
    {
        if (_bindingConditionCall || AssignedToVariable(invocation))
        {
            return call;
        }

        if (!CanHoist(invocation))
        {
            return Unsupported(invocation, "calls of methods that are not [Differentiable] inside a '?:', '??', the right operand of '&&' or '||', or a switch arm ('"
                + invocation.TargetMethod.Name + "' may have side effects, which must happen once, when C# runs the call: call it in a statement of its own, 'var v = "
                + invocation.TargetMethod.Name + "(…);', or use an if statement; a helper without side effects can say so with [System.Diagnostics.Contracts.Pure])");
        }

        return Bound(AtGenericType(call), "_call");
    }

    /// <summary>
    /// In a generic-math method every double is spelled <c>T</c> (GenericRetyping), the hidden local too; the helper's
    /// double or float result is converted to it as the user's <c>T.CreateChecked(Draw())</c> converts it (a cast,
    /// printed <c>T.CreateChecked(…)</c>), and the user's conversion of the local is then the identity.
    /// </summary>
    private Expr AtGenericType(MethodCallExpr call) =>
        call.Type.IsFloating && _context.Method?.TypeParameters.Any(GenericMath.IsFloatingTypeParameter) == true
            ? new CastExpr(call.Type, call, call.Site)
            : call;

    /// <summary>Whether the call's value is the whole value assigned to a local or parameter (<c>var w = Next();</c>, <c>k = c.Increment();</c>).</summary>
    private static bool AssignedToVariable(IInvocationOperation invocation) =>
        invocation.Parent switch
        {
            IVariableInitializerOperation => true,
            ISimpleAssignmentOperation { Target: ILocalReferenceOperation or IParameterReferenceOperation } assignment => ReferenceEquals(assignment.Value, invocation) && assignment.Parent is IExpressionStatementOperation,
            _ => false,
        };

    /// <summary>Set while <see cref="HoistEffects"/> lowers a loop condition's call, which it binds itself.</summary>
    private bool _bindingConditionCall;

    /// <summary>A loop condition's impure call, its arguments' effects first: bound to a hidden local among the condition's effects.</summary>
    private Expr HoistConditionCall(IInvocationOperation invocation, System.Collections.Generic.List<Stmt> output, System.Collections.Generic.List<IOperation> hoisted)
    {
        foreach (var child in invocation.ChildOperations)
        {
            HoistEffects(child, output, hoisted);
        }

        var saved = _bindingConditionCall;
        _bindingConditionCall = true;
        var value = LowerExpression(invocation);
        _bindingConditionCall = saved;
        if (value is not MethodCallExpr call)
        {
            return value;
        }

        var name = _context.DeclareHidden("_call", value.Type);
        output.Add(new AssignStmt(name, value.Type, Assigned(AtGenericType(call))));
        return new VarExpr(value.Type, name);
    }

    /// <summary>
    /// A compound assignment's or increment's element target is lowered twice, as the value read and as the target
    /// written (<c>w[H.Next(3)] += v</c> is <c>w[i] = w[i] + v</c>): each index that holds an impure call is lowered
    /// once here, ahead of the target, and <see cref="Repin"/> hands that value to both lowerings, so the call runs
    /// once, as in C#, and the read and the write address the same element. Null when no index holds one.
    /// </summary>
    private List<(IOperation Index, Expr Value)>? PinImpureIndices(IOperation target)
    {
        var indices = target switch
        {
            IArrayElementReferenceOperation element => element.Indices.ToList(),
            IPropertyReferenceOperation { Property.IsIndexer: true } indexer => indexer.Arguments.Select(a => a.Value).ToList(),
            _ => new List<IOperation>(),
        };
        List<(IOperation Index, Expr Value)>? pinned = null;
        foreach (var index in indices.Where(i => i.DescendantsAndSelf().Any(IsImpureValueCall)))
        {
            (pinned ??= new()).Add((index, LowerExpression(index)));
        }

        Repin(pinned);
        return pinned;
    }

    /// <summary>Makes the pinned indices the next lowering's values (<see cref="WrittenArgument{T}"/> takes each once).</summary>
    private void Repin(List<(IOperation Index, Expr Value)>? pinned)
    {
        foreach (var (index, value) in pinned ?? Enumerable.Empty<(IOperation, Expr)>())
        {
            _writtenArguments[index] = value;
        }
    }

    /// <summary>Drops pinned values a lowering did not take (a local function's next inlining lowers its indices afresh).</summary>
    private void Unpin(List<(IOperation Index, Expr Value)>? pinned)
    {
        foreach (var (index, _) in pinned ?? Enumerable.Empty<(IOperation, Expr)>())
        {
            _writtenArguments.Remove(index);
        }
    }
}

using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Operations;
using StaticGrad.Analyzers.TensorUsage.Analysis.Structured;

namespace StaticGrad.Analyzers.TensorUsage.Analysis.Interprocedural;

/// <summary>
/// Methods whose call cannot change anything the caller's analysis holds, decided from their operations alone: every
/// parameter that may hold a tensor, and every value derived from it, used only as the operand of the library's pure
/// tensor operations or a library layer's forward, kept in ordinary locals or returned as the tensor result
/// (<see cref="ParameterUses"/>: the caller's tensors are read, never changed, stored or handed on), no grad-mode call,
/// no library member at which a rule reports (backward, in-place updates, <c>RequiresGrad</c>, optimizers), no value
/// that may be a tensor stored outside an ordinary local (<see cref="StoresNoTensorOutsideALocal"/>), no <c>ref</c>
/// local, nothing handed to code outside the library, no delegate call, lambda, throw or code that may run user code, and callees
/// of the same kind. Such a call needs no summary when no rule can read its result: a result that is no tensor (a
/// plain value when the method takes tensors, so that no tuple or object hands a caller's tensor back), or a tensor
/// that only <c>Item()</c> reads, that is dropped, or that goes to another call passed over for the same reasons
/// (<see cref="ResultUnread"/>): the summary would be "nothing changed", and the cost benchmark's data helpers and
/// evaluation under no-grad were summarized once per grad mode before. The answer is the method's own (cycles and
/// chains deeper than <see cref="MaxDepth"/> give false whichever method is asked first), so it never depends on the
/// order in which methods are analyzed.
/// </summary>
internal sealed partial class EffectFreeCallees
{
    public const int MaxDepth = SummaryCache.MaxDepth;

    private readonly SummaryCache _cache;
    private readonly ConcurrentDictionary<ISymbol, int> _heights = new(SymbolEqualityComparer.Default);

    private readonly InertTypes _inert = new();
    private readonly ConcurrentDictionary<ITypeSymbol, bool> _staticInitialization = new(SymbolEqualityComparer.Default);

    public EffectFreeCallees(SummaryCache cache) => _cache = cache;

    private TensorApi Api => _cache.Api;

    /// <summary>Whether a call of <paramref name="method"/> returning no tensor can be passed over without a summary.</summary>
    public bool IsEffectFreeWithoutTensorResult(IMethodSymbol method, CancellationToken cancellationToken) =>
        !Api.IsTensor(method.ReturnType) && (!TakesTensor(method) || IsPlainValue(method.ReturnType)) && IsEffectFree(method, cancellationToken);

    /// <summary>
    /// Whether <paramref name="invocation"/> of <paramref name="method"/> (its definition) can be passed over without a
    /// summary: an effect-free method whose result no rule can read.
    /// </summary>
    public bool CanPassOver(IInvocationOperation invocation, IMethodSymbol method, CancellationToken cancellationToken) =>
        Api.IsTensor(method.ReturnType)
            ? ResultUnread(invocation, cancellationToken) && IsEffectFree(method, cancellationToken)
            : IsEffectFreeWithoutTensorResult(method, cancellationToken);

    private bool IsEffectFree(IMethodSymbol method, CancellationToken cancellationToken) =>
        Height(method, new HashSet<ISymbol>(SymbolEqualityComparer.Default), MaxDepth, cancellationToken) > 0;

    /// <summary>
    /// Whether nothing reads the tensor a call returns but <c>Item()</c> (a number), or nobody (a dropped result), or
    /// a call of a user method that is itself passed over with its result unread (<c>Mse(model.Forward(x), y).Item()</c>
    /// under no-grad). Read on the operation tree as written: in a control flow graph a call's parent may be a
    /// capture or a branch's value, and neither counts.
    /// </summary>
    private bool ResultUnread(IInvocationOperation invocation, CancellationToken cancellationToken) => invocation.Parent switch
    {
        IExpressionStatementOperation => true,
        IInvocationOperation { Instance: var instance, TargetMethod: var member } => instance == invocation && IsItem(member),
        IPropertyReferenceOperation { Instance: var instance, Property: var member } => instance == invocation && IsItem(member),
        IArgumentOperation { ArgumentKind: ArgumentKind.Explicit, Parameter: { RefKind: RefKind.None } parameter, Parent: IInvocationOperation outer }
            => Api.IsTensor(parameter.Type) && IsPassedOverUserCall(outer, cancellationToken),
        _ => false,
    };

    /// <summary>A call the interpreter sends to its summaries (a method with source, not a delegate or a library member) and passes over.</summary>
    private bool IsPassedOverUserCall(IInvocationOperation outer, CancellationToken cancellationToken) =>
        outer.Instance?.Type?.TypeKind != TypeKind.Delegate && !Api.IsInRuntime(outer.TargetMethod) && !Api.IsTensorMember(outer.TargetMethod)
        && _cache.CanSummarize(outer.TargetMethod.OriginalDefinition) && CanPassOver(outer, outer.TargetMethod.OriginalDefinition, cancellationToken);

    private bool IsItem(ISymbol member) => Api.IsTensorMember(member) && Api.NameOf(member) == TensorApi.Item;

    private bool TakesTensor(IMethodSymbol method)
    {
        foreach (var parameter in method.Parameters)
        {
            if (MayHoldTensor(parameter.Type))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>A number, a Boolean, a character, an enum, a string or nothing: a result that cannot hold a tensor.</summary>
    private static bool IsPlainValue(ITypeSymbol type) =>
        type.TypeKind == TypeKind.Enum || type.SpecialType is SpecialType.System_Void or SpecialType.System_String
        || (type.IsValueType && type.SpecialType is >= SpecialType.System_Boolean and <= SpecialType.System_Double);

    /// <summary>
    /// The longest chain of source calls below and including <paramref name="method"/> when it is effect-free, 0 when
    /// it is not, and <see cref="TooDeep"/> when its chain is longer than <paramref name="budget"/> (not remembered:
    /// asked with a larger budget the method may still be effect-free; the budget keeps a long chain from being bound
    /// to its end).
    /// </summary>
    private int Height(IMethodSymbol method, HashSet<ISymbol> active, int budget, CancellationToken cancellationToken)
    {
        var definition = method.PartialImplementationPart ?? method.OriginalDefinition;
        if (_heights.TryGetValue(definition, out var known))
        {
            return known <= budget ? known : TooDeep;
        }

        if (budget <= 0)
        {
            return TooDeep;
        }

        if (!active.Add(definition))
        {
            return 0;
        }

        var height = Compute(definition, active, budget, cancellationToken);
        active.Remove(definition);
        return height == TooDeep ? TooDeep : _heights.GetOrAdd(definition, height);
    }

    private const int TooDeep = -1;

    /// <summary>
    /// Whether a body may end without returning (an endless loop, a throw): the code after its call then never runs,
    /// which only its summary tells the caller. A block whose end is unreachable and that has no return, or any throw
    /// in an expression body.
    /// </summary>
    private bool NeverCompletes(FunctionBody body, CancellationToken cancellationToken)
    {
        if (body.BlockNeverCompletes(_cache) is { } never)
        {
            return never;
        }

        cancellationToken.ThrowIfCancellationRequested();
        foreach (var operation in OperationTree.All(body.Root))
        {
            if (operation is IThrowOperation)
            {
                return true;
            }
        }

        return false;
    }

    private int Compute(IMethodSymbol method, HashSet<ISymbol> active, int budget, CancellationToken cancellationToken)
    {
        if (method.MethodKind is not (MethodKind.Ordinary or MethodKind.PropertyGet) || !_cache.CanSummarize(method) || method.IsGenericMethod)
        {
            return 0;
        }

        // A parameter of a type parameter's type may be a tensor (Box<Tensor>.Put(T value) stores it in a field). A tensor
        // parameter is the caller's object: read below, once the body is bound, whether only pure operations use it.
        var tensors = false;
        foreach (var parameter in method.Parameters)
        {
            if (parameter.Type.TypeKind is TypeKind.Delegate or TypeKind.TypeParameter || MayHoldTensor(parameter.Type) && parameter.RefKind != RefKind.None)
            {
                return 0;
            }

            tensors |= MayHoldTensor(parameter.Type);
        }

        // Calling the method runs its type's static constructor the first time.
        if (!HasInertStaticInitialization(method.ContainingType, cancellationToken))
        {
            return 0;
        }

        if (_cache.BodyOf(method, null, null, cancellationToken) is not { } body || NeverCompletes(body, cancellationToken))
        {
            return 0;
        }

        var root = body.Root;

        // The body's own operations first: a body that fails here binds none of its callees.
        List<IMethodSymbol>? callees = null;
        foreach (var operation in OperationTree.All(root))
        {
            var callee = CalleeOf(operation);
            if (callee is { MethodKind: MethodKind.DelegateInvoke })
            {
                // A delegate from a field or a local runs code the scan cannot see (the interpreter treats it as user code).
                return 0;
            }

            if (callee is null ? !Allowed(operation)
                : Api.IsInRuntime(callee) ? !IsPureLibraryCall(operation, callee)
                : _cache.CanSummarize(callee) ? !HasInertStaticInitialization(callee.ContainingType, cancellationToken)
                : Api.MayRunUserCode(callee, ReceiverType(operation), HasTensorOrDelegateArgument(operation)) || !_inert.IsInertFrameworkCall(operation, callee, ReceiverType(operation)))
            {
                return 0;
            }

            if (operation is IMemberReferenceOperation { Member.ContainingType: { } owner } && !HasInertStaticInitialization(owner, cancellationToken))
            {
                return 0;
            }

            if (operation is IAssignmentOperation or IIncrementOrDecrementOperation && !StoresNoTensorOutsideALocal(operation))
            {
                return 0;
            }

            if (callee is not null && !Api.IsInRuntime(callee) && _cache.CanSummarize(callee))
            {
                (callees ??= new List<IMethodSymbol>()).Add(callee);
            }
        }

        if (tensors && !new ParameterUses(this, method).StayInside(root))
        {
            return 0;
        }

        var height = 1;
        foreach (var callee in callees ?? (IEnumerable<IMethodSymbol>)System.Array.Empty<IMethodSymbol>())
        {
            var below = Height(callee, active, budget - 1, cancellationToken);
            if (below <= 0)
            {
                return below;
            }

            height = System.Math.Max(height, below + 1);
        }

        return height;
    }

    /// <summary>
    /// Whether using <paramref name="type"/> for the first time runs no user code: no static constructor written by the
    /// user but one that only fills fields (<see cref="ConstructorMakesValuesOnly"/>), and static initializers that only make values (literals, arrays, pure library and framework calls, lambdas
    /// made but not run). Another type's static member read in an initializer counts as user code (its own static
    /// constructor would have to be read too).
    /// </summary>
    public bool HasInertStaticInitialization(INamedTypeSymbol type, CancellationToken cancellationToken)
    {
        var definition = type.OriginalDefinition;
        return _staticInitialization.TryGetValue(definition, out var known) ? known
            : _staticInitialization.GetOrAdd(definition, ComputeStaticInitialization(definition, cancellationToken));
    }

    private bool ComputeStaticInitialization(INamedTypeSymbol type, CancellationToken cancellationToken)
    {
        if (type.DeclaringSyntaxReferences.Length == 0)
        {
            return true;
        }

        foreach (var constructor in type.StaticConstructors)
        {
            if (!constructor.IsImplicitlyDeclared && !ConstructorMakesValuesOnly(constructor, type, cancellationToken))
            {
                return false;
            }
        }

        foreach (var member in type.GetMembers())
        {
            if (!member.IsStatic || member is not (IFieldSymbol or IPropertySymbol))
            {
                continue;
            }

            foreach (var reference in member.DeclaringSyntaxReferences)
            {
                SyntaxNode? initializer = reference.GetSyntax(cancellationToken) switch
                {
                    VariableDeclaratorSyntax declarator => declarator.Initializer,
                    PropertyDeclarationSyntax property => property.Initializer,
                    _ => null,
                };
                if (initializer is not null
                    && (_cache.ModelOf(initializer.SyntaxTree).GetOperation(initializer, cancellationToken) is not { } operation || !MakesValuesOnly(operation, type)))
                {
                    return false;
                }
            }
        }

        return true;
    }

    /// <summary>
    /// Whether a static constructor written by the user only fills fields with values (<c>Names = new List&lt;string&gt;()</c>),
    /// read as the initializers are and, as its statements may do more, with the effect-free scan's rules for the
    /// operations that call nothing (<see cref="Allowed"/>: no lambda, throw, delegate call, foreach over user code,
    /// using, tensor or scope stored). Anything else counts as user code, which only costs the mode after the use.
    /// </summary>
    private bool ConstructorMakesValuesOnly(IMethodSymbol constructor, INamedTypeSymbol type, CancellationToken cancellationToken)
    {
        foreach (var reference in constructor.DeclaringSyntaxReferences)
        {
            var syntax = reference.GetSyntax(cancellationToken);
            if (_cache.ModelOf(syntax.SyntaxTree).GetOperation(syntax, cancellationToken) is not { } body)
            {
                return false;
            }

            foreach (var operation in OperationTree.All(body))
            {
                var callee = CalleeOf(operation);
                if (callee is { MethodKind: MethodKind.DelegateInvoke } || !MakesValueOnly(operation, callee, type) || callee is null && !Allowed(operation))
                {
                    return false;
                }
            }
        }

        return true;
    }

    private bool MakesValuesOnly(IOperation operation, INamedTypeSymbol type)
    {
        if (operation is IAnonymousFunctionOperation)
        {
            // Made here, run only when someone calls it: that call is what the scan judges.
            return true;
        }

        if (!MakesValueOnly(operation, CalleeOf(operation), type))
        {
            return false;
        }

        foreach (var child in operation.ChildOperations)
        {
            if (!MakesValuesOnly(child, type))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>One operation of a static initializer or constructor, its children not read: no dynamic call, no user code called, no other user type's static member.</summary>
    private bool MakesValueOnly(IOperation operation, IMethodSymbol? callee, INamedTypeSymbol type)
    {
        if (operation is IDynamicInvocationOperation or IDynamicMemberReferenceOperation or IDynamicObjectCreationOperation or IDynamicIndexerAccessOperation or IFunctionPointerInvocationOperation)
        {
            return false;
        }

        if (callee is not null
            && !(Api.IsInRuntime(callee) ? IsPureLibraryCall(operation, callee)
                : !_cache.CanSummarize(callee) && !Api.MayRunUserCode(callee, ReceiverType(operation), HasTensorOrDelegateArgument(operation)) && _inert.IsInertFrameworkCall(operation, callee, ReceiverType(operation))))
        {
            return false;
        }

        return !(operation is IMemberReferenceOperation { Member.ContainingType: { } owner } && owner.OriginalDefinition.DeclaringSyntaxReferences.Length > 0
            && !SymbolEqualityComparer.Default.Equals(owner.OriginalDefinition, type));
    }

    /// <summary>A library layer's forward (its own sealed layers, which run no user code and store no input).</summary>
    internal bool IsLibraryLayerForward(IInvocationOperation call) =>
        Api.NameOf(call.TargetMethod) == "Forward" && Api.IsInRuntime(call.TargetMethod) && call.Instance?.Type is INamedTypeSymbol { IsSealed: true } layer
        && Api.IsInRuntime(layer) && Api.TakesNoModules(layer) && !Api.MayRunUserCode(call.TargetMethod, layer, HasDelegateArgument(call));

    private static IMethodSymbol? CalleeOf(IOperation operation) => operation switch
    {
        IInvocationOperation invocation => invocation.TargetMethod,
        IObjectCreationOperation creation => creation.Constructor,
        // A property written runs its setter (never effect-free when it has source: only ordinary methods and getters are read).
        // P++, P += 1 and a property passed by reference run the setter too.
        IPropertyReferenceOperation property => IsWritten(property)
            ? property.Property.SetMethod ?? property.Property.GetMethod
            : property.Property.GetMethod ?? property.Property.SetMethod,
        IBinaryOperation { OperatorMethod: { } method } => method,
        ICompoundAssignmentOperation { OperatorMethod: { } method } => method,
        IIncrementOrDecrementOperation { OperatorMethod: { } method } => method,
        IUnaryOperation { OperatorMethod: { } method } => method,
        IConversionOperation { OperatorMethod: { } method } => method,
        _ => null,
    };

    private static bool IsWritten(IPropertyReferenceOperation property) => property.Parent switch
    {
        IAssignmentOperation { Target: var target } => target == property,
        IIncrementOrDecrementOperation => true,
        IArgumentOperation { Parameter.RefKind: not RefKind.None } => true,
        _ => false,
    };

    /// <summary>Operations that call nothing: allowed unless they store a value that may be a tensor outside an ordinary local, declare a <c>ref</c> local, throw, call a delegate or make a lambda.</summary>
    private bool Allowed(IOperation operation) => operation switch
    {
        IThrowOperation or IAnonymousFunctionOperation or ILocalFunctionOperation or IMethodReferenceOperation or IUsingOperation or IUsingDeclarationOperation => false,
        IObjectCreationOperation or IInvocationOperation or IDeconstructionAssignmentOperation or IEventAssignmentOperation or IRaiseEventOperation or IDelegateCreationOperation => false,
        IDynamicInvocationOperation or IDynamicMemberReferenceOperation or IDynamicObjectCreationOperation or IDynamicIndexerAccessOperation or IFunctionPointerInvocationOperation or IAwaitOperation => false,
        // A foreach over anything but an array, a string or a framework collection of inert elements calls user code (GetEnumerator, MoveNext).
        IForEachLoopOperation loop => _inert.IsInertType(Collection(loop).Type),
        IInterpolationOperation interpolation => _inert.IsInertType(interpolation.Expression.Type),
        IAssignmentOperation assignment => StoresNoTensorOutsideALocal(assignment) && !Api.IsGradModeScope(assignment.Target.Type),
        IVariableDeclaratorOperation { Symbol.RefKind: not RefKind.None } => false,
        _ => !Api.IsGradModeScope(operation.Type),
    };

    private static IOperation Collection(IForEachLoopOperation loop) =>
        loop.Collection is IConversionOperation { IsImplicit: true } conversion ? conversion.Operand : loop.Collection;

    private bool IsPureLibraryCall(IOperation operation, IMethodSymbol callee)
    {
        var name = Api.NameOf(callee);
        if (!ReportingSites.IsPureName(name) || TensorApi.IsGradModeName(name) || name is TensorApi.Dispose or "IsGradEnabled")
        {
            return false;
        }

        // A factory given requiresGrad (SG0003's site) and a virtual member of an unsealed receiver (user code) are not pure.
        if (operation is IInvocationOperation invocation)
        {
            foreach (var argument in invocation.Arguments)
            {
                if (Api.NameOf(argument.Parameter) == TensorApi.RequiresGradParameter && argument.Value.ConstantValue is not { HasValue: true, Value: false })
                {
                    return false;
                }
            }
        }

        return !Api.MayRunUserCode(callee, ReceiverType(operation), HasDelegateArgument(operation)) && !Api.IsOptimizer(callee.ContainingType) && !Api.IsParameter(callee.ContainingType);
    }

    private static ITypeSymbol? ReceiverType(IOperation operation) => operation switch
    {
        IInvocationOperation invocation => invocation.Instance?.Type,
        IPropertyReferenceOperation property => property.Instance?.Type,
        _ => null,
    };

    private bool HasTensorOrDelegateArgument(IOperation operation) => HasArgument(operation, tensors: true);

    private bool HasDelegateArgument(IOperation operation) => HasArgument(operation, tensors: false);

    private bool HasArgument(IOperation operation, bool tensors)
    {
        var arguments = operation switch
        {
            IInvocationOperation invocation => invocation.Arguments,
            IObjectCreationOperation creation => creation.Arguments,
            IPropertyReferenceOperation property => property.Arguments,
            _ => default,
        };
        if (arguments.IsDefault)
        {
            return false;
        }

        foreach (var argument in arguments)
        {
            if ((tensors && Api.IsTensor(argument.Value.Type)) || argument.Value.Type?.TypeKind == TypeKind.Delegate)
            {
                return true;
            }
        }

        return false;
    }
}

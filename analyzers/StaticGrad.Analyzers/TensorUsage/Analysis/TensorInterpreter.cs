using System.Collections.Generic;
using System.Linq;
using System.Runtime.CompilerServices;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.FlowAnalysis;
using Microsoft.CodeAnalysis.Operations;

using StaticGrad.Analyzers.TensorUsage.Analysis.Interprocedural;
using StaticGrad.Analyzers.TensorUsage.Rules;

namespace StaticGrad.Analyzers.TensorUsage.Analysis;

/// <summary>
/// The transfer functions: evaluates the operations of a basic block in execution order against a
/// <see cref="FlowState"/>, computing an <see cref="AbstractValue"/> for every expression. When the sink is
/// enabled (the final pass over the fixpoint) the rules see each event with the state that holds on every path.
/// </summary>
internal sealed partial class TensorInterpreter
{
    private readonly TensorApi _api;
    private readonly OriginTable _origins;
    private readonly DiagnosticSink _sink;
    private DiagnosticSink? _silent;
    private readonly ISet<ISymbol> _untrackable;
    private readonly ISymbol _function;
    private readonly ControlFlowGraph? _graph;
    private readonly IOperation _root;
    private readonly CallContext _calls;
    private readonly SummaryRecorder? _recorder;
    private FlowState _state = FlowState.Entry(GradMode.Unknown);

    /// <param name="api">The tensor library's API.</param>
    /// <param name="origins">The abstract objects of this function.</param>
    /// <param name="sink">Where rules report.</param>
    /// <param name="untrackable">Variables whose values are not followed.</param>
    /// <param name="function">The method, local function or lambda analyzed.</param>
    /// <param name="graph">Its graph (local functions and lambdas called from it are read from it), or null when its operation tree is walked.</param>
    /// <param name="root">Its operation tree.</param>
    /// <param name="calls">Where this analysis sits in a chain of summarized calls.</param>
    /// <param name="recorder">When computing a summary, where the callee's effects are collected.</param>
    public TensorInterpreter(TensorApi api, OriginTable origins, DiagnosticSink sink, ISet<ISymbol> untrackable, ISymbol function, ControlFlowGraph? graph, IOperation root, CallContext calls, SummaryRecorder? recorder)
    {
        _root = root;
        _api = api;
        _origins = origins;
        _sink = sink;
        _untrackable = untrackable;
        _function = function;
        _graph = graph;
        _calls = calls;
        _recorder = recorder;
    }

    public OriginTable Origins => _origins;

    /// <summary>Whether rules may report (false inside finally handlers, whose exceptional entries are not modelled).</summary>
    public bool ReportingAllowed { get; set; } = true;

    /// <summary>Runs one basic block's operations and branch value on <paramref name="state"/>, which it updates; returns the branch value's value.</summary>
    [MethodImpl(Jit.Optimized)]
    public AbstractValue Run(BasicBlock block, FlowState state)
    {
        _state = state;
        foreach (var operation in block.Operations)
        {
            Eval(operation);
        }

        return block.BranchValue is { } branch ? Eval(branch) : AbstractValue.Other;
    }

    /// <summary>The library description the interpreter reads.</summary>
    public TensorApi Api => _api;

    /// <summary>Evaluates one statement or expression of an operation tree on <paramref name="state"/> (the structured walk).</summary>
    [MethodImpl(Jit.Optimized)]
    public AbstractValue Evaluate(IOperation operation, FlowState state)
    {
        _state = state;
        return Eval(operation);
    }

    /// <summary>A declarator's initialization, as the graph's implicit assignment of the declarator does it.</summary>
    public void Declare(ILocalSymbol local, AbstractValue value, SyntaxNode declarator, FlowState state)
    {
        _state = state;
        Assign(local, value, declarator);
    }

    /// <summary>
    /// An assignment whose value is a conditional operator (joined by the walk into <paramref name="value"/>), as the
    /// graph runs it: to a local or parameter, captured before the branch; to an array element, whose array and indices
    /// the walk evaluated before the branch, as the graph's capture of the element does.
    /// </summary>
    public void AssignJoined(ISimpleAssignmentOperation assignment, AbstractValue value, FlowState state)
    {
        _state = state;
        switch (assignment.Target)
        {
            case ILocalReferenceOperation local:
                Assign(local.Local, value, assignment.Syntax);
                break;
            case IParameterReferenceOperation parameter:
                Assign(parameter.Parameter, value, assignment.Syntax);
                break;
            default:
                Store(assignment, value);
                break;
        }
    }

    /// <summary>The start of a <c>foreach</c> whose enumerator runs no user code: the graph's <c>GetEnumerator()</c> lets the collection escape.</summary>
    public void EnumerateOver(IOperation collection, FlowState state)
    {
        _state = state;
        Escape(Eval(collection));
    }

    /// <summary>
    /// The element a <c>foreach</c> stores in its variable at each iteration, as the graph's implicit assignment does:
    /// <c>Current</c> (no user code) is a value of its type, kept by a conversion that is not user-defined.
    /// </summary>
    public void NextElement(ILocalSymbol local, ITypeSymbol currentType, SyntaxNode syntax, FlowState state)
    {
        _state = state;
        var current = ValueOfType(currentType);
        Assign(local, current.Kind == ValueKind.Other ? ValueOfType(local.Type) : current, syntax);
    }

    /// <summary>The value a local holds, as a reference to it reads it.</summary>
    public AbstractValue ReadLocal(ILocalSymbol local, FlowState state)
    {
        _state = state;
        return Read(local, local.Type);
    }

    /// <summary>The implicit <c>Dispose()</c> of a grad-mode scope at the end of a <c>using</c>, on a resource of <paramref name="type"/>.</summary>
    public void DisposeScope(AbstractValue resource, ITypeSymbol? type, FlowState state)
    {
        _state = state;
        RestoreMode(resource.Kind == ValueKind.Other ? ValueOfType(type) : resource);
    }

    [MethodImpl(Jit.Optimized)]
    private AbstractValue Eval(IOperation? operation)
    {
        switch (operation)
        {
            case null:
                return AbstractValue.Other;
            case IExpressionStatementOperation statement:
                Eval(statement.Operation);
                return AbstractValue.Other;
            case IConversionOperation conversion:
                return EvalConversion(conversion);
            case ILocalReferenceOperation local:
                return Read(local.Local, local.Type);
            case IParameterReferenceOperation parameter:
                return Read(parameter.Parameter, parameter.Type);
            case IFlowCaptureReferenceOperation captureReference:
                return _state.Get(captureReference.Id);
            case IFlowCaptureOperation capture:
                _state.Variables[capture.Id] = Eval(capture.Value);
                return AbstractValue.Other;
            case ISimpleAssignmentOperation assignment:
                return EvalAssignment(assignment);
            case ICompoundAssignmentOperation compound:
                return EvalCompoundAssignment(compound);
            case IBinaryOperation binary when binary.OperatorMethod is { } method:
                return EvalOperator(binary, method, binary.LeftOperand, binary.RightOperand);
            case IUnaryOperation unary when unary.OperatorMethod is { } method:
                return EvalOperator(unary, method, unary.Operand, null);
            case IBinaryOperation or IUnaryOperation or IIsNullOperation or IIsTypeOperation or IIsPatternOperation or IInterpolatedStringOperation or ILiteralOperation:
                EvalChildren(operation, escape: false);
                return ValueOfType(operation.Type);
            case IInvocationOperation invocation:
                return EvalInvocation(invocation);
            case IObjectCreationOperation creation:
                return EvalCreation(creation);
            case IPropertyReferenceOperation property:
                return EvalPropertyRead(property);
            case IFieldReferenceOperation field:
                Eval(field.Instance);
                StaticInitialization(field.Field);
                return _calls.Cache.Fields.Read(field.Field, _function)
                    ?? (_calls.Cache.Delegates.LambdaOf(field.Field) is { } stored ? AbstractValue.Other with { Lambda = stored } : ValueOfType(field.Type));
            case IAwaitOperation awaitOperation:
                // The continuation may run on another thread, whose grad mode is its own (R31: the mode is per thread).
                Eval(awaitOperation.Operation);
                UserCodeEffects();
                return ValueOfType(awaitOperation.Type);
            case IReturnOperation { Kind: OperationKind.YieldReturn } yieldReturn:
                Escape(Eval(yieldReturn.ReturnedValue));
                UserCodeEffects();
                return AbstractValue.Other;
            case IDelegateCreationOperation { Target: IFlowAnonymousFunctionOperation lambda }:
                return AbstractValue.Other with { Lambda = lambda, LambdaGraph = _graph };
            case IDelegateCreationOperation { Target: IAnonymousFunctionOperation lambda }:
                return AbstractValue.Other with { Lambda = lambda };
            case IFlowAnonymousFunctionOperation or IAnonymousFunctionOperation or IDelegateCreationOperation:
                return AbstractValue.Other;
            default:
                EvalChildren(operation, escape: true);
                if (operation.Kind is OperationKind.DynamicInvocation or OperationKind.DynamicMemberReference or OperationKind.DynamicObjectCreation or OperationKind.DynamicIndexerAccess)
                {
                    UserCodeEffects();
                }

                return ValueOfType(operation.Type);
        }
    }

    [MethodImpl(Jit.Optimized)]
    private void EvalChildren(IOperation operation, bool escape)
    {
        foreach (var child in operation.ChildOperations)
        {
            var value = Eval(child);
            if (escape)
            {
                Escape(value);
            }
        }
    }

    [MethodImpl(Jit.Optimized)]
    private AbstractValue ValueOfType(ITypeSymbol? type) =>
        _api.IsTensor(type) ? AbstractValue.UnknownTensor
        : _api.IsGradModeScope(type) ? AbstractValue.Scope(-1)
        : AbstractValue.Other;

    [MethodImpl(Jit.Optimized)]
    private AbstractValue Read(ISymbol symbol, ITypeSymbol? type)
    {
        if (_untrackable.Contains(symbol) || !_state.Variables.TryGetValue(symbol, out var value))
        {
            return ValueOfType(type);
        }

        return value;
    }

    [MethodImpl(Jit.Optimized)]
    private AbstractValue EvalConversion(IConversionOperation conversion)
    {
        var operand = Eval(conversion.Operand);
        if (conversion.OperatorMethod is { } method)
        {
            if (_api.IsTensor(conversion.Type) && !operand.IsTensor && _api.IsInRuntime(method))
            {
                // A library conversion from a number to a tensor (TorchSharp's implicit scalar tensors) makes a constant.
                return AbstractValue.Tensor(TensorFact.Leaf(requiresGrad: false, DTypeKind.Unknown, -1) with { Inference = _state.Mode.CreatesInference() }, Fresh(conversion));
            }

            return GenericCall(method, null, conversion.Type, new[] { operand }, hasDelegateArgument: false);
        }

        // A reference, boxing or identity conversion keeps the object (a Parameter seen as a Tensor, a scope as IDisposable).
        return operand.Kind == ValueKind.Other ? ValueOfType(conversion.Type) : operand;
    }

    [MethodImpl(Jit.Optimized)]
    private AbstractValue EvalAssignment(ISimpleAssignmentOperation assignment)
    {
        switch (assignment.Target)
        {
            case ILocalReferenceOperation local when !assignment.IsRef && AccumulatedOperand(assignment.Value, local.Local) is { } sum:
            {
                // `total = total + loss`: the same as `total += loss` for the accumulation rule.
                var left = Eval(sum.LeftOperand);
                var right = Eval(sum.RightOperand);
                var result = ApplyOperation(sum, TensorApi.Addition, new[] { left, right }, hasOtherArguments: false, new IOperation?[] { sum.LeftOperand, sum.RightOperand });
                CheckAccumulation(assignment, local.Local, sum.RightOperand, right, result);
                return Assign(local.Local, result, assignment.Syntax);
            }

            case ILocalReferenceOperation local when !assignment.IsRef:
                return Assign(local.Local, Eval(assignment.Value), assignment.Syntax);
            case IParameterReferenceOperation parameter when !assignment.IsRef:
                return Assign(parameter.Parameter, Eval(assignment.Value), assignment.Syntax);
            case IFlowCaptureReferenceOperation capture when !assignment.IsRef && _graph is not null && _calls.Cache.ShapeOf(_graph).CapturedVariables.TryGetValue(capture.Id, out var variable):
                // `y = flag ? a : b`: the graph captures y before the branch; this stores in y (before session 12, y kept its old value).
                return Assign(variable, Eval(assignment.Value), assignment.Syntax);
            case IPropertyReferenceOperation property when _api.IsTensorMember(property.Property) && _api.NameOf(property.Property) == TensorApi.RequiresGrad:
            {
                var receiver = Eval(property.Instance);
                var value = Eval(assignment.Value);
                _ = value;
                ChangeRequiresGrad(assignment.Syntax, property.Instance, receiver, ConstantBool(assignment.Value), RequiresGradApi.Setter);
                return AbstractValue.Other;
            }

            case IPropertyReferenceOperation property when _api.IsTensorMember(property.Property) && _api.NameOf(property.Property) == TensorApi.Grad:
            {
                var receiver = Eval(property.Instance);
                var gradient = Eval(assignment.Value);
                if (Reporting && gradient.IsTensor)
                {
                    GradientSizeMismatchRule.CheckAssignment(assignment.Syntax, NameOf(property.Instance), receiver.Fact, NameOf(assignment.Value), gradient.Fact, Sink);
                }

                Escape(gradient);

                // An assigned gradient is defined, so a later read does not warn; null clears a stale gradient (SG0012).
                var cleared = assignment.Value.ConstantValue is { HasValue: true, Value: null };
                Mutate(property.Instance, receiver, receiver.Fact with
                {
                    RetainsGrad = Tri.Maybe,
                    HasGrad = cleared ? Tri.No : Tri.Yes,
                    StaleFrozen = cleared ? Tri.No : receiver.Fact.StaleFrozen,
                });
                return AbstractValue.Other;
            }

            default:
            {
                foreach (var child in assignment.Target.ChildOperations)
                {
                    Escape(Eval(child));
                }

                return Store(assignment, Eval(assignment.Value));
            }
        }
    }

    /// <summary>
    /// The value of an assignment to anything but a local or parameter (an element, a field, a property): it escapes. A
    /// static field written runs its type's static constructor the first time, as a read does.
    /// </summary>
    private AbstractValue Store(ISimpleAssignmentOperation assignment, AbstractValue value)
    {
        Escape(value);
        if (assignment.Target is IFieldReferenceOperation field)
        {
            StaticInitialization(field.Field);
        }

        if (assignment.Target is IPropertyReferenceOperation { Property.SetMethod: { } setter } target
            && _api.MayRunUserCode(setter, target.Instance?.Type, hasDelegateArgument: false))
        {
            UserCodeEffects();
        }

        return value;
    }

    [MethodImpl(Jit.Optimized)]
    private AbstractValue Assign(ISymbol symbol, AbstractValue value, SyntaxNode syntax)
    {
        if (_untrackable.Contains(symbol))
        {
            Escape(value);
            return value;
        }

        _state.Variables[symbol] = value with { Definition = syntax };
        return value;
    }

    [MethodImpl(Jit.Optimized)]
    private AbstractValue EvalCompoundAssignment(ICompoundAssignmentOperation compound)
    {
        if (compound.OperatorMethod is { } method && _api.IsTensorMember(method))
        {
            // C#'s `x += y` on a Tensor is `x = x + y`: an out-of-place operation that rebinds x.
            var target = Eval(compound.Target);
            var operand = Eval(compound.Value);
            var result = ApplyOperation(compound, _api.NameOf(method), new[] { target, operand }, hasOtherArguments: false, new IOperation?[] { compound.Target, compound.Value });
            switch (compound.Target)
            {
                case ILocalReferenceOperation local:
                    if (_api.NameOf(method) == TensorApi.Addition)
                    {
                        CheckAccumulation(compound, local.Local, compound.Value, operand, result);
                    }

                    return Assign(local.Local, result, compound.Syntax);
                case IParameterReferenceOperation parameter:
                    return Assign(parameter.Parameter, result, compound.Syntax);
                default:
                    Escape(result);
                    return result;
            }
        }

        EvalChildren(compound, escape: true);
        if (compound.OperatorMethod is { } userOperator && _api.MayRunUserCode(userOperator, null, hasDelegateArgument: false))
        {
            UserCodeEffects();
        }

        if (compound.Target is ILocalReferenceOperation { Local: var l })
        {
            Assign(l, ValueOfType(compound.Type), compound.Syntax);
        }
        else if (compound.Target is IParameterReferenceOperation { Parameter: var p })
        {
            Assign(p, ValueOfType(compound.Type), compound.Syntax);
        }

        return ValueOfType(compound.Type);
    }

    [MethodImpl(Jit.Optimized)]
    private AbstractValue EvalOperator(IOperation operation, IMethodSymbol method, IOperation left, IOperation? right)
    {
        var leftValue = Eval(left);
        var rightValue = right is null ? AbstractValue.Other : Eval(right);
        if (_api.IsTensorMember(method))
        {
            var inputs = right is null ? new[] { leftValue } : new[] { leftValue, rightValue };
            return ApplyOperation(operation, _api.NameOf(method), inputs, hasOtherArguments: false, right is null ? new IOperation?[] { left } : new IOperation?[] { left, right });
        }

        return GenericCall(method, null, operation.Type, right is null ? new[] { leftValue } : new[] { leftValue, rightValue }, hasDelegateArgument: false);
    }

    /// <summary>A call the analysis does not model: its tensor arguments escape, and user code may change anything external.</summary>
    [MethodImpl(Jit.Optimized)]
    private AbstractValue GenericCall(ISymbol member, ITypeSymbol? receiverType, ITypeSymbol? resultType, IReadOnlyList<AbstractValue> values, bool hasDelegateArgument)
    {
        // By index: an unknown call is the commonest operation, and an enumerable here cost a LINQ iterator and a boxed enumerator per call.
        for (var i = 0; i < values.Count; i++)
        {
            Escape(values[i]);
        }

        if (_api.MayRunUserCode(member, receiverType, hasDelegateArgument))
        {
            UserCodeEffects();
        }

        return ValueOfType(resultType);
    }

    /// <summary>
    /// The object of <paramref name="value"/> may now be reached from outside the method: it joins the external
    /// bucket, whose facts are forgotten whenever user code runs or an external object is changed.
    /// </summary>
    [MethodImpl(Jit.Optimized)]
    private void Escape(AbstractValue value)
    {
        if (_recorder is not null && value.Kind == ValueKind.Tensor)
        {
            _recorder.Escapes = true;
        }

        if (value.Kind != ValueKind.Tensor || value.Origin == AbstractValue.External)
        {
            return;
        }

        _state.Update(value.Origin, static (held, origin, _) => held.Origin == origin ? held with { Origin = AbstractValue.External } : held);
    }

    /// <summary>User code ran: it may have changed the grad mode and any object reachable from outside.</summary>
    [MethodImpl(Jit.Optimized)]
    private void UserCodeEffects()
    {
        _state.Mode = GradMode.Unknown;
        ForgetExternal();
    }

    /// <summary>Code that may reach any external object ran (the mode is handled by the caller of this).</summary>
    [MethodImpl(Jit.Optimized)]
    private void ForgetExternal()
    {
        if (_recorder is not null)
        {
            _recorder.TouchesExternal = true;
        }

        // User code may call ZeroGrad() on an optimizer that holds a tensor of this method.
        _state.Update(0, static (held, _, _) =>
            held.Kind == ValueKind.Tensor && held.Origin == AbstractValue.External ? held.WithFact(TensorFact.Unknown)
            : held.Kind == ValueKind.Tensor && (held.Fact.HasGrad != Tri.Maybe || held.Fact.StaleFrozen != Tri.Maybe) ? held.WithFact(held.Fact with { HasGrad = Tri.Maybe, StaleFrozen = Tri.Maybe })
            : held);
    }

    /// <summary>
    /// Records that the object behind <paramref name="receiver"/> now has <paramref name="fact"/>: every local holding
    /// the same abstract object sees it; for an external object, every other external local is forgotten (it may alias).
    /// </summary>
    [MethodImpl(Jit.Optimized)]
    private void Mutate(IOperation? receiverOperation, AbstractValue receiver, TensorFact fact)
    {
        var key = VariableOf(receiverOperation);
        if (_recorder is not null && receiver.Origin == AbstractValue.External && !(key is IParameterSymbol parameter && SymbolEqualityComparer.Default.Equals(parameter.ContainingSymbol, _function)))
        {
            // A change to an object that is not one of the callee's own parameters may be a change to any of the caller's.
            _recorder.TouchesExternal = true;
        }

        _state.Update((receiver.Origin, key, fact), static (held, change, k) =>
            held.Kind != ValueKind.Tensor ? held
            : change.Origin != AbstractValue.External && held.Origin == change.Origin ? held.WithFact(change.fact)
            : change.Origin == AbstractValue.External && held.Origin == AbstractValue.External
                ? held.WithFact(change.key is not null && VariableKeyComparer.Instance.Equals(k, change.key) ? change.fact : TensorFact.Unknown)
            : held);
    }

    /// <summary>The local, parameter or capture an operand reads, if it is one we track.</summary>
    private object? VariableOf(IOperation? operation)
    {
        while (operation is IConversionOperation { OperatorMethod: null } conversion)
        {
            operation = conversion.Operand;
        }

        return operation switch
        {
            ILocalReferenceOperation local when !_untrackable.Contains(local.Local) => local.Local,
            IParameterReferenceOperation parameter when !_untrackable.Contains(parameter.Parameter) => parameter.Parameter,
            IFlowCaptureReferenceOperation capture => capture.Id,
            _ => null,
        };
    }

    /// <summary>A new object or graph node is created by <paramref name="site"/>: earlier objects of the same site are different objects.</summary>
    [MethodImpl(Jit.Optimized)]
    private int Fresh(IOperation site)
    {
        var id = _origins.Site(site);
        _state.Freed = _state.Freed.Remove(id);
        _state.Update(id, static (held, id, _) =>
        {
            var updated = held;
            if (held.Origin == id)
            {
                updated = updated with { Origin = AbstractValue.External };
            }

            if (held.Fact.SavingNodes.Contains(id))
            {
                updated = updated.WithFact(held.Fact with { SavingNodes = held.Fact.SavingNodes.Remove(id) });
            }

            return updated;
        });

        return id;
    }

    private static bool? ConstantBool(IOperation? operation)
    {
        // `retainGraph: false` reaches a `bool?` parameter through a conversion, which has no constant value itself.
        while (operation is IConversionOperation { OperatorMethod: null } conversion && !operation.ConstantValue.HasValue)
        {
            operation = conversion.Operand;
        }

        return operation?.ConstantValue is { HasValue: true, Value: bool value } ? value : null;
    }

    private static string NameOf(IOperation? operation) => operation?.Syntax.ToString() ?? "this";

    private bool Reporting => _sink.Enabled && ReportingAllowed && !_state.Dead;

    /// <summary>Where the rules report: nowhere after a call that never returns (no run gets there).</summary>
    private DiagnosticSink Sink => _state.Dead ? _silent ??= new DiagnosticSink(static _ => { }, _api.Library) : _sink;

    /// <summary>While the returned scope is open, diagnostics say where another method decided the tensor's state.</summary>
    private DiagnosticSink.NoteScope Note(IOperation? operand, TensorFact fact) =>
        _sink.WithNote(fact.Via is { } via ? "'" + NameOf(operand) + "' comes from " + via : null);
}

using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using System.Runtime.CompilerServices;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Operations;
using StaticGrad.Analyzers.TensorUsage.Rules;

namespace StaticGrad.Analyzers.TensorUsage.Analysis;

internal sealed partial class TensorInterpreter
{
    [MethodImpl(Jit.Optimized)]
    private AbstractValue EvalInvocation(IInvocationOperation invocation)
    {
        var method = invocation.TargetMethod;
        var receiver = Eval(invocation.Instance);

        if (_api.NameOf(method) == TensorApi.Dispose && (receiver.Kind == ValueKind.GradScope || _api.IsGradModeScope(method.ContainingType) || _api.IsGradModeScope(UnderlyingType(invocation.Instance))))
        {
            // Disposing a grad-mode scope restores the mode that was in force when it was entered.
            EvalArguments(invocation, escape: false);
            RestoreMode(receiver);
            return AbstractValue.Other;
        }

        if (_api.IsAutogradMember(method))
        {
            return EvalAutogradCall(invocation, method);
        }

        if (_api.IsTensorMember(method))
        {
            return method.IsStatic ? EvalTensorStatic(invocation, method) : EvalTensorMethod(invocation, method, receiver);
        }

        if (_api.NameOf(method) == TensorApi.Step && _api.IsOptimizer(method.ContainingType) && _api.IsInRuntime(method))
        {
            EvalArguments(invocation, escape: false);
            CheckStaleFrozen(invocation);
            StepTaken();
            return AbstractValue.Other;
        }

        if (_api.NameOf(method) == TensorApi.ZeroGrad && (_api.IsOptimizer(method.ContainingType) || _api.IsModule(method.ContainingType)) && _api.IsInRuntime(method))
        {
            EvalArguments(invocation, escape: false);
            ZeroGrad(ArgumentFor(invocation, TensorApi.SetToNoneParameter));
            return AbstractValue.Other;
        }

        var arguments = EvalArguments(invocation, escape: false);
        if (LibraryLayerForward(invocation, method, arguments) is { } forward)
        {
            return forward;
        }

        if (SummarizedCall(invocation, receiver, arguments) is { } summarized)
        {
            return summarized;
        }

        var hasDelegate = HasDelegateArgument(invocation) || invocation.Instance?.Type?.TypeKind == TypeKind.Delegate;
        arguments.Add(receiver);
        var result = GenericCall(method, invocation.Instance?.Type, invocation.Type, arguments, hasDelegate);
        ForgetRefArguments(invocation);
        if (_api.NameOf(method) == TensorApi.Dispose && MayHoldScope(invocation.Instance?.Type) && MayHoldScope(UnderlyingType(invocation.Instance)) && !DisposesForEachEnumerator(invocation))
        {
            // A grad-mode scope seen as IDisposable or object (returned by a helper, passed in, kept in a field): its
            // disposal restores a mode the analysis cannot name here.
            _state.Mode = GradMode.Unknown;
        }

        return result;
    }

    /// <summary>The disposal of a foreach's enumerator in the graph (seen as IDisposable, from the collection's GetEnumerator).</summary>
    private static bool DisposesForEachEnumerator(IInvocationOperation invocation) =>
        invocation.IsImplicit && (invocation.Syntax is CommonForEachStatementSyntax || invocation.Syntax.Parent is CommonForEachStatementSyntax);

    /// <summary>
    /// Whether a value of <paramref name="type"/> may be a grad-mode scope the analysis does not see as one (an
    /// interface, object, a type parameter); an enumerator (a foreach disposes it through IEnumerator&lt;T&gt;) is not.
    /// </summary>
    private static bool MayHoldScope(ITypeSymbol? type) =>
        type is { TypeKind: TypeKind.Interface or TypeKind.TypeParameter } or { SpecialType: SpecialType.System_Object }
        && type.OriginalDefinition.SpecialType is not (SpecialType.System_Collections_IEnumerator or SpecialType.System_Collections_Generic_IEnumerator_T);

    private static bool HasDelegateArgument(IInvocationOperation invocation)
    {
        foreach (var argument in invocation.Arguments)
        {
            if (argument.Value.Type?.TypeKind == TypeKind.Delegate)
            {
                return true;
            }
        }

        return false;
    }

    private void RestoreMode(AbstractValue scope) =>
        _state.Mode = scope.Kind == ValueKind.GradScope && scope.ScopeSite >= 0 && _state.ScopeRestores.TryGetValue(scope.ScopeSite, out var restored) ? restored : GradMode.Unknown;

    private static IOperation Unwrap(IOperation operation)
    {
        while (operation is IConversionOperation { OperatorMethod: null } conversion)
        {
            operation = conversion.Operand;
        }

        return operation;
    }

    private static ITypeSymbol? UnderlyingType(IOperation? operation)
    {
        while (operation is IConversionOperation conversion)
        {
            operation = conversion.Operand;
        }

        return operation?.Type;
    }

    [MethodImpl(Jit.Optimized)]
    private List<AbstractValue> EvalArguments(IInvocationOperation invocation, bool escape)
    {
        // One slot more than the arguments: an unknown call appends its receiver, which otherwise regrew the list.
        var values = new List<AbstractValue>(invocation.Arguments.Length + 1);
        foreach (var argument in invocation.Arguments)
        {
            var value = Eval(argument.Value);
            if (escape)
            {
                Escape(value);
            }

            values.Add(value);
        }

        return values;
    }

    [MethodImpl(Jit.Optimized)]
    private void ForgetRefArguments(IInvocationOperation invocation)
    {
        foreach (var argument in invocation.Arguments)
        {
            if (argument.Parameter is { RefKind: RefKind.Ref or RefKind.Out } && VariableOf(argument.Value) is { } key)
            {
                _state.Variables[key] = ValueOfType(argument.Value.Type);
            }
        }
    }

    private IArgumentOperation? ArgumentFor(IInvocationOperation invocation, string parameterName) =>
        invocation.Arguments.FirstOrDefault(a => _api.NameOf(a.Parameter) == parameterName);

    private AbstractValue EvalAutogradCall(IInvocationOperation invocation, IMethodSymbol method)
    {
        switch (_api.NameOf(method))
        {
            case TensorApi.NoGrad:
            case TensorApi.EnableGrad:
            case TensorApi.SetGradEnabled:
            case TensorApi.InferenceMode:
            {
                EvalArguments(invocation, escape: false);
                var current = _state.Mode;
                var next = _api.NameOf(method) switch
                {
                    TensorApi.NoGrad => Disable(current),
                    TensorApi.EnableGrad when ConstantBool(invocation.Arguments.FirstOrDefault()?.Value) == false => Disable(current),
                    TensorApi.EnableGrad => Enable(current),
                    TensorApi.SetGradEnabled => ConstantBool(invocation.Arguments.FirstOrDefault()?.Value) switch
                    {
                        true => Enable(current),
                        false => Disable(current),
                        null => GradMode.Unknown,
                    },
                    _ => ConstantBool(invocation.Arguments.FirstOrDefault()?.Value) switch
                    {
                        true => GradMode.Inference,
                        false => GradMode.Enabled,
                        null => GradMode.Unknown,
                    },
                };

                var site = _origins.Site(invocation);
                _state.ScopeRestores[site] = current;
                _state.Mode = next;
                return AbstractValue.Scope(site);
            }

            case TensorApi.Grad:
                return EvalAutogradGrad(invocation);

            case TensorApi.Backward:
                return EvalAutogradBackward(invocation);

            default:
            {
                var arguments = EvalArguments(invocation, escape: false);
                return GenericCall(method, null, invocation.Type, arguments, invocation.Arguments.Any(a => a.Value.Type?.TypeKind == TypeKind.Delegate));
            }
        }
    }

    /// <summary><c>NoGrad</c> keeps inference mode as it is (the runtime's scopes save and restore both modes).</summary>
    private static GradMode Disable(GradMode current) => current switch
    {
        GradMode.Inference => GradMode.Inference,
        GradMode.Enabled or GradMode.Disabled => GradMode.Disabled,
        _ => GradMode.DisabledMaybeInference,
    };

    /// <summary>
    /// <c>EnableGrad</c> also keeps inference mode: inside <c>InferenceMode()</c> it records but still makes inference
    /// tensors, a combination not modelled, so the mode becomes unknown there.
    /// </summary>
    private static GradMode Enable(GradMode current) =>
        current is GradMode.Enabled or GradMode.Disabled ? GradMode.Enabled : GradMode.Unknown;

    private AbstractValue EvalAutogradGrad(IInvocationOperation invocation)
    {
        foreach (var argument in invocation.Arguments)
        {
            var isInputs = _api.NameOf(argument.Parameter) is "inputs" or "input";
            if (Unwrap(argument.Value) is IArrayCreationOperation { Initializer: { } initializer } array)
            {
                foreach (var size in array.DimensionSizes)
                {
                    Eval(size);
                }

                foreach (var element in initializer.ElementValues)
                {
                    var value = Eval(element);
                    if (isInputs && Reporting)
                    {
                        GradInputWithoutGradRule.Check(element.Syntax, NameOf(element), value.Fact, Sink);
                    }
                }

                continue;
            }

            var single = Eval(argument.Value);
            if (isInputs && Reporting && _api.IsTensor(argument.Value.Type))
            {
                GradInputWithoutGradRule.Check(argument.Value.Syntax, NameOf(argument.Value), single.Fact, Sink);
            }

            if (single.Kind == ValueKind.Other)
            {
                Escape(single);
            }
        }

        return ValueOfType(invocation.Type);
    }

    /// <summary><c>Autograd.Backward(new[] { a, b })</c>: each root must require grad ("element i of tensors …", R13).</summary>
    private AbstractValue EvalAutogradBackward(IInvocationOperation invocation)
    {
        var tensors = invocation.Arguments.FirstOrDefault();
        if (tensors is not null && Unwrap(tensors.Value) is IArrayCreationOperation { Initializer: { } initializer })
        {
            for (var i = 0; i < initializer.ElementValues.Length; i++)
            {
                var element = initializer.ElementValues[i];
                var value = Eval(element);
                if (Reporting)
                {
                    BackwardWithoutGradRule.CheckRoot(element.Syntax, NameOf(element), value.Fact, i, Sink);
                }
            }

            foreach (var argument in invocation.Arguments.Skip(1))
            {
                Eval(argument.Value);
            }

            BackwardRan();
            return AbstractValue.Other;
        }

        var arguments = EvalArguments(invocation, escape: false);
        return GenericCall(invocation.TargetMethod, null, invocation.Type, arguments, hasDelegateArgument: false);
    }

    [MethodImpl(Jit.Optimized)]
    private AbstractValue EvalTensorStatic(IInvocationOperation invocation, IMethodSymbol method)
    {
        var arguments = EvalArguments(invocation, escape: false);
        if (TensorApi.Factories.Contains(_api.NameOf(method)) && _api.IsTensor(method.ReturnType))
        {
            return Factory(invocation, arguments);
        }

        if ((TensorApi.Operations.Contains(_api.NameOf(method)) || TensorApi.NonFloatingResults.Contains(_api.NameOf(method))) && _api.IsTensor(method.ReturnType))
        {
            // The tensor-typed arguments and their values, in one loop (three LINQ arrays and an IndexOf per argument before).
            var tensorInputs = new List<AbstractValue>(arguments.Count);
            var tensorOperands = new List<IOperation?>(arguments.Count);
            for (var i = 0; i < invocation.Arguments.Length; i++)
            {
                if (_api.IsTensor(invocation.Arguments[i].Value.Type))
                {
                    tensorInputs.Add(arguments[i]);
                    tensorOperands.Add(invocation.Arguments[i].Value);
                }
            }

            return ApplyOperation(invocation, _api.NameOf(method), tensorInputs, hasOtherArguments: false, tensorOperands);
        }

        return GenericCall(method, null, invocation.Type, arguments, hasDelegateArgument: false);
    }

    [MethodImpl(Jit.Optimized)]
    private AbstractValue EvalTensorMethod(IInvocationOperation invocation, IMethodSymbol method, AbstractValue receiver)
    {
        var name = _api.NameOf(method);
        var instance = invocation.Instance;
        switch (name)
        {
            case TensorApi.SetRequiresGrad:
            {
                var argument = invocation.Arguments.FirstOrDefault();
                EvalArguments(invocation, escape: false);
                ChangeRequiresGrad(invocation.Syntax, instance, receiver, argument is null ? true : ConstantBool(argument.Value), RequiresGradApi.Method);
                return _api.IsTensor(method.ReturnType) ? Reread(instance, receiver) : AbstractValue.Other;
            }

            case TensorApi.RetainGrad:
                EvalArguments(invocation, escape: false);
                if (Reporting)
                {
                    using var note = Note(instance, receiver.Fact);
                    RetainGradWithoutGradRule.Check(invocation.Syntax, NameOf(instance), receiver.Fact, Sink);
                }

                if (receiver.Fact.State != GradState.UntrackedLeaf)
                {
                    Mutate(instance, receiver, receiver.Fact with { RetainsGrad = Tri.Yes });
                }

                return _api.IsTensor(method.ReturnType) ? Reread(instance, receiver) : AbstractValue.Other;

            case TensorApi.Backward:
                return EvalBackward(invocation, receiver);

            case TensorApi.Detach:
            {
                EvalArguments(invocation, escape: false);
                var fact = TensorFact.Leaf(requiresGrad: false, receiver.Fact.DType, receiver.Fact.Numel) with { Inference = receiver.Fact.Inference };
                return AbstractValue.Tensor(fact, Fresh(invocation));
            }

            case TensorApi.DetachInPlace:
                EvalArguments(invocation, escape: false);
                if (Reporting)
                {
                    using var note = Note(instance, receiver.Fact);
                    DetachViewInPlaceRule.Check(invocation.Syntax, NameOf(instance), receiver.Fact, Sink);
                }

                Mutate(instance, receiver, TensorFact.Leaf(requiresGrad: false, receiver.Fact.DType, receiver.Fact.Numel) with { Inference = receiver.Fact.Inference });
                return _api.IsTensor(method.ReturnType) ? Reread(instance, receiver) : AbstractValue.Other;
        }

        if (name == TensorApi.CopyFrom || (name.EndsWith(TensorApi.InPlaceSuffix, System.StringComparison.Ordinal) && name != TensorApi.DetachInPlace))
        {
            var arguments = EvalArguments(invocation, escape: false);
            var operands = arguments.Where(a => a.IsTensor).ToArray();
            InPlace(invocation, instance, receiver, name, operands);
            return _api.IsTensor(method.ReturnType) ? Reread(instance, receiver) : AbstractValue.Other;
        }

        if ((TensorApi.Operations.Contains(name) || TensorApi.NonFloatingResults.Contains(name)) && _api.IsTensor(method.ReturnType))
        {
            var arguments = EvalArguments(invocation, escape: false);
            if (name == TensorApi.ToDType && DTypeOfArgument(invocation.Arguments.FirstOrDefault()) == DTypeKind.NonFloating)
            {
                // A cast to an integer or bool dtype is not differentiable: a constant leaf (R5).
                return ApplyOperation(invocation, "Long", new[] { receiver }, hasOtherArguments: true);
            }

            var inputs = new List<AbstractValue> { receiver };
            var operands = new List<IOperation?> { instance };
            foreach (var argument in invocation.Arguments.Where(a => _api.IsTensor(a.Value.Type)))
            {
                inputs.Add(arguments[invocation.Arguments.IndexOf(argument)]);
                operands.Add(argument.Value);
            }

            var hasOther = invocation.Arguments.Any(a => a.ArgumentKind != ArgumentKind.DefaultValue && !_api.IsTensor(a.Value.Type));
            return ApplyOperation(invocation, name, inputs, hasOther, operands);
        }

        if (TensorApi.ReadOnlyMembers.Contains(name))
        {
            EvalArguments(invocation, escape: false);
            return ValueOfType(invocation.Type);
        }

        // An unknown Tensor method may change the receiver's autograd state.
        var rest = EvalArguments(invocation, escape: false);
        Mutate(instance, receiver, TensorFact.Unknown);
        rest.Add(receiver);
        return GenericCall(method, instance?.Type, invocation.Type, rest, hasDelegateArgument: invocation.Arguments.Any(a => a.Value.Type?.TypeKind == TypeKind.Delegate));
    }

    /// <summary>The receiver after a call that returns it (<c>SetRequiresGrad</c>, in-place operations): same object, updated facts.</summary>
    private AbstractValue Reread(IOperation? instance, AbstractValue before) =>
        VariableOf(instance) is { } key && _state.Variables.TryGetValue(key, out var now) ? now : before.Origin != AbstractValue.External ? FindByOrigin(before) : AbstractValue.UnknownTensor;

    private AbstractValue FindByOrigin(AbstractValue before)
    {
        foreach (var held in _state.Variables.Values)
        {
            if (held.Kind == ValueKind.Tensor && held.Origin == before.Origin)
            {
                return held;
            }
        }

        return AbstractValue.UnknownTensor;
    }

    private AbstractValue EvalBackward(IInvocationOperation invocation, AbstractValue receiver)
    {
        var gradient = ArgumentFor(invocation, TensorApi.GradientParameter);
        var retainGraph = ArgumentFor(invocation, TensorApi.RetainGraphParameter);
        var createGraph = ArgumentFor(invocation, "createGraph");
        var values = EvalArguments(invocation, escape: false);
        if (Reporting && gradient is not null && values[invocation.Arguments.IndexOf(gradient)] is { IsTensor: true } gradientValue)
        {
            GradientSizeMismatchRule.CheckBackward(invocation.Syntax, NameOf(invocation.Instance), receiver.Fact, NameOf(gradient.Value), gradientValue.Fact, Sink);
        }

        var hasGradient = gradient is not null && !(gradient.Value.ConstantValue is { HasValue: true, Value: null });
        if (Reporting)
        {
            var call = new BackwardCall(invocation.Syntax, NameOf(invocation.Instance), receiver.Fact, hasGradient, _state);
            using var note = Note(invocation.Instance, receiver.Fact);
            BackwardWithoutGradRule.Check(call, Sink);
            ImplicitBackwardNonScalarRule.Check(call, Sink);
            BackwardTwiceRule.Check(call, Sink);
        }

        // Saved tensors are released unless the graph is retained (retain_graph defaults to create_graph).
        var createsGraph = createGraph is null ? false : ConstantBool(createGraph.Value);
        var retainDefaulted = retainGraph is null || retainGraph.ArgumentKind == ArgumentKind.DefaultValue || retainGraph.Value.ConstantValue is { HasValue: true, Value: null };
        var retains = retainDefaulted ? createsGraph : ConstantBool(retainGraph!.Value);
        var frees = retains == false;
        if (frees)
        {
            _state.Freed = _state.Freed.Union(receiver.Fact.SavingNodes);
            if (_recorder is not null && VariableOf(invocation.Instance) is IParameterSymbol parameter && SymbolEqualityComparer.Default.Equals(parameter.ContainingSymbol, _function))
            {
                _recorder.FreedParameters.Add(parameter.Ordinal);
            }
        }

        BackwardRan();

        return ValueOfType(invocation.Type);
    }

    [MethodImpl(Jit.Optimized)]
    private AbstractValue EvalCreation(IObjectCreationOperation creation)
    {
        var type = creation.Type;
        if (_api.IsParameter(type) && creation.Arguments.Length > 0 && _api.IsTensor(creation.Arguments[0].Value.Type))
        {
            var data = Eval(creation.Arguments[0].Value);
            var flag = creation.Arguments.FirstOrDefault(a => _api.NameOf(a.Parameter) == TensorApi.RequiresGradParameter);
            foreach (var argument in creation.Arguments.Skip(1))
            {
                Eval(argument.Value);
            }

            var requiresGrad = flag is null ? true : ConstantBool(flag.Value);
            if (Reporting)
            {
                RequiresGradOnNonFloatingRule.Check(new RequiresGradChange(creation.Syntax, NameOf(creation.Arguments[0].Value), data.Fact, requiresGrad, RequiresGradApi.Creation), Sink);
            }

            // A parameter shares its data's storage and inference flag.
            var fact = requiresGrad is { } rg
                ? TensorFact.Leaf(rg, data.Fact.DType, data.Fact.Numel) with { Inference = data.Fact.Inference }
                : TensorFact.Unknown with { DType = data.Fact.DType, Numel = data.Fact.Numel, Inference = data.Fact.Inference };
            return AbstractValue.Tensor(fact, Fresh(creation));
        }

        if (_api.IsOptimizer(type) && creation.Constructor is { } constructor && _api.IsInRuntime(constructor) && creation.Initializer is null)
        {
            return EvalOptimizerCreation(creation);
        }

        return GenericCreation(creation);
    }

    /// <summary>
    /// <c>new Sgd(new[] { w, b }, …)</c> and the other runtime optimizers: the listed tensors are registered. The
    /// optimizer reads their gradients and updates their data under NoGrad (Step) or resets their gradients
    /// (ZeroGrad); both are modelled where they are called.
    /// </summary>
    private AbstractValue EvalOptimizerCreation(IObjectCreationOperation creation)
    {
        foreach (var argument in creation.Arguments)
        {
            if (Unwrap(argument.Value) is IArrayCreationOperation { Initializer: { } initializer } array && _api.IsTensor((array.Type as IArrayTypeSymbol)?.ElementType))
            {
                foreach (var size in array.DimensionSizes)
                {
                    Eval(size);
                }

                foreach (var element in initializer.ElementValues)
                {
                    var value = Eval(element);
                    if (value.IsTensor)
                    {
                        if (Reporting)
                        {
                            OptimizerNonLeafRule.Check(element.Syntax, NameOf(element), value.Fact, Sink);
                        }

                        MarkOptimized(element, value);
                    }

                    // The optimizer is an ordinary object: code it is handed to can reach the tensor through it.
                    Escape(value);
                }

                continue;
            }

            Escape(Eval(argument.Value));
        }

        return AbstractValue.Other;
    }

    private void MarkOptimized(IOperation element, AbstractValue value)
    {
        var key = VariableOf(element);
        _state.Update((value.Origin, key), static (held, marked, k) =>
        {
            var same = marked.Origin != AbstractValue.External ? held.Origin == marked.Origin : marked.key is not null && VariableKeyComparer.Instance.Equals(k, marked.key);
            return held.IsTensor && same ? held.WithFact(held.Fact with { Optimized = Tri.Yes }) : held;
        });
    }

    /// <summary>SG0012 at an optimizer's <c>Step()</c>: a registered parameter frozen with a gradient that nothing cleared.</summary>
    private void CheckStaleFrozen(IInvocationOperation step)
    {
        if (!Reporting)
        {
            return;
        }

        foreach (var pair in _state.Variables)
        {
            if (pair.Value.IsTensor && pair.Value.Fact.StaleFrozen == Tri.Yes && pair.Value.Fact.Optimized == Tri.Yes && pair.Key is ISymbol symbol && !_untrackable.Contains(symbol))
            {
                FrozenParameterRule.Report(step.Syntax, symbol.Name, Sink);
                break;
            }
        }
    }

    /// <summary>After a <c>Step()</c> the stale gradient was reported once; later steps are not reported again.</summary>
    private void StepTaken()
    {
        if (_recorder is not null)
        {
            _recorder.ClearsGradients = true;
        }

        _state.Update(0, static (held, _, _) => held.IsTensor && held.Fact.StaleFrozen == Tri.Yes ? held.WithFact(held.Fact with { StaleFrozen = Tri.Maybe }) : held);
    }

    /// <summary>
    /// <c>ZeroGrad()</c> of an optimizer or module. Which parameters it clears is not known here, so no tensor is known
    /// to hold a gradient afterwards; with <c>setToNone: true</c> (the default) a registered parameter's stale
    /// gradient may be gone, so the frozen-with-gradient fact is dropped either way.
    /// </summary>
    private void ZeroGrad(IArgumentOperation? setToNone)
    {
        _ = setToNone;
        if (_recorder is not null)
        {
            _recorder.ClearsGradients = true;
        }

        _state.Update(0, static (held, _, _) =>
            held.IsTensor && (held.Fact.HasGrad != Tri.Maybe || held.Fact.StaleFrozen != Tri.Maybe) ? held.WithFact(held.Fact with { HasGrad = Tri.Maybe, StaleFrozen = Tri.Maybe }) : held);
    }

    /// <summary>A backward pass ran: every leaf that certainly requires grad may now hold a gradient (it does if the graph reaches it).</summary>
    private void BackwardRan()
    {
        if (_recorder is not null)
        {
            _recorder.Backward = true;
        }

        _state.Update(0, static (held, _, _) =>
            held.IsTensor && held.Fact.State == GradState.TrackedLeaf && held.Fact.Optimized == Tri.Yes && held.Fact.HasGrad != Tri.Yes ? held.WithFact(held.Fact with { HasGrad = Tri.Yes }) : held);
    }

    private AbstractValue GenericCreation(IObjectCreationOperation creation)
    {
        var values = new List<AbstractValue>();
        foreach (var argument in creation.Arguments)
        {
            values.Add(Eval(argument.Value));
        }

        if (creation.Initializer is { } initializer)
        {
            values.Add(Eval(initializer));
        }

        if (SummarizedCreation(creation, values) is { } summarized)
        {
            return summarized;
        }

        var hasDelegate = creation.Arguments.Any(a => a.Value.Type?.TypeKind == TypeKind.Delegate);
        if (creation.Constructor is { } constructor)
        {
            return GenericCall(constructor, null, creation.Type, values, hasDelegate);
        }

        foreach (var value in values)
        {
            Escape(value);
        }

        return ValueOfType(creation.Type);
    }

    [MethodImpl(Jit.Optimized)]
    private AbstractValue EvalPropertyRead(IPropertyReferenceOperation property)
    {
        var receiver = Eval(property.Instance);
        foreach (var argument in property.Arguments)
        {
            Eval(argument.Value);
        }

        StaticInitialization(property.Property);
        if (_api.IsTensorMember(property.Property))
        {
            if (_api.NameOf(property.Property) == TensorApi.Grad && Reporting)
            {
                var key = VariableOf(property.Instance);
                var definition = key is ILocalSymbol && _state.Variables.TryGetValue(key, out var held) ? held.Definition : null;
                using var note = Note(property.Instance, receiver.Fact);
                GradOfNonLeafRule.Check(property.Syntax, NameOf(property.Instance), receiver.Fact, (key as ILocalSymbol)?.Name, definition, Sink);
            }

            if (_api.NameOf(property.Property) == TensorApi.Version && Reporting)
            {
                InferenceTensorRule.CheckVersion(property.Syntax, NameOf(property.Instance), receiver.Fact, Sink);
            }

            if (property.Property.Name == "get_Item" || property.Property.IsIndexer)
            {
                return ApplyOperation(property, "get_Item", new[] { receiver }, hasOtherArguments: true);
            }

            return ValueOfType(property.Type);
        }

        if (_calls.Cache.Fields.Read(property.Property, _function) is { } known)
        {
            // A get-only property that only returns a known parameter: its getter changes nothing.
            return known;
        }

        if (property.Property.GetMethod is { } getter && _api.MayRunUserCode(getter, property.Instance?.Type, hasDelegateArgument: false) && !IsAutoProperty(property.Property))
        {
            Escape(receiver);
            UserCodeEffects();
        }

        return ValueOfType(property.Type);
    }

    private static bool IsAutoProperty(IPropertySymbol property) =>
        property.ContainingType.GetMembers().OfType<IFieldSymbol>().Any(f => SymbolEqualityComparer.Default.Equals(f.AssociatedSymbol, property));
}

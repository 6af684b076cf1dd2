using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using System.Runtime.CompilerServices;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;
using StaticGrad.Analyzers.TensorUsage.Rules;

namespace StaticGrad.Analyzers.TensorUsage.Analysis;

internal sealed partial class TensorInterpreter
{
    private static readonly HashSet<string> ShapeParameterNames = new(StringComparer.Ordinal) { "shape", "size", "sizes", "dims" };
    private static readonly HashSet<string> DataParameterNames = new(StringComparer.Ordinal) { "data", "values" };

    /// <summary>A factory result: a leaf whose flag is the <c>requiresGrad:</c> argument, whatever the grad mode (R1, R32).</summary>
    private AbstractValue Factory(IInvocationOperation invocation, IReadOnlyList<AbstractValue> arguments)
    {
        var method = invocation.TargetMethod;
        var flagArgument = ArgumentFor(invocation, TensorApi.RequiresGradParameter);
        var requiresGrad = flagArgument is null ? false : ConstantBool(flagArgument.Value);
        var likeIndex = IndexOfFirstTensor(invocation);
        var likeFact = likeIndex >= 0 ? arguments[likeIndex].Fact : null;

        var dtype = DTypeOfArgument(ArgumentFor(invocation, TensorApi.DTypeParameter)) ?? DTypeOfData(invocation) ?? likeFact?.DType ?? DTypeKind.Unknown;
        var numel = _api.NameOf(method) is "Scalar" or "FromScalar" ? 1 : NumelOfShape(invocation) ?? NumelOfData(invocation) ?? likeFact?.Numel ?? -1;

        if (Reporting && requiresGrad == true)
        {
            var node = flagArgument?.Syntax ?? invocation.Syntax;
            RequiresGradOnNonFloatingRule.Check(new RequiresGradChange(node, NameOf(invocation), TensorFact.Unknown with { DType = dtype }, true, RequiresGradApi.Creation), Sink);
        }

        var inference = _state.Mode.CreatesInference();
        var fact = requiresGrad is { } rg
            ? TensorFact.Leaf(rg, dtype, numel) with { Inference = inference }
            : TensorFact.Unknown with { DType = dtype, Numel = numel, Inference = inference };
        return AbstractValue.Tensor(fact, Fresh(invocation));
    }

    private int IndexOfFirstTensor(IInvocationOperation invocation)
    {
        for (var i = 0; i < invocation.Arguments.Length; i++)
        {
            if (_api.IsTensor(invocation.Arguments[i].Value.Type))
            {
                return i;
            }
        }

        return -1;
    }

    private DTypeKind? DTypeOfArgument(IArgumentOperation? argument)
    {
        if (argument is null)
        {
            return null;
        }

        var value = argument.Value;
        while (value is IConversionOperation conversion)
        {
            value = conversion.Operand;
        }

        if (value is IFieldReferenceOperation { Field: { ContainingType.TypeKind: TypeKind.Enum } field })
        {
            return TensorApi.FloatingDTypeNames.Contains(field.Name) ? DTypeKind.Floating : DTypeKind.NonFloating;
        }

        if (value is IFieldReferenceOperation { Field: { IsStatic: true, Type.TypeKind: TypeKind.Enum } dtypeField } && _api.IsInRuntime(dtypeField))
        {
            // TorchSharp's torch.float32, torch.int64: static fields of the dtype enum's type.
            return TensorApi.FloatingDTypeNames.Contains(dtypeField.Name) ? DTypeKind.Floating
                : TensorApi.NonFloatingDTypeFields.Contains(dtypeField.Name) ? DTypeKind.NonFloating
                : null;
        }

        if (argument.Parameter?.Type is INamedTypeSymbol type && value.ConstantValue is { HasValue: true, Value: not null } constant)
        {
            var enumType = type.TypeKind == TypeKind.Enum ? type : type.TypeArguments.FirstOrDefault() as INamedTypeSymbol;
            var member = enumType?.GetMembers().OfType<IFieldSymbol>().FirstOrDefault(f => f.HasConstantValue && Equals(f.ConstantValue, constant.Value));
            if (member is not null)
            {
                return TensorApi.FloatingDTypeNames.Contains(member.Name) ? DTypeKind.Floating : DTypeKind.NonFloating;
            }
        }

        return null;
    }

    private DTypeKind? DTypeOfData(IInvocationOperation invocation)
    {
        var data = invocation.Arguments.FirstOrDefault(a => a.Parameter is { } p && DataParameterNames.Contains(_api.NameOf(p)));
        if (data?.Parameter?.Type is not IArrayTypeSymbol array)
        {
            return null;
        }

        return array.ElementType.SpecialType switch
        {
            SpecialType.System_Double or SpecialType.System_Single => DTypeKind.Floating,
            SpecialType.System_Int64 or SpecialType.System_Int32 or SpecialType.System_Int16 or SpecialType.System_Byte or SpecialType.System_SByte or SpecialType.System_Boolean => DTypeKind.NonFloating,
            _ => null,
        };
    }

    private int? NumelOfShape(IInvocationOperation invocation)
    {
        var shape = invocation.Arguments.FirstOrDefault(a => a.Parameter is { } p && ShapeParameterNames.Contains(_api.NameOf(p)));
        if (shape is null || shape.Value.ConstantValue is { HasValue: true, Value: null })
        {
            return null;
        }

        if (shape.Value is IArrayCreationOperation { Initializer: { } initializer })
        {
            var product = 1L;
            foreach (var element in initializer.ElementValues)
            {
                if (element.ConstantValue is not { HasValue: true, Value: int size } || size < 0)
                {
                    return null;
                }

                product *= size;
            }

            return product <= int.MaxValue ? (int)product : null;
        }

        return shape.Value.ConstantValue is { HasValue: true, Value: int single } && single >= 0 ? single : null;
    }

    private int? NumelOfData(IInvocationOperation invocation)
    {
        var data = invocation.Arguments.FirstOrDefault(a => a.Parameter is { } p && DataParameterNames.Contains(_api.NameOf(p)));
        if (data?.Value is not IArrayCreationOperation array)
        {
            return null;
        }

        if (array.Initializer is { } initializer && array.DimensionSizes.Length == 1)
        {
            return initializer.ElementValues.Length;
        }

        return array.DimensionSizes.Length == 1 && array.DimensionSizes[0].ConstantValue is { HasValue: true, Value: int length } ? length : null;
    }

    /// <summary>
    /// A recorded operation (R2, R3, R5): its result is a non-leaf iff grad mode is on and an input requires grad;
    /// a leaf that does not require grad iff grad mode is off or no input requires grad.
    /// </summary>
    /// <param name="site">The operation.</param>
    /// <param name="name">The runtime member's name.</param>
    /// <param name="inputs">The values of the operands, the receiver first.</param>
    /// <param name="hasOtherArguments">Whether non-tensor arguments were given (a reduction over a dimension).</param>
    /// <param name="operands">The operand expressions, aligned with <paramref name="inputs"/>, for messages.</param>
    [MethodImpl(Jit.Optimized)]
    private AbstractValue ApplyOperation(IOperation site, string name, IReadOnlyList<AbstractValue> inputs, bool hasOtherArguments, IReadOnlyList<IOperation?>? operands = null)
    {
        // The operands' facts and what the result's state reads of them, in one loop: every tensor operation comes
        // here, and the LINQ questions over the list (All, Any twice, a Where/Select/FirstOrDefault with a closure)
        // allocated an enumerator, iterators and a closure each time.
        var tensors = new List<TensorFact>(inputs.Count);
        var allUntracked = true;
        var anyRequiresGrad = false;
        var anyFloating = false;
        foreach (var input in inputs)
        {
            if (input.IsTensor)
            {
                var operand = input.Fact;
                tensors.Add(operand);
                allUntracked &= operand.State == GradState.UntrackedLeaf;
                anyRequiresGrad |= operand.RequiresGrad;
                anyFloating |= operand.DType == DTypeKind.Floating;
            }
        }

        if (Reporting && _state.Mode == GradMode.Enabled && TensorApi.SavesOperandForOther.Contains(name))
        {
            CheckInferenceSaved(site, name, inputs, operands);
        }

        var id = Fresh(site);
        var inference = ResultInference(name, inputs);
        if (TensorApi.NonFloatingResults.Contains(name))
        {
            return AbstractValue.Tensor(TensorFact.Leaf(requiresGrad: false, DTypeKind.NonFloating, -1) with { Inference = inference }, id);
        }

        GradState state;
        if (_state.Mode.IsGradOff() || allUntracked)
        {
            state = GradState.UntrackedLeaf;
        }
        else if (_state.Mode == GradMode.Enabled && anyRequiresGrad)
        {
            state = GradState.NonLeaf;
        }
        else
        {
            state = GradState.Unknown;
        }

        var dtype = anyFloating ? DTypeKind.Floating : DTypeKind.Unknown;
        var numel = NumelOfResult(name, tensors, hasOtherArguments);

        var saving = ImmutableHashSet<int>.Empty;
        if (state == GradState.NonLeaf)
        {
            foreach (var input in tensors)
            {
                // Sets are shared, not copied, while only one operand brings saving nodes (the usual chain).
                saving = input.SavingNodes.Count == 0 ? saving : saving.Count == 0 ? input.SavingNodes : saving.Union(input.SavingNodes);
            }

            if (TensorApi.SavingOperations.Contains(name) || (TensorApi.SavingWhenBothTensors.Contains(name) && tensors.Count == 2))
            {
                saving = saving.Add(id);
            }
        }

        var via = state == GradState.Unknown ? null : ViaOf(tensors, state);
        var fact = new TensorFact(state, dtype, state == GradState.NonLeaf ? Tri.No : Tri.Maybe, numel, saving, inference, Via: via);
        if (state == GradState.UntrackedLeaf)
        {
            fact = fact with { RetainsGrad = Tri.No };
        }

        if (TensorApi.AliasViews.Contains(name) && inputs.Count > 0 && inputs[0].IsTensor)
        {
            fact = fact with { View = Tri.Yes, ViewBase = ViewBaseOf(inputs[0]) };
        }

        return AbstractValue.Tensor(fact, id);
    }

    /// <summary>Where another method decided the result's state: the first operand with a note that has that state (any operand, for a non-leaf).</summary>
    private static string? ViaOf(List<TensorFact> operands, GradState state)
    {
        foreach (var operand in operands)
        {
            if ((operand.State == state || state == GradState.NonLeaf) && operand.Via is { } via)
            {
                return via;
            }
        }

        return null;
    }

    /// <summary>
    /// The leaf that requires grad a view made now of <paramref name="receiver"/> would be a view of (its origin, 0
    /// when none is known): PyTorch refuses in-place changes of such a view in grad mode (R27, M19).
    /// </summary>
    private int ViewBaseOf(AbstractValue receiver)
    {
        if (_state.Mode != GradMode.Enabled)
        {
            return 0;
        }

        return receiver.Fact.State == GradState.TrackedLeaf && receiver.Origin != AbstractValue.External ? receiver.Origin
            : receiver.Fact.View == Tri.Yes ? receiver.Fact.ViewBase
            : 0;
    }

    /// <summary>
    /// The name of the local that holds the leaf a view was made of, when every local holding that object still
    /// holds it as a leaf that requires grad (null otherwise: then nothing is reported).
    /// </summary>
    private string? TrackedViewBase(TensorFact view)
    {
        if (view.View != Tri.Yes || view.ViewBase == 0)
        {
            return null;
        }

        string? name = null;
        foreach (var pair in _state.Variables)
        {
            if (pair.Value.IsTensor && pair.Value.Origin == view.ViewBase)
            {
                if (pair.Value.Fact.State != GradState.TrackedLeaf)
                {
                    return null;
                }

                name ??= (pair.Key as ISymbol)?.Name;
            }
        }

        return name;
    }

    /// <summary>
    /// Whether the result is an inference tensor: a new tensor is one iff it is made in inference mode; a view shares
    /// the flag of the tensor it aliases; an operation that may return its receiver is known only when both agree.
    /// </summary>
    private Tri ResultInference(string name, IReadOnlyList<AbstractValue> inputs)
    {
        var byMode = _state.Mode.CreatesInference();
        var receiver = inputs.Count > 0 && inputs[0].IsTensor ? inputs[0].Fact.Inference : Tri.Maybe;
        if (TensorApi.AliasViews.Contains(name))
        {
            return receiver;
        }

        if (TensorApi.MayReturnReceiver.Contains(name))
        {
            return receiver == byMode ? byMode : Tri.Maybe;
        }

        return byMode;
    }

    /// <summary>SG0011: an inference operand of a recorded operation is saved when another operand requires grad (SPEC R35, S7).</summary>
    private void CheckInferenceSaved(IOperation site, string name, IReadOnlyList<AbstractValue> inputs, IReadOnlyList<IOperation?>? operands)
    {
        var tensorIndices = Enumerable.Range(0, inputs.Count).Where(i => inputs[i].IsTensor).ToList();
        if (name == "Addmm" && tensorIndices.Count == 3)
        {
            // Addmm(input, mat1, mat2) saves the two matrices only.
            tensorIndices.RemoveAt(0);
        }

        foreach (var i in tensorIndices)
        {
            if (inputs[i].Fact.Inference == Tri.Yes && tensorIndices.Any(j => j != i && inputs[j].Fact.RequiresGrad))
            {
                var operand = operands is not null && i < operands.Count ? operands[i] : null;
                InferenceTensorRule.CheckSaved(operand?.Syntax ?? site.Syntax, NameOf(operand), site.Syntax.ToString(), Sink);
                return;
            }
        }
    }

    private static int NumelOfResult(string name, List<TensorFact> tensors, bool hasOtherArguments)
    {
        if (TensorApi.Reductions.Contains(name) && !hasOtherArguments)
        {
            return 1;
        }

        if (!TensorApi.Elementwise.Contains(name) || tensors.Count == 0 || tensors.Any(t => t.Numel < 0))
        {
            return -1;
        }

        var largest = tensors.Max(t => t.Numel);
        return tensors.All(t => t.Numel == largest || t.Numel == 1) ? largest : -1;
    }

    /// <summary>The transfer and the checks of <c>RequiresGrad = v</c> and <c>SetRequiresGrad(v)</c> (R6–R8, R10).</summary>
    private void ChangeRequiresGrad(SyntaxNode node, IOperation? instance, AbstractValue receiver, bool? value, RequiresGradApi api)
    {
        var before = receiver.Fact;
        if (Reporting)
        {
            var change = new RequiresGradChange(node, NameOf(instance), before, value, api);
            using var note = Note(instance, before);
            RequiresGradOnNonLeafRule.Check(change, Sink);
            SetRequiresGradOnNonLeafRule.Check(change, Sink);
            RequiresGradOnNonFloatingRule.Check(change, Sink);
            InferenceTensorRule.CheckRequiresGrad(change, _state.Mode, Sink);
        }

        TensorFact after;
        if (before.State == GradState.NonLeaf && (api == RequiresGradApi.Setter || value != true))
        {
            // This path throws (SG0001); what follows is reached only on other paths.
            after = before;
        }
        else if (value is not { } flag)
        {
            after = before with { State = GradState.Unknown, SavingNodes = ImmutableHashSet<int>.Empty };
        }
        else if (flag && api == RequiresGradApi.Method && before.State is GradState.NonLeaf or GradState.Unknown)
        {
            // requires_grad_(True) is a no-op on a non-leaf: a leaf or a non-leaf, it requires grad afterwards.
            after = before.State == GradState.NonLeaf ? before : before with { DType = DTypeKind.Floating };
        }
        else
        {
            // Only a leaf gets here without throwing, so afterwards it is a leaf with the new flag.
            after = TensorFact.Leaf(flag, flag ? DTypeKind.Floating : before.DType, before.Numel) with { Inference = before.Inference };
        }

        // Freezing a registered parameter that holds a gradient leaves the gradient for Step() to apply (SG0012).
        var staleFrozen = value switch
        {
            false when before.Optimized == Tri.Yes && before.HasGrad == Tri.Yes => Tri.Yes,
            true => Tri.No,
            _ => before.StaleFrozen,
        };
        after = after.WithOptimizerFactsOf(before) with { StaleFrozen = staleFrozen };
        Mutate(instance, receiver, after);
    }

    /// <summary>An in-place operation (R27, R28): raises on a tracked leaf in grad mode, can turn a constant leaf into a non-leaf.</summary>
    private void InPlace(IOperation operation, IOperation? instance, AbstractValue receiver, string name, IReadOnlyList<AbstractValue> operands)
    {
        var before = receiver.Fact;
        var mode = _state.Mode;
        if (Reporting)
        {
            var call = new InPlaceCall(operation.Syntax, NameOf(instance), name, before, mode);
            using var note = Note(instance, before);
            InPlaceOnLeafRule.Check(call, Sink);
            if (mode == GradMode.Enabled && TrackedViewBase(before) is { } leaf)
            {
                InPlaceOnLeafRule.CheckView(call, leaf, Sink);
            }

            InferenceTensorRule.CheckInPlace(call, Sink);
        }

        var operandFacts = operands.Select(o => o.Fact).ToList();
        TensorFact after;
        if (mode.IsGradOff())
        {
            after = before;
        }
        else if (before.State == GradState.NonLeaf && mode == GradMode.Enabled)
        {
            after = before;
        }
        else if (before.State == GradState.UntrackedLeaf && operandFacts.All(o => o.State == GradState.UntrackedLeaf))
        {
            after = before;
        }
        else if (before.State == GradState.UntrackedLeaf && mode == GradMode.Enabled && operandFacts.Any(o => o.RequiresGrad))
        {
            after = new TensorFact(GradState.NonLeaf, before.DType, Tri.No, before.Numel, ImmutableHashSet<int>.Empty, before.Inference);
        }
        else if (before.State == GradState.TrackedLeaf && mode == GradMode.Enabled)
        {
            // This path throws (SG0006).
            after = before;
        }
        else
        {
            after = before with { State = GradState.Unknown, RetainsGrad = Tri.Maybe, SavingNodes = ImmutableHashSet<int>.Empty };
        }

        Mutate(instance, receiver, after);
    }
}

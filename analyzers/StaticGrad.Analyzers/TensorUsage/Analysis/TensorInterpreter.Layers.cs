using System.Collections.Generic;
using System.Runtime.CompilerServices;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace StaticGrad.Analyzers.TensorUsage.Analysis;

internal sealed partial class TensorInterpreter
{
    /// <summary>
    /// <c>layer.Forward(x)</c> (TorchSharp's <c>forward</c>) of one of the library's own sealed layers, which runs no
    /// user code: the output requires grad iff a parameter or an input does, in grad mode. Parameters may have been
    /// frozen elsewhere, so only what holds whatever they are is known: in grad mode, a non-leaf input gives a
    /// non-leaf (a new one, or the input itself for layers that may return it, such as Dropout in eval mode), and a
    /// loss of several inputs computes a new tensor that requires grad when any input does; with grad off, inputs that
    /// all do not require grad give a tensor that does not either. The output may be the
    /// input object, so it is not a fresh object of this method. Null: not such a call.
    /// </summary>
    [MethodImpl(Jit.Optimized)]
    private AbstractValue? LibraryLayerForward(IInvocationOperation invocation, IMethodSymbol method, List<AbstractValue> arguments)
    {
        if (_api.NameOf(method) != "Forward" || !_api.IsInRuntime(method) || UnderlyingType(invocation.Instance) is not INamedTypeSymbol layer
            || !IsLibraryLayer(layer) || !_api.IsTensor(invocation.Type))
        {
            return null;
        }

        // Counted in one loop over the arguments (a LINQ list of facts and two lambdas per forward call before).
        var count = 0;
        var first = TensorFact.Unknown;
        var anyRequiresGrad = false;
        var allUntracked = true;
        foreach (var argument in arguments)
        {
            if (argument.IsTensor)
            {
                first = count == 0 ? argument.Fact : first;
                count++;
                anyRequiresGrad |= argument.Fact.RequiresGrad;
                allUntracked &= argument.Fact.State == GradState.UntrackedLeaf;
            }
        }

        var state = count == 0 ? GradState.Unknown
            : _state.Mode == GradMode.Enabled && (count == 1 ? first.State == GradState.NonLeaf : anyRequiresGrad) ? GradState.NonLeaf
            : _state.Mode.IsGradOff() && allUntracked ? GradState.UntrackedLeaf
            : GradState.Unknown;
        foreach (var argument in arguments)
        {
            Escape(argument);
        }

        var fact = state == GradState.Unknown ? TensorFact.Unknown : TensorFact.Unknown with { State = state };
        return AbstractValue.Tensor(fact, AbstractValue.External);
    }

    /// <summary>
    /// A sealed layer or loss of the library (StaticGrad's losses are not modules) that holds no modules given by the
    /// caller (Sequential runs its children, which may be user code).
    /// </summary>
    [MethodImpl(Jit.Optimized)]
    private bool IsLibraryLayer(INamedTypeSymbol type) =>
        type.IsSealed && _api.IsInRuntime(type) && _api.TakesNoModules(type);
}

using System.Collections.Immutable;

namespace StaticGrad.Analyzers.TensorUsage.Analysis.Interprocedural;

/// <summary>How the tensor a method returns relates to the caller's objects.</summary>
internal enum ReturnedObject : byte
{
    /// <summary>Not a tensor, or not known on every path.</summary>
    Unknown,

    /// <summary>A tensor the callee created and held only in locals: a new object for the caller.</summary>
    Fresh,

    /// <summary>The tensor passed as argument <see cref="MethodSummary.ReturnedParameter"/>, unchanged object.</summary>
    Argument,

    /// <summary>A tensor that may be reachable from elsewhere (a field, a collection): the caller treats it as external.</summary>
    External,
}

/// <summary>
/// What one call of a method, local function or lambda with source does to tensors, for the grad mode and the
/// argument facts it was computed for: the returned tensor's fact (untracked leaf, tracked leaf, non-leaf, the
/// argument itself, unknown), the grad mode it leaves, and its effects on the arguments and the rest of the world.
/// </summary>
/// <param name="Returned">The fact of the returned tensor (Unknown when not a tensor or not known).</param>
/// <param name="Object">Whose object the returned tensor is.</param>
/// <param name="ReturnedParameter">For <see cref="ReturnedObject.Argument"/>, the parameter index.</param>
/// <param name="Reason">Why the returned tensor has its state, in words for a diagnostic ("which runs it under NoGrad").</param>
/// <param name="ExitMode">The grad mode when the call returns.</param>
/// <param name="ArgumentFacts">For each parameter, the fact of its object when the call returns (null: unknown or not a tensor).</param>
/// <param name="TouchesExternal">Whether the callee ran unknown code or changed an object that may be the caller's.</param>
/// <param name="EscapesArguments">Whether a tensor argument may have been stored where the caller cannot see it.</param>
/// <param name="Backward">Whether a backward pass ran (gradients of tracked leaves may be set).</param>
/// <param name="FreedParameters">Parameters whose graph a backward without <c>retainGraph</c> released.</param>
/// <param name="ClearsGradients">Whether an optimizer's or module's <c>ZeroGrad</c> or <c>Step</c> ran.</param>
/// <param name="NeverReturns">Whether no path returns (an endless loop, a throw or such a call on every path): the code after the call never runs.</param>
internal sealed record MethodSummary(
    TensorFact Returned,
    ReturnedObject Object,
    int ReturnedParameter,
    string? Reason,
    GradMode ExitMode,
    ImmutableArray<TensorFact?> ArgumentFacts,
    bool TouchesExternal,
    bool EscapesArguments,
    bool Backward,
    ImmutableHashSet<int> FreedParameters,
    bool ClearsGradients,
    bool NeverReturns)
{
    private TensorFact? _returnedVia;

    /// <summary>
    /// <see cref="Returned"/> with where it was decided ("'Evaluate', which runs under NoGrad"), made once per summary:
    /// a call is evaluated on every pass of its caller's fixpoint.
    /// </summary>
    public TensorFact ReturnedVia(string callee) =>
        _returnedVia ??= Returned.State != GradState.Unknown && Reason is { } reason ? Returned with { Via = "'" + callee + "', " + reason } : Returned;
}

using Microsoft.CodeAnalysis;

namespace StaticGrad.Analyzers.TensorUsage.Analysis;

/// <summary>What a variable or an expression holds, as far as the analysis cares.</summary>
internal enum ValueKind : byte
{
    /// <summary>Anything the analysis does not model (numbers, strings, user objects).</summary>
    Other,

    /// <summary>A tensor, described by a <see cref="TensorFact"/>.</summary>
    Tensor,

    /// <summary>A grad-mode scope returned by <c>Autograd.NoGrad()</c> and friends; disposing it restores the mode.</summary>
    GradScope,
}

/// <summary>
/// An abstract value. <see cref="Origin"/> names the abstract object: 0 is the shared bucket of objects that may be
/// reachable from outside the method, any other id is an object created in this method and held only by locals,
/// so that a change made through one local is applied to all of its aliases.
/// </summary>
/// <param name="Kind">What kind of value it is.</param>
/// <param name="Fact">For tensors, what is known about the object.</param>
/// <param name="Origin">The abstract object (0 = external).</param>
/// <param name="ScopeSite">For grad-mode scopes, the id of the call that entered the scope (-1 = unknown).</param>
/// <param name="Definition">The statement that last stored this value in a local (for code fixes), if known.</param>
internal sealed record AbstractValue(ValueKind Kind, TensorFact Fact, int Origin, int ScopeSite, SyntaxNode? Definition)
{
    public const int External = 0;

    public static readonly AbstractValue Other = new(ValueKind.Other, TensorFact.Unknown, External, -1, null);

    public static readonly AbstractValue UnknownTensor = new(ValueKind.Tensor, TensorFact.Unknown, External, -1, null);

    public static AbstractValue Tensor(TensorFact fact, int origin) => new(ValueKind.Tensor, fact, origin, -1, null);

    public static AbstractValue Scope(int site) => new(ValueKind.GradScope, TensorFact.Unknown, External, site, null);

    /// <summary>
    /// For a delegate made from a lambda of this function, the lambda (a call of the delegate runs it): an
    /// <c>IFlowAnonymousFunctionOperation</c> of a graph, or an <c>IAnonymousFunctionOperation</c> of a walked tree.
    /// </summary>
    public IOperation? Lambda { get; init; }

    /// <summary>The graph that creates <see cref="Lambda"/> (its graph is read from there, also when a helper it was passed to calls it).</summary>
    public Microsoft.CodeAnalysis.FlowAnalysis.ControlFlowGraph? LambdaGraph { get; init; }

    public bool IsTensor => Kind == ValueKind.Tensor;

    /// <summary>A scope that one grad-mode call returned (a fresh object, never null), on every path.</summary>
    public bool IsFreshScope => Kind == ValueKind.GradScope && ScopeSite >= 0;

    public AbstractValue WithFact(TensorFact fact) => fact.Equals(Fact) ? this : this with { Fact = fact };
}

using StaticGrad.Compiler.IR;

namespace StaticGrad.Compiler.Model;

/// <summary>A type that encloses the differentiated method, outermost first (for the partial declarations).</summary>
/// <param name="Declaration">The declaration's head without modifiers, e.g. <c>class Losses</c> or <c>struct Box&lt;T&gt;</c>.</param>
public sealed record ContainingTypeSpec(string Declaration, bool IsStatic);

/// <summary>
/// Everything the emitter needs to write one method's backward: plain data, no Roslyn objects, so that the
/// incremental pipeline can compare it with the previous run's.
/// </summary>
/// <param name="HasErrors">The lowering reported an error: nothing is generated (the analyzer reports it).</param>
public sealed record DifferentiableMethodSpec(
    string HintName,
    string? Namespace,
    EquatableArray<ContainingTypeSpec> ContainingTypes,
    string Accessibility,
    bool IsStatic,
    MethodIR Method,
    bool HasErrors)
{
    /// <summary>
    /// The containing type declares another method of this name with as many parameters: a generated overload
    /// (the Tensor lifting) could collide with it, so none is emitted.
    /// </summary>
    public bool HasOverloadOfSameArity { get; init; }
    /// <summary>Opted in with <c>[Differentiable(Hessian = true)]</c>: the second-order file is generated too.</summary>
    public bool Hessian { get; init; }

    /// <summary>Opted in with <c>[Differentiable(Jacobian = true)]</c> on a tuple or struct result: <c>{Name}Jacobian</c> is generated too.</summary>
    public bool Jacobian { get; init; }

    /// <summary>The method's identity as callers' <c>CallTarget.Key</c> names it (which callees need <c>…BackwardIncludingNoGrad</c>).</summary>
    public string Key { get; init; } = string.Empty;
    /// <summary>
    /// What generated code writes before a member of the containing type it calls (<c>this</c> for an instance method,
    /// <c>global::Ns.Type</c> for a static one), so that a user's parameter or local of the member's name (a parameter
    /// called <c>FBackward</c>) cannot shadow the call.
    /// </summary>
    public string Receiver { get; init; } = "this";

    /// <summary><paramref name="member"/> of the containing type, qualified with <see cref="Receiver"/>.</summary>
    public string Member(string member) => Receiver + "." + member;

    /// <summary>Names of project-default outputs (<c>{Name}Tangent</c>, …) a user member already has: they are not generated.</summary>
    public EquatableArray<string> TakenMemberNames { get; init; } = EquatableArray<string>.Empty;

    /// <summary>
    /// Whether <c>{Name}BackwardPair</c> is generated next to the backward (<see cref="Lowering.PairBackwardEligibility"/>):
    /// callers in this compilation that save the partials of two calls of the method in one statement call it.
    /// </summary>
    public bool HasPairBackward { get; init; }

    /// <summary>A method generic over one floating type parameter: its generated methods are retyped to it.</summary>
    public GenericMathSpec? Generic { get; init; }

    /// <summary>
    /// Empty unless a parameter is a differentiable struct: then one entry per source parameter, and the IR's
    /// parameters are the structs' fields as scalars (see <see cref="BoundaryParameter"/>).
    /// </summary>
    public EquatableArray<BoundaryParameter> Boundary { get; init; }

    /// <summary>
    /// With <c>Hessian = true</c>: each parameter that is an array or span of differentiable structs, with the struct's
    /// floating members (the dense Hessian has a row per member of each element); empty otherwise.
    /// </summary>
    public EquatableArray<BoundaryParameter> StructArrays { get; init; } = EquatableArray<BoundaryParameter>.Empty;

    /// <summary>The accessors of the containing type's primary-constructor parameters the body reads (declared with the backward).</summary>
    public EquatableArray<PrimaryParameterAccessor> PrimaryParameters { get; init; } = EquatableArray<PrimaryParameterAccessor>.Empty;

    /// <summary>
    /// A method returning a differentiable struct or tuple: the IR returns Σ seed.leaf · leaf with one extra inactive
    /// IR parameter per floating leaf of the seed (after the method's own), so its gradient is the vector-Jacobian product.
    /// </summary>
    public BoundaryResult? Result { get; init; }

    /// <summary>
    /// The method's recursive local functions, lifted to private members of the type (<c>Lowering/LocalFunctionLifting</c>):
    /// their primal, backward, tangent and Hessian members are written into this method's files.
    /// </summary>
    public EquatableArray<DifferentiableMethodSpec> Lifted { get; init; } = EquatableArray<DifferentiableMethodSpec>.Empty;
}

/// <summary>A [DerivativeOf] rule: the method it differentiates (by key) and how to call it.</summary>
public sealed record RuleSpec(string TargetKey, string Rule, EquatableArray<ParameterPassing> Adjoints);

/// <summary>The result of lowering one method: the spec, its diagnostics, and the source locations of its IR sites.</summary>
public sealed record LoweringResult(
    DifferentiableMethodSpec? Spec,
    EquatableArray<DiagnosticInfo> Diagnostics,
    EquatableArray<LocationInfo> Sites);

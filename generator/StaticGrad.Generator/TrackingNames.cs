namespace StaticGrad.Generator;

/// <summary>Names of the incremental steps, for the caching tests.</summary>
public static class TrackingNames
{
    /// <summary>Each [Differentiable] method lowered to its spec (IR and declaration data).</summary>
    public const string DifferentiableMethods = nameof(DifferentiableMethods);

    /// <summary>The specs of methods that lowered (a method whose declaration is not a method is dropped).</summary>
    public const string ParsedMethods = nameof(ParsedMethods);

    /// <summary>The project defaults of the opt-in outputs (MSBuild <c>StaticGradForward</c>, <c>StaticGradTensor</c>).</summary>
    public const string OutputDefaults = nameof(OutputDefaults);

    /// <summary>Each method's spec with the outputs it gets (attribute values over project defaults).</summary>
    public const string MethodOutputs = nameof(MethodOutputs);

    /// <summary>Every valid [DerivativeOf] rule of the compilation, as one value.</summary>
    public const string Rules = nameof(Rules);

    /// <summary>The [DerivativeOf] rules that referenced assemblies list in their rule registry.</summary>
    public const string ReferencedRules = nameof(ReferencedRules);

    /// <summary>The referenced assemblies' rules and the compilation's own, as one value.</summary>
    public const string AllRules = nameof(AllRules);

    /// <summary>This compilation's rule registry source (or nothing, when it declares no rule).</summary>
    public const string RuleRegistry = nameof(RuleRegistry);

    /// <summary>Each method's generated file (or nothing, when it has errors).</summary>
    public const string GeneratedSources = nameof(GeneratedSources);

    /// <summary>The specs of methods that can get a Tensor overload (the lifting).</summary>
    public const string LiftableMethods = nameof(LiftableMethods);

    /// <summary>Each liftable method's Tensor overload (or nothing, when its backward is not generated).</summary>
    public const string LiftedSources = nameof(LiftedSources);
    /// <summary>The specs of the Tensor-bodied [Differentiable] methods without errors, as one value.</summary>
    public const string TensorMethods = nameof(TensorMethods);

    /// <summary>The generated files of the Tensor-bodied methods (<c>….Tensor.g.cs</c>), as one value.</summary>
    public const string TensorSources = nameof(TensorSources);
    /// <summary>Each method's forward-mode file (<c>{Name}Tangent</c>).</summary>
    public const string TangentSources = nameof(TangentSources);

    /// <summary>Each [Differentiable(Hessian = true)] method's second-order file.</summary>
    public const string HessianSources = nameof(HessianSources);

    /// <summary>The keys of the callees whose <c>…BackwardIncludingNoGrad</c> some generated backward calls, as one value.</summary>
    public const string IncludingNoGradDemand = nameof(IncludingNoGradDemand);

    /// <summary>Each method's <c>….IncludingNoGrad.g.cs</c> (or nothing, when no caller needs it and it did not opt in).</summary>
    public const string IncludingNoGradSources = nameof(IncludingNoGradSources);

    /// <summary>The keys of the callees whose <c>…BackwardPair</c> some generated backward may call, as one value.</summary>
    public const string PairDemand = nameof(PairDemand);

    /// <summary>Each method's <c>….Backward-Pair.g.cs</c> (or nothing, when no caller needs it).</summary>
    public const string PairSources = nameof(PairSources);
}

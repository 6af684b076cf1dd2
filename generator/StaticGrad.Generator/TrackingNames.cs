namespace StaticGrad.Generator;

/// <summary>Names of the incremental steps, for the caching tests.</summary>
public static class TrackingNames
{
    /// <summary>Each [Differentiable] method lowered to its spec (IR and declaration data).</summary>
    public const string DifferentiableMethods = nameof(DifferentiableMethods);

    /// <summary>The specs of methods that lowered (a method whose declaration is not a method is dropped).</summary>
    public const string ParsedMethods = nameof(ParsedMethods);

    /// <summary>Every valid [DerivativeOf] rule of the compilation, as one value.</summary>
    public const string Rules = nameof(Rules);

    /// <summary>Each method's generated file (or nothing, when it has errors).</summary>
    public const string GeneratedSources = nameof(GeneratedSources);

    /// <summary>Each method's forward-mode file (<c>{Name}Tangent</c>).</summary>
    public const string TangentSources = nameof(TangentSources);

    /// <summary>Each [Differentiable(Hessian = true)] method's second-order file.</summary>
    public const string HessianSources = nameof(HessianSources);
}

using StaticGrad.Compiler.Model;

namespace StaticGrad.Generator;

/// <summary>
/// One [Differentiable] method's spec with what its attribute says about the opt-in outputs: <c>true</c>/<c>false</c>
/// when written (<c>[Differentiable(Forward = true)]</c>), null when the project default decides.
/// </summary>
internal sealed record AttributedMethod(DifferentiableMethodSpec Spec, bool? Forward, bool? Tensor)
{
    /// <summary><c>[Differentiable(IncludingNoGrad = true)]</c>: the variant is generated without a caller in the compilation.</summary>
    public bool IncludingNoGrad { get; init; }

    /// <summary>The attribute's explicit value wins over the project default.</summary>
    public MethodOutputs Resolve(ProjectOutputDefaults defaults) =>
        new(Spec, Forward ?? defaults.Forward, Tensor ?? defaults.Tensor, defaults.Forward) { IncludingNoGrad = IncludingNoGrad };
}

/// <summary>
/// Which outputs one method gets besides its backward (always generated); <see cref="ProjectForward"/> is kept
/// because callees that leave <c>Forward</c> unset have a <c>{Name}Tangent</c> exactly when it is on.
/// </summary>
internal sealed record MethodOutputs(DifferentiableMethodSpec Spec, bool Forward, bool Tensor, bool ProjectForward)
{
    /// <summary>Opted in to <c>{Name}BackwardIncludingNoGrad</c> for callers in other assemblies.</summary>
    public bool IncludingNoGrad { get; init; }
}

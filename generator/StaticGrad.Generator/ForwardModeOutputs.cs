using System.Linq;
using Microsoft.CodeAnalysis;
using StaticGrad.Compiler.Forward;
using StaticGrad.Compiler.Model;

namespace StaticGrad.Generator;

/// <summary>
/// The forward-mode and second-order outputs, both opt-in: per method, <c>{hint}.Tangent.g.cs</c> with
/// <c>Forward = true</c> (or the project's <c>StaticGradForward</c>) and <c>{hint}.Hessian.g.cs</c> with
/// <c>[Differentiable(Hessian = true)]</c>. Separate steps from the backward's, so that each caches on its own.
/// </summary>
/// <remarks>
/// The Hessian file does not need the Tangent file: it carries its own forward-mode code (<c>{Name}Jvp</c>) and calls
/// its callees' <c>Jvp</c>, which their own Hessian opt-in generates (SG1012 otherwise).
/// </remarks>
internal static class ForwardModeOutputs
{
    public static void Register(
        IncrementalGeneratorInitializationContext context,
        IncrementalValuesProvider<MethodOutputs> methods,
        IncrementalValueProvider<EquatableArray<RuleSpec>> rules)
    {
        var inputs = methods.Combine(rules);
        var tangents = inputs
            // No Where before the step either: a method opted out produces no source, so its file goes away.
            .Select(static (pair, _) => GuardedStage.Run(
                pair.Left.Spec,
                TangentEmitter.HintName(pair.Left.Spec),
                "tangent",
                () => pair.Left.Forward ? TangentEmitter.Emit(TangentCallees.Resolve(pair.Left.Spec, pair.Left.ProjectForward), pair.Right.ToList()) : null))
            .WithTrackingName(TrackingNames.TangentSources);
        var hessians = inputs
            // No Where before the step: a filtered-out step is not tracked at all, and methods without the opt-in
            // simply produce no source.
            .Select(static (pair, _) => GuardedStage.Run(pair.Left.Spec, HessianEmitter.HintName(pair.Left.Spec), "Hessian", () => pair.Left.Spec.Hessian ? HessianEmitter.Emit(pair.Left.Spec, pair.Right.ToList()) : null))
            .WithTrackingName(TrackingNames.HessianSources);
        GuardedStage.Register(context, tangents);
        GuardedStage.Register(context, hessians);
    }
}

using System.Linq;
using Microsoft.CodeAnalysis;
using StaticGrad.Compiler.Forward;
using StaticGrad.Compiler.Model;

namespace StaticGrad.Generator;

/// <summary>
/// The forward-mode and second-order outputs: per method, <c>{hint}.Tangent.g.cs</c> always and
/// <c>{hint}.Hessian.g.cs</c> for methods marked <c>[Differentiable(Hessian = true)]</c>. Separate steps from the
/// backward's, so that each caches on its own.
/// </summary>
internal static class ForwardModeOutputs
{
    public static void Register(
        IncrementalGeneratorInitializationContext context,
        IncrementalValuesProvider<DifferentiableMethodSpec> methods,
        IncrementalValueProvider<EquatableArray<RuleSpec>> rules)
    {
        var inputs = methods.Combine(rules);
        var tangents = inputs
            .Select(static (pair, _) => GuardedStage.Run(pair.Left, TangentEmitter.HintName(pair.Left), "tangent", () => TangentEmitter.Emit(pair.Left, pair.Right.ToList())))
            .WithTrackingName(TrackingNames.TangentSources);
        var hessians = inputs
            // No Where before the step: a filtered-out step is not tracked at all, and methods without the opt-in
            // simply produce no source.
            .Select(static (pair, _) => GuardedStage.Run(pair.Left, HessianEmitter.HintName(pair.Left), "Hessian", () => pair.Left.Hessian ? HessianEmitter.Emit(pair.Left, pair.Right.ToList()) : null))
            .WithTrackingName(TrackingNames.HessianSources);
        GuardedStage.Register(context, tangents);
        GuardedStage.Register(context, hessians);
    }
}

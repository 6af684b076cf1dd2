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
            .Select(static (pair, _) => new ForwardFile(TangentEmitter.HintName(pair.Left), TangentEmitter.Emit(pair.Left, pair.Right.ToList())))
            .WithTrackingName(TrackingNames.TangentSources);
        var hessians = inputs
            // No Where before the step: a filtered-out step is not tracked at all, and methods without the opt-in
            // simply produce no source.
            .Select(static (pair, _) => new ForwardFile(HessianEmitter.HintName(pair.Left), pair.Left.Hessian ? HessianEmitter.Emit(pair.Left, pair.Right.ToList()) : null))
            .WithTrackingName(TrackingNames.HessianSources);
        context.RegisterSourceOutput(tangents, static (spc, file) => Add(spc, file));
        context.RegisterSourceOutput(hessians, static (spc, file) => Add(spc, file));
    }

    private static void Add(SourceProductionContext context, ForwardFile file)
    {
        if (file.Source is not null)
        {
            context.AddSource(file.HintName, file.Source);
        }
    }

    private sealed record ForwardFile(string HintName, string? Source);
}

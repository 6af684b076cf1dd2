using System;
using System.Linq;
using Microsoft.CodeAnalysis;
using StaticGrad.Compiler;
using StaticGrad.Compiler.Emit;
using StaticGrad.Compiler.Model;

namespace StaticGrad.Generator;

/// <summary>One method's backward file and the callees whose <c>…BackwardIncludingNoGrad</c> it calls.</summary>
internal sealed record BackwardOutput(StageOutput Output, EquatableArray<string> IncludingNoGradCallees)
{
    /// <summary>The callees whose <c>…BackwardPair</c> it may call (<see cref="PairOutputs"/>).</summary>
    public EquatableArray<string> PairCallees { get; init; } = EquatableArray<string>.Empty;

    public static BackwardOutput Run(DifferentiableMethodSpec spec, EquatableArray<RuleSpec> rules)
    {
        var callees = EquatableArray<string>.Empty;
        var pairs = EquatableArray<string>.Empty;
        var output = GuardedStage.Run(spec, spec.HintName, "backward", () =>
        {
            var result = Differentiator.Differentiate(spec, rules.ToList());
            callees = result.IncludingNoGradCallees;
            pairs = result.PairCallees;
            return result.Source;
        });
        return new BackwardOutput(output, callees) { PairCallees = pairs };
    }
}

/// <summary>
/// <c>{hint}.IncludingNoGrad.g.cs</c>: the backward that also differentiates a method's [NoGrad] floating parameters,
/// generated only when a method of the compilation passes a derivative-carrying argument to one of them, or with
/// <c>[Differentiable(IncludingNoGrad = true)]</c> (for callers in other assemblies, which the generator cannot see).
/// Most methods with a [NoGrad] parameter are called with data there or not called at all, so emitting it for every
/// one of them was about a seventh of the generated code.
/// </summary>
/// <remarks>
/// The demand is one collected value; each method's step reads only whether its own key is in it, so adding a caller
/// re-emits just its callee, and edits that change no demand leave every file cached.
/// </remarks>
internal static class IncludingNoGradOutputs
{
    public static void Register(
        IncrementalGeneratorInitializationContext context,
        IncrementalValuesProvider<MethodOutputs> methods,
        IncrementalValueProvider<EquatableArray<RuleSpec>> rules,
        IncrementalValuesProvider<BackwardOutput> backwards)
    {
        var demanded = backwards
            .SelectMany(static (b, _) => b.IncludingNoGradCallees)
            .Collect()
            .Select(static (keys, _) => keys.Distinct().OrderBy(k => k, StringComparer.Ordinal).ToEquatableArray())
            .WithTrackingName(TrackingNames.IncludingNoGradDemand);
        var sources = methods
            .Combine(demanded)
            .Select(static (pair, _) => (pair.Left.Spec, Needed: pair.Left.IncludingNoGrad || pair.Right.Contains(pair.Left.Spec.Key)))
            .Combine(rules)
            // No Where before the step: a method no longer needed produces no source, so its file goes away.
            .Select(static (pair, _) => GuardedStage.Run(
                pair.Left.Spec,
                HintName(pair.Left.Spec),
                "IncludingNoGrad backward",
                () => pair.Left.Needed ? Differentiator.DifferentiateIncludingNoGrad(pair.Left.Spec, pair.Right.ToList()) : null))
            .WithTrackingName(TrackingNames.IncludingNoGradSources);
        GuardedStage.Register(context, sources);
    }

    public static string HintName(DifferentiableMethodSpec spec) =>
        spec.HintName.Substring(0, spec.HintName.Length - ".g.cs".Length) + "." + BackwardEmitter.IncludingNoGradSuffix + ".g.cs";
}

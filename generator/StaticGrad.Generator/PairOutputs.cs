using System;
using System.Linq;
using Microsoft.CodeAnalysis;
using StaticGrad.Compiler;
using StaticGrad.Compiler.Model;

namespace StaticGrad.Generator;

/// <summary>
/// <c>{hint}.Backward-Pair.g.cs</c> (a name no method's file can have): <c>{Name}BackwardPair</c>, two calls of a one-input method's backward in one pass
/// (StaticGrad.Compiler.Forward.PairBackward), generated only for the methods some generated backward of the compilation
/// may call it for (two calls of the method in one of its statements), like <see cref="IncludingNoGradOutputs"/>.
/// </summary>
/// <remarks>
/// The demand is one collected value; each method's step reads only whether its own key is in it, so adding a caller
/// re-emits just its callee, and edits that change no demand leave every file cached.
/// </remarks>
internal static class PairOutputs
{
    public static void Register(
        IncrementalGeneratorInitializationContext context,
        IncrementalValuesProvider<MethodOutputs> methods,
        IncrementalValueProvider<EquatableArray<RuleSpec>> rules,
        IncrementalValuesProvider<BackwardOutput> backwards)
    {
        var demanded = backwards
            .SelectMany(static (b, _) => b.PairCallees)
            .Collect()
            .Select(static (keys, _) => keys.Distinct().OrderBy(k => k, StringComparer.Ordinal).ToEquatableArray())
            .WithTrackingName(TrackingNames.PairDemand);
        var sources = methods
            .Combine(demanded)
            .Select(static (pair, _) => (pair.Left.Spec, Needed: pair.Left.Spec.HasPairBackward && pair.Right.Contains(pair.Left.Spec.Key)))
            .Combine(rules)
            // No Where before the step: a method no longer needed produces no source, so its file goes away.
            .Select(static (pair, _) => GuardedStage.Run(
                pair.Left.Spec,
                HintName(pair.Left.Spec),
                "pair backward",
                () => pair.Left.Needed ? Differentiator.DifferentiatePair(pair.Left.Spec, pair.Right.ToList()) : null))
            .WithTrackingName(TrackingNames.PairSources);
        GuardedStage.Register(context, sources);
    }

    public static string HintName(DifferentiableMethodSpec spec) =>
        spec.HintName.Substring(0, spec.HintName.Length - ".g.cs".Length) + ".Backward-Pair.g.cs";
}

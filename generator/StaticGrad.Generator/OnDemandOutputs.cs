using System;
using System.Collections.Generic;
using System.Linq;
using Microsoft.CodeAnalysis;
using StaticGrad.Compiler.Model;

namespace StaticGrad.Generator;

/// <summary>
/// A method's file generated only where some generated backward of the compilation calls what it holds (or the method
/// opts in): the demand is the keys the backwards name, collected into one value; each method's step reads only whether
/// its own key is in it, so adding a caller re-emits just its callee, and edits that change no demand leave every file
/// cached. <see cref="IncludingNoGradOutputs"/> and <see cref="PairOutputs"/> are the two kinds.
/// </summary>
internal static class OnDemandOutputs
{
    /// <param name="demand">The callee keys one backward names.</param>
    /// <param name="needed">Whether a method's file is needed, given the collected demand.</param>
    /// <param name="hintName">The file's hint name.</param>
    /// <param name="stage">The stage's name in a generator-failure diagnostic.</param>
    /// <param name="differentiate">The file's source, or null for none.</param>
    public static void Register(
        IncrementalGeneratorInitializationContext context,
        IncrementalValuesProvider<MethodOutputs> methods,
        IncrementalValueProvider<EquatableArray<RuleSpec>> rules,
        IncrementalValuesProvider<BackwardOutput> backwards,
        (Func<BackwardOutput, EquatableArray<string>> Demand, Func<MethodOutputs, EquatableArray<string>, bool> Needed, Func<DifferentiableMethodSpec, string> HintName, string Stage, Func<DifferentiableMethodSpec, List<RuleSpec>, string?> Differentiate) kind,
        (string Demand, string Sources) trackingNames)
    {
        var demanded = backwards
            .SelectMany((b, _) => kind.Demand(b))
            .Collect()
            .Select(static (keys, _) => keys.Distinct().OrderBy(k => k, StringComparer.Ordinal).ToEquatableArray())
            .WithTrackingName(trackingNames.Demand);
        var sources = methods
            .Combine(demanded)
            .Select((pair, _) => (pair.Left.Spec, Needed: kind.Needed(pair.Left, pair.Right)))
            .Combine(rules)
            // No Where before the step: a method no longer needed produces no source, so its file goes away.
            .Select((pair, _) => GuardedStage.Run(
                pair.Left.Spec,
                kind.HintName(pair.Left.Spec),
                kind.Stage,
                () => pair.Left.Needed ? kind.Differentiate(pair.Left.Spec, pair.Right.ToList()) : null))
            .WithTrackingName(trackingNames.Sources);
        GuardedStage.Register(context, sources);
    }
}

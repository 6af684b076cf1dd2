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
/// <remarks>Generated on demand (<see cref="OnDemandOutputs"/>).</remarks>
internal static class IncludingNoGradOutputs
{
    public static void Register(
        IncrementalGeneratorInitializationContext context,
        IncrementalValuesProvider<MethodOutputs> methods,
        IncrementalValueProvider<EquatableArray<RuleSpec>> rules,
        IncrementalValuesProvider<BackwardOutput> backwards) =>
        OnDemandOutputs.Register(
            context,
            methods,
            rules,
            backwards,
            (static b => b.IncludingNoGradCallees, static (m, demanded) => m.IncludingNoGrad || demanded.Contains(m.Spec.Key), HintName, "IncludingNoGrad backward", Differentiator.DifferentiateIncludingNoGrad),
            (TrackingNames.IncludingNoGradDemand, TrackingNames.IncludingNoGradSources));

    public static string HintName(DifferentiableMethodSpec spec) =>
        spec.HintName.Substring(0, spec.HintName.Length - ".g.cs".Length) + "." + BackwardEmitter.IncludingNoGradSuffix + ".g.cs";
}

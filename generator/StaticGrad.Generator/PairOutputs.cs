using Microsoft.CodeAnalysis;
using StaticGrad.Compiler;
using StaticGrad.Compiler.Model;

namespace StaticGrad.Generator;

/// <summary>
/// <c>{hint}.Backward-Pair.g.cs</c> (a name no method's file can have): <c>{Name}BackwardPair</c>, two calls of a one-input method's backward in one pass
/// (StaticGrad.Compiler.Forward.PairBackward), generated only for the methods some generated backward of the compilation
/// may call it for (two calls of the method in one of its statements), like <see cref="IncludingNoGradOutputs"/>.
/// </summary>
/// <remarks>Generated on demand (<see cref="OnDemandOutputs"/>).</remarks>
internal static class PairOutputs
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
            (static b => b.PairCallees, static (m, demanded) => m.Spec.HasPairBackward && demanded.Contains(m.Spec.Key), HintName, "pair backward", Differentiator.DifferentiatePair),
            (TrackingNames.PairDemand, TrackingNames.PairSources));

    public static string HintName(DifferentiableMethodSpec spec) =>
        spec.HintName.Substring(0, spec.HintName.Length - ".g.cs".Length) + ".Backward-Pair.g.cs";
}

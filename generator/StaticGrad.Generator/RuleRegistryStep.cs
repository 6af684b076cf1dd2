using Microsoft.CodeAnalysis;
using StaticGrad.Compiler.Emit;
using StaticGrad.Compiler.Lowering;
using StaticGrad.Compiler.Model;

namespace StaticGrad.Generator;

/// <summary>
/// Rules across assemblies: publishes this compilation's [DerivativeOf] rules in an assembly-level registry, and
/// reads the registries of referenced assemblies.
/// </summary>
internal static class RuleRegistryStep
{
    /// <summary>
    /// The rules referenced assemblies ship. It re-reads on every compilation (references are only reachable through
    /// it), but its value is an <see cref="EquatableArray{T}"/> that stays equal, so unrelated edits leave every
    /// later step Unchanged/Cached.
    /// </summary>
    public static IncrementalValueProvider<EquatableArray<RuleSpec>> ReferencedRules(IncrementalGeneratorInitializationContext context) =>
        context.CompilationProvider
            .Select(static (compilation, ct) => Compiler.Lowering.ReferencedRules.Collect(compilation, ct))
            .WithTrackingName(TrackingNames.ReferencedRules);

    /// <summary>Emits <see cref="RuleRegistryEmitter.HintName"/> when the compilation declares rules.</summary>
    public static void Register(IncrementalGeneratorInitializationContext context, IncrementalValueProvider<EquatableArray<RuleSpec>> ownRules)
    {
        var registry = ownRules
            .Select(static (rules, _) => RuleRegistryEmitter.Emit(rules))
            .WithTrackingName(TrackingNames.RuleRegistry);
        context.RegisterSourceOutput(registry, static (spc, source) =>
        {
            if (source is not null)
            {
                spc.AddSource(RuleRegistryEmitter.HintName, source);
            }
        });
    }
}

using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using StaticGrad.Compiler;
using StaticGrad.Compiler.Lowering;
using StaticGrad.Compiler.Model;

namespace StaticGrad.Generator;

/// <summary>
/// Emits the reverse-mode backward of every method marked <c>[StaticGrad.Differentiable]</c>. The pipeline only:
/// reading, differentiating and writing are the compiler core's. Diagnostics are the analyzer's (it runs the same
/// lowering); a method with errors simply gets no generated file.
/// </summary>
[Generator(LanguageNames.CSharp)]
public sealed class DifferentiableGenerator : IIncrementalGenerator
{
    private const string DifferentiableAttributeName = "StaticGrad.DifferentiableAttribute";
    private const string DerivativeOfAttributeName = "StaticGrad.DerivativeOfAttribute";

    public void Initialize(IncrementalGeneratorInitializationContext context)
    {
        var methods = context.SyntaxProvider
            .ForAttributeWithMetadataName(
                DifferentiableAttributeName,
                static (node, _) => node is MethodDeclarationSyntax,
                static (ctx, ct) => GuardedStage.Lower(ctx.TargetSymbol.Name, () => MethodLowering.Lower((IMethodSymbol)ctx.TargetSymbol, ctx.TargetNode, ctx.SemanticModel, ct).Spec))
            .WithTrackingName(TrackingNames.DifferentiableMethods)
            .Where(static spec => spec is not null)
            .Select(static (spec, _) => spec!)
            .WithTrackingName(TrackingNames.ParsedMethods);

        var rules = context.SyntaxProvider
            .ForAttributeWithMetadataName(
                DerivativeOfAttributeName,
                static (node, _) => node is MethodDeclarationSyntax,
                static (ctx, _) => GuardedStage.Lower(ctx.TargetSymbol.Name, () => RuleLowering.Lower((IMethodSymbol)ctx.TargetSymbol).Rule))
            .Where(static rule => rule is not null)
            .Collect()
            .Select(static (all, _) => all.Select(r => r!).OrderBy(r => r.TargetKey, System.StringComparer.Ordinal).ToEquatableArray())
            .WithTrackingName(TrackingNames.Rules);

        RuleRegistryStep.Register(context, rules);
        var allRules = rules
            .Combine(RuleRegistryStep.ReferencedRules(context))
            .Select(static (pair, _) => ReferencedRules.Merge(pair.Right, pair.Left))
            .WithTrackingName(TrackingNames.AllRules);

        var sources = methods
            .Combine(allRules)
            .Select(static (pair, _) => GuardedStage.Run(pair.Left, pair.Left.HintName, "backward", () => Differentiator.Differentiate(pair.Left, pair.Right.ToList()).Source))
            .WithTrackingName(TrackingNames.GeneratedSources);

        TensorLiftingGenerator.Register(context, methods, allRules);
        TensorMethodPipeline.Register(context);
        ForwardModeOutputs.Register(context, methods, allRules);

        GuardedStage.Register(context, sources);
    }
}

using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using StaticGrad.Compiler;
using StaticGrad.Compiler.Lowering;
using StaticGrad.Compiler.Model;

namespace StaticGrad.Generator;

/// <summary>
/// Emits the reverse-mode backward of every method marked <c>[StaticGrad.Differentiable]</c>, and the outputs it opted
/// into (forward mode, Hessian, Tensor overload or fused node: <see cref="MethodOutputs"/>). The pipeline only:
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
        var defaults = ProjectOutputDefaults.Read(context);
        var methods = context.SyntaxProvider
            .ForAttributeWithMetadataName(
                DifferentiableAttributeName,
                static (node, _) => node is MethodDeclarationSyntax or OperatorDeclarationSyntax,
                static (ctx, ct) => GuardedStage.Lower(ctx.TargetSymbol.Name, () => MethodLowering.Lower((IMethodSymbol)ctx.TargetSymbol, ctx.TargetNode, ctx.SemanticModel, ct).Spec) is { } spec
                    ? new AttributedMethod(spec, OutputOptIn.Explicit(ctx.Attributes, OutputOptIn.Forward), OutputOptIn.Explicit(ctx.Attributes, OutputOptIn.Tensor)) { IncludingNoGrad = OutputOptIn.Explicit(ctx.Attributes, OutputOptIn.IncludingNoGrad) == true }
                    : null)
            .WithTrackingName(TrackingNames.DifferentiableMethods)
            .Where(static method => method is not null)
            .Select(static (method, _) => method!)
            .WithTrackingName(TrackingNames.ParsedMethods)
            .Combine(defaults)
            .Select(static (pair, _) => pair.Left.Resolve(pair.Right))
            .WithTrackingName(TrackingNames.MethodOutputs);

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

        var backwards = methods
            .Combine(allRules)
            .Select(static (pair, _) => BackwardOutput.Run(pair.Left.Spec, pair.Right))
            .WithTrackingName(TrackingNames.GeneratedSources);
        var sources = backwards.Select(static (b, _) => b.Output);

        TensorLiftingGenerator.Register(context, methods, allRules);
        TensorMethodPipeline.Register(context, defaults);
        ForwardModeOutputs.Register(context, methods, allRules);
        IncludingNoGradOutputs.Register(context, methods, allRules, backwards);
        PairOutputs.Register(context, methods, allRules, backwards);

        GuardedStage.Register(context, sources);
    }
}

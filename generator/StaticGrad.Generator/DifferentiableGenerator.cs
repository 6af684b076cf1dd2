using Microsoft.CodeAnalysis;
using StaticGrad.Compiler.Emit;
using StaticGrad.Compiler.Lowering;

namespace StaticGrad.Generator;

/// <summary>
/// Emits the reverse-mode backward of every method marked <c>[StaticGrad.Differentiable]</c>. The pipeline only:
/// reading, differentiating and writing are the compiler core's.
/// </summary>
[Generator(LanguageNames.CSharp)]
public sealed class DifferentiableGenerator : IIncrementalGenerator
{
    private const string DifferentiableAttributeName = "StaticGrad.DifferentiableAttribute";

    public void Initialize(IncrementalGeneratorInitializationContext context)
    {
        var methods = context.SyntaxProvider
            .ForAttributeWithMetadataName(
                DifferentiableAttributeName,
                static (node, _) => node is Microsoft.CodeAnalysis.CSharp.Syntax.MethodDeclarationSyntax,
                static (ctx, ct) => MethodParser.Parse((IMethodSymbol)ctx.TargetSymbol, ctx.TargetNode, ctx.SemanticModel, ct))
            .WithTrackingName(TrackingNames.DifferentiableMethods)
            .Where(static spec => spec is not null)
            .WithTrackingName(TrackingNames.ParsedMethods);

        context.RegisterSourceOutput(methods, static (spc, spec) => spc.AddSource(spec!.HintName, BackwardEmitter.Emit(spec)));
    }
}

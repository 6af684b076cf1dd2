using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using StaticGrad.Compiler.TensorMethods;

namespace StaticGrad.Generator;

/// <summary>
/// The pipeline of Tensor-bodied [Differentiable] methods (they take or return <c>Tensor</c>): lowered to a
/// <see cref="TensorMethodSpec"/>, emitted into <c>….Tensor.g.cs</c> with <c>{Name}Backward</c> and <c>{Name}Fused</c>.
/// The scalar pipeline gets no spec for these methods; diagnostics are the analyzer's.
/// </summary>
internal static class TensorMethodPipeline
{
    public static void Register(IncrementalGeneratorInitializationContext context)
    {
        var specs = context.SyntaxProvider
            .ForAttributeWithMetadataName(
                "StaticGrad.DifferentiableAttribute",
                static (node, _) => node is MethodDeclarationSyntax,
                static (ctx, ct) => ctx.TargetSymbol is IMethodSymbol method && TensorMethodLowering.IsTensorMethod(method)
                    ? TensorMethodLowering.Lower(method, ctx.TargetNode, ctx.SemanticModel, ct).Spec
                    : null)
            .WithTrackingName(TrackingNames.TensorMethods)
            .Where(static spec => spec is not null)
            .Select(static (spec, _) => new TensorFile(spec!.HintName, TensorMethodEmitter.Emit(spec)))
            .WithTrackingName(TrackingNames.TensorSources);

        context.RegisterSourceOutput(specs, static (spc, file) => spc.AddSource(file.HintName, file.Source));
    }

    /// <summary>One Tensor-bodied method's generated file.</summary>
    private sealed record TensorFile(string HintName, string Source);
}

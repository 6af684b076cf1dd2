using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using StaticGrad.Compiler.Diagnostics;
using StaticGrad.Compiler.Lowering;
using StaticGrad.Compiler.Model;
using StaticGrad.Compiler.TensorMethods;

namespace StaticGrad.Generator;

/// <summary>
/// The pipeline of Tensor-bodied [Differentiable] methods (they take or return <c>Tensor</c>): lowered to a
/// <see cref="TensorMethodSpec"/>, emitted into <c>….Tensor.g.cs</c> with <c>{Name}Backward</c> (always) and
/// <c>{Name}Fused</c> (opt-in: <c>Tensor = true</c> or the project's <c>StaticGradTensor</c>).
/// The scalar pipeline gets no spec for these methods; diagnostics are the analyzer's.
/// </summary>
/// <remarks>
/// The specs are collected into one value before emission: a per-method step that produced nothing for a compilation
/// without Tensor methods was absent from the driver's tracked steps, which the caching tests require. The collected
/// value is compared by its elements, so an unrelated edit still re-emits nothing.
/// </remarks>
internal static class TensorMethodPipeline
{
    public static void Register(IncrementalGeneratorInitializationContext context, IncrementalValueProvider<ProjectOutputDefaults> defaults)
    {
        var specs = context.SyntaxProvider
            .ForAttributeWithMetadataName(
                "StaticGrad.DifferentiableAttribute",
                static (node, _) => node is MethodDeclarationSyntax,
                static (ctx, ct) => ctx.TargetSymbol is IMethodSymbol method && TensorMethodLowering.IsTensorMethod(method)
                    && GuardedStage.Lower(method.Name, () => TensorMethodLowering.Lower(method, ctx.TargetNode, ctx.SemanticModel, ct).Spec) is { } spec
                    ? new TensorMethodInput(spec, OutputOptIn.Explicit(ctx.Attributes, OutputOptIn.Tensor))
                    : null)
            .Where(static input => input is not null)
            .Collect()
            .Select(static (all, _) => all.Select(s => s!).OrderBy(s => s.Spec.HintName, System.StringComparer.Ordinal).ToEquatableArray())
            .WithTrackingName(TrackingNames.TensorMethods);

        var files = specs
            .Combine(defaults)
            .Select(static (pair, _) => pair.Left.Select(input => Emit(input.Spec, fused: input.Tensor ?? pair.Right.Tensor)).ToEquatableArray())
            .WithTrackingName(TrackingNames.TensorSources);

        context.RegisterSourceOutput(files, static (spc, all) =>
        {
            foreach (var file in all)
            {
                GuardedStage.Add(spc, file);
            }
        });
        GuardedStage.ReportFailures(context, files.SelectMany(static (all, _) => all));
    }

    private static StageOutput Emit(TensorMethodSpec s, bool fused)
    {
        var methodHint = s.HintName.Replace(".Tensor.g.cs", ".g.cs");
        return GuardedStage.Run(s.Name, methodHint, InternalErrorLocation.DisplayName(s.Namespace, methodHint), s.HintName, "Tensor method", () => TensorMethodEmitter.Emit(s, fused));
    }

    /// <summary>A Tensor-bodied method's spec and its attribute's <c>Tensor</c> value (null: the project default decides).</summary>
    private sealed record TensorMethodInput(TensorMethodSpec Spec, bool? Tensor);
}

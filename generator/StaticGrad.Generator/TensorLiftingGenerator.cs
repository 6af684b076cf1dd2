using Microsoft.CodeAnalysis;
using StaticGrad.Compiler.Lifting;
using StaticGrad.Compiler.Model;

namespace StaticGrad.Generator;

/// <summary>
/// The pipeline step of the Tensor lifting: for each [Differentiable] method that opted in (<c>Tensor = true</c> or the
/// project's <c>StaticGradTensor</c>) and can be lifted, a <c>{hint}.Tensor.g.cs</c> file with its <c>Tensor</c>
/// overload (what is lifted and what is skipped: <see cref="TensorLifting"/>).
/// </summary>
internal static class TensorLiftingGenerator
{
    public static void Register(
        IncrementalGeneratorInitializationContext context,
        IncrementalValuesProvider<MethodOutputs> methods,
        IncrementalValueProvider<EquatableArray<RuleSpec>> rules)
    {
        var files = methods
            .Where(static method => method.Tensor && TensorLifting.CanLift(method.Spec))
            .Select(static (method, _) => method.Spec)
            .WithTrackingName(TrackingNames.LiftableMethods)
            .Combine(rules)
            .Select(static (pair, _) => GuardedStage.Run(pair.Left, TensorLifting.HintName(pair.Left.HintName), "Tensor lifting", () => TensorLifting.Emit(pair.Left, pair.Right)))
            .WithTrackingName(TrackingNames.LiftedSources);

        GuardedStage.Register(context, files);
    }
}

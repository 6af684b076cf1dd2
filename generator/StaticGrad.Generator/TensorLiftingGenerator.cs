using Microsoft.CodeAnalysis;
using StaticGrad.Compiler.Lifting;
using StaticGrad.Compiler.Model;

namespace StaticGrad.Generator;

/// <summary>
/// The pipeline step of the Tensor lifting: for each [Differentiable] method that can be lifted, a
/// <c>{hint}.Tensor.g.cs</c> file with its <c>Tensor</c> overload (what is lifted and what is skipped:
/// <see cref="TensorLifting"/>).
/// </summary>
internal static class TensorLiftingGenerator
{
    public static void Register(
        IncrementalGeneratorInitializationContext context,
        IncrementalValuesProvider<DifferentiableMethodSpec> methods,
        IncrementalValueProvider<EquatableArray<RuleSpec>> rules)
    {
        var files = methods
            .Where(static spec => TensorLifting.CanLift(spec))
            .WithTrackingName(TrackingNames.LiftableMethods)
            .Combine(rules)
            .Select(static (pair, _) => GuardedStage.Run(pair.Left, TensorLifting.HintName(pair.Left.HintName), "Tensor lifting", () => TensorLifting.Emit(pair.Left, pair.Right)))
            .WithTrackingName(TrackingNames.LiftedSources);

        GuardedStage.Register(context, files);
    }
}

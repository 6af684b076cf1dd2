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
            .Select(static (pair, _) => new LiftedFile(TensorLifting.HintName(pair.Left.HintName), TensorLifting.Emit(pair.Left, pair.Right)))
            .WithTrackingName(TrackingNames.LiftedSources);

        context.RegisterSourceOutput(files, static (spc, file) =>
        {
            if (file.Source is not null)
            {
                spc.AddSource(file.HintName, file.Source);
            }
        });
    }

    /// <summary>One method's lifted overload, or no source when its backward is not generated.</summary>
    private sealed record LiftedFile(string HintName, string? Source);
}

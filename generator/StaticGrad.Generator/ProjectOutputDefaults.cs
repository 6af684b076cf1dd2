using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;

namespace StaticGrad.Generator;

/// <summary>
/// The project-wide defaults of the opt-in outputs: the MSBuild properties <c>StaticGradForward</c> and
/// <c>StaticGradTensor</c>, which the package's build props make visible to the compiler
/// (<c>CompilerVisibleProperty</c>). A value, so that the steps that read it stay cached while it does not change.
/// </summary>
internal sealed record ProjectOutputDefaults(bool Forward, bool Tensor)
{
    public const string ForwardProperty = "build_property.StaticGradForward";
    public const string TensorProperty = "build_property.StaticGradTensor";

    public static IncrementalValueProvider<ProjectOutputDefaults> Read(IncrementalGeneratorInitializationContext context) =>
        context.AnalyzerConfigOptionsProvider
            .Select(static (provider, _) => From(provider.GlobalOptions))
            .WithTrackingName(TrackingNames.OutputDefaults);

    public static ProjectOutputDefaults From(AnalyzerConfigOptions options) =>
        new(IsTrue(options, ForwardProperty), IsTrue(options, TensorProperty));

    // MSBuild hands properties over as written: "true", "True" and " true " all mean on; anything else is off.
    private static bool IsTrue(AnalyzerConfigOptions options, string key) =>
        options.TryGetValue(key, out var value) && bool.TryParse(value.Trim(), out var on) && on;
}

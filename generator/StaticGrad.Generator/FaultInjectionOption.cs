using Microsoft.CodeAnalysis;

namespace StaticGrad.Generator;

/// <summary>
/// A hidden switch for testing the packed package (issue 13): the MSBuild property <c>StaticGradFaultInjection</c>
/// names a method whose backward stage then throws inside its guard, so that a consumer build can show that an
/// internal error (SG1000) costs that method's output only. Empty, and inert, unless a project sets it; it is not
/// part of the documented configuration and never set by anything StaticGrad ships.
/// </summary>
internal static class FaultInjectionOption
{
    public const string Property = "build_property.StaticGradFaultInjection";

    /// <summary>The method name the property names, trimmed; empty when it is not set.</summary>
    public static IncrementalValueProvider<string> Read(IncrementalGeneratorInitializationContext context) =>
        context.AnalyzerConfigOptionsProvider.Select(static (provider, _) =>
            provider.GlobalOptions.TryGetValue(Property, out var value) ? value.Trim() : "");

    /// <summary>The stage's output, or, for the named method's backward (its own file), the guarded stage failing in its place.</summary>
    public static StageOutput Apply(StageOutput output, string method) =>
        method.Length == 0 || output.MethodName != method || output.HintName != output.MethodHint || output.Source is null
            ? output
            : GuardedStage.Run(output.MethodName, output.MethodHint, output.DisplayName, output.HintName, "backward", () =>
                throw new System.InvalidOperationException("fault injected by StaticGradFaultInjection=" + method));
}

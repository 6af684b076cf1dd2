using System.Collections.Immutable;
using System.Diagnostics.CodeAnalysis;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;

namespace StaticGrad.Generator.Tests.Infrastructure;

/// <summary>
/// The MSBuild properties a project hands the generator (<c>build_property.*</c> global options), as the compiler
/// does for every <c>CompilerVisibleProperty</c>.
/// </summary>
public sealed class BuildProperties : AnalyzerConfigOptionsProvider
{
    /// <summary>
    /// What the test driver uses unless a test says otherwise: every opt-in output on, so that tests of the Tangent,
    /// Tensor overload and fused node see them (tests of the opt-in itself pass their own properties).
    /// </summary>
    public static readonly BuildProperties AllOutputs = new(("StaticGradForward", "true"), ("StaticGradTensor", "true"));

    /// <summary>A project that sets none of StaticGrad's properties: Backward only, unless a method opts in.</summary>
    public static readonly BuildProperties None = new();

    private readonly Options _global;

    public BuildProperties(params (string Name, string Value)[] properties) =>
        _global = new Options(properties.ToImmutableDictionary(p => "build_property." + p.Name, p => p.Value));

    public override AnalyzerConfigOptions GlobalOptions => _global;

    public override AnalyzerConfigOptions GetOptions(SyntaxTree tree) => Options.Empty;

    public override AnalyzerConfigOptions GetOptions(AdditionalText textFile) => Options.Empty;

    private sealed class Options(ImmutableDictionary<string, string> values) : AnalyzerConfigOptions
    {
        public static readonly Options Empty = new(ImmutableDictionary<string, string>.Empty);

        public override bool TryGetValue(string key, [NotNullWhen(true)] out string? value) => values.TryGetValue(key, out value);
    }
}

using System.Globalization;
using System.Text;

namespace StaticGrad.Benchmarks.CompileTime;

/// <summary>
/// Two more projects beside <c>with</c>, so that a whole build's extra time can be split into its parts with
/// whole-process timings (docs/benchmarks.md, "Build cost", session 9): <c>plain</c> (the package's runtime, and the
/// files the generator writes for the same sources copied in as ordinary sources, with StaticGrad's generator and
/// analyzers removed from the compilation: what compiling the generated code costs) and <c>no-analyzers</c>
/// (<c>with</c>, every SG rule set to <c>none</c> in a global config, so the analyzer driver skips StaticGrad's analyzers).
/// </summary>
internal static class BuildCostParts
{
    /// <summary>Writes <c>plain</c> and <c>no-analyzers</c> under <paramref name="folder"/>; <paramref name="project"/> writes one project (directory, sources, properties, extra project XML).</summary>
    public static void Write(string folder, List<(string Name, string Text)> sources, Action<string, List<(string Name, string Text)>, string, string> project)
    {
        var generated = InProcessBuildCost.GeneratedSources(sources.Select(s => s.Text));
        var plain = sources.Concat(generated.Select((text, i) => (string.Create(CultureInfo.InvariantCulture, $"Generated{i}.g.cs"), text))).ToList();
        project(Path.Combine(folder, "plain"), plain, string.Empty, """
            <Target Name="RemoveStaticGradComponents" BeforeTargets="CoreCompile">
                <ItemGroup><Analyzer Remove="@(Analyzer)" Condition="$([System.String]::Copy('%(Filename)').StartsWith('StaticGrad.'))" /></ItemGroup>
              </Target>
            """);

        var directory = Path.Combine(folder, "no-analyzers");
        project(directory, sources, string.Empty, """<ItemGroup><GlobalAnalyzerConfigFiles Include="NoStaticGradRules.globalconfig" /></ItemGroup>""");
        var config = new StringBuilder("is_global = true\n");
        foreach (var id in InProcessBuildCost.Analyzers().SelectMany(a => a.SupportedDiagnostics).Select(d => d.Id).Distinct().Order(StringComparer.Ordinal))
        {
            config.Append(CultureInfo.InvariantCulture, $"dotnet_diagnostic.{id}.severity = none\n");
        }

        File.WriteAllText(Path.Combine(directory, "NoStaticGradRules.globalconfig"), config.ToString());
    }
}

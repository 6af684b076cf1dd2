using System.Text.RegularExpressions;
using StaticGrad.Compiler.Analysis;
using StaticGrad.Compiler.Naming;
using StaticGrad.Generator.Tests.Infrastructure;
using StaticGrad.Generator.Tests.RandomPrograms;

namespace StaticGrad.Generator.Tests.Hygiene;

/// <summary>
/// The random programs' identifier pool keeps up with the compiler: every fixed stem a phase asks its
/// <see cref="NameScope"/> for (read from the compiler's source, so a new one cannot be forgotten) is in the pool,
/// and the rules of the scope hold.
/// </summary>
public sealed partial class GeneratedNamePoolTests
{
    [GeneratedRegex("""(?:Fresh|Temporary|Hidden|_temporary)\("([^"]+)"\s*[,)]|SiteName\([^,]+,\s*"([^"]+)"\s*[,)]""")]
    private static partial Regex MintedStem();

    [Fact]
    public void Every_name_the_compiler_mints_is_in_the_random_programs_pool()
    {
        var sources = Directory.EnumerateFiles(Path.Combine(RepositoryPaths.Root, "src", "StaticGrad.Compiler"), "*.cs", SearchOption.AllDirectories)
            .Where(f => !f.Contains(Path.DirectorySeparatorChar + "obj" + Path.DirectorySeparatorChar, StringComparison.Ordinal))
            .Select(File.ReadAllText);
        var stems = sources.SelectMany(s => MintedStem().Matches(s)).Select(m => m.Groups[1].Success ? m.Groups[1].Value : m.Groups[2].Value)
            .Append(ControlFlowNormalizer.ResultName)
            .ToHashSet(StringComparer.Ordinal);

        Assert.True(stems.Count >= 30, "Only " + stems.Count + " stems found: the pattern no longer matches the compiler's calls.");
        var missing = stems.Where(stem => !HostileIdentifiers.Pool.Any(p => p == stem || Regex.IsMatch(p, "^" + Regex.Escape(stem) + "[0-9]+$"))).ToList();
        Assert.True(missing.Count == 0, "Not in HostileIdentifiers.Pool: " + string.Join(", ", missing));
    }

    [Fact]
    public void A_taken_stem_or_keyword_gets_the_first_free_suffix()
    {
        var scope = new NameScope(new[] { "x", "dx", "dx_1", "@base", "seed" });

        Assert.Equal("dx_2", scope.Adjoint("x"));
        Assert.Equal("dBase", scope.Adjoint("@base"));
        Assert.Equal("do_1", scope.Adjoint("o"));
        Assert.Equal("seed_1", scope.Fresh("seed"));
        Assert.Equal("base_1", scope.Fresh("base"));
        Assert.Equal("_result", scope.Fresh("_result"));
        Assert.Equal("_result_1", scope.Fresh("_result"));
        Assert.True(scope.Contains("base"));
        Assert.Equal("@base", NameScope.Escape("base"));
        Assert.Equal("value", NameScope.Escape("value"));
    }
}

using StaticGrad.Generator.Tests.Correctness;
using StaticGrad.Generator.Tests.Correctness.Corpus;

namespace StaticGrad.Generator.Tests.Forward;

/// <summary>Every corpus function that gets a backward also gets a Tangent that agrees with it (dot-product test).</summary>
public sealed class CorpusTangentTests
{
    private const int PointsPerFunction = 3;

    private static readonly Lazy<Dictionary<string, Func<double[][], double[][], double[]>>> s_tangents = new(() =>
        TangentAdapters.Compile(CorpusSources.All, CorpusSources.Methods.Where(m => CorpusCompilation.Batch.Loaded.ContainsKey(m.Key)).ToList()));

    public static TheoryData<string> Loaded()
    {
        var data = new TheoryData<string>();
        foreach (var m in CorpusSources.Methods.Where(m => !UnsupportedByCompiler.Functions.ContainsKey(m.Key)))
        {
            data.Add(m.Key);
        }

        return data;
    }

    [Fact]
    public void At_least_sixty_corpus_functions_have_a_tangent()
    {
        Assert.True(s_tangents.Value.Count >= 60, $"{s_tangents.Value.Count} corpus functions have a Tangent.");
    }

    [Fact]
    public void Generated_tangent_files_of_the_corpus_compile_without_warnings()
    {
        var compilation = Infrastructure.GeneratorHarness.CreateCompilation(CorpusSources.All);
        Infrastructure.GeneratorHarness.CreateDriver(trackSteps: false).RunGeneratorsAndUpdateCompilation(compilation, out var output, out _);
        var tangentTrees = output.SyntaxTrees.Where(t => t.FilePath.EndsWith(".Tangent.g.cs", StringComparison.Ordinal)).ToList();
        Assert.True(tangentTrees.Count >= 60, $"{tangentTrees.Count} Tangent files were generated.");
        var findings = output.GetDiagnostics()
            .Where(d => d.Severity >= Microsoft.CodeAnalysis.DiagnosticSeverity.Warning && tangentTrees.Contains(d.Location.SourceTree!))
            .ToList();
        Assert.True(findings.Count == 0, string.Join("\n", findings.Take(10)));
    }

    [Theory]
    [MemberData(nameof(Loaded))]
    public void Tangent_agrees_with_backward(string key)
    {
        var loaded = CorpusCompilation.Load(key);
        var tangent = s_tangents.Value[key];
        var random = new Random(CorpusGradientTests.StableSeed(key) ^ 0x7A9);
        var problems = new List<string>();
        for (var i = 0; i < PointsPerFunction; i++)
        {
            var point = Correctness.Harness.FiniteDifferenceCheck.DrawPoint(loaded.Method, random);
            if (DotProductCheck.Check(loaded.Method, tangent, loaded.Backward, point, random) is { } problem)
            {
                problems.Add(problem);
            }
        }

        Assert.True(problems.Count == 0, key + ":\n" + string.Join("\n", problems) + "\n" + CorpusCompilation.Batch.Describe(loaded.Method));
    }
}

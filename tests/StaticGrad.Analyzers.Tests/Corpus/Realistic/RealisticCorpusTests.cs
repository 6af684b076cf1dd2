using System.Collections.Immutable;
using System.Globalization;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Diagnostics;
using StaticGrad.Analyzers.Tests.Verifiers;
using StaticGrad.Analyzers.TensorUsage;
using Xunit.Abstractions;

namespace StaticGrad.Analyzers.Tests.Corpus.Realistic;

/// <summary>
/// The realistic corpus: every positive reported by its rule at the failing line, no warning or error on any
/// corrected twin; precision and recall printed and asserted (recall at least 90 %, no false positive).
/// </summary>
public class RealisticCorpusTests(ITestOutputHelper output)
{
    [Fact]
    public void The_corpus_has_the_required_shape()
    {
        var cases = RealisticCorpus.Cases;
        var positives = cases.Where(c => c.Expected is not null).ToList();
        Assert.True(cases.Count >= 80);
        Assert.Equal(cases.Count / 2, cases.Count(c => c.Library == "TorchSharp"));
        Assert.True(positives.Count(c => c.Interprocedural) * 3 >= positives.Count, "at least a third of the positives depend on another method");
    }

    [Fact]
    public async Task Precision_is_one_and_recall_at_least_ninety_percent()
    {
        int truePositives = 0, falseNegatives = 0, falsePositives = 0, interproceduralHits = 0;
        var missed = new List<string>();
        foreach (var corpusCase in RealisticCorpus.Cases)
        {
            var diagnostics = await AnalyzeAsync(corpusCase);
            var reported = diagnostics.Where(d => d.Severity >= DiagnosticSeverity.Warning).ToList();
            if (corpusCase.Expected is null)
            {
                falsePositives += reported.Count;
                missed.AddRange(reported.Select(d => corpusCase.Id + ": false positive " + d));
                continue;
            }

            var line = ExpectedLine(corpusCase.Source);
            var hit = reported.Any(d => d.Id == corpusCase.Expected && d.Location.GetLineSpan().StartLinePosition.Line == line);
            if (hit)
            {
                truePositives++;
                interproceduralHits += corpusCase.Interprocedural ? 1 : 0;
            }
            else
            {
                falseNegatives++;
                missed.Add(corpusCase.Id + ": expected " + corpusCase.Expected);
            }

            var others = reported.Where(d => !(d.Id == corpusCase.Expected && d.Location.GetLineSpan().StartLinePosition.Line == line)).ToList();
            falsePositives += others.Count;
            missed.AddRange(others.Select(d => corpusCase.Id + ": extra " + d));
        }

        var precision = truePositives + falsePositives == 0 ? 1.0 : (double)truePositives / (truePositives + falsePositives);
        var recall = (double)truePositives / (truePositives + falseNegatives);
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"realistic corpus: {RealisticCorpus.Cases.Count} snippets, TP {truePositives} ({interproceduralHits} interprocedural), FN {falseNegatives}, FP {falsePositives}; precision {precision:F3}, recall {recall:F3}"));
        foreach (var miss in missed)
        {
            output.WriteLine(miss);
        }

        Assert.True(falsePositives == 0, string.Join("\n", missed));
        Assert.True(recall >= 0.9, string.Join("\n", missed));
    }

    private static int ExpectedLine(string source)
    {
        var lines = source.Split('\n');
        var index = Array.FindIndex(lines, l => l.TrimEnd().EndsWith("// <-", StringComparison.Ordinal));
        Assert.True(index >= 0, "a positive marks its line with // <-");
        return index;
    }

    private static async Task<ImmutableArray<Diagnostic>> AnalyzeAsync(RealisticCase corpusCase)
    {
        var tree = CSharpSyntaxTree.ParseText(corpusCase.Source, new CSharpParseOptions(LanguageVersion.Latest));
        var references = corpusCase.Library == "TorchSharp" ? TestReferences.TorchSharp : TestReferences.All;
        var compilation = CSharpCompilation.Create("Realistic", [tree], references, new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, nullableContextOptions: NullableContextOptions.Enable));
        var errors = compilation.GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error).ToList();
        Assert.True(errors.Count == 0, corpusCase.Id + "\n" + string.Join("\n", errors));
        var analyzers = ImmutableArray.Create<DiagnosticAnalyzer>(new TensorUsageAnalyzer(), new TrainingLoopAnalyzer());
        var options = new CompilationWithAnalyzersOptions(new AnalyzerOptions([]), (exception, _, _) => throw exception, concurrentAnalysis: false, logAnalyzerExecutionTime: false);
        return await compilation.WithAnalyzers(analyzers, options).GetAnalyzerDiagnosticsAsync();
    }
}

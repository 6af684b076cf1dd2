using System.Collections.Immutable;
using System.Globalization;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Diagnostics;
using StaticGrad.Analyzers.Tests.TensorUsage;
using StaticGrad.Analyzers.Tests.Verifiers;
using StaticGrad.Analyzers.TensorUsage;
using Xunit.Abstractions;

namespace StaticGrad.Analyzers.Tests.Corpus;

/// <summary>
/// Runs the analyzer on every oracle case: errors PyTorch raised (and SPEC marks decidable) must be reported at the
/// failing statement, cases that ran cleanly must get no error or warning. Prints precision and recall.
/// </summary>
public class OracleCorpusTests(ITestOutputHelper output)
{
    public static TheoryData<OracleCase> AllCases()
    {
        var data = new TheoryData<OracleCase>();
        foreach (var oracleCase in OracleCorpus.Cases)
        {
            data.Add(oracleCase);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(AllCases))]
    public async Task Case_behaves_as_PyTorch_did(OracleCase oracleCase)
    {
        var (source, diagnostics) = await AnalyzeAsync(oracleCase.Body);
        var reported = diagnostics.Where(d => d.Severity >= DiagnosticSeverity.Warning).ToList();
        switch (oracleCase.Outcome)
        {
            case OracleOutcome.Raised or OracleOutcome.Warned:
                var line = ExpectedLine(source);
                var hit = Assert.Single(reported);
                Assert.Equal(oracleCase.Expected, hit.Id);
                Assert.Equal(line, hit.Location.GetLineSpan().StartLinePosition.Line);
                break;
            case OracleOutcome.Clean:
                Assert.Empty(reported);
                var infos = diagnostics.Where(d => d.Severity < DiagnosticSeverity.Warning).Select(d => d.Id).ToList();
                Assert.Equal(oracleCase.Expected is null ? [] : [oracleCase.Expected], infos);
                break;
            case OracleOutcome.RaisedUncovered:
                Assert.False(string.IsNullOrEmpty(oracleCase.Expected), "an uncovered case states why");
                break;
        }
    }

    [Fact]
    public async Task Precision_is_one_and_recall_is_reported()
    {
        int truePositives = 0, falseNegatives = 0, falsePositives = 0, cleanCases = 0;
        var missed = new List<string>();
        foreach (var oracleCase in OracleCorpus.Cases)
        {
            var (_, diagnostics) = await AnalyzeAsync(oracleCase.Body);
            var reported = diagnostics.Where(d => d.Severity >= DiagnosticSeverity.Warning).ToList();
            switch (oracleCase.Outcome)
            {
                case OracleOutcome.Raised or OracleOutcome.Warned:
                    if (reported.Any(d => d.Id == oracleCase.Expected))
                    {
                        truePositives++;
                    }
                    else
                    {
                        falseNegatives++;
                        missed.Add(oracleCase.Id + ": expected " + oracleCase.Expected + ", not reported");
                    }

                    falsePositives += reported.Count(d => d.Id != oracleCase.Expected);
                    break;
                case OracleOutcome.RaisedUncovered:
                    falseNegatives++;
                    falsePositives += reported.Count;
                    missed.Add(oracleCase.Id + ": " + oracleCase.Expected);
                    break;
                case OracleOutcome.Clean:
                    cleanCases++;
                    falsePositives += reported.Count;
                    break;
            }
        }

        var precision = truePositives + falsePositives == 0 ? 1.0 : (double)truePositives / (truePositives + falsePositives);
        var recall = (double)truePositives / (truePositives + falseNegatives);
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"oracle corpus: {OracleCorpus.Cases.Count} cases ({cleanCases} clean), TP {truePositives}, FN {falseNegatives}, FP {falsePositives}; precision {precision:F3}, recall {recall:F3}"));
        foreach (var miss in missed)
        {
            output.WriteLine("missed " + miss);
        }

        Assert.Equal(0, falsePositives);
        Assert.True(truePositives > 0);
    }

    private static int ExpectedLine(string source)
    {
        var lines = source.Split('\n');
        var index = Array.FindIndex(lines, l => l.TrimEnd().EndsWith("// <-", StringComparison.Ordinal));
        Assert.True(index >= 0, "a positive case marks its line with // <-");
        return index;
    }

    internal static async Task<(string Source, ImmutableArray<Diagnostic> Diagnostics)> AnalyzeAsync(string body)
    {
        var source = Snippet.Method(body);
        var tree = CSharpSyntaxTree.ParseText(source, new CSharpParseOptions(LanguageVersion.Latest));
        var compilation = CSharpCompilation.Create("Oracle", [tree], TestReferences.All, new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, nullableContextOptions: NullableContextOptions.Enable));
        var errors = compilation.GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error).ToList();
        Assert.True(errors.Count == 0, string.Join("\n", errors));
        var analyzers = ImmutableArray.Create<DiagnosticAnalyzer>(new TensorUsageAnalyzer());
        var options = new CompilationWithAnalyzersOptions(new AnalyzerOptions([]), (exception, _, _) => throw exception, concurrentAnalysis: false, logAnalyzerExecutionTime: false);
        var diagnostics = await compilation.WithAnalyzers(analyzers, options).GetAnalyzerDiagnosticsAsync();
        return (source, diagnostics);
    }
}

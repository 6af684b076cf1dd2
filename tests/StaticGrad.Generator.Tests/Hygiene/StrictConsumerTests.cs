using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using StaticGrad.Generator.Tests.Correctness.Corpus;
using StaticGrad.Generator.Tests.Infrastructure;
using StaticGrad.Generator.Tests.TensorMethods;

namespace StaticGrad.Generator.Tests.Hygiene;

/// <summary>
/// The generated code of every corpus method (scalar, hostile names, Tensor-bodied), with every output turned on
/// (Hessian included), compiled the way the strictest consumer builds: each C# version from 9 (.NET 5) to the newest,
/// nullable on (10, 12, latest) and off (9, 11), warning level 9999, XML documentation checked, warnings as errors. Not one diagnostic may come
/// from a generated file; nothing is suppressed by a pragma.
/// </summary>
public sealed class StrictConsumerTests
{
    public static TheoryData<string, bool> Consumers() => new()
    {
        { "9", false },
        { "10", true },
        { "11", false },
        { "12", true },
        { "latest", true },
    };

    [Theory]
    [MemberData(nameof(Consumers))]
    public void Generated_code_has_no_diagnostics(string languageVersion, bool nullable)
    {
        Assert.True(LanguageVersionFacts.TryParse(languageVersion, out var version));
        var parseOptions = new CSharpParseOptions(version, DocumentationMode.Diagnose);
        var sources = CorpusSources.All.Where(s => version >= LanguageVersion.CSharp12 || !s.Contains(RandomProgramSpreadRegressionCorpus.Marker, StringComparison.Ordinal))
            .Append(TensorCorpus.Source).Select(s => WithHessian(BlockNamespaces(s)));
        var compilation = CSharpCompilation.Create(
            "Strict" + languageVersion + (nullable ? "Nullable" : string.Empty),
            sources.Select((s, i) => CSharpSyntaxTree.ParseText(s, parseOptions, path: "Source" + i + ".cs")),
            TestReferences.All,
            new CSharpCompilationOptions(
                OutputKind.DynamicallyLinkedLibrary,
                allowUnsafe: true,
                nullableContextOptions: nullable ? NullableContextOptions.Enable : NullableContextOptions.Disable,
                warningLevel: 9999,
                generalDiagnosticOption: ReportDiagnostic.Error));

        var driver = CSharpGeneratorDriver.Create(new[] { new DifferentiableGenerator().AsSourceGenerator() }, parseOptions: parseOptions, optionsProvider: BuildProperties.AllOutputs);
        driver.RunGeneratorsAndUpdateCompilation(compilation, out var output, out var generatorDiagnostics);
        Assert.Empty(generatorDiagnostics);

        var generated = output.SyntaxTrees.Skip(compilation.SyntaxTrees.Count()).ToHashSet();
        Assert.Contains(generated, t => t.FilePath.EndsWith(".Hessian.g.cs", StringComparison.Ordinal));
        Assert.Contains(generated, t => t.FilePath.EndsWith(".Tangent.g.cs", StringComparison.Ordinal));
        Assert.Contains(generated, t => t.FilePath.Contains("Scalars.Polynomial.Tensor.g.cs", StringComparison.Ordinal));
        Assert.Contains(generated, t => t.FilePath.EndsWith(".Tensor.g.cs", StringComparison.Ordinal));
        Assert.True(generated.Count > 200, generated.Count + " files were generated.");
        var diagnostics = output.GetDiagnostics();

        // The consumer's own code must compile at this version (its warnings are its own), or the check below would see nothing.
        var userErrors = diagnostics.Where(d => d.Severity == DiagnosticSeverity.Error && !d.IsWarningAsError).ToList();
        Assert.True(userErrors.Count == 0, string.Join("\n", userErrors.Take(10)));
        var findings = diagnostics
            .Where(d => d.Severity != DiagnosticSeverity.Hidden && d.Location.SourceTree is { } tree && generated.Contains(tree))
            .ToList();
        Assert.True(findings.Count == 0, findings.Count + " diagnostics in generated code; the first of each kind:\n" +
            string.Join("\n", findings.GroupBy(d => d.Id).Select(g => g.Count() + " × " + g.First())) + "\n\n" + findings.FirstOrDefault()?.Location.SourceTree);
    }

    /// <summary>A file-scoped namespace (C# 10) as a block, so that the consumer's code also compiles as C# 9.</summary>
    private static string BlockNamespaces(string source)
    {
        var root = CSharpSyntaxTree.ParseText(source, GeneratorHarness.ParseOptions).GetCompilationUnitRoot();
        var rewritten = root.ReplaceNodes(
            root.DescendantNodes().OfType<FileScopedNamespaceDeclarationSyntax>(),
            (original, _) => SyntaxFactory.NamespaceDeclaration(original.Name, original.Externs, original.Usings, original.Members));
        return rewritten.NormalizeWhitespace().ToFullString();
    }

    /// <summary>Every scalar method opts in to the Hessian methods, so that they are checked too.</summary>
    private static string WithHessian(string source) =>
        source.Replace("[Differentiable]", "[Differentiable(Hessian = true)]", StringComparison.Ordinal);
}

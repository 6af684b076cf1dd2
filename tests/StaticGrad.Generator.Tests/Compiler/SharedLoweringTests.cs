using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using StaticGrad.Compiler.Lowering;
using StaticGrad.Generator.Tests.Infrastructure;

namespace StaticGrad.Generator.Tests.Compiler;

/// <summary>
/// The differentiability analyzer takes the generator's lowering of a declaration when it is safe (build cost,
/// issue 12: <see cref="SharedLowering"/>): its findings must be exactly those of a fresh lowering, and a result is
/// shared only for a clean method, in the generator's compilation extended by the generator's own files.
/// </summary>
public sealed class SharedLoweringTests
{
    private const string Source = """
        using System;
        using StaticGrad;
        public static partial class Outer
        {
            static double Plain(double v) => v * 2;

            [Differentiable] public static double Clean(double x, double y) { var s = Math.Sin(x); return s * y + x * x; }

            [Differentiable] public static double Finding(double x) => Plain(x) + x;

            [Differentiable] public static double Unsupported(double x) { a: x = x * 2; if (x < 10) goto a; return x; }

            [Differentiable] public static double GBackward(double x) => x * x;

            public static partial class Inner
            {
                [Differentiable] public static double Uses(double x) => GBackward(x) + x;

                [Differentiable] public static double Fine(double x) => Math.Exp(x) * 3;
            }
        }
        """;

    [Fact]
    public void Analyzer_findings_after_the_generator_equal_a_fresh_analysis()
    {
        var output = GeneratorHarness.Run(Source);
        var shared = Describe(output.AnalyzerDiagnostics);
        var fresh = Describe(GeneratorHarness.AnalyzerDiagnostics(GeneratorHarness.CreateCompilation(Source)));

        Assert.Equal(fresh, shared);
        Assert.Contains(shared, d => d.StartsWith("SG1001", StringComparison.Ordinal));
        Assert.Contains(shared, d => d.StartsWith("SG1002", StringComparison.Ordinal));
    }

    [Fact]
    public void Only_clean_declarations_are_shared_and_only_with_the_extended_compilation()
    {
        var output = GeneratorHarness.Run(Source, "public static class Helpers { public static double Two => 2; }");
        var compilation = output.OutputCompilation;
        var declarations = compilation.SyntaxTrees.First().GetRoot().DescendantNodes().OfType<MethodDeclarationSyntax>()
            .ToDictionary(m => m.Identifier.ValueText, m => (SyntaxNode)m);

        Assert.NotNull(SharedLowering.Clean(declarations["Clean"], compilation));
        Assert.NotNull(SharedLowering.Clean(declarations["Fine"], compilation));

        // A finding of the analyses after lowering (SG1001 here) does not stop sharing: the analyzer still runs them.
        Assert.NotNull(SharedLowering.Clean(declarations["Finding"], compilation));
        Assert.Null(SharedLowering.Clean(declarations["Unsupported"], compilation));
        Assert.Null(SharedLowering.Clean(declarations["Uses"], compilation));
        Assert.Null(SharedLowering.Clean(declarations["Plain"], compilation));

        // Another file edited (as in an IDE session, where the unchanged tree is reused) or one more file: lowered again.
        var helpers = compilation.SyntaxTrees.ElementAt(1);
        var edited = helpers.WithChangedText(Microsoft.CodeAnalysis.Text.SourceText.From("public static class Helpers { public static double Two => 3; }"));
        Assert.Null(SharedLowering.Clean(declarations["Clean"], compilation.ReplaceSyntaxTree(helpers, edited)));
        var other = Microsoft.CodeAnalysis.CSharp.CSharpSyntaxTree.ParseText("public static class Elsewhere { }", GeneratorHarness.ParseOptions, path: "Other.cs");
        Assert.Null(SharedLowering.Clean(declarations["Clean"], compilation.AddSyntaxTrees(other)));
    }

    private static string[] Describe(IEnumerable<Diagnostic> diagnostics) =>
        diagnostics.Select(d => d.Id + " " + d.Location.SourceSpan + " " + d.GetMessage(System.Globalization.CultureInfo.InvariantCulture)).ToArray();
}

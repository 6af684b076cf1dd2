using System.Collections.Immutable;
using System.Globalization;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Diagnostics;
using StaticGrad.Analyzers.Tests.Corpus;
using StaticGrad.Analyzers.Tests.Corpus.Realistic;
using StaticGrad.Analyzers.Tests.Verifiers;
using StaticGrad.Analyzers.TensorUsage;
using StaticGrad.Analyzers.TensorUsage.Analysis;
using StaticGrad.Analyzers.TensorUsage.Analysis.Interprocedural;
using StaticGrad.Analyzers.TensorUsage.Analysis.Structured;
using Xunit.Abstractions;

namespace StaticGrad.Analyzers.Tests.TensorUsage;

/// <summary>
/// Structured bodies are analyzed by walking their operation trees instead of building control flow graphs (the
/// analyzer's main cost). The walk must report exactly what the graph analysis reports: both run on every corpus
/// and their diagnostics (id, location, message) are compared. The whole test project can also run on graphs
/// only (STATICGRAD_ANALYZER_GRAPHS_ONLY=1, see AnalyzerVerifier), so every analyzer test checks both.
/// </summary>
public partial class StructuredWalkTests(ITestOutputHelper output)
{
    [Fact]
    public async Task Walk_and_graph_report_the_same_on_the_oracle_corpus()
    {
        var (walked, functions) = await EachCaseAsync(OracleCorpus.Cases, async oracleCase =>
        {
            var compilation = Compile(Snippet.Method(oracleCase.Body), TestReferences.All);
            await AssertSameAsync(compilation, oracleCase.Id);
            return compilation;
        }, only: "M");

        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"oracle corpus: {OracleCorpus.Cases.Count} cases, {walked} of {functions} bodies structured"));
        Assert.True(walked * 2 > functions, "most oracle bodies are structured");
    }

    [Fact]
    public async Task Walk_and_graph_report_the_same_on_the_realistic_corpus()
    {
        var (walked, functions) = await EachCaseAsync(RealisticCorpus.Cases, async corpusCase =>
        {
            var compilation = Compile(corpusCase.Source, corpusCase.Library == "TorchSharp" ? TestReferences.TorchSharp : TestReferences.All);
            await AssertSameAsync(compilation, corpusCase.Id);
            return compilation;
        });

        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"realistic corpus: {RealisticCorpus.Cases.Count} snippets, {walked} of {functions} methods structured"));
        Assert.True(walked > 0);
    }

    [Theory]
    [InlineData("StaticGrad")]
    [InlineData("TorchSharp")]
    public async Task Walk_and_graph_report_the_same_on_the_cost_benchmarks_experiment(string library)
    {
        // One experiment of `--analyzer-cost` (its projects repeat it): what is left to graphs is most of the cost.
        var spelling = library == "TorchSharp" ? StaticGrad.Benchmarks.AnalyzerCost.TrainingSpelling.TorchSharp : StaticGrad.Benchmarks.AnalyzerCost.TrainingSpelling.StaticGrad;
        var compilation = Compile(StaticGrad.Benchmarks.AnalyzerCost.TrainingUnits.Tensor(1, spelling), library == "TorchSharp" ? TestReferences.TorchSharp : TestReferences.All);
        Assert.Empty(await AssertSameAsync(compilation, library));
        var routes = new System.Collections.Concurrent.ConcurrentBag<(BodyRoute Route, string Function)>();
        await RunAsync(compilation, new TensorUsageAnalyzer(structuredWalks: true, (route, function) => routes.Add((route, function.ToDisplayString(SymbolDisplayFormat.CSharpShortErrorMessageFormat)))));
        foreach (var group in routes.GroupBy(r => r.Route).OrderBy(g => g.Key))
        {
            output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{library} {group.Key}: {group.Count()} ({string.Join(", ", group.Select(r => r.Function).OrderBy(f => f, StringComparer.Ordinal))})"));
        }

        // Every reported body is walked (session 11; before, Fit, FineTune, Evaluate and the constructor had graphs), and
        // every callee (session 12; before, MakeBatch, for a conditional operator assigned to an array element, and
        // Penalty, for its foreach, were summarized on graphs).
        Assert.DoesNotContain(routes, r => r.Route is BodyRoute.ReportedGraph or BodyRoute.ReportedWalkNotConverging or BodyRoute.CalleeWalkNotConverging or BodyRoute.CalleeGraph);
        Assert.Equal(16, routes.Count(r => r.Route != BodyRoute.Summary));
    }

    [Theory]
    [InlineData("StaticGrad")]
    [InlineData("TorchSharp")]
    public async Task The_cost_benchmarks_project_builds_no_graph(string library)
    {
        // The whole 5 100-line project of `--analyzer-cost` (its experiments until the line count, as the benchmark writes
        // them): 42 graphs in session 11 (MakeBatch and Penalty in each of 21 experiments), none since session 12.
        var spelling = library == "TorchSharp" ? StaticGrad.Benchmarks.AnalyzerCost.TrainingSpelling.TorchSharp : StaticGrad.Benchmarks.AnalyzerCost.TrainingSpelling.StaticGrad;
        var units = new List<string>();
        while (units.Sum(u => u.Count(c => c == '\n')) < 5100)
        {
            units.Add(StaticGrad.Benchmarks.AnalyzerCost.TrainingUnits.Tensor(units.Count, spelling));
        }

        var compilation = CSharpCompilation.Create(
            "Project",
            units.Select(u => CSharpSyntaxTree.ParseText(u, new CSharpParseOptions(LanguageVersion.Latest))),
            library == "TorchSharp" ? TestReferences.TorchSharp : TestReferences.All,
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, nullableContextOptions: NullableContextOptions.Enable));
        Assert.Empty(compilation.GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error));
        var routes = new System.Collections.Concurrent.ConcurrentBag<BodyRoute>();
        var counts = new WalkCountTotal(GC.GetAllocatedBytesForCurrentThread);
        await RunAsync(compilation, new TensorUsageAnalyzer(structuredWalks: true, (route, _) => routes.Add(route), counts));
        output.WriteLine(counts.Total.ToString());
        var graphs = routes.Count(r => r is BodyRoute.ReportedGraph or BodyRoute.CalleeGraph);
        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{library}: {units.Count} experiments, {routes.Count(r => r is BodyRoute.ReportedWalk or BodyRoute.CalleeWalk)} bodies walked, {graphs} graphs, {routes.Count(r => r == BodyRoute.Summary)} summaries computed"));
        Assert.Equal(0, graphs);

        // 588 in session 11; a helper that reads no grad mode (Features) is summarized once for every mode since session 12
        // (525); since session 14 the schedule stored by Trainer's constructor is followed, so the training loops keep
        // grad mode on after their log line and no callee is summarized again for the unknown mode (357). Since session 17
        // the data helpers (Features, MakeBatch in both modes: no tensor parameter, no tensor result, no effect) need no
        // summary (294); states cloned 1 932 -> 1 344 on StaticGrad's, 1 995 -> 1 407 on TorchSharp's. Since session 19 a
        // helper whose tensor parameters only feed pure operations is passed over where nothing reads its result but
        // Item() (Evaluate's Mse and Forward under NoGrad): 252 computed, 273 reused (441), clones 1 302 / 1 365.
        Assert.True(routes.Count(r => r == BodyRoute.Summary) <= 252);
        Assert.Equal(routes.Count(r => r == BodyRoute.Summary), counts.Total.SummariesComputed);
        Assert.True(counts.Total.SummariesReused <= 273);
        Assert.True(counts.Total.StatesCloned <= (library == "TorchSharp" ? 1365 : 1302));
    }

    [Fact]
    public async Task Only_the_pass_on_the_fixpoint_of_a_loop_reports()
    {
        // The first pass sees h as the leaf w and would report the in-place update (SG0006); at the loop's fixpoint h
        // is the leaf or a product, so no pass but the last may report, and the walk holds each pass's reports.
        var body = """
            var w = Tensor.FromArray(new[] { 1.0 }, requiresGrad: true);
            var h = w;
            for (var i = 0; i < n; i++)
            {
                h.AddInPlace(Tensor.FromArray(new[] { 1.0 }));
                h = w * 2.0;
            }

            var v = Tensor.FromArray(new[] { 1.0 }, requiresGrad: true);
            var y = v * 3.0;
            for (var i = 0; i < n; i++)
            {
                y.Sum().Backward();
                Console.WriteLine(y.Grad);
            }
            """;
        var diagnostics = await AssertSameAsync(Compile(Snippet.Method(body), TestReferences.All), "passes");
        Assert.DoesNotContain(diagnostics, d => d.Id == "SG0006");
        Assert.Contains(diagnostics, d => d.Id == "SG0004");
    }

    [Fact]
    public async Task A_loop_that_converges_slowly_is_left_to_the_graph_with_the_same_result()
    {
        // Each pass moves the tracked leaf one variable further: the fixpoint needs more walks than the bound allows.
        var names = Enumerable.Range(0, 16).Select(i => "t" + i.ToString(CultureInfo.InvariantCulture)).ToList();
        var declarations = string.Join("\n", names.Select(n => $"var {n} = Tensor.FromArray(new[] {{ 1.0 }});"));
        var shifts = string.Join("\n", names.Skip(1).Select((n, i) => $"    {names[i]} = {n};"));
        var body = $$"""
            {{declarations}}
            var w = Tensor.FromArray(new[] { 1.0 }, requiresGrad: true);
            for (var i = 0; i < n; i++)
            {
            {{shifts}}
                {{names[^1]}} = w * 2.0;
            }

            t0.Sum().Backward();
            """;
        var compilation = Compile(Snippet.Method(body), TestReferences.All);
        var diagnostics = await AssertSameAsync(compilation, "slow loop");
        Assert.DoesNotContain(diagnostics, d => d.Id == "SG0002");

        // The walk itself gives up (the analyzer then used the graph).
        var tree = compilation.SyntaxTrees.Single();
        var model = compilation.GetSemanticModel(tree);
        var syntax = tree.GetRoot().DescendantNodes().OfType<MethodDeclarationSyntax>().First(m => m.Identifier.Text == "M");
        var operation = model.GetOperation(syntax)!;
        var method = model.GetDeclaredSymbol(syntax)!;
        var api = TensorApi.CreateAll(compilation).First();
        var walked = FunctionBody.Walked(operation, FunctionBody.StatementsOf(operation)!);
        Assert.Throws<StructuredFlow.NotConverging>(() => TensorFlowAnalysis.AnalyzeTree(
            walked, method, GradMode.Enabled, api, new HashSet<ISymbol>(SymbolEqualityComparer.Default), new DiagnosticSink(_ => { }, api.Library),
            CallContext.Root(new SummaryCache(api), method), CancellationToken.None));
    }

    [Fact]
    public void Only_structured_bodies_are_walked()
    {
        string[] structured =
        [
            "var a = Tensor.FromArray(new[] { 1.0 }); for (var i = 0; i < n; i++) { a = a * 2.0; } a.Sum().Backward();",
            "var a = Tensor.FromArray(new[] { 1.0 }); using (Autograd.NoGrad()) { a = a * 2.0; } var b = flag ? a : a.Exp(); b.Sum().Backward();",
            "var a = Tensor.FromArray(new[] { 1.0 }); Func<Tensor, Tensor> f = t => t * 2.0; while (n > 0) { if (flag) { a = f(a); } else { a = a + 1.0; } n--; }",
            "var a = Tensor.FromArray(new[] { 1.0 }); for (var i = 0; i < n; i++) { if (flag) break; a = a * 2.0; }",
            "var a = Tensor.FromArray(new[] { 1.0 }); if (flag && n > 0 || !flag) { a.Sum().Backward(); }",
            "var (a, b) = (Tensor.FromArray(new[] { 1.0 }), 2.0); Console.WriteLine($\"{b:F2} {a}\");",
            "var a = Tensor.FromArray(new[] { 1.0 }); foreach (var x in new[] { a }) { x.Sum().Backward(); }",
            "var a = Tensor.FromArray(new[] { 1.0 }); foreach (var x in new[] { a }) { if (flag) break; x.Sum().Backward(); }",
            "var a = Tensor.FromArray(new[] { 1.0 }); for (var i = 0; i < n; i++) { if (flag) continue; a = a * 2.0; }",
            "var a = Tensor.FromArray(new[] { 1.0 }); var t = new double[2]; t[n] = flag ? 1.0 : 0.0; a = a is null ? a : a * 2.0;",
        ];
        string[] unstructured =
        [
            "var a = Tensor.FromArray(new[] { 1.0 }); try { a.Sum().Backward(); } catch (Exception) { }",
            "var a = Tensor.FromArray(new[] { 1.0 }); foreach (var x in new[] { a }) { if (flag) return; }",
            "var a = Tensor.FromArray(new[] { 1.0 }); for (var i = 0; i < n; i++) { using (Autograd.NoGrad()) { if (flag) continue; } }",
            "var a = Tensor.FromArray(new[] { 1.0 }); if (a is Tensor t) { t.Sum().Backward(); }",
            "var a = Tensor.FromArray(new[] { 1.0 }); for (var i = 0; i < n; i++) { using (Autograd.NoGrad()) { if (flag) break; } }",
            "var a = Tensor.FromArray(new[] { 1.0 }); var b = flag && n > 0; if (b) { a.Sum().Backward(); }",
            "var a = Tensor.FromArray(new[] { 1.0 }); var t = (a, 1.0); (a, var k) = t; a.Sum().Backward();",
            "var a = flag ? Tensor.FromArray(new[] { 1.0 }) : null; a?.Sum().Backward();",
            "var a = Tensor.FromArray(new[] { 1.0 }); Func<Tensor> f = () => { for (var i = 0; i < n; i++) { } return a; }; f().Sum().Backward();",
            "var a = Tensor.FromArray(new[] { 1.0 }); Tensor Twice(Tensor t) => t * 2.0; Twice(a).Sum().Backward();",
        ];
        foreach (var body in structured)
        {
            Assert.True(IsStructured(body), body);
        }

        foreach (var body in unstructured)
        {
            Assert.False(IsStructured(body), body);
        }
    }

    private static bool IsStructured(string body)
    {
        var compilation = Compile(Snippet.Method(body), TestReferences.All);
        var tree = compilation.SyntaxTrees.Single();
        var method = tree.GetRoot().DescendantNodes().OfType<MethodDeclarationSyntax>().First(m => m.Identifier.Text == "M");
        var operation = compilation.GetSemanticModel(tree).GetOperation(method)!;
        return StructuredBody.IsStructured(FunctionBody.StatementsOf(operation)!, TensorApi.CreateAll(compilation).First());
    }

    /// <summary>
    /// Checks every case of a corpus, side by side (each case is its own compilation; one after another they were a
    /// minute and a half of the suite on one thread), and counts the structured bodies of all of them.
    /// </summary>
    private static async Task<(int Walked, int Functions)> EachCaseAsync<T>(IEnumerable<T> cases, Func<T, Task<Compilation>> check, string? only = null)
    {
        var walked = 0;
        var functions = 0;
        await Parallel.ForEachAsync(cases, new ParallelOptions { MaxDegreeOfParallelism = Math.Max(1, Environment.ProcessorCount) }, async (corpusCase, _) =>
        {
            var compilation = await check(corpusCase);
            int caseWalked = 0, caseFunctions = 0;
            Count(compilation, ref caseWalked, ref caseFunctions, only);
            Interlocked.Add(ref walked, caseWalked);
            Interlocked.Add(ref functions, caseFunctions);
        });
        return (walked, functions);
    }

    private static void Count(Compilation compilation, ref int walked, ref int functions, string? only = null)
    {
        var api = TensorApi.CreateAll(compilation).FirstOrDefault();
        if (api is null)
        {
            return;
        }

        foreach (var tree in compilation.SyntaxTrees)
        {
            var model = compilation.GetSemanticModel(tree);
            foreach (var method in tree.GetRoot().DescendantNodes().OfType<MethodDeclarationSyntax>())
            {
                if ((only is null || method.Identifier.Text == only) && model.GetOperation(method) is { } operation && FunctionBody.StatementsOf(operation) is { } statements)
                {
                    functions++;
                    walked += StructuredBody.IsStructured(statements, api) ? 1 : 0;
                }
            }
        }
    }

    private static CSharpCompilation Compile(string source, ImmutableArray<MetadataReference> references)
    {
        var compilation = CSharpCompilation.Create(
            "Walk",
            [CSharpSyntaxTree.ParseText(source, new CSharpParseOptions(LanguageVersion.Latest))],
            references,
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, nullableContextOptions: NullableContextOptions.Enable));
        Assert.Empty(compilation.GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error));
        return compilation;
    }

    private static async Task<ImmutableArray<Diagnostic>> AssertSameAsync(Compilation compilation, string name)
    {
        var walked = await RunAsync(compilation, new TensorUsageAnalyzer(structuredWalks: true));
        var graphs = await RunAsync(compilation, new TensorUsageAnalyzer(structuredWalks: false));
        Assert.True(Describe(walked).SequenceEqual(Describe(graphs)), name + "\nwalk:\n" + string.Join("\n", Describe(walked)) + "\ngraph:\n" + string.Join("\n", Describe(graphs)));
        return walked;
    }

    private static IEnumerable<string> Describe(ImmutableArray<Diagnostic> diagnostics) =>
        diagnostics.Select(d => d.Id + " " + d.Location.SourceSpan + " " + d.GetMessage(CultureInfo.InvariantCulture)).OrderBy(s => s, StringComparer.Ordinal);

    private static async Task<ImmutableArray<Diagnostic>> RunAsync(Compilation compilation, DiagnosticAnalyzer analyzer)
    {
        var options = new CompilationWithAnalyzersOptions(new AnalyzerOptions([]), (exception, _, _) => throw exception, concurrentAnalysis: false, logAnalyzerExecutionTime: false);
        return await compilation.WithAnalyzers([analyzer], options).GetAnalyzerDiagnosticsAsync();
    }
}

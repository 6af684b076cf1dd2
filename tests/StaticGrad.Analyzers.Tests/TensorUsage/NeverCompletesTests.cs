using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Operations;
using StaticGrad.Analyzers.Tests.Verifiers;
using StaticGrad.Analyzers.TensorUsage.Analysis;
using StaticGrad.Analyzers.TensorUsage.Analysis.Interprocedural;
using StaticGrad.Analyzers.TensorUsage.Analysis.Structured;

namespace StaticGrad.Analyzers.Tests.TensorUsage;

/// <summary>
/// <see cref="FunctionBody.BlockNeverCompletes"/> asks the compiler's region analysis only where a throw, a goto or a
/// loop with a missing or constant condition could stop a path, and <see cref="FunctionBody.IsIteratorOrAsync"/> reads
/// yields on the operation tree (session 20b) only where the text spells <c>yield</c> (session 22b). Both must answer as
/// the full definitions do: the region analysis of every body, and a syntax scan for yield statements outside nested
/// functions.
/// </summary>
public class NeverCompletesTests
{
    private const string Source = """
        using System;
        using System.Collections.Generic;
        using System.Threading.Tasks;

        public static class Bodies
        {
            private const bool Forever = true;

            public static int Plain(int n) { var s = 0; for (var i = 0; i < n; i++) { s += i; } return s; }
            public static void NoReturn(int n) { var s = 0; while (n > 0) { s += n--; } do { s--; } while (s > 0); foreach (var x in new[] { 1 }) { s += x; } }
            public static void Throws() { throw new InvalidOperationException(); }
            public static void ThrowsSometimes(bool b) { if (b) { throw new InvalidOperationException(); } }
            public static int ThrowExpression(int? x) { var y = x ?? throw new ArgumentNullException(nameof(x)); return y; }
            public static void Endless() { while (true) { } }
            public static void EndlessConstant() { while (Forever) { } }
            public static void EndlessFor() { for (;;) { } }
            public static void EndlessDo() { do { } while (true); }
            public static void EndlessWithBreak(int n) { while (true) { if (n-- < 0) { break; } } }
            public static int EndlessWithReturn(int n) { while (true) { if (n-- < 0) { return n; } } }
            public static void GotoLoop() { top: goto top; }
            public static void GotoForward(bool b) { if (b) { goto end; } Console.WriteLine(); end: ; }
            public static void Switch(int k) { switch (k) { case 1: Console.WriteLine(); break; case 2: goto case 1; default: throw new ArgumentException(); } }
            public static void SwitchAllThrow(int k) { switch (k) { case 1: throw new ArgumentException(); default: throw new InvalidOperationException(); } }
            public static void Rethrow() { try { Console.WriteLine(); } catch (Exception) { throw; } }
            public static void FinallyThrows() { try { Console.WriteLine(); } finally { throw new InvalidOperationException(); } }
            public static void LambdaThrows() { Action a = () => throw new InvalidOperationException(); a(); }
            public static void LocalEndless() { Local(); static void Local() { while (true) { } } }
            public static IEnumerable<int> Iterator() { var i = 0; while (true) { yield return i++; } }
            public static IEnumerable<int> Breaks() { yield break; }
            public static int MentionsYield() { /* yield */ var s = 0; while (true) { if (s++ > 3) { return s; } } }
            public static int HasLocalIterator() { var s = 0; foreach (var x in Inner()) { s += x; } return s; static IEnumerable<int> Inner() { yield return 1; } }
            public static IEnumerable<int> LambdaInside() { Func<int> f = () => 1; return new[] { f() }; }
            public static async Task Async() { await Task.Yield(); while (true) { } }
            public static void IfConstant() { if (false) { return; } Console.WriteLine(); }
            public static void EarlyReturn(bool b) { if (b) { return; } Console.WriteLine(); }
        }
        """;

    [Fact]
    public void The_shortcuts_answer_as_the_full_definitions()
    {
        var compilation = CSharpCompilation.Create(
            "NeverCompletes",
            [CSharpSyntaxTree.ParseText(Source, new CSharpParseOptions(LanguageVersion.Latest))],
            TestReferences.All,
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary));
        Assert.Empty(compilation.GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error));
        var tree = compilation.SyntaxTrees.Single();
        var model = compilation.GetSemanticModel(tree);
        var cache = new SummaryCache(TensorApi.CreateAll(compilation).First());

        // Every method, lambda and local function body, as FunctionBody sees them.
        var functions = tree.GetRoot().DescendantNodes()
            .Where(n => n is MethodDeclarationSyntax or LocalFunctionStatementSyntax or AnonymousFunctionExpressionSyntax)
            .ToList();
        var neverCompletes = new List<string>();
        var iterators = new List<string>();
        foreach (var function in functions)
        {
            var operation = model.GetOperation(function)!;
            var root = operation is ILocalFunctionOperation local ? local.Body! : operation;
            var body = FunctionBody.Walked(root, root);
            var name = function switch
            {
                MethodDeclarationSyntax m => m.Identifier.Text,
                LocalFunctionStatementSyntax l => l.Identifier.Text,
                _ => "lambda in " + function.Ancestors().OfType<MethodDeclarationSyntax>().First().Identifier.Text,
            };

            // The full definitions, as they were computed before session 20b.
            var isAsync = function switch
            {
                BaseMethodDeclarationSyntax m => m.Modifiers.Any(SyntaxKind.AsyncKeyword),
                LocalFunctionStatementSyntax l => l.Modifiers.Any(SyntaxKind.AsyncKeyword),
                AnonymousFunctionExpressionSyntax l => l.Modifiers.Any(SyntaxKind.AsyncKeyword),
                _ => false,
            };
            var expectedIterator = isAsync || function.DescendantNodes(n => n == function || n is not (LocalFunctionStatementSyntax or AnonymousFunctionExpressionSyntax)).OfType<YieldStatementSyntax>().Any();
            var block = function switch
            {
                BaseMethodDeclarationSyntax { Body: { } b } => b,
                LocalFunctionStatementSyntax { Body: { } b } => b,
                AnonymousFunctionExpressionSyntax { Body: BlockSyntax b } => b,
                _ => null,
            };
            bool? expectedNever = block is null ? null
                : !expectedIterator && model.AnalyzeControlFlow(block) is { Succeeded: true } flow && !flow.EndPointIsReachable && flow.ReturnStatements.IsEmpty;

            Assert.True(expectedIterator == body.IsIteratorOrAsync, name + ": iterator or async");
            Assert.True(expectedNever == body.BlockNeverCompletes(cache), name + ": never completes");
            if (expectedNever == true)
            {
                neverCompletes.Add(name);
            }

            if (expectedIterator)
            {
                iterators.Add(name);
            }
        }

        // The cases cover both answers of both questions (a change of the source that lost them shows here). The
        // compiler's reachability takes LocalEndless's end for unreachable (its local function's endless loop is read
        // in line): the shortcut counts nested functions in, so it asks the region analysis there as well.
        Assert.Equal(["Throws", "Endless", "EndlessConstant", "EndlessFor", "EndlessDo", "GotoLoop", "SwitchAllThrow", "FinallyThrows", "LocalEndless", "Local"], neverCompletes);
        // MentionsYield spells yield only in a comment, HasLocalIterator only in its local function: both pass the text check.
        Assert.Equal(["Iterator", "Breaks", "Inner", "Async"], iterators);
    }

    [Fact]
    public void An_escaped_yield_is_no_yield_statement()
    {
        // The text check looks for the letters of `yield`: it is sound only if an escaped spelling is not the keyword.
        var tree = CSharpSyntaxTree.ParseText(
            "using System.Collections.Generic; static class C { static IEnumerable<int> F() { \\u0079ield return 1; } }",
            new CSharpParseOptions(LanguageVersion.Latest));
        Assert.Empty(tree.GetRoot().DescendantNodes().OfType<YieldStatementSyntax>());
        Assert.Contains(tree.GetDiagnostics(), d => d.Severity == DiagnosticSeverity.Error);
    }
}

using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using StaticGrad.Analyzers.Tests.TorchSharp;
using StaticGrad.Analyzers.Tests.Verifiers;
using StaticGrad.Analyzers.TensorUsage.Analysis;
using StaticGrad.Analyzers.TensorUsage.Analysis.Structured;

namespace StaticGrad.Analyzers.Tests.TensorUsage;

/// <summary>
/// The constructs walked since session 11 (<c>break</c>, <c>&amp;&amp;</c>/<c>||</c> conditions, deconstruction, tuples
/// and interpolated strings, TorchSharp's <c>using (torch.no_grad())</c>, constructors): each body is structured, and
/// the walk reports exactly what the graph reports, where a rule holds on every path and where it does not.
/// </summary>
public partial class StructuredWalkTests
{
    // A helper whose summary calls Backward on its argument: a condition that calls it changes the state on one edge only.
    private const string Members = """

            private static bool Step(Tensor loss)
            {
                loss.Backward();
                return true;
            }

            private static (Tensor Input, Tensor Target) Pair(bool grad) =>
                (Tensor.FromArray(new[] { 1.0 }, requiresGrad: grad), Tensor.FromArray(new[] { 2.0 }));
        """;

    public static TheoryData<string, string, string> StaticGradCases => new()
    {
        // break: the exit joins the condition's false edge and every break.
        {
            "break, reported on every path",
            "var w = Tensor.FromArray(new[] { 1.0 });\nvar y = w * 2.0;\nfor (var i = 0; i < n; i++)\n{\n    if (flag)\n    {\n        break;\n    }\n\n    y = y * 2.0;\n}\n\ny.Sum().Backward();",
            "SG0002"
        },
        {
            "break, not on every path",
            "var w = Tensor.FromArray(new[] { 1.0 }, requiresGrad: true);\nvar y = w * 2.0;\nfor (var i = 0; i < n; i++)\n{\n    if (flag)\n    {\n        break;\n    }\n\n    y = Tensor.FromArray(new[] { 3.0 });\n}\n\ny.Sum().Backward();",
            "-SG0002"
        },
        {
            "break after the state changed",
            "var w = Tensor.FromArray(new[] { 1.0 }, requiresGrad: true);\nvar y = w * 2.0;\nwhile (n > 0)\n{\n    y.Sum().Backward();\n    if (n > 5 && flag)\n    {\n        break;\n    }\n\n    y = w * 2.0;\n    n--;\n}\n\ny.Sum().Backward();",
            "-SG0005"
        },
        {
            "break in both branches",
            "var w = Tensor.FromArray(new[] { 1.0 });\nvar y = w * 3.0;\nfor (var i = 0; i < n; i++)\n{\n    if (flag)\n    {\n        n++;\n        break;\n    }\n    else if (i > 2 || n > 9)\n    {\n        n--;\n        break;\n    }\n}\n\ny.Sum().Backward();",
            "SG0002"
        },
        // && and ||: the operands' edges join in order.
        {
            "&&, the right operand runs on one path only",
            "var w = Tensor.FromArray(new[] { 1.0 }, requiresGrad: true);\nvar y = w.Exp().Sum();\nif (flag && Step(y))\n{\n    y.Backward();\n}",
            "SG0005"
        },
        {
            "&&, not after the if",
            "var w = Tensor.FromArray(new[] { 1.0 }, requiresGrad: true);\nvar y = w.Exp().Sum();\nif (flag && Step(y))\n{\n    n++;\n}\n\ny.Backward();",
            "-SG0005"
        },
        {
            "||, the else branch saw both operands",
            "var w = Tensor.FromArray(new[] { 1.0 }, requiresGrad: true);\nvar y = w.Exp().Sum();\nif (flag || !Step(y))\n{\n    n++;\n}\nelse\n{\n    y.Backward();\n}",
            "SG0005"
        },
        {
            "||, not in the then branch",
            "var w = Tensor.FromArray(new[] { 1.0 }, requiresGrad: true);\nvar y = w.Exp().Sum();\nif (flag || Step(y))\n{\n    y.Backward();\n}",
            "-SG0005"
        },
        {
            "nested short circuits in a loop condition and a conditional operator",
            "var w = Tensor.FromArray(new[] { 1.0 }, requiresGrad: true);\nvar y = (w * 2.0).Sum();\nfor (var i = 0; (i < n && flag) || (n > 3 && Step(y)); i++)\n{\n    y = (w * 2.0).Sum();\n}\n\nvar z = flag && n > 1 || !flag ? y : (w * 3.0).Sum();\nz.Backward();",
            "-SG0005"
        },
        // Deconstruction, tuples and interpolated strings.
        {
            "deconstruction, then a report",
            "var (input, target) = Pair(false);\nvar c = Tensor.FromArray(new[] { 1.0 });\nvar loss = (c * 2.0).Sum();\nConsole.WriteLine($\"loss {n:D3} {loss} {(input, target)}\");\nloss.Backward();",
            "SG0002"
        },
        {
            "deconstruction, its locals stay unknown",
            "var (input, target) = Pair(false);\nvar loss = (input * 2.0 - target).Sum();\nConsole.WriteLine($\"loss {n,4} {flag}\");\nloss.Backward();",
            "-SG0002"
        },
        // Scopes and loops together.
        {
            "NoGrad inside a loop with a break after it",
            "var w = Tensor.FromArray(new[] { 1.0 }, requiresGrad: true);\nTensor y = w * 2.0;\nfor (var i = 0; i < n; i++)\n{\n    using (Autograd.NoGrad())\n    {\n        y = w * 3.0;\n    }\n\n    if (i > 3 && flag)\n    {\n        break;\n    }\n}\n\ny.Sum().Backward();",
            "-SG0002"
        },
    };

    [Theory]
    [MemberData(nameof(StaticGradCases))]
    [MemberData(nameof(Session12Cases))]
    public async Task Walk_and_graph_agree_on_the_constructs_walked_since_session_11(string name, string body, string expected)
    {
        var compilation = Compile(Snippet.Method(body).Replace("    private static Action<Tensor>? Unknown;", "    private static Action<Tensor>? Unknown;\n" + Members, StringComparison.Ordinal), TestReferences.All);
        await AssertConstructAsync(compilation, name, expected);
    }

    [Theory]
    [InlineData("no_grad, reported inside", "var x = torch.ones(2, requires_grad: true);\nusing (torch.no_grad())\n{\n    var y = (x * x).sum();\n    y.backward();\n}", "SG0002")]
    [InlineData("no_grad, a tensor made inside", "var x = torch.ones(2, requires_grad: true);\nTensor y;\nusing (torch.no_grad())\n{\n    y = (x * x).sum();\n}\n\ny.backward();", "SG0002")]
    [InlineData("no_grad, a tensor made after", "var x = torch.ones(2, requires_grad: true);\nusing (var scope = torch.no_grad())\n{\n    if (flag)\n    {\n        return;\n    }\n}\n\nvar y = (x * x).sum();\ny.backward();", "-SG0002")]
    [InlineData("no_grad, a return inside", "var x = torch.ones(2, requires_grad: true);\nusing (torch.no_grad())\n{\n    if (flag)\n    {\n        return;\n    }\n\n    x = x * 2;\n}\n\nx.sum().backward();", "-SG0002")]
    [InlineData("no_grad in a loop with a break", "var x = torch.ones(2, requires_grad: true);\nvar total = 0.0;\nfor (var i = 0; i < n; i++)\n{\n    using (torch.no_grad())\n    {\n        total += (x * 2).sum().item<double>();\n    }\n\n    if (total > 3 || flag)\n    {\n        break;\n    }\n}\n\n(x * total).sum().backward();", "-SG0002")]
    [InlineData("foreach, reported in the body", "var w = torch.ones(2, requires_grad: true);\nvar items = new List<double>(new[] { 1.0, 2.0 });\nforeach (var v in items)\n{\n    w.add_(v);\n}", "SG0006")]
    [InlineData("foreach, continue, no_grad, reported after", "var w = torch.ones(2, requires_grad: true);\nvar items = new List<double>(new[] { 1.0, 2.0 });\nforeach (var v in items)\n{\n    if (v > 1)\n    {\n        continue;\n    }\n\n    using (torch.no_grad())\n    {\n        w.add_(v);\n    }\n}\n\nw.add_(1.0);", "SG0006")]
    [InlineData("a conditional assigned to a local", "var w = torch.ones(2, requires_grad: true);\nTensor y = w * 1.0;\ny = flag ? w * 2.0 : w.exp();\ny.sum().backward();", "-SG0002")]
    [InlineData("for, continue, reported on every path", "var c = torch.ones(2);\nvar y = c * 2.0;\nfor (var i = 0; i < n; i++)\n{\n    if (flag)\n    {\n        continue;\n    }\n\n    y = y * 2.0;\n}\n\ny.sum().backward();", "SG0002")]
    [InlineData("foreach, early stopping with a break", "var w = torch.ones(2, requires_grad: true);\nvar losses = new List<double>(new[] { 1.0, 0.5 });\nforeach (var l in losses)\n{\n    using (torch.no_grad())\n    {\n        w.add_(l);\n    }\n\n    if (l < 0.6)\n    {\n        break;\n    }\n}\n\nw.add_(1.0);", "SG0006")]
    public async Task Walk_and_graph_agree_on_TorchSharp_constructs(string name, string body, string expected)
    {
        await AssertConstructAsync(Compile(TorchSharpSnippet.Method(body), TestReferences.TorchSharp), name, expected);
    }

    [Theory]
    [InlineData("a constructor that reports", "public D(int n) : base(n)\n{\n    var t = Tensor.FromArray(new[] { 1.0 });\n    t.Sum().Backward();\n}", "SG0002")]
    [InlineData("a constructor that does not", "public D(int n) : base(n)\n{\n    var t = Tensor.FromArray(new[] { 1.0 }, requiresGrad: true);\n    Weight = t * 2.0;\n    (Weight * n).Sum().Backward();\n}", "-SG0002")]
    [InlineData("an expression-bodied constructor", "public D(int n) : base(n) => Tensor.FromArray(new[] { 1.0 }).Sum().Backward();", "SG0002")]
    public async Task Walk_and_graph_agree_on_constructors(string name, string constructor, string expected)
    {
        var source = $$"""
            using System;
            using StaticGrad;

            public class B
            {
                public B(int n) => N = n;

                public int N { get; }
            }

            public sealed class D : B
            {
            {{constructor}}

                public Tensor? Weight { get; }
            }
            """;
        await AssertConstructAsync(Compile(source, TestReferences.All), name, expected);
    }

    [Fact]
    public async Task A_primary_constructor_with_a_base_call_is_left_to_the_graph()
    {
        var source = """
            using StaticGrad;

            public class B
            {
                public B(Tensor t) => T = t;

                public Tensor T { get; }
            }

            public sealed class P(Tensor w) : B(w.Detach())
            {
                public Tensor Scaled { get; } = w * 2.0;
            }

            public static class Use
            {
                public static void M()
                {
                    var p = new P(Tensor.FromArray(new[] { 1.0 }, requiresGrad: true));
                    p.Scaled.Sum().Backward();
                    p.T.Grad?.Sum();
                }
            }
            """;
        var compilation = Compile(source, TestReferences.All);
        var tree = compilation.SyntaxTrees.Single();
        var model = compilation.GetSemanticModel(tree);
        var api = TensorApi.CreateAll(compilation).First();
        foreach (var node in tree.GetRoot().DescendantNodes())
        {
            if (model.GetOperation(node) is Microsoft.CodeAnalysis.Operations.IConstructorBodyOperation { BlockBody: null, ExpressionBody: null } primary)
            {
                Assert.False(StructuredBody.IsStructured(FunctionBody.StatementsOf(primary)!, api));
            }
        }

        await AssertSameAsync(compilation, "primary constructor");
    }

    private async Task AssertConstructAsync(Microsoft.CodeAnalysis.CSharp.CSharpCompilation compilation, string name, string expected)
    {
        var tree = compilation.SyntaxTrees.Single();
        var model = compilation.GetSemanticModel(tree);
        var api = TensorApi.CreateAll(compilation).First();
        var syntax = tree.GetRoot().DescendantNodes().OfType<BaseMethodDeclarationSyntax>()
            .First(m => m is ConstructorDeclarationSyntax { Parent: ClassDeclarationSyntax { Identifier.Text: "D" } } or MethodDeclarationSyntax { Identifier.Text: "M" });
        Assert.True(StructuredBody.IsStructured(FunctionBody.StatementsOf(model.GetOperation(syntax)!)!, api), name + ": structured");

        var diagnostics = await AssertSameAsync(compilation, name);
        output.WriteLine(name + ": " + string.Join(", ", diagnostics.Select(d => d.Id)));
        if (expected.StartsWith('-'))
        {
            Assert.DoesNotContain(diagnostics, d => d.Id == expected[1..]);
        }
        else
        {
            Assert.Contains(diagnostics, d => d.Id == expected);
        }
    }
}

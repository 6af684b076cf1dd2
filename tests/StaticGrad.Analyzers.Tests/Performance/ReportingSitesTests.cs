using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using StaticGrad.Analyzers.Tests.Verifiers;
using StaticGrad.Analyzers.TensorUsage.Analysis;

namespace StaticGrad.Analyzers.Tests.Performance;

/// <summary>
/// The pre-filter that keeps the flow analysis off methods where no rule can report: helpers, modules' Forward and
/// evaluation code are skipped, every statement a rule reports at keeps its method analyzed, in both libraries.
/// </summary>
public class ReportingSitesTests
{
    [Theory]
    [InlineData("static Tensor T(params double[] v) => Tensor.FromArray(v);", false)]
    [InlineData("static Tensor Loss(Tensor w, Tensor x) => ((w * x).Sum() - 1.0).Square();", false)]
    [InlineData("static double Eval(Tensor w) { using (Autograd.NoGrad()) { return (w * 2.0).Sum().Item(); } }", false)]
    [InlineData("static Tensor F(Linear l, Tensor x) => l.Forward(x).Tanh().Detach();", false)]
    [InlineData("static Tensor W() => Tensor.FromArray(new[] { 1.0 }, requiresGrad: false);", false)]
    [InlineData("static void B(Tensor y) => y.Backward();", true)]
    [InlineData("static Tensor W() => Tensor.FromArray(new[] { 1.0 }, requiresGrad: true);", true)]
    [InlineData("static Tensor? G(Tensor w) => w.Grad;", true)]
    [InlineData("static void R(Tensor w) { w.RequiresGrad = false; }", true)]
    [InlineData("static void U(Tensor w) => w.AddInPlace(w);", true)]
    [InlineData("static void S(Sgd o) => o.Step();", true)]
    [InlineData("static Sgd O(Tensor w) => new Sgd(new[] { w }, lr: 0.1);", true)]
    [InlineData("static Tensor A(Tensor loss) { var total = loss; total = total + loss; return total; }", true)]
    [InlineData("static Tensor D(Tensor loss) { var total = loss; total += loss; return total; }", true)]
    [InlineData("static Func<double> L(Tensor y) => () => { y.Backward(); return 0.0; };", true)]
    public void StaticGrad_methods(string member, bool mayReport) =>
        Assert.Equal(mayReport, MayReport(TestReferences.All, "using System; using StaticGrad; using StaticGrad.Nn; using StaticGrad.Optim;", member, extra: ""));

    [Fact]
    public void An_inference_mode_scope_anywhere_keeps_every_tensor_method_analyzed() =>
        Assert.True(MayReport(
            TestReferences.All,
            "using System; using StaticGrad;",
            "static Tensor Loss(Tensor w, Tensor x) => (w * x).Sum();",
            extra: "static IDisposable Scope() => Autograd.InferenceMode();"));

    [Theory]
    [InlineData("static torch.Tensor T(double[] v) => torch.tensor(v);", false)]
    [InlineData("static torch.Tensor L(torch.Tensor w, torch.Tensor x) => (w * x).sum();", false)]
    [InlineData("static void B(torch.Tensor y) => y.backward();", true)]
    [InlineData("static torch.Tensor W(double[] v) => torch.tensor(v, requires_grad: true);", true)]
    [InlineData("static void U(torch.Tensor w) => w.add_(w);", true)]
    public void TorchSharp_methods(string member, bool mayReport) =>
        Assert.Equal(mayReport, MayReport(TestReferences.TorchSharp, "using System; using TorchSharp;", member, extra: ""));

    private static bool MayReport(ImmutableArray<MetadataReference> references, string usings, string member, string extra)
    {
        var source = $"{usings}\npublic static class C\n{{\n{member}\n{extra}\n}}\n";
        var tree = CSharpSyntaxTree.ParseText(source, new CSharpParseOptions(LanguageVersion.Latest));
        var compilation = CSharpCompilation.Create("Sites", [tree], references, new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, nullableContextOptions: NullableContextOptions.Enable));
        Assert.Empty(compilation.GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error));

        var api = Assert.Single(TensorApi.CreateAll(compilation));
        var model = compilation.GetSemanticModel(tree);
        var method = tree.GetRoot().DescendantNodes().OfType<MethodDeclarationSyntax>().First();
        var body = model.GetOperation(method);
        Assert.NotNull(body);
        return new ReportingSites(api).MayReport(body);
    }
}

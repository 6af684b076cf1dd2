using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using StaticGrad.Analyzers.TensorUsage.Analysis;
using StaticGrad.Analyzers.TensorUsage.Analysis.Interprocedural;
using StaticGrad.Analyzers.Tests.Verifiers;
using Verify = StaticGrad.Analyzers.Tests.Verifiers.AnalyzerVerifier<StaticGrad.Analyzers.TensorUsage.TensorUsageAnalyzer>;

namespace StaticGrad.Analyzers.Tests.Interprocedural;

/// <summary>
/// A call that returns no tensor, of a method with no tensor parameter whose body provably changes nothing the caller
/// holds, is passed over without a summary (session 17: the cost benchmark's data helpers were summarized once per
/// grad mode). Every helper below that has an effect must still be summarized, or the analysis would keep a grad mode
/// or a fact that the call changed: a wrong skip shows as a missed report or as a false positive.
/// </summary>
public class EffectFreeCalleeTests
{
    private const string Helpers = """
        using System;
        using System.Linq;
        using StaticGrad;

        public interface ICallback { double Value(); }

        public static class H
        {
            private static Tensor _shared = Tensor.FromArray(new[] { 1.0 });
            private static Func<double> _hook = () => 1.0;

            public static double[] Data(int n) { var d = new double[n]; for (var i = 0; i < n; i++) d[i] = Math.Sin(i); return d; }
            public static (Tensor Inputs, Tensor Targets) Batch(int n) => (Tensor.FromArray(Data(n)), Tensor.FromArray(Data(n).Select(v => v * 2).ToArray()));
            public static double Off() { Autograd.SetGradEnabled(false); return 0; }
            public static double Outer() => Off() + 1;
            public static double Run(ICallback c) => c.Value();
            public static double Tracked() => Tensor.FromArray(new[] { 1.0 }, requiresGrad: true).Sum().Item();
            public static double Untracked() => Tensor.FromArray(new[] { 1.0 }, requiresGrad: false).Sum().Item();
            public static double Param(Tensor t) => t.Sum().Item();
            public static Tensor Make() => Tensor.FromArray(new[] { 1.0 });
            public static double Store() { _shared = Tensor.FromArray(new[] { 2.0 }); return 0; }
            public static double Throws(int n) => n > 0 ? n : throw new ArgumentException("n");
            public static int Recursive(int n) => n == 0 ? 0 : Recursive(n - 1);
            public static double Backward() { var t = Tensor.FromArray(new[] { 1.0 }, requiresGrad: true); (t * 2.0).Sum().Backward(); return 0; }
            public static double Hook() { var f = _hook; return f(); }
            public static double Scoped() { using (Autograd.NoGrad()) { return Data(2)[0]; } }
            public static int D1() => D2() + 1;
            public static int D2() => D3() + 1;
            public static int D3() => D4() + 1;
            public static int D4() => D5() + 1;
            public static int D5() => 1;
        }
        """;

    [Fact]
    public void Only_helpers_without_effects_and_tensor_results_are_passed_over()
    {
        // One compilation for every helper: each decision is read from its own method.
        var compilation = CSharpCompilation.Create(
            "EffectFree",
            [CSharpSyntaxTree.ParseText(Helpers, new CSharpParseOptions(LanguageVersion.Latest))],
            TestReferences.All,
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, nullableContextOptions: NullableContextOptions.Enable));
        Assert.Empty(compilation.GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error));
        var callees = new SummaryCache(TensorApi.CreateAll(compilation).First()).EffectFree;
        var type = compilation.GetTypeByMetadataName("H")!;
        var passedOver = type.GetMembers().OfType<IMethodSymbol>()
            .Where(m => m.MethodKind == MethodKind.Ordinary && callees.IsEffectFreeWithoutTensorResult(m, CancellationToken.None))
            .Select(m => m.Name)
            .OrderBy(n => n, StringComparer.Ordinal);

        // D1 is five calls deep (the summaries' bound is four); Batch's lambda is made by the helper (it stays summarized).
        // Param reads its tensor only through pure operations and returns a number (passed over since session 19).
        Assert.Equal(new[] { "D2", "D3", "D4", "D5", "Data", "Param", "Untracked" }, passedOver);
    }

    private static string Caller(string body) => Helpers + $$"""

        public static class Caller
        {
            public static void Run(ICallback callback)
            {
                var w = Tensor.FromArray(new[] { 1.0, 2.0 }, requiresGrad: true);
                {{body}}
            }
        }
        """;

    [Fact]
    public Task A_helper_that_turns_grad_off_two_calls_down_is_still_followed() =>
        Verify.VerifyAsync(Caller("var x = H.Outer();\nvar y = (w * x).Sum();\n{|SG0002:y.Backward()|};"));

    [Fact]
    public Task A_passed_over_helper_keeps_the_grad_mode_of_its_caller() =>
        Verify.VerifyAsync(Caller("using (Autograd.NoGrad())\n{\n    var d = H.Data(2);\n    var y = (w * d[0]).Sum();\n    {|SG0002:y.Backward()|};\n}"));

    [Fact]
    public Task A_helper_that_runs_user_code_leaves_the_grad_mode_unknown() =>
        Verify.VerifyAsync(Caller("using (Autograd.NoGrad())\n{\n    var z = H.Run(callback);\n    var y = (w * z).Sum();\n    y.Backward();\n}"));
}

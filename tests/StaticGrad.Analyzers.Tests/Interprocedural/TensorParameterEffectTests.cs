using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Operations;
using StaticGrad.Analyzers.TensorUsage.Analysis;
using StaticGrad.Analyzers.TensorUsage.Analysis.Interprocedural;
using StaticGrad.Analyzers.Tests.Verifiers;
using Verify = StaticGrad.Analyzers.Tests.Verifiers.AnalyzerVerifier<StaticGrad.Analyzers.TensorUsage.TensorUsageAnalyzer>;

namespace StaticGrad.Analyzers.Tests.Interprocedural;

/// <summary>
/// Session 19 (adversarial): a helper may now take tensors and still be passed over without a summary when every tensor
/// parameter is only an operand of the library's pure tensor operations (or a library layer's forward) and no rule can
/// read the call's result (a plain value; or a tensor read only by <c>Item()</c>, dropped, or handed to another call
/// passed over for the same reasons). Each helper below that stores, returns, changes or hands on its tensor, or whose
/// result a rule can read, must still be summarized: a wrong skip shows as a missed report or a false positive. One
/// compilation per library; each call site in <c>Sites.Run</c> is judged by the hook the interpreter uses.
/// </summary>
public class TensorParameterEffectTests
{
    private const string StaticGradHelpers = """
        using System;
        using System.Collections.Generic;
        using StaticGrad;
        using StaticGrad.Nn;
        using StaticGrad.Optim;

        public interface IScore { double Value(Tensor t); }

        public sealed class Net : Module
        {
            private readonly Linear _layer;
            public Net() { _layer = RegisterModule("layer", new Linear(2, 1)); }
            public override Tensor Forward(Tensor x) => _layer.Forward(x).Relu();
            public Tensor Keep(Tensor x) { Kept = x; return x.Sum(); }
            public Tensor? Kept { get; private set; }
        }

        public static class T
        {
            private static Tensor? _kept;
            private static readonly List<Tensor> _list = new();
            private static IScore? _score;

            public static double Score(Tensor t) => t.Sum().Item();
            public static Tensor Mse(Tensor p, Tensor q) => (p - q).Square().Mean();
            public static Tensor Twice(Tensor p) => Mse(p * 2.0, p);
            public static double Shape(Tensor t) => t.Reshape(-1).Abs().Max().Item();
            public static double Store(Tensor t) { _kept = t; return 0; }
            public static double StoreDerived(Tensor t) { _kept = t.Sum(); return 0; }
            public static double Collect(Tensor t) { _list.Add(t.Sum()); return 0; }
            public static Tensor Id(Tensor t) => t;
            public static (Tensor, int) Pair(Tensor t) => (t.Sum(), 1);
            public static object Boxed(Tensor t) => t.Sum();
            public static double Bump(Tensor t) { t.AddInPlace(t); return 0; }
            public static double Freeze(Tensor t) { t.RequiresGrad = false; return 0; }
            public static double Back(Tensor t) { t.Sum().Backward(); return 0; }
            public static double ReadGrad(Tensor t) => t.Grad!.Sum().Item();
            public static double Detached(Tensor t) { t.DetachInPlace(); return 0; }
            public static double Optimize(Tensor t) { var o = new Sgd(new[] { new Parameter(t) }, lr: 0.1); return 0; }
            public static double Lambda(Tensor t) { Func<double> f = () => t.Sum().Item(); return f(); }
            public static double ToUser(Tensor t) => Score(t);
            public static double Virtual(Tensor t) => _score!.Value(t);
            public static double Generic<TT>(TT t) where TT : Tensor => t.Sum().Item();
            public static double ByRef(ref Tensor t) { t = t.Sum(); return 0; }
            public static double Print(Tensor t) { Console.WriteLine(t); return 0; }
            public static double Compare(Tensor t) => t is null ? 0 : 1;
            public static double Reassign(Tensor t) { t = t * 2.0; return t.Sum().Item(); }
            public static Tensor Off(Tensor t) { Autograd.SetGradEnabled(false); return t * 2.0; }
            public static Tensor Scoped(Tensor t) { using (Autograd.NoGrad()) { return t * 2.0; } }
            public static Tensor Tracked(Tensor t) => t * Tensor.FromArray(new[] { 1.0, 2.0 }, requiresGrad: true);
            public static Tensor Throws(Tensor t) => throw new ArgumentException(t.ToString());
        }

        public static class Sites
        {
            public static void Run(Net net, Tensor w)
            {
                T.Score(w);
                T.Mse(w, w).Item();
                T.Mse(w, w);
                T.Twice(w).Item();
                T.Shape(w);
                T.Mse(net.Forward(w), w).Item();
                T.Mse(w, w).Detach();
                var kept = T.Mse(w, w);
                var sum = T.Mse(w, w).Sum();
                net.Keep(T.Mse(w, w)).Item();
                T.Store(w);
                T.StoreDerived(w);
                T.Collect(w);
                T.Id(w).Item();
                T.Pair(w);
                T.Boxed(w);
                T.Bump(w);
                T.Freeze(w);
                T.Back(w);
                T.ReadGrad(w);
                T.Detached(w);
                T.Optimize(w);
                T.Lambda(w);
                T.ToUser(w);
                T.Virtual(w);
                T.Generic(w);
                T.ByRef(ref w);
                T.Print(w);
                T.Compare(w);
                T.Reassign(w);
                T.Off(w).Item();
                T.Scoped(w).Item();
                T.Tracked(w).Item();
                T.Throws(w).Item();
            }
        }
        """;

    private const string TorchSharpHelpers = """
        using System;
        using System.Collections.Generic;
        using TorchSharp;
        using TorchSharp.Modules;
        using static TorchSharp.torch;

        public sealed class Net : nn.Module<Tensor, Tensor>
        {
            private readonly Linear _layer;
            public Net() : base("net") { _layer = nn.Linear(2, 1); RegisterComponents(); }
            public override Tensor forward(Tensor x) => _layer.forward(x).relu();
        }

        public static class T
        {
            private static Tensor _kept;
            private static readonly List<Tensor> _list = new();

            public static double Score(Tensor t) => t.sum().item<double>();
            public static Tensor Mse(Tensor p, Tensor q) => (p - q).square().mean();
            public static double Static(Tensor t) => torch.mean(torch.abs(t)).item<double>();
            public static double Store(Tensor t) { _kept = t.sum(); return 0; }
            public static double Collect(Tensor t) { _list.Add(t); return 0; }
            public static double Bump(Tensor t) { t.add_(1); return 0; }
            public static double Track(Tensor t) { t.requires_grad_(); return 0; }
            public static double Back(Tensor t) { t.sum().backward(); return 0; }
            public static double ReadGrad(Tensor t) => t.grad.sum().item<double>();
            public static double Detached(Tensor t) { t.detach_(); return 0; }
            public static double Optimize(Tensor t) { var o = torch.optim.SGD(new[] { new Parameter(t) }, 0.1); return 0; }
            public static double Lambda(Tensor t) { Func<double> f = () => t.sum().item<double>(); return f(); }
            public static double Scope(Tensor t) { using var scope = torch.NewDisposeScope(); return t.sum().item<double>(); }
            public static double Moved(Tensor t) { t.MoveToOuterDisposeScope(); return 0; }
            public static double Disposes(Tensor t) { t.Dispose(); return 0; }
            public static Tensor Off(Tensor t) { using (torch.no_grad()) { return t * 2; } }
            public static Tensor Factory(Tensor t) => t * torch.ones(2, requires_grad: true);
        }

        public static class Sites
        {
            public static void Run(Net net, Tensor w)
            {
                T.Score(w);
                T.Mse(w, w).item<double>();
                T.Static(w);
                T.Mse(net.forward(w), w).item<double>();
                T.Mse(w, w).detach();
                T.Store(w);
                T.Collect(w);
                T.Bump(w);
                T.Track(w);
                T.Back(w);
                T.ReadGrad(w);
                T.Detached(w);
                T.Optimize(w);
                T.Lambda(w);
                T.Scope(w);
                T.Moved(w);
                T.Disposes(w);
                T.Off(w).item<double>();
                T.Factory(w).item<double>();
            }
        }
        """;

    /// <summary>
    /// Each call of <c>Sites.Run</c> in order, as "callee" (or "outer/callee" for a call inside another call's
    /// arguments), with whether the interpreter's hook passes it over.
    /// </summary>
    private static List<(string Call, bool PassedOver)> Decisions(string source, IEnumerable<MetadataReference> references)
    {
        var tree = CSharpSyntaxTree.ParseText(source, new CSharpParseOptions(LanguageVersion.Latest));
        var compilation = CSharpCompilation.Create(
            "TensorParameterEffects", [tree], references,
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, nullableContextOptions: NullableContextOptions.Enable));
        Assert.Empty(compilation.GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error));
        var callees = new SummaryCache(TensorApi.CreateAll(compilation).First()).EffectFree;
        var run = compilation.GetTypeByMetadataName("Sites")!.GetMembers("Run").Single();
        var syntax = run.DeclaringSyntaxReferences.Single().GetSyntax();
        var body = compilation.GetSemanticModel(tree).GetOperation(syntax)!;
        return body.Descendants().OfType<IInvocationOperation>()
            .Where(i => i.TargetMethod.ContainingType.Name is "T" or "Net")
            .OrderBy(i => i.Syntax.SpanStart)
            .Select(i => (Name(i), callees.CanPassOver(i, i.TargetMethod.OriginalDefinition, CancellationToken.None)))
            .ToList();

        static string Name(IInvocationOperation call) =>
            call.Parent is IArgumentOperation { Parent: IInvocationOperation outer } ? outer.TargetMethod.Name + "/" + call.TargetMethod.Name : call.TargetMethod.Name;
    }

    [Fact]
    public void StaticGrad_tensor_parameters_read_only_by_pure_operations_are_passed_over_and_nothing_else()
    {
        var decisions = Decisions(StaticGradHelpers, TestReferences.All);
        Assert.Equal(36, decisions.Count);
        var passed = decisions.Where(d => d.PassedOver).Select(d => d.Call).ToList();

        // Score, Shape: a number from pure reads. Mse with .Item() or dropped, Mse of the module's forward and that
        // forward (its layer's forward only reads the input): tensors nobody reads. Twice hands its parameter to user
        // code (Mse) and is summarized, though Mse would be passed over: the check reads one body at a time. Id returns
        // its parameter as its tensor result, which only Item() reads (since the session 19 fix, a parameter is followed
        // to the method's tensor result like any alias of it).
        Assert.Equal(new[] { "Score", "Mse", "Mse", "Shape", "Mse", "Mse/Forward", "Id" }, passed);
    }

    [Fact]
    public void TorchSharp_tensor_parameters_read_only_by_pure_operations_are_passed_over_and_nothing_else()
    {
        var decisions = Decisions(TorchSharpHelpers, TestReferences.TorchSharp);
        Assert.Equal(20, decisions.Count);
        var passed = decisions.Where(d => d.PassedOver).Select(d => d.Call).ToList();
        Assert.Equal(new[] { "Score", "Mse", "Static", "Mse", "Mse/forward" }, passed);
    }

    private static string Caller(string body) => StaticGradHelpers.Replace("public static class Sites", $$"""
        public static class Caller
        {
            public static void Check(Net net)
            {
                var w = Tensor.FromArray(new[] { 1.0, 2.0 }, requiresGrad: true);
                {{body}}
            }
        }

        public static class Sites
        """, StringComparison.Ordinal);

    [Fact]
    public Task A_passed_over_helper_with_tensor_arguments_keeps_the_callers_mode_and_facts() =>
        Verify.VerifyAsync(Caller("""
            using (Autograd.NoGrad())
            {
                var score = T.Mse(net.Forward(w), w).Item() + T.Score(w);
                var y = (w * score).Sum();
                {|SG0002:y.Backward()|};
            }
            """));

    [Fact]
    public Task A_helper_that_turns_grad_off_behind_a_tensor_result_is_still_followed() =>
        Verify.VerifyAsync(Caller("""
            var d = T.Off(w).Item();
            var y = (w * d).Sum();
            {|SG0002:y.Backward()|};
            """));
}

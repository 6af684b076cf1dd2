using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.FlowAnalysis;
using Microsoft.CodeAnalysis.Operations;
using StaticGrad.Analyzers.TensorUsage.Analysis;
using StaticGrad.Analyzers.TensorUsage.Analysis.Interprocedural;
using StaticGrad.Analyzers.TensorUsage.Rules;

namespace StaticGrad.Analyzers.TensorUsage;

/// <summary>
/// Reports PyTorch's run-time autograd errors at compile time: runs the flow analysis on every method, lambda and
/// local function that touches a tensor of StaticGrad or TorchSharp (one API description per library, the same
/// rules), and reports what holds on every path.
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class TensorUsageAnalyzer : DiagnosticAnalyzer
{
    /// <inheritdoc />
    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } = ImmutableArray.Create(
        RequiresGradOnNonLeafRule.Descriptor,
        BackwardWithoutGradRule.Descriptor,
        RequiresGradOnNonFloatingRule.Descriptor,
        GradOfNonLeafRule.Descriptor,
        BackwardTwiceRule.Descriptor,
        InPlaceOnLeafRule.Descriptor,
        RetainGradWithoutGradRule.Descriptor,
        GradInputWithoutGradRule.Descriptor,
        ImplicitBackwardNonScalarRule.Descriptor,
        SetRequiresGradOnNonLeafRule.Descriptor,
        InferenceTensorRule.Descriptor,
        FrozenParameterRule.Descriptor,
        OptimizerNonLeafRule.Descriptor,
        GradientSizeMismatchRule.Descriptor,
        LossAccumulatedRule.Descriptor);

    /// <inheritdoc />
    public override void Initialize(AnalysisContext context)
    {
        context.EnableConcurrentExecution();
        context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
        context.RegisterCompilationStartAction(start =>
        {
            // Resolved once per compilation: a project that references neither library registers nothing and pays nothing.
            foreach (var api in TensorApi.CreateAll(start.Compilation))
            {
                var summaries = new SummaryCache(api);
                var sites = new ReportingSites(api);
                start.RegisterOperationBlockAction(block => AnalyzeBlock(block, api, summaries, sites));
            }
        });
    }

    private static void AnalyzeBlock(OperationBlockAnalysisContext context, TensorApi api, SummaryCache summaries, ReportingSites sites)
    {
        // The graph and the fixpoint are most of the analyzer's cost: spent only where some rule could report.
        if (!context.OperationBlocks.Any(sites.MayReport))
        {
            return;
        }

        // The blocks of a method (its body, its expression body) hang under one IMethodBodyOperation: analyze that root once.
        var roots = new List<(IOperation Block, IOperation Root)>();
        foreach (var block in context.OperationBlocks)
        {
            var root = block;
            while (root.Parent is not null)
            {
                root = root.Parent;
            }

            if (root.Kind is OperationKind.MethodBody or OperationKind.ConstructorBody && !roots.Any(r => r.Root == root))
            {
                roots.Add((block, root));
            }
        }

        var untrackable = new HashSet<ISymbol>(SymbolEqualityComparer.Default);
        foreach (var (_, root) in roots)
        {
            UntrackableVariables.Collect(root, context.OwningSymbol, untrackable);
        }

        var sink = new DiagnosticSink(context.ReportDiagnostic, api.Library);
        foreach (var (block, root) in roots)
        {
            var graph = context.GetControlFlowGraph(block);

            // Grad mode is on unless something turned it off (PyTorch's default on every thread). Lambdas and local
            // functions run whenever they are invoked: the same holds for them only if this method never changes it.
            var nestedEntry = ChangesGradMode(root, api) ? GradMode.Unknown : GradMode.Enabled;
            AnalyzeGraph(graph, context.OwningSymbol, GradMode.Enabled, nestedEntry, api, untrackable, sink, summaries, context);
        }
    }

    private static void AnalyzeGraph(ControlFlowGraph graph, ISymbol function, GradMode entryMode, GradMode nestedEntry, TensorApi api, HashSet<ISymbol> untrackable, DiagnosticSink sink, SummaryCache summaries, OperationBlockAnalysisContext context)
    {
        TensorFlowAnalysis.Analyze(graph, function, entryMode, api, untrackable, sink, CallContext.Root(summaries, function), context.CancellationToken);

        foreach (var localFunction in graph.LocalFunctions)
        {
            AnalyzeGraph(graph.GetLocalFunctionControlFlowGraph(localFunction, context.CancellationToken), localFunction, nestedEntry, nestedEntry, api, untrackable, sink, summaries, context);
        }

        foreach (var lambda in graph.Blocks.SelectMany(b => b.Operations.Append(b.BranchValue)).Where(o => o is not null).SelectMany(o => o!.DescendantsAndSelf()).OfType<IFlowAnonymousFunctionOperation>())
        {
            AnalyzeGraph(graph.GetAnonymousFunctionControlFlowGraph(lambda, context.CancellationToken), lambda.Symbol, nestedEntry, nestedEntry, api, untrackable, sink, summaries, context);
        }
    }

    private static bool ChangesGradMode(IOperation root, TensorApi api) =>
        root.DescendantsAndSelf().Any(o =>
            o is IInvocationOperation { TargetMethod: var method } && api.IsAutogradMember(method) && TensorApi.IsGradModeName(api.NameOf(method)));
}

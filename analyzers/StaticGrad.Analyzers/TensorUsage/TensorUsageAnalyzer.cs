using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.FlowAnalysis;
using Microsoft.CodeAnalysis.Operations;
using StaticGrad.Analyzers.TensorUsage.Analysis;
using StaticGrad.Analyzers.TensorUsage.Analysis.Interprocedural;
using StaticGrad.Analyzers.TensorUsage.Analysis.Structured;
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
    private readonly bool _structuredWalks;
    private readonly System.Action<BodyRoute, ISymbol>? _trace;
    private readonly WalkCountTotal? _counts;

    /// <summary>Creates the analyzer; structured bodies are analyzed by walking their operation trees.</summary>
    public TensorUsageAnalyzer()
        : this(structuredWalks: true)
    {
    }

    /// <param name="structuredWalks">False analyzes every body on its control flow graph (tests compare both).</param>
    /// <param name="trace">Told how each analyzed or summarized body is read (tests count the bodies left to graphs).</param>
    /// <param name="counts">Given the work of every callback (summaries, bound bodies, states, allocations; tests and the cost harness).</param>
    internal TensorUsageAnalyzer(bool structuredWalks, System.Action<BodyRoute, ISymbol>? trace = null, WalkCountTotal? counts = null)
    {
        _structuredWalks = structuredWalks;
        _trace = trace;
        _counts = counts;
    }

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
        LossAccumulatedRule.Descriptor,
        DetachViewInPlaceRule.Descriptor);

    /// <inheritdoc />
    public override void Initialize(AnalysisContext context)
    {
        context.EnableConcurrentExecution();
        context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
        context.RegisterCompilationStartAction(start =>
        {
            // A project that references neither library registers nothing and pays nothing. The API is resolved at the
            // first block, once per compilation: by then the compiler has bound the references and loaded the namespaces
            // its lookups read (its own work, which a lookup here would be charged for).
            var compilation = start.Compilation;
            foreach (var library in TensorApi.Candidates(compilation))
            {
                var state = new System.Lazy<LibraryState?>(
                    () => TensorApi.For(compilation, library) is { } api ? new LibraryState(api, new SummaryCache(api, _structuredWalks, _trace), new ReportingSites(api)) : null,
                    System.Threading.LazyThreadSafetyMode.ExecutionAndPublication);
                if (_counts is { } counts)
                {
                    start.RegisterOperationBlockAction(block =>
                    {
                        var before = WalkCounts.Now(counts.AllocatedBytes);
                        AnalyzeBlock(block, state.Value);
                        counts.Add(WalkCounts.Now(counts.AllocatedBytes) - before);
                    });
                }
                else
                {
                    start.RegisterOperationBlockAction(block => AnalyzeBlock(block, state.Value));
                }
            }
        });
    }

    /// <summary>What the analysis of one library shares across a compilation's blocks.</summary>
    private sealed record LibraryState(TensorApi Api, SummaryCache Summaries, ReportingSites Sites);

    private void AnalyzeBlock(OperationBlockAnalysisContext context, LibraryState? state)
    {
        if (state is not null)
        {
            AnalyzeBlock(context, state.Api, state.Summaries, state.Sites);
        }
    }

    private void AnalyzeBlock(OperationBlockAnalysisContext context, TensorApi api, SummaryCache summaries, ReportingSites sites)
    {
        // The blocks of a method (its body, its expression body) hang under one IMethodBodyOperation: analyze that root once.
        var roots = new List<(IOperation Block, IOperation Root)>();
        foreach (var block in context.OperationBlocks)
        {
            var root = block;
            while (root.Parent is not null)
            {
                root = root.Parent;
            }

            if (root.Kind is OperationKind.MethodBody or OperationKind.ConstructorBody && !roots.Exists(r => r.Root == root))
            {
                roots.Add((block, root));
            }
        }

        // Graphs and fixpoints are most of the analyzer's cost: spent only on functions where some rule could report.
        var analyzed = new HashSet<ISymbol>(SymbolEqualityComparer.Default);
        var visited = new HashSet<ISymbol>(SymbolEqualityComparer.Default);
        foreach (var (_, root) in roots)
        {
            sites.Collect(root, context.OwningSymbol, analyzed, visited);
        }

        // Callers' summaries read this body from the driver's tree instead of binding it again. Kept only for a method
        // whose signature carries a tensor (the helpers summaries read), so that an IDE's compilation does not hold
        // the operation trees of a whole project.
        if (context.OwningSymbol is IMethodSymbol owner && (api.IsTensor(owner.ReturnType) || owner.Parameters.Any(p => api.IsTensor(p.Type))))
        {
            foreach (var (_, root) in roots)
            {
                api.Bodies.Offer(root);
            }
        }

        if (visited.Count == 0)
        {
            return;
        }

        var untrackable = new HashSet<ISymbol>(SymbolEqualityComparer.Default);
        foreach (var (_, root) in roots)
        {
            UntrackableVariables.Collect(root, context.OwningSymbol, untrackable);
        }

        var scope = new Scope(api, untrackable, new DiagnosticSink(context.ReportDiagnostic, api.Library), summaries, analyzed, visited, context.CancellationToken);

        foreach (var (block, root) in roots)
        {
            // Grad mode is on unless something turned it off (PyTorch's default on every thread). Lambdas and local
            // functions run whenever they are invoked: the same holds for them only if this method never changes it,
            // and never gives a delegate to a method with source, which may call it under NoGrad (`Evaluate(() => …)`).
            var nestedEntry = ChangesGradModeOrGivesDelegateToSource(root, api) ? GradMode.Unknown : GradMode.Enabled;
            if (summaries.WalkedBody(root) is { } walked)
            {
                // A structured body is walked without a graph; its reports wait until the walk has converged, and a
                // walk that would not converge as quickly as the graph's fixpoint leaves the body to the graph.
                var reports = new List<Diagnostic>();
                try
                {
                    AnalyzeWalked(walked, context.OwningSymbol, GradMode.Enabled, nestedEntry, scope with { Sink = new DiagnosticSink(reports.Add, api.Library) });
                    foreach (var diagnostic in reports)
                    {
                        context.ReportDiagnostic(diagnostic);
                    }

                    _trace?.Invoke(BodyRoute.ReportedWalk, context.OwningSymbol);
                    continue;
                }
                catch (StructuredFlow.NotConverging)
                {
                    _trace?.Invoke(BodyRoute.ReportedWalkNotConverging, context.OwningSymbol);
                }
            }

            _trace?.Invoke(BodyRoute.ReportedGraph, context.OwningSymbol);
            AnalyzeGraph(context.GetControlFlowGraph(block), context.OwningSymbol, GradMode.Enabled, nestedEntry, scope);
        }
    }

    private static void AnalyzeWalked(FunctionBody body, ISymbol function, GradMode entryMode, GradMode nestedEntry, Scope scope)
    {
        if (scope.Analyzed.Contains(function))
        {
            TensorFlowAnalysis.AnalyzeTree(body, function, entryMode, scope.Api, scope.Untrackable, scope.Sink, CallContext.Root(scope.Summaries, function), scope.CancellationToken);
        }

        foreach (var lambda in body.Lambdas)
        {
            if (scope.Visited.Contains(lambda.Symbol))
            {
                AnalyzeWalked(FunctionBody.Walked(lambda, lambda.Body), lambda.Symbol, nestedEntry, nestedEntry, scope);
            }
        }
    }

    private static void AnalyzeGraph(ControlFlowGraph graph, ISymbol function, GradMode entryMode, GradMode nestedEntry, Scope scope)
    {
        if (scope.Analyzed.Contains(function))
        {
            TensorFlowAnalysis.Analyze(graph, function, entryMode, scope.Api, scope.Untrackable, scope.Sink, CallContext.Root(scope.Summaries, function), scope.CancellationToken);
        }

        foreach (var localFunction in graph.LocalFunctions)
        {
            if (scope.Visited.Contains(localFunction))
            {
                AnalyzeGraph(graph.GetLocalFunctionControlFlowGraph(localFunction, scope.CancellationToken), localFunction, nestedEntry, nestedEntry, scope);
            }
        }

        foreach (var lambda in scope.Summaries.ShapeOf(graph).Lambdas)
        {
            if (scope.Visited.Contains(lambda.Symbol))
            {
                AnalyzeGraph(graph.GetAnonymousFunctionControlFlowGraph(lambda, scope.CancellationToken), lambda.Symbol, nestedEntry, nestedEntry, scope);
            }
        }
    }

    /// <summary>What every function of one analyzed method shares.</summary>
    private sealed record Scope(TensorApi Api, HashSet<ISymbol> Untrackable, DiagnosticSink Sink, SummaryCache Summaries, HashSet<ISymbol> Analyzed, HashSet<ISymbol> Visited, System.Threading.CancellationToken CancellationToken);

    /// <summary>Whether the method changes the grad mode, or gives a delegate to a method with source (one walk of its operations).</summary>
    private static bool ChangesGradModeOrGivesDelegateToSource(IOperation root, TensorApi api)
    {
        foreach (var operation in OperationTree.All(root))
        {
            switch (operation)
            {
                case IInvocationOperation { TargetMethod: var called } when api.IsAutogradMember(called) && TensorApi.IsGradModeName(api.NameOf(called)):
                    return true;
                case IArgumentOperation { Value.Type.TypeKind: TypeKind.Delegate } argument:
                    var method = argument.Parent switch
                    {
                        IInvocationOperation call => call.TargetMethod,
                        IObjectCreationOperation creation => creation.Constructor,
                        _ => null,
                    };
                    if (method is not null && SymbolEqualityComparer.Default.Equals(method.ContainingAssembly, api.Compilation.Assembly))
                    {
                        return true;
                    }

                    break;
            }
        }

        return false;
    }
}

using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using System.Runtime.CompilerServices;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.FlowAnalysis;
using Microsoft.CodeAnalysis.Operations;
using StaticGrad.Analyzers.TensorUsage.Analysis.Structured;

namespace StaticGrad.Analyzers.TensorUsage.Analysis.Interprocedural;

/// <summary>
/// The summaries of one compilation, shared by every analyzed method (created in the compilation-start action, so an
/// edit that makes a new compilation starts afresh). Bounds: a chain of at most <see cref="MaxDepth"/> summarized calls
/// below the analyzed function, callees of at most <see cref="MaxBlocks"/> basic blocks, no recursion; beyond them a
/// call is unknown, as it was before summaries.
/// </summary>
internal sealed class SummaryCache
{
    public const int MaxDepth = 4;
    public const int MaxBlocks = 300;

    // Many threads add a body each (one per callee): more lock stripes than the processor count.
    private readonly ConcurrentDictionary<ISymbol, FunctionBody?> _bodies = new(32, 64, SymbolEqualityComparer.Default);
    private readonly ConcurrentDictionary<ISymbol, FunctionBody?> _graphs = new(SymbolEqualityComparer.Default);
    private readonly ConcurrentDictionary<IOperation, FunctionBody> _lambdas = new(32, 64);
    // Written by every analyzed method's walk: with the default two lock stripes (two cores) the walks queued on the
    // dictionary's locks, and growing it took them all (lock spinning was 4 % of the analyzer's own time on TorchSharp).
    // Sized for a 5 000-line project's summaries (525 on the cost benchmark's): each growth takes every stripe's lock,
    // and at 256 buckets the growths were still 2 % of the samples, threads waiting on them.
    private readonly ConcurrentDictionary<SummaryKey, (MethodSummary Summary, int Height)> _summaries = new(32, 1024);
    private readonly ConcurrentDictionary<ControlFlowGraph, GraphShape> _shapes = new();

    private readonly Action<BodyRoute, ISymbol>? _trace;

    public SummaryCache(TensorApi api, bool structuredWalks = true, Action<BodyRoute, ISymbol>? trace = null)
    {
        Api = api;
        StructuredWalks = structuredWalks;
        _trace = trace;
        Fields = new ModuleFields(api, this);
        Constructors = new ConstructorBodies(api, this);
        Delegates = new DelegateFields(api);
        EffectFree = new EffectFreeCallees(this);
    }

    /// <summary>The methods whose calls need no summary when they return no tensor (they change nothing the caller holds).</summary>
    public EffectFreeCallees EffectFree { get; }

    /// <summary>The readonly delegate fields that hold one known lambda (a call of one runs it).</summary>
    public DelegateFields Delegates { get; }

    /// <summary>Which constructors run only their own body, the library and other such constructors.</summary>
    public ConstructorBodies Constructors { get; }

    /// <summary>The module fields known in the methods that read them.</summary>
    public ModuleFields Fields { get; }

    /// <summary>One semantic model per tree for the compilation (callees' and fields' operations live in other methods' trees).</summary>
    public SemanticModel ModelOf(SyntaxTree tree) => Api.ModelOf(tree);

    public TensorApi Api { get; }

    /// <summary>Whether a call of <paramref name="method"/> runs a body the analysis can read: source, not virtual, not async or an iterator.</summary>
    [MethodImpl(Jit.Optimized)]
    public bool CanSummarize(IMethodSymbol method)
    {
        if (method.IsAsync || method.IsAbstract || method.IsExtern || method.IsVirtual || (method.IsOverride && !method.IsSealed && !method.ContainingType.IsSealed))
        {
            return false;
        }

        if (method.MethodKind is not (MethodKind.Ordinary or MethodKind.LocalFunction or MethodKind.AnonymousFunction or MethodKind.PropertyGet)
            && !(method.MethodKind == MethodKind.Constructor && Constructors.CanSummarize(method)))
        {
            return false;
        }

        foreach (var parameter in method.Parameters)
        {
            if (parameter.RefKind != RefKind.None)
            {
                return false;
            }
        }

        var definition = method.PartialImplementationPart ?? method.OriginalDefinition;
        if (!SymbolEqualityComparer.Default.Equals(definition.ContainingAssembly, Api.Compilation.Assembly))
        {
            return false;
        }

        foreach (var location in definition.Locations)
        {
            if (location.IsInSource)
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>
    /// The body of a method, local function or lambda as the analysis reads it (a walked tree when it is structured
    /// and walks are enabled, otherwise its control flow graph), or null when there is none to read.
    /// </summary>
    [MethodImpl(Jit.Optimized)]
    public FunctionBody? BodyOf(IMethodSymbol method, ControlFlowGraph? enclosing, IOperation? lambda, CancellationToken cancellationToken)
    {
        try
        {
            if (lambda is IAnonymousFunctionOperation walked)
            {
                return _lambdas.TryGetValue(walked, out var known) ? known : _lambdas.GetOrAdd(walked, FunctionBody.Walked(walked, walked.Body));
            }

            if (lambda is IFlowAnonymousFunctionOperation flow)
            {
                return enclosing?.GetAnonymousFunctionControlFlowGraphInScope(flow, cancellationToken) is { } lambdaGraph ? FunctionBody.Of(lambdaGraph) : null;
            }

            if (method.MethodKind == MethodKind.LocalFunction)
            {
                return enclosing?.GetLocalFunctionControlFlowGraphInScope(method, cancellationToken) is { } localGraph ? FunctionBody.Of(localGraph) : null;
            }

            var definition = method.PartialImplementationPart ?? method.OriginalDefinition;
            return _bodies.TryGetValue(definition, out var body) ? body : AddBody(definition, cancellationToken);
        }
        catch (ArgumentException)
        {
            // The local function or lambda is not in scope of this graph: the call stays unknown.
            return null;
        }
    }

    private FunctionBody? AddBody(IMethodSymbol definition, CancellationToken cancellationToken) =>
        _bodies.GetOrAdd(definition, _ => Build(definition, walk: StructuredWalks, cancellationToken));

    /// <summary>Whether structured bodies are walked instead of building their graphs (off only to compare both in tests).</summary>
    public bool StructuredWalks { get; }

    /// <summary>The body of a reported method: walked when it is structured (and walks are enabled), else null.</summary>
    public FunctionBody? WalkedBody(IOperation root)
    {
        if (!StructuredWalks || root is not (IMethodBodyOperation or IConstructorBodyOperation) || FunctionBody.StatementsOf(root) is not { } statements || !StructuredBody.IsStructured(statements, Api))
        {
            return null;
        }

        return FunctionBody.Walked(root, statements);
    }

    /// <summary>The shape of a graph, computed once per compilation (graphs are compared by reference).</summary>
    public GraphShape ShapeOf(ControlFlowGraph graph) => _shapes.GetOrAdd(graph, g => new GraphShape(g));

    /// <summary>The summary of one call, or null when a bound stops it (then the call is unknown).</summary>
    [MethodImpl(Jit.Optimized)]
    public MethodSummary? Summarize(IMethodSymbol function, FunctionBody body, GradMode mode, IReadOnlyList<AbstractValue> arguments, CallContext caller, CancellationToken cancellationToken)
    {
        var facts = ImmutableArray.CreateBuilder<TensorFact?>(arguments.Count);
        foreach (var argument in arguments)
        {
            facts.Add(argument.IsTensor ? EntryFact(argument.Fact) : null);
        }

        var lambdas = ImmutableArray<IOperation?>.Empty;
        if (arguments.Any(a => a.Lambda is not null))
        {
            lambdas = arguments.Select(a => (IOperation?)a.Lambda).ToImmutableArray();
        }

        // A body that never reads the grad mode has one summary for every mode, computed for grad mode on: it leaves
        // the mode it found (then the caller's) or an unknown one.
        var callerMode = mode;
        var modeFree = body.ReadsNoGradMode(this);
        if (modeFree)
        {
            mode = GradMode.Enabled;
        }

        var key = new SummaryKey(function, mode, facts.MoveToImmutable(), lambdas);
        if (_summaries.TryGetValue(key, out var cached))
        {
            WalkCounts.SummaryReused();
            // A cached summary is used only where computing it afresh would not hit the depth bound, so that the
            // result never depends on the order in which the analyzer visits methods.
            return ForMode(Use(caller, cached.Summary, cached.Height), modeFree, callerMode);
        }

        if (caller.Depth >= MaxDepth || caller.IsActive(function) || body.Graph?.Blocks.Length > MaxBlocks)
        {
            caller.Truncated = true;
            return null;
        }

        var context = caller.Enter(function);
        MethodSummary summary;
        try
        {
            summary = TensorFlowAnalysis.Summarize(body, function, mode, arguments, Api, context, cancellationToken);
        }
        catch (StructuredFlow.NotConverging)
        {
            // Only methods' walks can fail (a walked lambda has no loop): their graph gives the same summary.
            _trace?.Invoke(BodyRoute.CalleeWalkNotConverging, function);
            var definition = function.PartialImplementationPart ?? function.OriginalDefinition;
            if (_graphs.GetOrAdd(definition, _ => Build(definition, walk: false, cancellationToken)) is not { } graphBody)
            {
                caller.Truncated = true;
                return null;
            }

            if (graphBody.Graph!.Blocks.Length > MaxBlocks)
            {
                caller.Truncated = true;
                return null;
            }

            context = caller.Enter(function);
            summary = TensorFlowAnalysis.Summarize(graphBody, function, mode, arguments, Api, context, cancellationToken);
        }
        _trace?.Invoke(BodyRoute.Summary, function);
        WalkCounts.SummaryComputed();
        var height = context.Height + 1;
        if (context.Truncated)
        {
            caller.Truncated = true;
        }
        else
        {
            _summaries.TryAdd(key, (summary, height));
        }

        caller.Height = Math.Max(caller.Height, height);
        return ForMode(summary, modeFree, callerMode);
    }

    private static MethodSummary? ForMode(MethodSummary? summary, bool modeFree, GradMode callerMode) =>
        modeFree && summary is { ExitMode: GradMode.Enabled } && callerMode != GradMode.Enabled ? summary with { ExitMode = callerMode } : summary;

    /// <summary>
    /// What a callee is told about an argument: its autograd state, dtype, size and inference flag. The caller's
    /// graph nodes, notes and optimizer bookkeeping stay with the caller, so that calls differing only in those share
    /// one summary (and a loop in the caller does not summarize the callee again for each of its iterations).
    /// </summary>
    [MethodImpl(Jit.Optimized)]
    public static TensorFact EntryFact(TensorFact fact) =>
        fact.SavingNodes.Count == 0 && fact.Via is null && fact.Optimized == Tri.Maybe && fact.HasGrad == Tri.Maybe && fact.StaleFrozen == Tri.Maybe && fact.ViewBase == 0
            ? fact
            : fact with { SavingNodes = ImmutableHashSet<int>.Empty, Via = null, Optimized = Tri.Maybe, HasGrad = Tri.Maybe, StaleFrozen = Tri.Maybe, ViewBase = 0 };

    private static MethodSummary? Use(CallContext caller, MethodSummary summary, int height)
    {
        if (caller.Depth + height > MaxDepth)
        {
            caller.Truncated = true;
            return null;
        }

        caller.Height = Math.Max(caller.Height, height);
        return summary;
    }

    private FunctionBody? Build(IMethodSymbol method, bool walk, CancellationToken cancellationToken)
    {
        var reference = method.DeclaringSyntaxReferences.FirstOrDefault();
        if (reference is null)
        {
            return null;
        }

        var operation = Api.Bodies.OperationOf(reference.GetSyntax(cancellationToken), cancellationToken);
        if (walk && operation is IMethodBodyOperation or IConstructorBodyOperation or IBlockOperation && FunctionBody.StatementsOf(operation!) is { } statements && StructuredBody.IsStructured(statements, Api))
        {
            _trace?.Invoke(BodyRoute.CalleeWalk, method);
            return FunctionBody.Walked(operation!, statements);
        }

        _trace?.Invoke(BodyRoute.CalleeGraph, method);

        return operation switch
        {
            IMethodBodyOperation body => FunctionBody.Of(ControlFlowGraph.Create(body, cancellationToken)),
            IConstructorBodyOperation constructor => FunctionBody.Of(ControlFlowGraph.Create(constructor, cancellationToken)),
            IBlockOperation block => FunctionBody.Of(ControlFlowGraph.Create(block, cancellationToken)),
            _ => null,
        };
    }
}

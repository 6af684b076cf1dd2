using System.Collections.Generic;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.FlowAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace StaticGrad.Analyzers.TensorUsage.Analysis.Structured;

/// <summary>
/// The body of a method, lambda or local function as the flow analysis reads it: Roslyn's control flow graph, or,
/// for a structured body (see <see cref="StructuredBody"/>), its operation tree walked directly, which costs no graph.
/// </summary>
internal sealed class FunctionBody
{
    private (HashSet<IParameterSymbol> Reassigned, List<IAnonymousFunctionOperation> Lambdas, List<IOperation> Loops)? _own;
    private HashSet<ISymbol>? _untrackable;
    private int _readsMode;
    private int _neverCompletes;
    private int _iteratorOrAsync;

    private FunctionBody(ControlFlowGraph? graph, IOperation root, IOperation? tree)
    {
        Graph = graph;
        Root = root;
        Tree = tree;
    }

    /// <summary>The graph, or null for a walked tree.</summary>
    public ControlFlowGraph? Graph { get; }

    /// <summary>The operation the body comes from (the graph's original operation, or the method body or lambda).</summary>
    public IOperation Root { get; }

    /// <summary>For a walked tree, the block of statements to walk.</summary>
    public IOperation? Tree { get; }

    /// <summary>
    /// The variables of <paramref name="function"/> (this body's method, lambda or local function) whose values are not
    /// followed, collected once: a callee is summarized for several grad modes and argument facts. Only read once built.
    /// </summary>
    public HashSet<ISymbol> UntrackableOf(ISymbol function)
    {
        if (_untrackable is not { } untrackable)
        {
            untrackable = new HashSet<ISymbol>(SymbolEqualityComparer.Default);
            UntrackableVariables.Collect(Root, function, untrackable);
            _untrackable = untrackable;
        }

        return untrackable;
    }

    /// <summary>
    /// Whether the analysis of this body never reads the grad mode: no operation of a tensor or grad-mode scope type, no
    /// member of the library, no delegate call and no call the analysis summarizes (a nested summary is computed for the
    /// mode). Its summary is then the same for every grad mode at the call, except the mode it leaves, which is the
    /// caller's or unknown (user code ran), so one summary serves every mode. Computed once (a benign race).
    /// </summary>
    public bool ReadsNoGradMode(Interprocedural.SummaryCache cache)
    {
        if (_readsMode == 0)
        {
            _readsMode = ComputeReadsNoGradMode(cache) ? 1 : 2;
        }

        return _readsMode == 1;
    }

    /// <summary>
    /// For a body that is a block: whether its end cannot be reached and it has no return (an endless loop, a throw on
    /// every path), as the compiler's reachability decides it (constant conditions included, which the walks and graph
    /// fixpoints do not read); a call of it never returns. Null for an expression body. Computed once (a benign race).
    /// An iterator or async body is never one: its call only makes the sequence or starts the task and returns.
    /// </summary>
    public bool? BlockNeverCompletes(Interprocedural.SummaryCache cache)
    {
        if (_neverCompletes == 0)
        {
            IBlockOperation? block = Root switch
            {
                IMethodBodyOperation { BlockBody: { Syntax: BlockSyntax } body } => body,
                IConstructorBodyOperation { BlockBody: { Syntax: BlockSyntax } body } => body,
                IAnonymousFunctionOperation { Body: { Syntax: BlockSyntax } body } => body,
                IBlockOperation { Syntax: BlockSyntax } body => body,
                _ => null,
            };

            // The compiler's region analysis costs three flow passes over the body (entry points, reachability, exit
            // points): about a quarter of the tensor-usage callbacks' time on the cost project (session 20b's profile).
            // It is asked only where a path could end without reaching the end or a return.
            var flow = block is null || IsIteratorOrAsync || !MayStopBeforeItsEnd(block) ? null : cache.ModelOf(block.Syntax.SyntaxTree).AnalyzeControlFlow(block.Syntax);
            _neverCompletes = block is null ? 3 : flow is { Succeeded: true } && !flow.EndPointIsReachable && flow.ReturnStatements.IsEmpty ? 1 : 2;
        }

        return _neverCompletes == 3 ? null : _neverCompletes == 1;
    }

    /// <summary>
    /// Whether some path through <paramref name="block"/> may stop before its end other than by a return: only a throw,
    /// a goto, or a loop whose condition is missing or constant (<c>while (true)</c>, <c>for (;;)</c>) can make a block's
    /// end unreachable in C#'s reachability rules (a loop with a non-constant condition can always exit, a foreach
    /// always can). False means the end is reachable or a return exists, so the body completes; nested lambdas and
    /// local functions and code that does not bind are counted in, which only sends more bodies to the full analysis.
    /// </summary>
    private static bool MayStopBeforeItsEnd(IBlockOperation block)
    {
        foreach (var operation in OperationTree.All(block))
        {
            switch (operation)
            {
                case IThrowOperation:
                case IBranchOperation { BranchKind: BranchKind.GoTo }:
                case IWhileLoopOperation { Condition: null or { ConstantValue.HasValue: true } }:
                case IForLoopOperation { Condition: null or { ConstantValue.HasValue: true } }:
                case IInvalidOperation:
                    return true;
            }
        }

        return false;
    }

    /// <summary>
    /// Whether this is an iterator (a <c>yield</c> in its own body) or an async function: its call returns to the
    /// caller (with the sequence, or the task at its first await) whether or not the body ever ends, so its call is
    /// never one that does not return (<c>while (true) { yield return i++; }</c> is an infinite sequence, not a hang).
    /// </summary>
    public bool IsIteratorOrAsync
    {
        get
        {
            if (_iteratorOrAsync == 0)
            {
                _iteratorOrAsync = ComputeIsIteratorOrAsync() ? 1 : 2;
            }

            return _iteratorOrAsync == 1;
        }
    }

    private bool ComputeIsIteratorOrAsync()
    {
        var function = Root.Syntax is BlockSyntax or ArrowExpressionClauseSyntax ? Root.Syntax.Parent : Root.Syntax;
        var isAsync = function switch
        {
            BaseMethodDeclarationSyntax method => method.Modifiers.Any(SyntaxKind.AsyncKeyword),
            LocalFunctionStatementSyntax local => local.Modifiers.Any(SyntaxKind.AsyncKeyword),
            AnonymousFunctionExpressionSyntax lambda => lambda.Modifiers.Any(SyntaxKind.AsyncKeyword),
            _ => false,
        };
        return isAsync || function is not null && MaySpellYield(Root.Syntax) && HasOwnYield(Root);
    }

    /// <summary>
    /// Whether the text of <paramref name="syntax"/> holds <c>yield</c>: without it there is no yield statement (the
    /// compiler takes <c>\u0079ield</c> for an identifier, not the keyword; <c>NeverCompletesTests</c> checks it).
    /// Reading its characters costs far less than the walk below, which creates the operation nodes of the whole body
    /// (5 % of the tensor-usage callbacks' samples in a warm compiler, session 22b; most summarized callees have no yield).
    /// </summary>
    private static bool MaySpellYield(SyntaxNode syntax)
    {
        var text = syntax.SyntaxTree.GetText();
        var end = syntax.Span.End;
        for (var i = syntax.Span.Start; i < end; i++)
        {
            var c = text[i];
            if (c == 'y' && i + 5 <= end && text[i + 1] == 'i' && text[i + 2] == 'e' && text[i + 3] == 'l' && text[i + 4] == 'd')
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>
    /// Whether a <c>yield return</c> or <c>yield break</c> is in the function's own operations, nested lambdas and local
    /// functions left out. Read on the operation tree the walks have built already: a walk of the syntax created the
    /// red nodes of every expression again, 15 % of the tensor-usage callbacks' samples in session 20b's profile.
    /// </summary>
    private static bool HasOwnYield(IOperation root)
    {
        var pending = new Stack<IOperation>();
        pending.Push(root);
        while (pending.Count > 0)
        {
            var operation = pending.Pop();
            if (operation is IReturnOperation { Kind: OperationKind.YieldReturn or OperationKind.YieldBreak })
            {
                return true;
            }

            foreach (var child in operation.ChildOperations)
            {
                if (child is not (IAnonymousFunctionOperation or ILocalFunctionOperation))
                {
                    pending.Push(child);
                }
            }
        }

        return false;
    }

    private bool ComputeReadsNoGradMode(Interprocedural.SummaryCache cache)
    {
        var api = cache.Api;
        foreach (var operation in Root.DescendantsAndSelf())
        {
            if (api.IsTensor(operation.Type) || api.IsGradModeScope(operation.Type))
            {
                return false;
            }

            ISymbol? member = operation switch
            {
                IInvocationOperation invocation => invocation.TargetMethod,
                IObjectCreationOperation creation => creation.Constructor,
                IPropertyReferenceOperation property => property.Property.GetMethod ?? property.Property.SetMethod,
                IMethodReferenceOperation reference => reference.Method,
                _ => null,
            };
            if (member is IMethodSymbol method && (api.IsInRuntime(method) || method.ContainingType?.TypeKind == TypeKind.Delegate || cache.CanSummarize(method)))
            {
                return false;
            }

            if (operation is IForEachLoopOperation loop && RunsSummarizedEnumerator(loop, cache))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>
    /// Whether a <c>foreach</c> runs enumerator methods the analysis summarizes (a user collection's <c>GetEnumerator</c>,
    /// <c>MoveNext</c>, <c>Current</c>, <c>Dispose</c>): they are no operation of the tree, but the graph calls them, and
    /// their summaries may set the mode to a constant, which the mode-free summary would take for the caller's.
    /// </summary>
    private static bool RunsSummarizedEnumerator(IForEachLoopOperation loop, Interprocedural.SummaryCache cache)
    {
        if (loop.Syntax is not CommonForEachStatementSyntax syntax)
        {
            return true;
        }

        var info = cache.ModelOf(syntax.SyntaxTree).GetForEachStatementInfo(syntax);
        foreach (var method in new[] { info.GetEnumeratorMethod, info.MoveNextMethod, info.CurrentProperty?.GetMethod, info.DisposeMethod })
        {
            if (method is not null && cache.CanSummarize(method))
            {
                return true;
            }
        }

        return false;
    }

    public static FunctionBody Of(ControlFlowGraph graph) => new(graph, graph.OriginalOperation, null);

    /// <summary>A walked tree: <paramref name="root"/> is the method body or the lambda, <paramref name="statements"/> what runs.</summary>
    public static FunctionBody Walked(IOperation root, IOperation statements) => new(null, root, statements);

    /// <summary>The statements a method body or a lambda runs (its block, or the implicit block of its expression body; a constructor's body is walked whole).</summary>
    public static IOperation? StatementsOf(IOperation root) => root switch
    {
        IMethodBodyOperation body => body.BlockBody is not null && body.ExpressionBody is not null ? null : (IOperation?)body.BlockBody ?? body.ExpressionBody,
        IAnonymousFunctionOperation lambda => lambda.Body,
        IConstructorBodyOperation constructor => constructor,
        IBlockOperation block => block,
        _ => null,
    };

    /// <summary>Parameters a walked tree assigns (a returned parameter is then not "the argument itself"), lambdas not included.</summary>
    public HashSet<IParameterSymbol> Reassigned => (_own ??= Own()).Reassigned;

    /// <summary>The lambdas a walked tree creates directly (each is walked on its own).</summary>
    public List<IAnonymousFunctionOperation> Lambdas => (_own ??= Own()).Lambdas;

    /// <summary>Whether a walked tree has a loop (without one, its walk needs no fixpoint: one pass gives every state).</summary>
    public bool HasLoops => (_own ??= Own()).Loops.Count > 0;

    private (HashSet<IParameterSymbol> Reassigned, List<IAnonymousFunctionOperation> Lambdas, List<IOperation> Loops) Own()
    {
        var own = (new HashSet<IParameterSymbol>(SymbolEqualityComparer.Default), new List<IAnonymousFunctionOperation>(), new List<IOperation>());
        Collect(Tree!, own);
        return own;
    }

    private static void Collect(IOperation operation, (HashSet<IParameterSymbol> Reassigned, List<IAnonymousFunctionOperation> Lambdas, List<IOperation> Loops) own)
    {
        switch (operation)
        {
            case IAnonymousFunctionOperation lambda:
                own.Lambdas.Add(lambda);
                return;
            case IAssignmentOperation { Target: IParameterReferenceOperation target }:
                own.Reassigned.Add(target.Parameter);
                break;
            case ILoopOperation loop:
                own.Loops.Add(loop);
                break;
        }

        foreach (var child in operation.ChildOperations)
        {
            Collect(child, own);
        }
    }
}

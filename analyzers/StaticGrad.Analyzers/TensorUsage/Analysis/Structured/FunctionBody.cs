using System.Collections.Generic;
using Microsoft.CodeAnalysis;
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

using System.Collections.Generic;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.FlowAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace StaticGrad.Analyzers.TensorUsage.Analysis;

/// <summary>
/// What the fixpoint needs of a graph besides its operations: successors, handler entries, the variables of the
/// "nothing known" state, the reassigned parameters and the lambdas. Computed once per graph (cached with the
/// summaries, see <see cref="Interprocedural.SummaryCache.ShapeOf"/>), because a callee's graph is summarized once
/// per grad mode and argument facts.
/// </summary>
internal sealed class GraphShape
{
    public GraphShape(ControlFlowGraph graph)
    {
        Successors = TensorFlowAnalysis.Successors(graph);
        NullTests = NullTestsOf(graph);
        var handlers = new List<int>();
        CollectHandlers(graph.Root, handlers);
        Handlers = handlers;

        var keys = new HashSet<object>(VariableKeyComparer.Instance);
        var reassigned = new HashSet<IParameterSymbol>(SymbolEqualityComparer.Default);
        var lambdas = new List<IFlowAnonymousFunctionOperation>();
        var captured = new Dictionary<CaptureId, ISymbol?>();
        foreach (var block in graph.Blocks)
        {
            foreach (var root in block.Operations)
            {
                Walk(root, keys, reassigned, lambdas);
                if (root is IFlowCaptureOperation capture)
                {
                    CaptureOf(capture, captured);
                }
            }

            if (block.BranchValue is { } branch)
            {
                Walk(branch, keys, reassigned, lambdas);
            }
        }

        CapturedVariables = captured.Where(c => c.Value is not null).ToDictionary(c => c.Key, c => c.Value!);

        Keys = new List<object>(keys);
        Reassigned = reassigned;
        Lambdas = lambdas;
    }

    public List<int>[] Successors { get; }

    /// <summary>
    /// Blocks that end in a null test of a capture or a local (a <c>using</c>'s finally tests its resource): the tested
    /// variable and the successor its null edge reaches. The fixpoint does not follow that edge when the variable holds
    /// a scope a grad-mode call returned, which is never null.
    /// </summary>
    public IReadOnlyDictionary<int, (object Variable, int WhenNull)> NullTests { get; }

    /// <summary>First blocks of catch and filter handlers: nothing is known when one starts.</summary>
    public IReadOnlyList<int> Handlers { get; }

    /// <summary>Every local, parameter and flow capture the graph mentions.</summary>
    public IReadOnlyList<object> Keys { get; }

    /// <summary>Parameters the function assigns (a returned parameter is then not "the argument itself").</summary>
    public HashSet<IParameterSymbol> Reassigned { get; }

    /// <summary>
    /// Captures that hold a reference to a local or parameter and nothing else: the graph captures the target of
    /// <c>y = flag ? a : b</c> before the branch, and the assignment to the capture is an assignment to that variable.
    /// </summary>
    public IReadOnlyDictionary<CaptureId, ISymbol> CapturedVariables { get; }

    /// <summary>The lambdas the graph creates (each has a graph of its own).</summary>
    public IReadOnlyList<IFlowAnonymousFunctionOperation> Lambdas { get; }

    private static void Walk(IOperation root, HashSet<object> keys, HashSet<IParameterSymbol> reassigned, List<IFlowAnonymousFunctionOperation> lambdas)
    {
        foreach (var operation in root.DescendantsAndSelf())
        {
            switch (operation)
            {
                case ILocalReferenceOperation local:
                    keys.Add(local.Local);
                    break;
                case IParameterReferenceOperation parameter:
                    keys.Add(parameter.Parameter);
                    break;
                case IFlowCaptureOperation capture:
                    keys.Add(capture.Id);
                    break;
                case IAssignmentOperation { Target: IParameterReferenceOperation target }:
                    reassigned.Add(target.Parameter);
                    break;
                case IFlowAnonymousFunctionOperation lambda:
                    lambdas.Add(lambda);
                    break;
            }
        }
    }

    private static void CaptureOf(IFlowCaptureOperation capture, Dictionary<CaptureId, ISymbol?> captured)
    {
        ISymbol? variable = capture.Value switch
        {
            ILocalReferenceOperation { Local.IsRef: false } local => local.Local,
            IParameterReferenceOperation { Parameter.RefKind: RefKind.None } parameter => parameter.Parameter,
            _ => null,
        };

        // A capture given values on several paths is a variable only if every path captures the same one.
        captured[capture.Id] = captured.TryGetValue(capture.Id, out var previous) && !SymbolEqualityComparer.Default.Equals(previous, variable) ? null : variable;
    }

    private static Dictionary<int, (object Variable, int WhenNull)> NullTestsOf(ControlFlowGraph graph)
    {
        var tests = new Dictionary<int, (object, int)>();
        foreach (var block in graph.Blocks)
        {
            if (block.BranchValue is not IIsNullOperation { Operand: var operand } || block.ConditionalSuccessor is not { Destination: { } conditional, FinallyRegions.IsEmpty: true }
                || block.FallThroughSuccessor is not { Destination: { } fallThrough, FinallyRegions.IsEmpty: true } || conditional == fallThrough)
            {
                continue;
            }

            object? variable = operand switch
            {
                IFlowCaptureReferenceOperation capture => capture.Id,
                ILocalReferenceOperation local => local.Local,
                _ => null,
            };
            if (variable is not null)
            {
                tests[block.Ordinal] = (variable, block.ConditionKind == ControlFlowConditionKind.WhenTrue ? conditional.Ordinal : fallThrough.Ordinal);
            }
        }

        return tests;
    }

    private static void CollectHandlers(ControlFlowRegion region, List<int> handlers)
    {
        if (region.Kind is ControlFlowRegionKind.Catch or ControlFlowRegionKind.Filter or ControlFlowRegionKind.FilterAndHandler)
        {
            handlers.Add(region.FirstBlockOrdinal);
        }

        foreach (var nested in region.NestedRegions)
        {
            CollectHandlers(nested, handlers);
        }
    }
}

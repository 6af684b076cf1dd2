using System.Collections.Generic;
using System.Linq;
using System.Runtime.CompilerServices;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.FlowAnalysis;
using Microsoft.CodeAnalysis.Operations;
using StaticGrad.Analyzers.TensorUsage.Analysis.Interprocedural;

namespace StaticGrad.Analyzers.TensorUsage.Analysis;

/// <summary>
/// The forward dataflow analysis over one <see cref="ControlFlowGraph"/> (a method, a lambda or a local function):
/// a worklist iterates the transfer functions to a fixpoint, joining states where paths meet, then one more pass
/// lets the rules report with the fixpoint states.
/// </summary>
internal static partial class TensorFlowAnalysis
{
    /// <summary>Visits of one block after which its input is widened to "nothing known", so every loop terminates.</summary>
    private const int MaxVisitsPerBlock = 40;

    [MethodImpl(Jit.Optimized)]
    public static void Analyze(ControlFlowGraph graph, ISymbol function, GradMode entryMode, TensorApi api, ISet<ISymbol> untrackable, DiagnosticSink sink, CallContext calls, CancellationToken cancellationToken)
    {
        var blocks = graph.Blocks;
        var interpreter = new TensorInterpreter(api, new OriginTable(), sink, untrackable, function, graph, graph.OriginalOperation, calls, recorder: null);
        var inputs = Fixpoint(graph, calls.Cache.ShapeOf(graph), function, entryMode, null, api, interpreter, cancellationToken);

        sink.Enabled = true;
        for (var ordinal = 0; ordinal < blocks.Length; ordinal++)
        {
            if (inputs[ordinal] is { } input)
            {
                interpreter.ReportingAllowed = !InFinally(blocks[ordinal]);
                interpreter.Run(blocks[ordinal], input.Clone());
            }
        }

        sink.Enabled = false;
    }

    /// <summary>Iterates the transfer functions to a fixpoint and returns the state at the entry of each block (null: unreachable).</summary>
    /// <param name="arguments">The values of the parameters at entry, in order, when the caller knows them (a summary).</param>
    [MethodImpl(Jit.Optimized)]
    private static FlowState?[] Fixpoint(ControlFlowGraph graph, GraphShape shape, ISymbol function, GradMode entryMode, IReadOnlyList<AbstractValue>? arguments, TensorApi api, TensorInterpreter interpreter, CancellationToken cancellationToken)
    {
        var blocks = graph.Blocks;
        var successors = shape.Successors;
        var keys = shape.Keys;
        var origins = interpreter.Origins;
        var inputs = new FlowState?[blocks.Length];
        var visits = new int[blocks.Length];

        var entry = EntryState(function, entryMode, arguments, api);
        var worklist = new SortedSet<int>();
        inputs[0] = entry;
        worklist.Add(0);
        foreach (var handler in shape.Handlers)
        {
            // An exception can leave the try block anywhere: nothing is known when a handler starts.
            inputs[handler] = FlowState.Top(keys);
            worklist.Add(handler);
        }

        while (worklist.Count > 0)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var ordinal = worklist.Min;
            worklist.Remove(ordinal);
            var state = inputs[ordinal]!.Clone();
            interpreter.Run(blocks[ordinal], state);
            var stateHeld = false;
            var neverTaken = shape.NullTests.TryGetValue(ordinal, out var test) && state.Variables.TryGetValue(test.Variable, out var tested) && tested.IsFreshScope ? test.WhenNull : -1;
            foreach (var successor in successors[ordinal])
            {
                if (successor == neverTaken)
                {
                    continue;
                }

                var previous = inputs[successor];
                FlowState next;
                if (previous is null)
                {
                    // Inputs are never changed in place (each run and the final pass clone them): the first successor
                    // reached for the first time can hold the block's output itself.
                    next = stateHeld ? state.Clone() : state;
                    stateHeld = true;
                }
                else if (++visits[successor] > MaxVisitsPerBlock)
                {
                    next = previous.Join(FlowState.Top(keys), origins).Join(state, origins);
                }
                else
                {
                    next = previous.Join(state, origins);
                }

                if (previous is null || !previous.IsSameAs(next))
                {
                    inputs[successor] = next;
                    worklist.Add(successor);
                }
            }
        }

        return inputs;
    }

    /// <summary>The state at a function's entry: the grad mode, and its parameters' values (the caller's, for a summary).</summary>
    [MethodImpl(Jit.Optimized)]
    private static FlowState EntryState(ISymbol function, GradMode entryMode, IReadOnlyList<AbstractValue>? arguments, TensorApi api)
    {
        var entry = FlowState.Entry(entryMode);
        if (function is IMethodSymbol method)
        {
            for (var i = 0; i < method.Parameters.Length; i++)
            {
                var parameter = method.Parameters[i];
                entry.Variables[parameter] = arguments is not null && i < arguments.Count ? arguments[i]
                    : api.IsTensor(parameter.Type) ? AbstractValue.UnknownTensor : AbstractValue.Other;
            }
        }

        return entry;
    }

    /// <summary>
    /// Successors of each block on normal paths. A branch that leaves try blocks runs their finally handlers first:
    /// it goes to the first handler, and each handler's end continues to the next one or to the branch's destination.
    /// </summary>
    public static List<int>[] Successors(ControlFlowGraph graph)
    {
        var blocks = graph.Blocks;
        var successors = blocks.Select(_ => new List<int>()).ToArray();
        var finallyContinuations = new Dictionary<ControlFlowRegion, HashSet<int>>();

        void AddBranch(BasicBlock source, ControlFlowBranch? branch)
        {
            if (branch is null)
            {
                return;
            }

            if (branch.Semantics == ControlFlowBranchSemantics.StructuredExceptionHandling)
            {
                return;
            }

            var destination = branch.Destination?.Ordinal;
            var current = source.Ordinal;
            var first = true;
            foreach (var region in branch.FinallyRegions)
            {
                if (first)
                {
                    successors[current].Add(region.FirstBlockOrdinal);
                    first = false;
                }
                else
                {
                    Continuations(finallyContinuations, Previous(branch, region)).Add(region.FirstBlockOrdinal);
                }
            }

            if (destination is not { } target)
            {
                return;
            }

            if (branch.FinallyRegions.IsEmpty)
            {
                successors[current].Add(target);
            }
            else
            {
                Continuations(finallyContinuations, branch.FinallyRegions[branch.FinallyRegions.Length - 1]).Add(target);
            }
        }

        foreach (var block in blocks)
        {
            AddBranch(block, block.ConditionalSuccessor);
            AddBranch(block, block.FallThroughSuccessor);
        }

        foreach (var block in blocks)
        {
            if (block.FallThroughSuccessor is { Semantics: ControlFlowBranchSemantics.StructuredExceptionHandling } && EnclosingFinally(block) is { } region
                && finallyContinuations.TryGetValue(region, out var targets))
            {
                successors[block.Ordinal].AddRange(targets);
            }
        }

        foreach (var list in successors)
        {
            var distinct = list.Distinct().ToList();
            list.Clear();
            list.AddRange(distinct);
        }

        return successors;
    }

    private static ControlFlowRegion Previous(ControlFlowBranch branch, ControlFlowRegion region) =>
        branch.FinallyRegions[branch.FinallyRegions.IndexOf(region) - 1];

    private static HashSet<int> Continuations(Dictionary<ControlFlowRegion, HashSet<int>> map, ControlFlowRegion region)
    {
        if (!map.TryGetValue(region, out var set))
        {
            map[region] = set = new HashSet<int>();
        }

        return set;
    }

    private static ControlFlowRegion? EnclosingFinally(BasicBlock block)
    {
        for (var region = block.EnclosingRegion; region is not null; region = region.EnclosingRegion)
        {
            if (region.Kind == ControlFlowRegionKind.Finally)
            {
                return region;
            }
        }

        return null;
    }

    private static bool InFinally(BasicBlock block) => EnclosingFinally(block) is not null;
}

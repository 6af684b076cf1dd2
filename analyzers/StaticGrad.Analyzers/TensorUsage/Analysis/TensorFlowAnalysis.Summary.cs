using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using System.Runtime.CompilerServices;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.FlowAnalysis;
using Microsoft.CodeAnalysis.Operations;
using StaticGrad.Analyzers.TensorUsage.Analysis.Interprocedural;
using StaticGrad.Analyzers.TensorUsage.Analysis.Structured;

namespace StaticGrad.Analyzers.TensorUsage.Analysis;

internal static partial class TensorFlowAnalysis
{
    /// <summary>
    /// Analyzes a callee for one call: the same fixpoint as for a reported method, entered with the caller's grad mode
    /// and argument facts (each argument an external object, since the caller may hold it elsewhere too), reporting
    /// nothing, then reads what every return path gives back and what holds at the exit.
    /// </summary>
    [MethodImpl(Jit.Optimized)]
    public static MethodSummary Summarize(FunctionBody body, IMethodSymbol function, GradMode entryMode, IReadOnlyList<AbstractValue> arguments, TensorApi api, CallContext calls, CancellationToken cancellationToken)
    {
        var untrackable = body.UntrackableOf(function);
        var recorder = new SummaryRecorder();
        var interpreter = new TensorInterpreter(api, new OriginTable(), new DiagnosticSink(_ => { }, api.Library), untrackable, function, body.Graph, body.Root, calls, recorder);
        // A lambda passed in stays a lambda: the callee's calls of it are summarized with the callee's grad mode.
        var entryValues = arguments.Select(a => a.IsTensor ? AbstractValue.Tensor(SummaryCache.EntryFact(a.Fact), AbstractValue.External)
            : a.Lambda is not null ? AbstractValue.Other with { Lambda = a.Lambda, LambdaGraph = a.LambdaGraph }
            : AbstractValue.Other).ToList();

        List<(IOperation Returned, AbstractValue Value, FlowState State)> returns;
        FlowState? exit;
        HashSet<IParameterSymbol> reassigned;
        if (body.Graph is { } graph)
        {
            var shape = calls.Cache.ShapeOf(graph);
            var inputs = Fixpoint(graph, shape, function, entryMode, entryValues, api, interpreter, cancellationToken);
            reassigned = shape.Reassigned;
            returns = new List<(IOperation, AbstractValue, FlowState)>();
            foreach (var block in graph.Blocks)
            {
                if (inputs[block.Ordinal] is not { } input || block.BranchValue is null || block.FallThroughSuccessor?.Semantics != ControlFlowBranchSemantics.Return)
                {
                    continue;
                }

                var state = input.Clone();
                var value = interpreter.Run(block, state);
                returns.Add((block.BranchValue, value, state));
            }

            exit = inputs[graph.Blocks.Length - 1];
        }
        else
        {
            cancellationToken.ThrowIfCancellationRequested();
            var walk = new StructuredFlow(interpreter);
            var entry = EntryState(function, entryMode, entryValues, api);
            if (body.HasLoops)
            {
                walk.Iterate(body.Tree!, entry.Clone());
            }

            walk.Final(body.Tree!, entry);
            reassigned = body.Reassigned;
            returns = walk.Returns;
            exit = null;
            foreach (var state in walk.Exits)
            {
                exit = exit is null ? state : exit.Join(state, interpreter.Origins);
            }
        }

        // A return after a call that never returns is never taken; with none left and no exit, neither is the method's end.
        // An iterator's or async method's call returns anyway (it makes the sequence, starts the task).
        returns.RemoveAll(r => r.State.Dead);
        var neverReturns = !body.IsIteratorOrAsync && ((exit is null || exit.Dead) && returns.Count == 0 || body.BlockNeverCompletes(calls.Cache) == true);
        if (exit is { Dead: true })
        {
            exit = null;
        }

        TensorFact? returned = null;
        var kind = ReturnedObject.Unknown;
        var parameter = -1;
        var allGradOff = true;
        var first = true;
        foreach (var (returnedOperation, value, state) in returns)
        {
            var thisKind = !value.IsTensor ? ReturnedObject.Unknown
                : ParameterIndex(returnedOperation, function, reassigned) is { } index && (first || parameter == index) ? ReturnedObject.Argument
                : value.Origin != AbstractValue.External ? ReturnedObject.Fresh
                : ReturnedObject.External;
            if (thisKind == ReturnedObject.Argument)
            {
                parameter = ParameterIndex(returnedOperation, function, reassigned)!.Value;
            }

            kind = first ? thisKind : kind == thisKind ? kind : kind == ReturnedObject.Unknown || thisKind == ReturnedObject.Unknown ? ReturnedObject.Unknown : ReturnedObject.External;
            returned = first ? value.Fact : returned!.Join(value.Fact);
            allGradOff &= state.Mode.IsGradOff();
            first = false;
        }

        var argumentFacts = function.Parameters.Select(p =>
            exit is not null && !reassigned.Contains(p) && !untrackable.Contains(p) && exit.Variables.TryGetValue(p, out var held) && held.IsTensor
                ? held.Fact with { SavingNodes = ImmutableHashSet<int>.Empty, ViewBase = 0 }
                : null).ToImmutableArray();

        var fact = returned ?? TensorFact.Unknown;
        fact = fact with { SavingNodes = ImmutableHashSet<int>.Empty, ViewBase = 0 };
        return new MethodSummary(
            fact,
            kind,
            parameter,
            Reason(fact, allGradOff && !first, exit?.Mode ?? GradMode.Unknown),
            exit?.Mode ?? GradMode.Unknown,
            argumentFacts,
            recorder.TouchesExternal || exit is null,
            recorder.Escapes,
            recorder.Backward,
            recorder.FreedParameters.Count == 0 ? ImmutableHashSet<int>.Empty : recorder.FreedParameters.ToImmutableHashSet(),
            recorder.ClearsGradients,
            neverReturns);
    }

    /// <summary>Why the returned tensor has its state, as the end of "'loss' comes from 'Evaluate', …".</summary>
    private static string? Reason(TensorFact fact, bool returnedUnderNoGrad, GradMode exitMode)
    {
        _ = exitMode;
        if (fact.Via is { } inner)
        {
            return "which gets it from " + inner;
        }

        return fact.State switch
        {
            GradState.UntrackedLeaf when returnedUnderNoGrad => "which runs under NoGrad",
            GradState.UntrackedLeaf => "which returns a tensor that does not require grad",
            GradState.TrackedLeaf => "which returns a leaf tensor that requires grad",
            GradState.NonLeaf => "which returns a tensor computed from tensors that require grad",
            _ => null,
        };
    }

    private static int? ParameterIndex(IOperation returned, IMethodSymbol function, HashSet<IParameterSymbol> reassigned)
    {
        while (returned is IConversionOperation { OperatorMethod: null } conversion)
        {
            returned = conversion.Operand;
        }

        return returned is IParameterReferenceOperation { Parameter: var p } && SymbolEqualityComparer.Default.Equals(p.ContainingSymbol, function) && !reassigned.Contains(p)
            ? p.Ordinal
            : null;
    }
}

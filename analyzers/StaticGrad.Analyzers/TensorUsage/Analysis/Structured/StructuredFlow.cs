using System;
using System.Collections.Generic;
using System.Linq;
using System.Runtime.CompilerServices;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace StaticGrad.Analyzers.TensorUsage.Analysis.Structured;

/// <summary>
/// The fixpoint of <see cref="TensorFlowAnalysis"/> computed by walking a structured operation tree instead of
/// Roslyn's control flow graph, which is most of the analyzer's cost to build. It reproduces what the graph's
/// worklist computes: the same transfer functions on the same operations, the same joins in the same order where
/// paths meet (the condition's state before the body of an <c>if</c> without <c>else</c>, the then-branch before the
/// else-branch, the loop head's state before the back edge, every arrival at a loop exit and at a <c>using</c>'s
/// finally accumulated), the conditional operator's result held in a capture as the graph holds it, and the finally
/// of a <c>using</c> shared by the paths that leave it. The graph forgets everything at a block visited more than 40
/// times; a walk that would come near that throws <see cref="NotConverging"/> and the caller uses the graph.
/// </summary>
internal sealed class StructuredFlow
{
    /// <summary>Walks of one loop's body (over all entries of the loop): each visits a block of the graph at most twice, far below its 40.</summary>
    private const int MaxWalksPerLoop = 12;

    private readonly TensorInterpreter _interpreter;
    private readonly OriginTable _origins;
    private readonly Dictionary<IOperation, FlowState> _heads = new();
    private readonly Dictionary<IOperation, FlowState> _exits = new();
    private readonly Dictionary<IOperation, int> _walks = new();
    private readonly Stack<Finally> _finallies = new();
    private readonly Stack<IOperation> _loops = new();
    private readonly Dictionary<IOperation, List<FlowState>> _continues = new();
    private bool _final;
    private DiagnosticSink? _passes;

    public StructuredFlow(TensorInterpreter interpreter)
    {
        _interpreter = interpreter;
        _origins = interpreter.Origins;
    }

    /// <summary>The walk would need more iterations than the graph allows before widening, or met a disposal only the graph reads the same way: the body goes to the graph.</summary>
    public sealed class NotConverging : Exception
    {
        public NotConverging()
            : base("The structured walk did not converge quickly or met a disposal it does not model; the control flow graph is used.")
        {
        }
    }

    /// <summary>In the final pass, each return with a value: the returned operation, its value and the state after it.</summary>
    public List<(IOperation Returned, AbstractValue Value, FlowState State)> Returns { get; } = new();

    /// <summary>In the final pass, the states reaching the end of the function, in the order the graph's exit receives them.</summary>
    public List<FlowState> Exits { get; } = new();

    /// <summary>Iterates the loops of <paramref name="statements"/> to their fixpoint (no rule reports).</summary>
    [MethodImpl(Jit.Optimized)]
    public void Iterate(IOperation statements, FlowState entry)
    {
        _final = false;
        if (statements is IBlockOperation block)
        {
            // What follows the last loop needs no fixpoint: the final walk is its only walk.
            FlowState? state = entry;
            var last = LastWithLoop(block);
            for (var i = 0; i <= last && state is not null; i++)
            {
                state = Statement(block.Operations[i], state);
            }
        }
        else
        {
            Statement(statements, entry);
        }

        Returns.Clear();
        Exits.Clear();
    }

    private static int LastWithLoop(IBlockOperation block)
    {
        for (var i = block.Operations.Length - 1; i >= 0; i--)
        {
            var statement = block.Operations[i];
            if (statement is ILoopOperation || statement.Descendants().Any(o => o is ILoopOperation))
            {
                return i;
            }
        }

        return -1;
    }

    /// <summary>
    /// The fixpoint and the reporting pass in one walk (for a reported function, which needs no returns or exits): each
    /// loop iterates with its reports held per pass, and keeps those of the pass that ran on its fixpoint, which is
    /// the walk the final pass would make. Everything outside loops is walked once instead of twice.
    /// </summary>
    public void Reporting(IOperation statements, FlowState entry, DiagnosticSink sink)
    {
        _final = false;
        _passes = sink;
        Statement(statements, entry);
        _passes = null;
    }

    /// <summary>Walks once more with every loop at its fixpoint, as the graph's final pass runs each block once (without loops, the only walk).</summary>
    [MethodImpl(Jit.Optimized)]
    public void Final(IOperation statements, FlowState entry)
    {
        _final = true;
        Finish(Statement(statements, entry));
    }

    private void Finish(FlowState? end)
    {
        if (end is not null)
        {
            Exits.Add(end);
        }
    }

    [MethodImpl(Jit.Optimized)]
    private FlowState? Statement(IOperation operation, FlowState state)
    {
        switch (operation)
        {
            case IBlockOperation block:
            {
                FlowState? current = state;
                foreach (var statement in block.Operations)
                {
                    if (current is null)
                    {
                        // Unreachable statements: the graph has no input for their blocks and never runs them.
                        return null;
                    }

                    current = Statement(statement, current);
                }

                return current;
            }

            case IVariableDeclarationGroupOperation group:
                foreach (var declaration in group.Declarations)
                {
                    foreach (var declarator in declaration.Declarators)
                    {
                        if (declarator.Initializer is { } initializer)
                        {
                            state = Value(initializer.Value, state, out var value);
                            _interpreter.Declare(declarator.Symbol, value, declarator.Syntax, state);
                        }
                    }
                }

                return state;
            case IReturnOperation returned:
            {
                if (returned.ReturnedValue is { } returnedValue)
                {
                    state = Value(returnedValue, state, out var value);
                    if (_final)
                    {
                        Returns.Add((returnedValue, value, state.Clone()));
                    }
                }

                Leave(state);
                return null;
            }

            case IConditionalOperation branch:
            {
                var (trueState, falseState) = Branch(branch.Condition, state);
                var whenTrue = Statement(branch.WhenTrue, trueState);
                if (branch.WhenFalse is null)
                {
                    // The false edge reaches the join first: its state is on the left.
                    return whenTrue is null ? falseState : falseState.Join(whenTrue, _origins);
                }

                var whenFalse = Statement(branch.WhenFalse, falseState);
                return whenTrue is null ? whenFalse : whenFalse is null ? whenTrue : whenTrue.Join(whenFalse, _origins);
            }

            case IBranchOperation { BranchKind: BranchKind.Continue }:
                // The increment (or the loop head) receives each continue of the pass, in source order, then the body's end.
                _continues[_loops.Peek()].Add(state);
                return null;

            case IExpressionStatementOperation { Operation: ISimpleAssignmentOperation { Value: IConditionalOperation } assignment }:
            {
                if (assignment.Target is IArrayElementReferenceOperation element)
                {
                    // The graph captures the element (evaluating its array and indices) before the branch.
                    state.Variables[element] = _interpreter.Evaluate(element, state);
                }

                state = Value(assignment.Value, state, out var value);
                _interpreter.AssignJoined(assignment, value, state);
                return state;
            }

            case IBranchOperation { BranchKind: BranchKind.Break }:
            {
                // The loop's exit receives each break after the condition's false edge of the same pass, in source order.
                var loop = _loops.Peek();
                if (!_final)
                {
                    _exits[loop] = _exits[loop].Join(state, _origins);
                }

                return null;
            }

            case IConstructorBodyOperation constructor:
                if (constructor.Initializer is { } baseCall)
                {
                    state = Statement(baseCall, state)!;
                }

                return Statement((IOperation?)constructor.BlockBody ?? constructor.ExpressionBody!, state);

            case IForLoopOperation loop:
                foreach (var statement in loop.Before)
                {
                    state = Statement(statement, state)!;
                }

                return Loop(loop, loop.Condition!, loop.Body, loop.AtLoopBottom, state);
            case IWhileLoopOperation loop:
                return Loop(loop, loop.Condition!, loop.Body, default, state);
            case IForEachLoopOperation loop:
                // GetEnumerator, MoveNext, Current and Dispose run no user code (StructuredBody checks it): the loop head
                // tests nothing the analysis reads, and the finally (with no return or break to join) changes nothing.
                _interpreter.EnumerateOver(loop.Collection, state);
                return Loop(loop, null, loop.Body, default, state);
            case IUsingOperation usingStatement:
                return Using(usingStatement, state);
            case IEmptyOperation:
                return state;
            default:
                _interpreter.Evaluate(operation, state);
                return state;
        }
    }

    /// <summary>A value; the conditional operator's result is held in a capture (keyed by the operation) as the graph does.</summary>
    [MethodImpl(Jit.Optimized)]
    private FlowState Value(IOperation operation, FlowState state, out AbstractValue value)
    {
        if (operation is not IConditionalOperation conditional)
        {
            value = _interpreter.Evaluate(operation, state);
            return state;
        }

        var (whenTrue, whenFalse) = Branch(conditional.Condition, state);
        whenTrue.Variables[conditional] = _interpreter.Evaluate(conditional.WhenTrue, whenTrue);
        whenFalse.Variables[conditional] = _interpreter.Evaluate(conditional.WhenFalse!, whenFalse);
        var joined = whenTrue.Join(whenFalse, _origins);
        value = joined.Get(conditional);
        return joined;
    }

    [MethodImpl(Jit.Optimized)]
    private FlowState? Loop(IOperation loop, IOperation? condition, IOperation body, System.Collections.Immutable.ImmutableArray<IOperation> atBottom, FlowState entry)
    {
        if (_final)
        {
            _loops.Push(loop);
            Bottom(Pass(loop, body, Test(loop, condition, _heads[loop].Clone()).WhenTrue), atBottom);
            _loops.Pop();
            return _exits[loop].Clone();
        }

        var input = _heads.TryGetValue(loop, out var previous) ? previous.Join(entry, _origins) : entry;
        while (true)
        {
            _walks.TryGetValue(loop, out var walks);
            if (walks >= MaxWalksPerLoop)
            {
                throw new NotConverging();
            }

            _walks[loop] = walks + 1;
            _heads[loop] = input;
            _passes?.BeginPass();
            var (state, leaving) = Test(loop, condition, input.Clone());
            _exits[loop] = _exits.TryGetValue(loop, out var exit) ? exit.Join(leaving, _origins) : leaving;
            _loops.Push(loop);
            var back = Bottom(Pass(loop, body, state), atBottom);
            _loops.Pop();
            if (back is null)
            {
                _passes?.EndPass(keep: true);
                break;
            }

            var next = input.Join(back, _origins);
            if (next.IsSameAs(input))
            {
                _passes?.EndPass(keep: true);
                break;
            }

            _passes?.EndPass(keep: false);
            input = next;
        }

        return _exits[loop].Clone();
    }

    /// <summary>The loop's test: its condition, or a <c>foreach</c>'s <c>MoveNext()</c> (nothing the analysis reads) and the element it then stores.</summary>
    private (FlowState WhenTrue, FlowState WhenFalse) Test(IOperation loop, IOperation? condition, FlowState state)
    {
        if (condition is not null)
        {
            return Branch(condition, state);
        }

        var next = state.Clone();
        var forEach = (IForEachLoopOperation)loop;
        var variable = (IVariableDeclaratorOperation)forEach.LoopControlVariable;
        _interpreter.NextElement(variable.Symbol, StructuredBody.CurrentType(forEach)!, variable.Syntax, next);
        return (next, state);
    }

    /// <summary>One walk of a loop's body: the state at its end joined after the continues of the walk, as the increment or the head receives them.</summary>
    private FlowState? Pass(IOperation loop, IOperation body, FlowState state)
    {
        var continues = new List<FlowState>();
        _continues[loop] = continues;
        var end = Statement(body, state);
        if (continues.Count == 0)
        {
            return end;
        }

        if (end is not null)
        {
            continues.Add(end);
        }

        return JoinInOrder(continues);
    }

    /// <summary><c>&amp;&amp;</c> or <c>||</c> of two booleans (no user-defined operator): the graph branches on each operand.</summary>
    public static IBinaryOperation? IsShortCircuit(IOperation condition) =>
        condition is IBinaryOperation { OperatorKind: BinaryOperatorKind.ConditionalAnd or BinaryOperatorKind.ConditionalOr, OperatorMethod: null } binary
        && binary.Type?.SpecialType == SpecialType.System_Boolean && binary.LeftOperand.Type?.SpecialType == SpecialType.System_Boolean
        && binary.RightOperand.Type?.SpecialType == SpecialType.System_Boolean
            ? binary
            : null;

    /// <summary>
    /// Evaluates a condition from <paramref name="state"/> (which it may use) and returns the states on its true and
    /// false edges, two distinct objects. A short-circuit condition is the graph's chain of branches: each operand's
    /// edges reach their destination in the order of the operands, joined in that order.
    /// </summary>
    [MethodImpl(Jit.Optimized)]
    private (FlowState WhenTrue, FlowState WhenFalse) Branch(IOperation condition, FlowState state)
    {
        if (IsShortCircuit(condition) is null)
        {
            _interpreter.Evaluate(condition, state);
            return (state.Clone(), state);
        }

        var whenTrue = new List<FlowState>(2);
        var whenFalse = new List<FlowState>(2);
        Branch(condition, state, whenTrue, whenFalse);
        return (JoinInOrder(whenTrue), JoinInOrder(whenFalse));
    }

    private void Branch(IOperation condition, FlowState state, List<FlowState> whenTrue, List<FlowState> whenFalse)
    {
        if (IsShortCircuit(condition) is not { } binary)
        {
            _interpreter.Evaluate(condition, state);
            whenTrue.Add(state.Clone());
            whenFalse.Add(state);
            return;
        }

        // a && b: b runs where a is true, and every false edge goes to the false destination (a || b: the converse).
        var left = new List<FlowState>(2);
        if (binary.OperatorKind == BinaryOperatorKind.ConditionalAnd)
        {
            Branch(binary.LeftOperand, state, left, whenFalse);
            Branch(binary.RightOperand, JoinInOrder(left), whenTrue, whenFalse);
        }
        else
        {
            Branch(binary.LeftOperand, state, whenTrue, left);
            Branch(binary.RightOperand, JoinInOrder(left), whenTrue, whenFalse);
        }
    }

    private FlowState JoinInOrder(List<FlowState> arrivals)
    {
        var joined = arrivals[0];
        for (var i = 1; i < arrivals.Count; i++)
        {
            joined = joined.Join(arrivals[i], _origins);
        }

        return joined;
    }

    private FlowState? Bottom(FlowState? state, System.Collections.Immutable.ImmutableArray<IOperation> atBottom)
    {
        if (!atBottom.IsDefault)
        {
            foreach (var statement in atBottom)
            {
                if (state is null)
                {
                    return null;
                }

                state = Statement(statement, state);
            }
        }

        return state;
    }

    /// <summary>
    /// <c>using</c> of a grad-mode scope: the graph runs one finally for every path that leaves the body (its end and
    /// each return), on the join of their states (for a class, the join of the null test's two paths, unless the resource is a scope a grad-mode call returned), and continues from its end both after the statement and, for the
    /// returns, towards the exit (through the finallies around it).
    /// </summary>
    private FlowState? Using(IUsingOperation usingStatement, FlowState state)
    {
        Func<FlowState, AbstractValue> resource;
        ITypeSymbol? type;
        if (usingStatement.Resources is IVariableDeclarationGroupOperation group)
        {
            state = Statement(group, state)!;
            var local = group.Declarations[0].Declarators[0].Symbol;
            type = local.Type;
            resource = s => _interpreter.ReadLocal(local, s);
        }
        else
        {
            state.Variables[usingStatement] = _interpreter.Evaluate(usingStatement.Resources, state);
            type = usingStatement.Resources.Type;
            resource = s => s.Get(usingStatement);
        }

        var frame = new Finally();
        _finallies.Push(frame);
        var end = Statement(usingStatement.Body, state);
        _finallies.Pop();
        if (end is not null)
        {
            frame.Arrive(end, _origins);
        }

        if (frame.State is not { } handler)
        {
            return null;
        }

        _interpreter.ReportingAllowed = false;
        if (type is { IsReferenceType: true })
        {
            // A class is disposed behind a null test: the null edge reaches the finally's end first, then the disposal.
            var disposed = handler.Clone();
            var scope = resource(disposed);
            if (scope.Kind != ValueKind.GradScope && !_interpreter.Api.IsGradModeScope(type))
            {
                // The graph's Dispose of an IDisposable that holds no known scope is an ordinary call: leave it to the graph.
                throw new NotConverging();
            }

            _interpreter.DisposeScope(scope, type, disposed);

            // A scope a grad-mode call returned is a fresh object: the null edge is never taken (the graph prunes it too).
            handler = scope.IsFreshScope ? disposed : handler.Join(disposed, _origins);
        }
        else
        {
            _interpreter.DisposeScope(resource(handler), type, handler);
        }

        _interpreter.ReportingAllowed = true;
        if (frame.Returns)
        {
            Leave(end is null ? handler : handler.Clone());
        }

        return end is null ? null : handler;
    }

    /// <summary>A return: to the innermost enclosing finally, or to the exit.</summary>
    private void Leave(FlowState state)
    {
        if (_finallies.Count > 0)
        {
            var frame = _finallies.Peek();
            frame.Returns = true;
            frame.Arrive(state, _origins);
        }
        else if (_final)
        {
            Exits.Add(state);
        }
    }

    private sealed class Finally
    {
        public FlowState? State { get; private set; }

        public bool Returns { get; set; }

        public void Arrive(FlowState state, OriginTable origins) => State = State is null ? state : State.Join(state, origins);
    }
}

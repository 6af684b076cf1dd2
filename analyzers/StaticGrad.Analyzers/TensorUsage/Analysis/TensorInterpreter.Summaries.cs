using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using System.Runtime.CompilerServices;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.FlowAnalysis;
using Microsoft.CodeAnalysis.Operations;
using StaticGrad.Analyzers.TensorUsage.Analysis.Interprocedural;

namespace StaticGrad.Analyzers.TensorUsage.Analysis;

internal sealed partial class TensorInterpreter
{
    /// <summary>
    /// A call of a method, local function or lambda whose body is in the compilation: its summary for this grad mode
    /// and these argument facts replaces "unknown code ran". Null when there is no summary (virtual, no source,
    /// recursion or a bound), and the caller treats the call as unknown.
    /// </summary>
    [MethodImpl(Jit.Optimized)]
    private AbstractValue? SummarizedCall(IInvocationOperation invocation, AbstractValue receiver, List<AbstractValue> arguments)
    {
        var cache = _calls.Cache;
        var lambda = receiver.Lambda;
        var method = lambda switch
        {
            IFlowAnonymousFunctionOperation flow => flow.Symbol,
            IAnonymousFunctionOperation walked => walked.Symbol,
            // The definition, whose parameters the body names: a constructed generic method's (Box<Tensor>.Put) are
            // other symbols, so the tensor passed as T got no entry value and its storing escaped nothing.
            _ => invocation.TargetMethod.OriginalDefinition,
        };
        if (lambda is null && (invocation.Instance?.Type?.TypeKind == TypeKind.Delegate || !cache.CanSummarize(method)))
        {
            return null;
        }

        if (lambda is not null && method.Parameters.Any(p => p.RefKind != RefKind.None))
        {
            return null;
        }

        // Its summary would say "nothing changed" and no rule could read its result: no summary is computed.
        if (lambda is null && cache.EffectFree.CanPassOver(invocation, method, default))
        {
            return ValueOfType(invocation.Type);
        }

        var body = cache.BodyOf(method, receiver.LambdaGraph ?? _graph, lambda, default);
        if (body is null)
        {
            return null;
        }

        if (lambda is null)
        {
            // The type's static constructor runs before the body, the first time.
            StaticInitialization(method);
        }

        var (values, operands) = ParameterValues(method, invocation.Arguments, arguments);
        var summary = cache.Summarize(method, body, _state.Mode, values, _calls, default);
        if (summary is null)
        {
            return null;
        }

        ApplySummary(summary, values, operands, receiver);
        return ReturnedValue(invocation, summary, method, values, operands);
    }

    /// <summary>
    /// <c>new C(…)</c> of a class with source whose constructor can be summarized: the constructor's summary replaces
    /// "unknown code ran" (an implicit constructor of such a class runs nothing the analysis tracks).
    /// </summary>
    private AbstractValue? SummarizedCreation(IObjectCreationOperation creation, List<AbstractValue> arguments)
    {
        var cache = _calls.Cache;
        if (creation.Constructor?.OriginalDefinition is not { } constructor || creation.Initializer is not null || !cache.CanSummarize(constructor))
        {
            return null;
        }

        if (!cache.Constructors.IsBodiless(constructor))
        {
            var body = cache.BodyOf(constructor, _graph, null, default);
            if (body is null)
            {
                return null;
            }

            var (values, operands) = ParameterValues(constructor, creation.Arguments, arguments);
            var summary = cache.Summarize(constructor, body, _state.Mode, values, _calls, default);
            if (summary is null)
            {
                return null;
            }

            ApplySummary(summary, values, operands, AbstractValue.Other);
        }

        return ValueOfType(creation.Type);
    }

    /// <summary>
    /// The callee's parameters in order; a params array and anything not a tensor enter as "not a tensor". A tensor
    /// given to a parameter of another type (<c>object o</c>, an interface) is not followed by the summary, which sees
    /// an ordinary object: the callee may store it, cast it back and change it, so for the caller it is what an
    /// unknown call leaves (escaped, nothing known about it).
    /// </summary>
    [MethodImpl(Jit.Optimized)]
    private (AbstractValue[] Values, IOperation?[] Operands) ParameterValues(IMethodSymbol method, ImmutableArray<IArgumentOperation> passed, List<AbstractValue> arguments)
    {
        var values = new AbstractValue[method.Parameters.Length];
        var operands = new IOperation?[method.Parameters.Length];
        for (var i = 0; i < values.Length; i++)
        {
            values[i] = AbstractValue.Other;
        }

        for (var i = 0; i < passed.Length; i++)
        {
            var argument = passed[i];
            if (argument.Parameter is { } parameter && parameter.Ordinal < values.Length && argument.ArgumentKind != ArgumentKind.ParamArray)
            {
                values[parameter.Ordinal] = _api.IsTensor(parameter.Type) && arguments[i].IsTensor ? arguments[i] : _api.IsTensor(parameter.Type) ? AbstractValue.UnknownTensor
                    : arguments[i].Lambda is not null ? arguments[i]
                    : AbstractValue.Other;
                operands[parameter.Ordinal] = argument.Value;
            }

            if (arguments[i].IsTensor && !(argument.Parameter is { } typed && _api.IsTensor(typed.Type)))
            {
                Mutate(argument.Value, arguments[i], TensorFact.Unknown);
                Escape(arguments[i]);
            }
        }

        return (values, operands);
    }

    [MethodImpl(Jit.Optimized)]
    private void ApplySummary(MethodSummary summary, AbstractValue[] values, IOperation?[] operands, AbstractValue receiver)
    {
        if (summary.TouchesExternal)
        {
            ForgetExternal();
        }

        if (summary.ClearsGradients)
        {
            ZeroGrad(null);
        }

        foreach (var index in summary.FreedParameters)
        {
            if (values[index].IsTensor)
            {
                _state.Freed = _state.Freed.Union(values[index].Fact.SavingNodes);
            }
        }

        if (summary.Backward)
        {
            BackwardRan();
        }

        // Apply the callee's changes to each argument's object; two arguments holding one object end up unknown.
        HashSet<int>? seen = null;
        for (var i = 0; i < values.Length; i++)
        {
            if (!values[i].IsTensor || summary.ArgumentFacts[i] is not { } after)
            {
                continue;
            }

            var before = SummaryCache.EntryFact(values[i].Fact);
            var shared = values[i].Origin != AbstractValue.External && !(seen ??= new HashSet<int>()).Add(values[i].Origin);
            if (shared)
            {
                Mutate(operands[i], values[i], TensorFact.Unknown);
            }
            else if (!after.Equals(before))
            {
                // The caller's optimizer bookkeeping is its own (ZeroGrad and Backward in the callee were applied above).
                Mutate(operands[i], values[i], after.WithOptimizerFactsOf(values[i].Fact) with { SavingNodes = ImmutableHashSet<int>.Empty, StaleFrozen = Tri.Maybe });
            }
        }

        if (summary.EscapesArguments)
        {
            foreach (var value in values)
            {
                Escape(value);
            }

            Escape(receiver);
        }

        _state.Mode = summary.ExitMode;
        if (summary.NeverReturns)
        {
            _state.Dead = true;
        }
    }

    [MethodImpl(Jit.Optimized)]
    private AbstractValue ReturnedValue(IInvocationOperation invocation, MethodSummary summary, IMethodSymbol method, AbstractValue[] values, IOperation?[] operands)
    {
        if (!_api.IsTensor(invocation.Type))
        {
            return ValueOfType(invocation.Type);
        }

        var fact = summary.ReturnedVia(CalleeName(method));

        switch (summary.Object)
        {
            case ReturnedObject.Argument when summary.ReturnedParameter < values.Length && values[summary.ReturnedParameter].IsTensor:
                var operand = operands[summary.ReturnedParameter];
                return VariableOf(operand) is { } key && _state.Variables.TryGetValue(key, out var now) ? now : values[summary.ReturnedParameter].Origin != AbstractValue.External ? FindByOrigin(values[summary.ReturnedParameter]) : AbstractValue.UnknownTensor;
            case ReturnedObject.Fresh:
                return AbstractValue.Tensor(fact, Fresh(invocation));
            case ReturnedObject.External:
                return AbstractValue.Tensor(fact, AbstractValue.External);
            default:
                return ValueOfType(invocation.Type);
        }
    }

    private static string CalleeName(IMethodSymbol method) =>
        method.MethodKind == MethodKind.AnonymousFunction ? "the lambda" : method.Name;
}

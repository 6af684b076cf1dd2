using System;
using System.Collections.Generic;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;
using StaticGrad.Compiler.IR;
using StaticGrad.Compiler.Model;

namespace StaticGrad.Compiler.Lowering;

/// <summary>
/// LINQ reductions over arrays as users write them, <c>xs.Sum(x =&gt; x * x)</c>, <c>logits.Max()</c>,
/// <c>a.Zip(b, (p, q) =&gt; p * q).Sum()</c>, <c>v.Select(x =&gt; Math.Exp(x - max)).Sum()</c>, <c>values.Average()</c>:
/// the reduction becomes the counted loop it stands for, before the statement (like a local function's body), so the
/// reverse sweep sees a loop over the array's elements and the gradient flows to each element. The loop keeps
/// <see cref="Enumerable"/>'s meaning: a <c>float</c> sum or average accumulates in <c>double</c>; <c>Average</c>,
/// <c>Max</c> and <c>Min</c> of no elements throw <see cref="InvalidOperationException"/>; <c>Max</c> orders NaN below
/// every number (NaN only when all are), <c>Min</c> returns the first NaN it meets and reads no further element;
/// <c>Zip</c> stops at the shorter array.
/// </summary>
internal sealed partial class StatementLowering
{
    private const string NoElements = "throw new global::System.InvalidOperationException(\"Sequence contains no elements\");";

    /// <summary>A sequence a reduction walks: how many elements, and element k's value lowered into a loop body.</summary>
    private sealed record LinqSequence(Expr Count, Func<Expr, List<Stmt>, Expr> Element);

    private static bool IsEnumerableMethod(IMethodSymbol method, params string[] names) =>
        method.ContainingType?.ToDisplayString() == "System.Linq.Enumerable" && names.Contains(method.Name);

    /// <summary>The reduction's value, null when the call is none (then it is lowered as any call), s_error when refused.</summary>
    private Expr? LowerLinqReduction(IInvocationOperation invocation, IrType? type)
    {
        var method = invocation.TargetMethod;
        if (!IsEnumerableMethod(method, "Sum", "Average", "Max", "Min") || type is not { IsFloating: true, IsCollection: false }
            || invocation.Arguments.Length is not (1 or 2))
        {
            return null;
        }

        var rewrite = "write the loop, or reduce a local or parameter array, its Select or its Zip with another array, in a statement of its own: 'var total = xs.Sum(x => x * x);'";
        if (!CanHoist(invocation))
        {
            return Unsupported(invocation, "LINQ '" + method.Name + "' inside a condition, a '?:' branch, the right side of '&&' or '||', or a loop test (" + rewrite + ")");
        }

        if (MayThrowBefore(invocation))
        {
            return Unsupported(invocation, "LINQ '" + method.Name + "' after a part of the statement that may throw (an element read or a call: C# would throw there first; " + rewrite + ")");
        }

        var selector = invocation.Arguments.Length == 2 ? Lambda(invocation.Arguments[1].Value, 1) : null;
        if ((invocation.Arguments.Length == 2 && selector is null) || LinqSource(invocation.Arguments[0].Value) is not { } sequence)
        {
            return Unsupported(invocation, "LINQ '" + method.Name + "' over '" + Shorten(invocation.Arguments[0].Value) + "'" + (selector is null && invocation.Arguments.Length == 2 ? " with this selector (a lambda 'x => …' of one expression that assigns nothing)" : string.Empty) + " (" + rewrite + ")");
        }

        if (selector is not null)
        {
            sequence = Selected(sequence, selector, null);
        }

        var syntax = invocation.Syntax;
        var output = _pending!;
        var count = Atom(sequence.Count, "_count");
        if (method.Name != "Sum")
        {
            output.Add(new IfStmt(new BinaryExpr(IrType.Bool, BinaryOp.Equal, count, new ConstExpr(IrType.Int, "0"), -1), Throw(NoElements), EquatableArray<Stmt>.Empty));
        }

        // Enumerable sums and averages a float sequence in double (Sum<float, double>); Max and Min compare in the element type.
        var sum = method.Name is "Sum" or "Average";
        var accumulatorType = sum ? IrType.Double : type;
        var accumulator = _context.DeclareHidden("_" + method.Name.ToLowerInvariant(), accumulatorType);
        var index = _context.DeclareHidden("_k", IrType.Int);
        var k = new VarExpr(IrType.Int, index);
        var acc = new VarExpr(accumulatorType, accumulator);
        var body = new List<Stmt>();
        if (!sum)
        {
            // Max and Min start from the first element, read before the loop.
            output.Add(new AssignStmt(accumulator, accumulatorType, Assigned(Convert(WithPending(output, () => sequence.Element(new ConstExpr(IrType.Int, "0"), output)), accumulatorType, syntax))));
        }

        _loopDepth++;
        if (sum)
        {
            output.Add(new AssignStmt(accumulator, accumulatorType, new ConstExpr(accumulatorType, "0.0")));
            output.Add(new AssignStmt(index, IrType.Int, new ConstExpr(IrType.Int, "0")));
            var element = Convert(WithPending(body, () => sequence.Element(k, body)), accumulatorType, syntax);
            body.Add(new AssignStmt(accumulator, accumulatorType, Assigned(new BinaryExpr(accumulatorType, BinaryOp.Add, acc, element, _context.Site(syntax)))));
        }
        else
        {
            output.Add(new AssignStmt(index, IrType.Int, new ConstExpr(IrType.Int, "1")));
            var isMax = method.Name == "Max";
            if (!isMax)
            {
                // Min returns the first NaN without reading further elements.
                body.Add(new IfStmt(IsNaN(acc), new Stmt[] { new BreakStmt() }.ToEquatableArray(), EquatableArray<Stmt>.Empty));
            }

            var element = Atom(Convert(WithPending(body, () => sequence.Element(k, body)), accumulatorType, syntax), body, "_element");
            var better = isMax
                ? new BinaryExpr(IrType.Bool, BinaryOp.ConditionalOr, new BinaryExpr(IrType.Bool, BinaryOp.Greater, element, acc, -1), IsNaN(acc), -1)
                : new BinaryExpr(IrType.Bool, BinaryOp.ConditionalOr, new BinaryExpr(IrType.Bool, BinaryOp.Less, element, acc, -1), IsNaN(element), -1);
            body.Add(new IfStmt(better, new Stmt[] { new AssignStmt(accumulator, accumulatorType, Assigned(element)) }.ToEquatableArray(), EquatableArray<Stmt>.Empty));
        }

        _loopDepth--;
        output.Add(new LoopStmt(
            new BinaryExpr(IrType.Bool, BinaryOp.Less, k, count, -1),
            body.ToEquatableArray(),
            new Stmt[] { new AssignStmt(index, IrType.Int, new BinaryExpr(IrType.Int, BinaryOp.Add, k, new ConstExpr(IrType.Int, "1"), -1)) }.ToEquatableArray(),
            TestFirst: true));
        Expr result = method.Name == "Average" ? new BinaryExpr(accumulatorType, BinaryOp.Divide, acc, new CastExpr(accumulatorType, count, -1), _context.Site(syntax)) : acc;
        return Convert(result, type, syntax);
    }

    /// <summary>A call of Select or Zip that no reduction consumes: one error, with the rewrite.</summary>
    private Expr? RefuseLinqSequence(IInvocationOperation invocation) =>
        IsEnumerableMethod(invocation.TargetMethod, "Select", "Zip", "Where", "OrderBy", "ToArray", "ToList", "Aggregate", "Take", "Skip")
            ? Unsupported(invocation, "LINQ '" + invocation.TargetMethod.Name + "' here (Sum, Average, Max and Min of an array, of its Select or of a Zip of two arrays are supported; write the loop for the rest)")
            : null;

    /// <summary>An array (parameter, local, static readonly table), its <c>Select</c>, or a <c>Zip</c> of two arrays.</summary>
    private LinqSequence? LinqSource(IOperation operation, string argument = "source")
    {
        operation = SkipConversions(operation);
        if (operation is IInvocationOperation { TargetMethod: var method } call && IsEnumerableMethod(method, "Select") && call.Arguments.Length == 2)
        {
            return LinqSource(call.Arguments[0].Value) is { } source && Lambda(call.Arguments[1].Value, 1) is { } selector
                ? Selected(source, selector, null)
                : Lambda(call.Arguments[1].Value, 2) is { Parameters: [_, { Type.SpecialType: SpecialType.System_Int32 }] } indexed && LinqSource(call.Arguments[0].Value) is { } indexedSource
                ? Selected(indexedSource, indexed, indexed)
                : null;
        }

        if (operation is IInvocationOperation { TargetMethod: var zip } zipCall && IsEnumerableMethod(zip, "Zip") && zipCall.Arguments.Length == 3
            && Lambda(zipCall.Arguments[2].Value, 2) is { } combine && LinqSource(zipCall.Arguments[0].Value, "first") is { } first && LinqSource(zipCall.Arguments[1].Value, "second") is { } second)
        {
            return new LinqSequence(
                new ConditionalExpr(IrType.Int, new BinaryExpr(IrType.Bool, BinaryOp.Less, second.Count, first.Count, -1), second.Count, first.Count),
                (k, body) => WithParameters(combine, new[] { first.Element(k, body), second.Element(k, body) }, body));
        }

        if (operation.Type is not IArrayTypeSymbol { Rank: 1 } || ReadsLambdaParameter(operation))
        {
            return null;
        }

        var array = LowerExpression(operation);
        if (operation is IParameterReferenceOperation && array is VarExpr { Type.IsCollection: true } && _pending is { } pending)
        {
            // A null array throws what Enumerable throws where the operator is called, ArgumentNullException naming its
            // parameter ('source', or Zip's 'first' and 'second'), not a NullReferenceException at its length.
            pending.Add(new EffectStmt(new[] { "global::System.ArgumentNullException.ThrowIfNull(", ", \"" + argument + "\");" }.ToEquatableArray(), new Expr[] { array }.ToEquatableArray()));
        }

        return array switch
        {
            VarExpr { Type: { IsCollection: true, IsMultiDimensional: false } element } v => new LinqSequence(new LengthExpr(v.Name), (k, _) => new ElementExpr(element.Element, v.Name, k)),
            ConstExpr { Type: { IsCollection: true, IsMultiDimensional: false } element } c => new LinqSequence(new LengthExpr(c.Text), (k, _) => new ElementExpr(element.Element, c.Text, k)),
            _ => null,
        };
    }

    private LinqSequence Selected(LinqSequence source, IMethodSymbol selector, IMethodSymbol? indexed) =>
        new(source.Count, (k, body) => WithParameters(selector, indexed is null ? new[] { source.Element(k, body) } : new[] { source.Element(k, body), k }, body));

    /// <summary>The lambda's one expression, lowered with each parameter standing for a value held in a hidden local.</summary>
    private Expr WithParameters(IMethodSymbol lambda, Expr[] values, List<Stmt> body)
    {
        var returned = _lambdaBodies[lambda];
        for (var i = 0; i < values.Length; i++)
        {
            _substitutions[lambda.Parameters[i]] = Atom(values[i], body, "_" + lambda.Parameters[i].Name);
        }

        try
        {
            return WithPending(body, () => LowerExpression(returned));
        }
        finally
        {
            foreach (var parameter in lambda.Parameters)
            {
                _substitutions.Remove(parameter);
            }
        }
    }

    /// <summary>The bodies of the lambdas <see cref="Lambda"/> accepted, by their symbol.</summary>
    private readonly Dictionary<IMethodSymbol, IOperation> _lambdaBodies = new(SymbolEqualityComparer.Default);

    /// <summary>A lambda of <paramref name="arity"/> parameters whose body is one expression that assigns nothing.</summary>
    private IMethodSymbol? Lambda(IOperation operation, int arity)
    {
        var lambda = SkipConversions(operation) switch
        {
            IDelegateCreationOperation { Target: IAnonymousFunctionOperation target } => target,
            IAnonymousFunctionOperation direct => direct,
            _ => null,
        };
        if (lambda is null || lambda.Symbol.Parameters.Length != arity
            || lambda.Body.Operations.Where(o => o is not IReturnOperation { ReturnedValue: null, IsImplicit: true }).ToList() is not [IReturnOperation { ReturnedValue: { } value }]
            || value.DescendantsAndSelf().Any(o => o is IAssignmentOperation or IIncrementOrDecrementOperation || (o is IAnonymousFunctionOperation && !IsLinqArgument(o))))
        {
            return null;
        }

        _lambdaBodies[lambda.Symbol] = value;
        return lambda.Symbol;
    }

    private static bool IsLinqArgument(IOperation lambda) =>
        lambda.Parent is IDelegateCreationOperation { Parent: IArgumentOperation { Parent: IInvocationOperation call } } && IsEnumerableMethod(call.TargetMethod, "Sum", "Average", "Max", "Min", "Select", "Zip");

    private Expr WithPending(List<Stmt> output, Func<Expr> lower)
    {
        var saved = _pending;
        _pending = output;
        try
        {
            return lower();
        }
        finally
        {
            _pending = saved;
        }
    }

    private Expr Atom(Expr value, List<Stmt> output, string hint)
    {
        if (value is VarExpr or ConstExpr)
        {
            return value;
        }

        var name = _context.DeclareHidden(hint, value.Type);
        output.Add(new AssignStmt(name, value.Type, Assigned(value)));
        return new VarExpr(value.Type, name);
    }

    private static EquatableArray<Stmt> Throw(string text) =>
        new Stmt[] { new EffectStmt(new[] { text }.ToEquatableArray(), EquatableArray<Expr>.Empty) }.ToEquatableArray();

    /// <summary>
    /// Whether the hoisted reduction could throw where C# would have thrown another exception first: the reduction may
    /// throw (Average, Max and Min of no elements; a selector's element read, call or integer division) and a part of
    /// the statement that C# evaluates before it (to its left) may throw too. Earlier reductions are hoisted earlier,
    /// in C#'s order, so they do not count.
    /// </summary>
    private static bool MayThrowBefore(IInvocationOperation invocation)
    {
        if (invocation.TargetMethod.Name == "Sum" && !invocation.Arguments.Any(a => MayThrow(a.Value)))
        {
            return false;
        }

        var statement = (IOperation)invocation;
        while (statement.Parent is { } parent && parent is not IBlockOperation && parent is not ISwitchCaseOperation && !IsNestedStatement(parent, statement))
        {
            statement = parent;
        }

        var start = invocation.Syntax.SpanStart;
        return statement.ChildOperations.Any(o => EvaluatedBefore(o, invocation, start));
    }

    private static bool EvaluatedBefore(IOperation operation, IInvocationOperation invocation, int start)
    {
        if (ReferenceEquals(operation, invocation) || operation.Syntax.SpanStart >= start
            || operation is IInvocationOperation earlier && IsEnumerableMethod(earlier.TargetMethod, "Sum", "Average", "Max", "Min"))
        {
            return false;
        }

        // An operation around the reduction (a call taking it, a division by it) does its own part after it.
        var around = operation.Syntax.Span.Contains(invocation.Syntax.Span);
        return (!around && ThrowsItself(operation, "Select", "Zip")) || operation.ChildOperations.Any(o => EvaluatedBefore(o, invocation, start));
    }

    /// <summary>Whether the operation or a part of it may throw (<see cref="ThrowsItself"/>); a Sum, Select or Zip does not by itself.</summary>
    private static bool MayThrow(IOperation operation) => operation.DescendantsAndSelf().Any(o => ThrowsItself(o, "Sum", "Select", "Zip"));

    /// <summary>An element read, a call other than Math's or the named Enumerable methods, an integer division or remainder.</summary>
    private static bool ThrowsItself(IOperation operation, params string[] safeEnumerableMethods) => operation switch
    {
        IArrayElementReferenceOperation or IPropertyReferenceOperation { Property.IsIndexer: true } => true,
        IInvocationOperation { TargetMethod: var method } => method.ContainingType?.ToDisplayString() is not ("System.Math" or "System.MathF") && !IsEnumerableMethod(method, safeEnumerableMethods),
        IBinaryOperation { OperatorKind: BinaryOperatorKind.Divide or BinaryOperatorKind.Remainder, Type.SpecialType: not (SpecialType.System_Double or SpecialType.System_Single) } => true,
        _ => false,
    };
}

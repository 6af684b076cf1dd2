using System.Collections.Generic;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;
using StaticGrad.Compiler.IR;
using StaticGrad.Compiler.Model;

namespace StaticGrad.Compiler.Lowering;

/// <summary>
/// Loop conditions with side effects (<c>while (++n &lt; 200)</c>, <c>while (y &gt;= 0 &amp;&amp; steps++ &lt; 10_000)</c>,
/// <c>do { … } while ((k += 2) &lt; n)</c>). The condition's effects become statements that run where C# evaluates
/// the condition, and the loop tests the value they leave:
/// <c>while (C) body</c> is <c>E; while (v) { body; E }</c>, a <c>for</c> loop puts its iterator before the second E,
/// and <c>do body while (C)</c> is <c>do { body; E } while (v)</c>. E is in the loop's step, which a <c>continue</c>
/// reaches and a <c>break</c> or <c>return</c> skips (ControlFlowNormalizer), exactly as C# re-evaluates the
/// condition after a continue; the last E runs on the failing test too, so exit values are C#'s. The loop stays one
/// structured IR loop, so the reverse sweep counts its iterations and the forward-mode and Hessian emitters replay it
/// like any other. Each effect is lowered ahead (into the <c>_writtenArguments</c> map that the expression lowering
/// consults first) in C#'s evaluation order; the right operand of <c>&amp;&amp;</c> or <c>||</c> with effects runs under
/// an if, so its effects happen only when C# would evaluate it.
/// </summary>
internal sealed partial class StatementLowering
{
    private const string ElementEffectRefusal =
        "increments and assignments of array elements, fields or properties inside loop conditions (update a local in the condition, 'while (++k < n)', or update the element in the loop body: 'while (true) { a[i] += 1; if (a[i] >= n) break; … }')";

    /// <summary>Whether evaluating <paramref name="operation"/> assigns or increments something or calls a method not known to be pure (a lambda's body is not evaluated there).</summary>
    private static bool HasEffects(IOperation operation) =>
        operation is IIncrementOrDecrementOperation or IAssignmentOperation
        || IsImpureValueCall(operation)
        || (operation is not (IAnonymousFunctionOperation or ILocalFunctionOperation) && operation.ChildOperations.Any(HasEffects));

    /// <summary>A while, do or for loop whose condition has effects (see the class summary); <paramref name="atBottom"/> is a for loop's iterator.</summary>
    private void LowerLoopWithConditionEffects(IOperation condition, IOperation body, IEnumerable<IOperation> atBottom, bool testFirst, List<Stmt> output)
    {
        _loopDepth++;
        var effects = new List<Stmt>();
        var value = LowerEffectfulCondition(condition, effects);
        var loweredBody = LowerNested(body);
        var step = new List<Stmt>();
        LowerSequence(atBottom, step);
        if (testFirst)
        {
            // The first test's effects run before the loop; each later test's after the step. Fresh statement objects
            // for the copy: the analyses key saves and slots by statement identity.
            output.AddRange(effects);
            step.AddRange(IrWalker.Rewrite(effects.ToEquatableArray(), e => e));
        }
        else
        {
            step.AddRange(effects);
        }

        output.Add(new LoopStmt(value, loweredBody, step.ToEquatableArray(), testFirst));
        _loopDepth--;
    }

    /// <summary>
    /// The condition's value, its effects appended to <paramref name="output"/> in evaluation order. Statements that
    /// other lowerings hoist out of the condition (a local function's inlined body) go there too.
    /// </summary>
    private Expr LowerEffectfulCondition(IOperation condition, List<Stmt> output)
    {
        var saved = _pending;
        _pending = output;
        var hoisted = new List<IOperation>();
        try
        {
            if (RefuseEffectOrder(condition))
            {
                return s_error;
            }

            HoistEffects(condition, output, hoisted);
            return LowerExpression(condition);
        }
        finally
        {
            _pending = saved;

            // Lowered for this evaluation only: a local function's body is lowered again at each call it is inlined
            // into, and must hoist its condition's effects there again, under that call's names.
            foreach (var operation in hoisted)
            {
                _writtenArguments.Remove(operation);
            }
        }
    }

    /// <summary>Lowers the effects inside <paramref name="operation"/> ahead, children first and left to right, as C# evaluates them.</summary>
    private void HoistEffects(IOperation operation, List<Stmt> output, List<IOperation> hoisted)
    {
        if (!HasEffects(operation) || _writtenArguments.ContainsKey(operation))
        {
            return;
        }

        switch (operation)
        {
            case IBinaryOperation { OperatorKind: BinaryOperatorKind.ConditionalAnd or BinaryOperatorKind.ConditionalOr, OperatorMethod: null } shortCircuit when HasEffects(shortCircuit.RightOperand):
                _writtenArguments[operation] = LowerShortCircuit(shortCircuit, output);
                hoisted.Add(operation);
                return;
            case IConditionalOperation or ICoalesceOperation or ISwitchExpressionOperation or IAnonymousFunctionOperation:
                UnsupportedStatement(operation, "increments and assignments inside a '?:', '??', switch expression or lambda of a loop condition (write them as statements in the loop body)");
                _writtenArguments[operation] = s_error;
                hoisted.Add(operation);
                return;
            case IInvocationOperation invocation when IsImpureValueCall(invocation):
                _writtenArguments[operation] = HoistConditionCall(invocation, output, hoisted);
                hoisted.Add(operation);
                return;
            case IIncrementOrDecrementOperation or ICompoundAssignmentOperation or ISimpleAssignmentOperation:
                foreach (var child in operation.ChildOperations.Where(c => !ReferenceEquals(c, EffectTarget(operation))))
                {
                    HoistEffects(child, output, hoisted);
                }

                _writtenArguments[operation] = LowerEffect(operation, output);
                hoisted.Add(operation);
                return;
            default:
                foreach (var child in operation.ChildOperations)
                {
                    HoistEffects(child, output, hoisted);
                }

                return;
        }
    }

    private static IOperation EffectTarget(IOperation effect) => effect is IIncrementOrDecrementOperation increment ? increment.Target : ((IAssignmentOperation)effect).Target;

    /// <summary>
    /// One increment or assignment of an int, long, float or double local or parameter, as a statement; its value is
    /// the variable afterwards (prefix, compound, simple) or a hidden copy of it before (postfix).
    /// </summary>
    private Expr LowerEffect(IOperation effect, List<Stmt> output)
    {
        var symbol = EffectTarget(effect) switch
        {
            ILocalReferenceOperation { Local.IsRef: false } local => (ISymbol)local.Local,
            IParameterReferenceOperation { Parameter.RefKind: RefKind.None } parameter => parameter.Parameter,
            _ => null,
        };
        if (symbol is null || _refused.Contains(symbol) || !_context.TryGetVariable(symbol, out var name, out var type)
            || type is not { Shape: ShapeKind.Scalar, Scalar: ScalarKind.Int or ScalarKind.Long or ScalarKind.Float or ScalarKind.Double })
        {
            UnsupportedStatement(effect, symbol is null ? ElementEffectRefusal : "increments and assignments inside loop conditions of variables other than int, long, float or double locals and parameters (update it in the loop body)");
            return s_error;
        }

        Expr value = new VarExpr(type, name);
        if (effect is IIncrementOrDecrementOperation { IsPostfix: true })
        {
            var before = _context.DeclareHidden("_" + name + "Before", type);
            output.Add(new AssignStmt(before, type, value));
            value = new VarExpr(type, before);
        }

        LowerExpressionStatement(effect, output);
        return value;
    }

    /// <summary>
    /// <c>a &amp;&amp; b</c> or <c>a || b</c> whose right operand has effects: a hidden flag holds a, and b (its effects
    /// first) is evaluated and stored in the flag only when C# evaluates it.
    /// </summary>
    private Expr LowerShortCircuit(IBinaryOperation shortCircuit, List<Stmt> output)
    {
        var flag = _context.DeclareHidden("_cond", IrType.Bool);
        output.Add(new AssignStmt(flag, IrType.Bool, LowerEffectfulCondition(shortCircuit.LeftOperand, output)));
        var right = new List<Stmt>();
        right.Add(new AssignStmt(flag, IrType.Bool, LowerEffectfulCondition(shortCircuit.RightOperand, right)));
        Expr read = new VarExpr(IrType.Bool, flag);
        var evaluatesRight = shortCircuit.OperatorKind == BinaryOperatorKind.ConditionalAnd ? read : new UnaryExpr(IrType.Bool, UnaryOp.Not, read);
        output.Add(new IfStmt(evaluatesRight, right.ToEquatableArray(), EquatableArray<Stmt>.Empty));
        return read;
    }

    /// <summary>
    /// Hoisting is exact when every variable an effect writes is read, outside the effects, only after C# writes it
    /// (<c>++n &lt; 200 &amp;&amp; n % 7 != 0</c>) and is written once (so an effect's value is still the variable when
    /// the condition reads it). Otherwise a located SG1002 says what to write instead; true when reported.
    /// </summary>
    private bool RefuseEffectOrder(IOperation condition)
    {
        var writes = new Dictionary<ISymbol, (int Position, IOperation Operation)>(SymbolEqualityComparer.Default);
        var reads = new List<(ISymbol Symbol, int Position, IOperation Operation)>();
        var position = 0;
        var refused = false;
        Walk(condition);
        if (refused)
        {
            return true;
        }

        foreach (var (symbol, at, operation) in reads)
        {
            if (writes.TryGetValue(symbol, out var written) && written.Position > at)
            {
                UnsupportedStatement(operation, "loop conditions that read '" + symbol.Name + "' before they update it (update it first, '(n += 1) < limit', or in the loop body)");
                return true;
            }
        }

        return false;

        void Write(ISymbol target, IOperation operation)
        {
            if (writes.ContainsKey(target) && !refused)
            {
                UnsupportedStatement(operation, "loop conditions that update '" + target.Name + "' twice (update it once in the condition and again in the loop body)");
                refused = true;
            }

            writes[target] = (position, operation);
        }

        void Walk(IOperation operation)
        {
            switch (operation)
            {
                // Evaluated at its place, its right operand under an if with its own order (LowerShortCircuit): here
                // it counts as one write of each variable its effects update.
                case IBinaryOperation { OperatorKind: BinaryOperatorKind.ConditionalAnd or BinaryOperatorKind.ConditionalOr, OperatorMethod: null } shortCircuit when HasEffects(shortCircuit.RightOperand):
                    foreach (var target in shortCircuit.DescendantsAndSelf().Where(o => o is IIncrementOrDecrementOperation or IAssignmentOperation)
                        .Select(o => SymbolOf(EffectTarget(o))).OfType<ISymbol>().Distinct(SymbolEqualityComparer.Default))
                    {
                        Write(target, shortCircuit);
                    }

                    position++;
                    return;
                case IIncrementOrDecrementOperation or IAssignmentOperation:
                    foreach (var child in operation.ChildOperations.Where(c => !ReferenceEquals(c, EffectTarget(operation))))
                    {
                        Walk(child);
                    }

                    if (SymbolOf(EffectTarget(operation)) is { } written)
                    {
                        Write(written, operation);
                    }

                    position++;
                    return;
                case ILocalReferenceOperation or IParameterReferenceOperation:
                    reads.Add((SymbolOf(operation)!, position++, operation));
                    return;
                // Refused by HoistEffects when they hold an effect; a lambda's body is not evaluated here.
                case IConditionalOperation or ICoalesceOperation or ISwitchExpressionOperation when HasEffects(operation):
                case IAnonymousFunctionOperation:
                    position++;
                    return;
                default:
                    foreach (var child in operation.ChildOperations)
                    {
                        Walk(child);
                    }

                    position++;
                    return;
            }
        }
    }

    private static ISymbol? SymbolOf(IOperation operation) => operation switch
    {
        ILocalReferenceOperation local => local.Local,
        IParameterReferenceOperation parameter => parameter.Parameter,
        _ => null,
    };
}

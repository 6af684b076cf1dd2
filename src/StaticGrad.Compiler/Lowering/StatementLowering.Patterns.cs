using System.Collections.Generic;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Operations;
using StaticGrad.Compiler.IR;
using StaticGrad.Compiler.Model;

namespace StaticGrad.Compiler.Lowering;

/// <summary>
/// Patterns (<c>is</c>, switch statements and switch expressions) and throw expressions. A pattern is a branch decision:
/// it becomes a bool IR expression of comparisons, so on an active value it is handled like <c>x &lt; 0</c> and on a
/// configuration value like any inactive test.
/// </summary>
internal sealed partial class StatementLowering
{
    /// <summary>The test <paramref name="value"/> <c>is</c> <paramref name="pattern"/>, or null after one SG1002.</summary>
    private Expr? LowerPattern(IPatternOperation pattern, Expr value)
    {
        switch (pattern)
        {
            case IConstantPatternOperation constant:
                {
                    var operand = LowerExpression(constant.Value);

                    // 'x is double.NaN' is true for NaN, where 'x == double.NaN' never is.
                    return operand is ConstExpr { Text: "double.NaN" or "float.NaN" }
                        ? IsNaN(value)
                        : Compare(BinaryOp.Equal, value, operand);
                }

            case IRelationalPatternOperation relational when MapBinary(relational.OperatorKind) is { } op:
                return Compare(op, value, LowerExpression(relational.Value));
            case INegatedPatternOperation negated:
                return LowerPattern(negated.Pattern, value) is { } inner ? new UnaryExpr(IrType.Bool, UnaryOp.Not, inner) : null;
            case IBinaryPatternOperation binary:
                {
                    var left = LowerPattern(binary.LeftPattern, value);
                    var right = left is null ? null : LowerPattern(binary.RightPattern, value);
                    var op = binary.OperatorKind == BinaryOperatorKind.Or ? BinaryOp.ConditionalOr : BinaryOp.ConditionalAnd;
                    return right is null ? null : new BinaryExpr(IrType.Bool, op, left!, right, -1);
                }

            case IDiscardPatternOperation:
                return True;
            case ITypePatternOperation type when SymbolEqualityComparer.Default.Equals(type.MatchedType, type.InputType):
                return True;
            case IDeclarationPatternOperation declaration when declaration.MatchedType is null || SymbolEqualityComparer.Default.Equals(declaration.MatchedType, declaration.InputType):
                return Bind(declaration, declaration.DeclaredSymbol, value) ? True : null;
            case IRecursivePatternOperation recursive when recursive.DeconstructionSubpatterns.IsEmpty && recursive.DeclaredSymbol is null:
                {
                    Expr result = True;
                    foreach (var property in recursive.PropertySubpatterns)
                    {
                        var member = StructMemberLeaf(property, value)
                            ?? (property.Member is IPropertyReferenceOperation { Property.Name: "Length" } && value is VarExpr { Type.IsCollection: true } array ? new LengthExpr(array.Name) : null);
                        if (member is null)
                        {
                            return UnsupportedPattern(property, "property patterns other than on an array's or span's Length or a struct's or tuple's own fields (compare the value with a separate test)");
                        }

                        if (LowerPattern(property.Pattern, member) is not { } test)
                        {
                            return null;
                        }

                        result = ReferenceEquals(result, True) ? test : new BinaryExpr(IrType.Bool, BinaryOp.ConditionalAnd, result, test, -1);
                    }

                    return result;
                }

            default:
                return UnsupportedPattern(pattern, "patterns like '" + Shorten(pattern) + "' (test the value with comparisons such as 'x > 0 && x < 1', or patterns of constants, comparisons, 'and', 'or', 'not' and 'var')");
        }
    }

    /// <summary>A throw expression, seen through the conversion to the type of the expression around it.</summary>
    private static IThrowOperation? AsThrow(IOperation operation) => SkipConversions(operation) as IThrowOperation;

    private static readonly Expr True = new ConstExpr(IrType.Bool, "true");

    private static Expr IsNaN(Expr value) => new MethodCallExpr(
        IrType.Bool,
        new CallTarget(CallKind.Opaque, value.Type.ScalarKeyword + ".IsNaN", string.Empty, "IsNaN", value.Type.ScalarKeyword + ".IsNaN", new[] { new ParameterPassing(AdjointPassing.None, "d") }.ToEquatableArray()),
        new[] { value }.ToEquatableArray(),
        -1);

    private static Expr Compare(BinaryOp op, Expr left, Expr right) => new BinaryExpr(IrType.Bool, op, left, AsFloatingConstant(left.Type, right), -1);

    private Expr? UnsupportedPattern(IOperation operation, string what)
    {
        _context.Report("SG1002", operation.Syntax, what);

        // The pattern's variables are never assigned: their uses are not errors of their own.
        foreach (var inner in operation.DescendantsAndSelf())
        {
            if (inner switch { IDeclarationPatternOperation d => d.DeclaredSymbol, IRecursivePatternOperation r => r.DeclaredSymbol, IListPatternOperation l => l.DeclaredSymbol, _ => null } is { } declared)
            {
                _refused.Add(declared);
            }
        }

        return null;
    }

    /// <summary><c>is var d</c>, <c>is double d</c>: the variable is assigned the tested value before the test.</summary>
    private bool Bind(IOperation pattern, ISymbol? symbol, Expr value)
    {
        if (symbol is null)
        {
            return true;
        }

        if (symbol is not ILocalSymbol local || TypeMapping.ToIrType(local.Type) is not { IsCollection: false } type || _pending is null)
        {
            UnsupportedPattern(pattern, "pattern variables here (declare the variable in its own statement)");
            return false;
        }

        return BindPatternVariable(pattern, local, type, Assigned(value));
    }

    /// <summary>
    /// Whether statements may be hoisted before the statement that holds <paramref name="operation"/>: not where C#
    /// might not evaluate it (a branch of <c>?:</c> or a switch arm, right of <c>&amp;&amp;</c>, <c>||</c> or <c>??</c>), where
    /// running it early could throw an exception the original never throws.
    /// </summary>
    private bool CanHoist(IOperation operation)
    {
        if (_pending is null)
        {
            return false;
        }

        for (var child = operation; child.Parent is { } parent && parent is not IBlockOperation && parent is not ISwitchCaseOperation && !IsNestedStatement(parent, child); child = parent)
        {
            var conditional = parent switch
            {
                IConditionalOperation c => !ReferenceEquals(c.Condition, child),
                IBinaryOperation { OperatorKind: BinaryOperatorKind.ConditionalAnd or BinaryOperatorKind.ConditionalOr } b => ReferenceEquals(b.RightOperand, child),
                ICoalesceOperation c => ReferenceEquals(c.WhenNull, child),
                ISwitchExpressionArmOperation => true,
                IWhileLoopOperation or IForLoopOperation => true,
                _ => false,
            };
            if (conditional)
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>
    /// Whether <paramref name="child"/> is a statement of its own under <paramref name="parent"/> without braces: a loop's
    /// body or an <c>if</c> statement's branch, lowered into its own list (<see cref="LowerNested"/>), so what its
    /// expressions hoist runs inside it, as it does with braces.
    /// </summary>
    private static bool IsNestedStatement(IOperation parent, IOperation child) => parent switch
    {
        // A for loop's initializers and iterators are statements of their own too (LowerSequence: 'i += 1 + Next()').
        IForLoopOperation loop => ReferenceEquals(loop.Body, child) || loop.Before.Contains(child) || loop.AtLoopBottom.Contains(child),
        ILoopOperation loop => ReferenceEquals(loop.Body, child),
        IConditionalOperation { Syntax: IfStatementSyntax } branch => !ReferenceEquals(branch.Condition, child),
        _ => false,
    };

    /// <summary><c>c ? v : throw e</c> (either side): the throw becomes a guard before the statement.</summary>
    private Expr LowerConditionalThrow(IConditionalOperation conditional, IThrowOperation throwOperation, IOperation value)
    {
        if (!CanHoist(conditional))
        {
            return Unsupported(throwOperation, "throw expressions inside a condition or branch (check the value in an 'if' statement before it)");
        }

        var condition = LowerExpression(conditional.Condition);
        if (Effect(throwOperation, "throw ", throwOperation.Exception!, ";") is not { } effect)
        {
            return s_error;
        }

        var throws = ReferenceEquals(AsThrow(conditional.WhenTrue), throwOperation) ? condition : new UnaryExpr(IrType.Bool, UnaryOp.Not, condition);
        _pending!.Add(new IfStmt(throws, new Stmt[] { effect }.ToEquatableArray(), EquatableArray<Stmt>.Empty));
        return LowerExpression(value);
    }

    /// <summary>
    /// A switch expression: nested conditionals when every arm is a value and the switch is exhaustive; otherwise (an
    /// arm that throws, or no match possible) an if/else chain into a temporary before the statement, whose last
    /// branch throws as C# would.
    /// </summary>
    private Expr LowerSwitchExpression(ISwitchExpressionOperation switchExpression, IrType type)
    {
        var value = PatternInput(switchExpression.Value);
        var arms = switchExpression.Arms;
        var throws = arms.Any(a => AsThrow(a.Value) is not null);
        if (arms.Length == 0)
        {
            return Unsupported(switchExpression, "switch expressions without arms");
        }

        if (!throws && switchExpression.IsExhaustive)
        {
            // The last arm matches whatever the others leave; its pattern still binds its variables ('var a => …').
            if (ArmCondition(arms[arms.Length - 1], value) is null)
            {
                return s_error;
            }

            var result = LowerExpression(arms[arms.Length - 1].Value);
            for (var i = arms.Length - 2; i >= 0; i--)
            {
                if (ArmCondition(arms[i], value) is not { } condition)
                {
                    return s_error;
                }

                result = new ConditionalExpr(type, condition, LowerExpression(arms[i].Value), result);
            }

            return result;
        }

        if (!CanHoist(switchExpression))
        {
            return Unsupported(switchExpression, "switch expressions that throw or may match no arm inside a condition or branch (assign the switch to a local first)");
        }

        var temporary = _context.DeclareHidden("_switch", type);
        var saved = _pending!;
        EquatableArray<Stmt> chain = new Stmt[]
        {
            new EffectStmt(new[] { "throw new global::System.Runtime.CompilerServices.SwitchExpressionException(", ");" }.ToEquatableArray(), new[] { value }.ToEquatableArray()),
        }.ToEquatableArray();
        var branches = new List<(Expr Condition, EquatableArray<Stmt> Body)>();
        foreach (var arm in arms)
        {
            // Each arm's hoisted statements (a pattern variable) run before its test, in the branch where it is reached.
            var before = new List<Stmt>();
            _pending = before;
            var condition = ArmCondition(arm, value);
            var body = new List<Stmt>();
            _pending = body;
            if (AsThrow(arm.Value) is { Exception: { } exception } throwArm)
            {
                if (Effect(throwArm, "throw ", exception, ";") is { } effect)
                {
                    body.Add(effect);
                }
            }
            else
            {
                body.Add(new AssignStmt(temporary, type, LowerExpression(arm.Value)));
            }

            _pending = saved;
            if (condition is null)
            {
                return s_error;
            }

            saved.AddRange(before);
            branches.Add((condition, body.ToEquatableArray()));
        }

        for (var i = branches.Count - 1; i >= 0; i--)
        {
            chain = ReferenceEquals(branches[i].Condition, True)
                ? branches[i].Body
                : new Stmt[] { new IfStmt(branches[i].Condition, branches[i].Body, chain) }.ToEquatableArray();
        }

        saved.AddRange(chain);
        return new VarExpr(type, temporary);
    }

    private Expr? ArmCondition(ISwitchExpressionArmOperation arm, Expr value)
    {
        var condition = LowerPattern(arm.Pattern, value);
        if (condition is null || arm.Guard is null)
        {
            return condition;
        }

        var guard = LowerExpression(arm.Guard);
        return ReferenceEquals(condition, True) ? guard : new BinaryExpr(IrType.Bool, BinaryOp.ConditionalAnd, condition, guard, -1);
    }

    /// <summary>A <c>case pattern when guard:</c> label of a switch statement.</summary>
    private Expr CaseCondition(IPatternCaseClauseOperation clause, Expr value)
    {
        var condition = LowerPattern(clause.Pattern, value) ?? s_error;
        return clause.Guard is null ? condition : new BinaryExpr(IrType.Bool, BinaryOp.ConditionalAnd, condition, LowerExpression(clause.Guard), -1);
    }
}

using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Linq;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using StaticGrad.Compiler.Derivatives;
using StaticGrad.Compiler.IR;
using StaticGrad.Compiler.Model;

namespace StaticGrad.Compiler.Forward;

/// <summary>
/// The built-in rules as IR. <see cref="BuiltinRules"/> stays the one table: each partial's C# text is written once
/// with placeholder names for the arguments and the incoming factor, parsed back into IR, and instantiated with the
/// call's arguments and an argument's tangent. So forward mode (g := the argument's tangent, summed over arguments)
/// and the reverse transformation that second order runs on the tangent IR use exactly the reverse-mode formulas.
/// </summary>
public static class RuleForms
{
    private const string FactorName = "__g";
    private const string ArgumentPrefix = "__a";

    private static readonly ConcurrentDictionary<(string Function, int Arity, int Index, bool IsFloat), Expr?> s_templates = new();

    /// <summary>
    /// <c>factor · ∂f/∂argᵢ</c> as IR for a call of <paramref name="call"/>'s function with the (already rewritten)
    /// <paramref name="arguments"/>, or null when the partial is zero.
    /// </summary>
    public static Expr? Partial(BuiltinCallExpr call, IReadOnlyList<Expr> arguments, int index, Expr factor)
    {
        var isFloat = call.Type.Scalar == ScalarKind.Float;
        var template = s_templates.GetOrAdd((call.Function, call.Args.Count, index, isFloat), key => Template(key.Function, key.Arity, key.Index, key.IsFloat, call.Type));
        if (template is null)
        {
            return null;
        }

        return IrWalker.Rewrite(template, e => e is VarExpr v && v.Name.StartsWith("__", System.StringComparison.Ordinal)
            ? v.Name == FactorName ? factor : arguments[int.Parse(v.Name.Substring(ArgumentPrefix.Length), System.Globalization.CultureInfo.InvariantCulture)]
            : e);
    }

    private static Expr? Template(string function, int arity, int index, bool isFloat, IrType type)
    {
        var rule = BuiltinRules.Find(function, arity) ?? throw new System.InvalidOperationException("No built-in rule " + function + "/" + arity);
        var names = Enumerable.Range(0, arity).Select(i => ArgumentPrefix + i.ToString(System.Globalization.CultureInfo.InvariantCulture)).ToList();
        var text = rule.Partial(new RuleContext(isFloat ? "global::System.MathF" : "global::System.Math", names, FactorName, isFloat), index);
        return text is null ? null : Convert(SyntaxFactory.ParseExpression(text), type.Element);
    }

    private static Expr Convert(ExpressionSyntax syntax, IrType type)
    {
        switch (syntax)
        {
            case ParenthesizedExpressionSyntax p:
                return Convert(p.Expression, type);
            case PrefixUnaryExpressionSyntax { RawKind: (int)SyntaxKind.UnaryMinusExpression } u:
                return new UnaryExpr(type, UnaryOp.Negate, Convert(u.Operand, type));
            case IdentifierNameSyntax name:
                return new VarExpr(type, name.Identifier.ValueText);
            case LiteralExpressionSyntax literal:
                return new ConstExpr(type, literal.Token.Text);
            case ConditionalExpressionSyntax c:
                return new ConditionalExpr(type, Convert(c.Condition, type), Convert(c.WhenTrue, type), Convert(c.WhenFalse, type));
            case BinaryExpressionSyntax b:
                {
                    var op = (SyntaxKind)b.RawKind switch
                    {
                        SyntaxKind.AddExpression => BinaryOp.Add,
                        SyntaxKind.SubtractExpression => BinaryOp.Subtract,
                        SyntaxKind.MultiplyExpression => BinaryOp.Multiply,
                        SyntaxKind.DivideExpression => BinaryOp.Divide,
                        SyntaxKind.LessThanExpression => BinaryOp.Less,
                        SyntaxKind.LessThanOrEqualExpression => BinaryOp.LessOrEqual,
                        SyntaxKind.GreaterThanExpression => BinaryOp.Greater,
                        SyntaxKind.GreaterThanOrEqualExpression => BinaryOp.GreaterOrEqual,
                        SyntaxKind.EqualsExpression => BinaryOp.Equal,
                        SyntaxKind.LogicalAndExpression => BinaryOp.ConditionalAnd,
                        SyntaxKind.LogicalOrExpression => BinaryOp.ConditionalOr,
                        _ => throw new System.InvalidOperationException("Rule text uses an operator forward mode does not read: " + b),
                    };
                    var isLogical = op is BinaryOp.ConditionalAnd or BinaryOp.ConditionalOr;
                    var isComparison = op is BinaryOp.Less or BinaryOp.LessOrEqual or BinaryOp.Greater or BinaryOp.GreaterOrEqual or BinaryOp.Equal;
                    var operandType = isLogical ? IrType.Bool : type;
                    return new BinaryExpr(isLogical || isComparison ? IrType.Bool : type, op, Convert(b.Left, operandType), Convert(b.Right, operandType), 0);
                }

            case InvocationExpressionSyntax { Expression: MemberAccessExpressionSyntax member } invocation:
                return new BuiltinCallExpr(
                    type,
                    member.Expression.ToString(),
                    member.Name.Identifier.ValueText,
                    invocation.ArgumentList.Arguments.Select(a => Convert(a.Expression, type)).ToEquatableArray(),
                    0);
            default:
                throw new System.InvalidOperationException("Rule text forward mode does not read: " + syntax);
        }
    }
}

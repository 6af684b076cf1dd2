using System.Linq;
using StaticGrad.Compiler.IR;

namespace StaticGrad.Compiler.Emit;

/// <summary>Prints IR expressions as C# with the parentheses precedence requires (and no more).</summary>
public static class ExpressionPrinter
{
    public const int ConditionalPrecedence = 1;
    public const int AdditivePrecedence = 10;
    public const int MultiplicativePrecedence = 11;
    public const int UnaryPrecedence = 12;
    public const int PrimaryPrecedence = 13;

    public static string Print(Expr expression) => Print(expression, out _);

    /// <summary><c>array[index]</c>, or <c>array[index].Field</c> for a field of an array of structs (<see cref="MemberIndexExpr"/>).</summary>
    public static string Element(string array, Expr index) => Element(array, index, OverflowContext.Project);

    /// <summary>The expression, parenthesised unless it binds at least as tightly as <paramref name="precedence"/>.</summary>
    public static string Wrap(Expr expression, int precedence) => Wrap(expression, precedence, OverflowContext.Project);

    /// <summary>The expression as an operand of a derivative formula: parenthesised unless primary.</summary>
    public static string Operand(Expr expression) => Wrap(expression, PrimaryPrecedence);

    public static string Print(Expr expression, out int precedence) => Print(expression, OverflowContext.Project, out precedence);

    private static string Element(string array, Expr index, OverflowContext ambient) => index is MemberIndexExpr m
        ? array + "[" + Print(m.Index, ambient, out _) + "]" + m.Member
        : array + "[" + Print(index, ambient, out _) + "]";

    private static string Wrap(Expr expression, int precedence, OverflowContext ambient)
    {
        var text = Print(expression, ambient, out var own);
        return own >= precedence ? text : "(" + text + ")";
    }

    /// <summary>
    /// The expression printed where the text around it is in the overflow context <paramref name="ambient"/> (the
    /// project's at the top of every generated expression, or the <c>checked(…)</c>/<c>unchecked(…)</c> of an enclosing
    /// operation): an operation whose own context differs gets its keyword, and its operands are printed in it, so an
    /// operation the generator added inside a user's <c>checked</c> one keeps the project's context.
    /// </summary>
    private static string Print(Expr expression, OverflowContext ambient, out int precedence)
    {
        if (!OverflowChecks.CanOverflow(expression) || OverflowChecks.Of(expression) == ambient)
        {
            return PrintOperation(expression, ambient, out precedence);
        }

        var own = OverflowChecks.Of(expression);

        // A project-context operation inside a keyword's parentheses: checked exactly where the project is, i.e. where
        // the enclosing keyword (which only ever differs from the project) is 'unchecked'.
        var keyword = own switch
        {
            OverflowContext.Checked => "checked",
            OverflowContext.Unchecked => "unchecked",
            _ => ambient == OverflowContext.Checked ? "unchecked" : "checked",
        };
        precedence = PrimaryPrecedence;
        return keyword + "(" + PrintOperation(expression, own, out _) + ")";
    }

    private static string PrintOperation(Expr expression, OverflowContext ambient, out int precedence)
    {
        switch (expression)
        {
            case ConstExpr c:
                precedence = c.Text.StartsWith("-", System.StringComparison.Ordinal) ? UnaryPrecedence : PrimaryPrecedence;
                return c.Text;
            case VarExpr v:
                precedence = PrimaryPrecedence;
                return v.Name;
            case ElementExpr e:
                precedence = PrimaryPrecedence;
                return Element(e.Array, e.Index, ambient);
            case SliceExpr s:
                precedence = PrimaryPrecedence;
                return s.Of(s.Array, s.Source == ShapeKind.ReadOnlySpan, Print(s.Start, ambient, out _), Print(s.Length, ambient, out _)) + (s.Copy ? ".ToArray()" : string.Empty);
            case GridExpr g:
                precedence = PrimaryPrecedence;
                return g.Of(g.Array, Print(g.Rows, ambient, out _), Print(g.Columns, ambient, out _));
            case LengthExpr l:
                precedence = PrimaryPrecedence;
                return l.Array + (l.Row is { } row ? "[" + Print(row, ambient, out _) + "].Length" : l.Dimension is { } dimension ? ".GetLength(" + dimension.ToString(System.Globalization.CultureInfo.InvariantCulture) + ")" : ".Length");
            case MemberIndexExpr m:
                return Print(m.Index, ambient, out precedence);
            case IndexPairExpr p:
                precedence = PrimaryPrecedence;
                return Print(p.Row, ambient, out _) + (p.Jagged ? "][" : ", ") + Print(p.Column, ambient, out _);
            case DetachExpr d:
                return Print(d.Operand, ambient, out precedence);
            case CastExpr c:
                precedence = UnaryPrecedence;
                return "(" + c.Type.CSharp + ")" + Wrap(c.Operand, PrimaryPrecedence, ambient);
            case UnaryExpr u:
                {
                    precedence = UnaryPrecedence;
                    var operand = Wrap(u.Operand, UnaryPrecedence, ambient);
                    var symbol = u.Op switch
                    {
                        UnaryOp.Negate => "-",
                        UnaryOp.Not => "!",
                        UnaryOp.BitwiseNot => "~",
                        _ => "+",
                    };
                    return symbol + (operand.StartsWith(symbol, System.StringComparison.Ordinal) ? "(" + operand + ")" : operand);
                }

            case BinaryExpr b:
                {
                    precedence = Precedence(b.Op);
                    return Wrap(b.Left, precedence, ambient) + " " + Symbol(b.Op) + " " + Wrap(b.Right, precedence + 1, ambient);
                }

            case ConditionalExpr c:
                precedence = ConditionalPrecedence;
                return Wrap(c.Condition, ConditionalPrecedence + 1, ambient) + " ? " + Wrap(c.WhenTrue, ConditionalPrecedence, ambient) + " : " + Wrap(c.WhenFalse, ConditionalPrecedence, ambient);
            case BuiltinCallExpr call:
                precedence = PrimaryPrecedence;
                return call.Container + "." + Derivatives.BuiltinRules.CalledAs(call.Function) + "(" + string.Join(", ", call.Args.Select(a => Print(a, ambient, out _))) + ")";
            case MethodCallExpr call:
                precedence = PrimaryPrecedence;
                {
                    var printed = call.Args.Select(a => Print(a, ambient, out _)).ToList();
                    var arguments = call.Target.Templates.Count > 0 ? ArgumentTemplate.Apply(call.Target.Templates, printed).ToList() : printed;
                    return (call.Target.OperatorToken.Length > 0 ? Lowering.UserOperators.PrimalText(call.Target.OperatorToken, arguments) : call.Target.Callee + call.Target.TypeArguments + "(" + string.Join(", ", arguments) + ")") + call.Target.ResultMember;
                }
            default:
                throw new System.InvalidOperationException("Unknown IR expression " + expression.GetType().Name);
        }
    }

    private static int Precedence(BinaryOp op) => op switch
    {
        BinaryOp.ConditionalOr => 2,
        BinaryOp.ConditionalAnd => 3,
        BinaryOp.Or => 4,
        BinaryOp.ExclusiveOr => 5,
        BinaryOp.And => 6,
        BinaryOp.Equal or BinaryOp.NotEqual => 7,
        BinaryOp.Less or BinaryOp.LessOrEqual or BinaryOp.Greater or BinaryOp.GreaterOrEqual => 8,
        BinaryOp.LeftShift or BinaryOp.RightShift => 9,
        BinaryOp.Add or BinaryOp.Subtract => AdditivePrecedence,
        _ => MultiplicativePrecedence,
    };

    public static string Symbol(BinaryOp op) => op switch
    {
        BinaryOp.Add => "+",
        BinaryOp.Subtract => "-",
        BinaryOp.Multiply => "*",
        BinaryOp.Divide => "/",
        BinaryOp.Remainder => "%",
        BinaryOp.Equal => "==",
        BinaryOp.NotEqual => "!=",
        BinaryOp.Less => "<",
        BinaryOp.LessOrEqual => "<=",
        BinaryOp.Greater => ">",
        BinaryOp.GreaterOrEqual => ">=",
        BinaryOp.And => "&",
        BinaryOp.Or => "|",
        BinaryOp.ConditionalAnd => "&&",
        BinaryOp.ConditionalOr => "||",
        BinaryOp.ExclusiveOr => "^",
        BinaryOp.LeftShift => "<<",
        _ => ">>",
    };
}

using System.Collections.Generic;
using System.Linq;
using StaticGrad.Compiler.Analysis;
using StaticGrad.Compiler.Derivatives;
using StaticGrad.Compiler.Emit;
using StaticGrad.Compiler.IR;

namespace StaticGrad.Compiler.Reverse;

/// <summary>
/// The local partial derivatives of one statement's right side, for the width-k reverse sweep of <c>{Name}Jacobian</c>
/// (<see cref="WriteWideJacobianBody"/>): ∂value/∂leaf for every active variable or element the value reads, as C# text
/// with no adjoint in it, so that the sweep computes each once and multiplies it into the k fields' adjoints. The
/// backward's <see cref="Propagate"/> writes <c>g·∂f/∂x</c> as one text instead, and a division by <c>q_z</c> there is
/// repeated in every field's sweep.
/// <para>
/// The expression is walked from the top with the product of the factors above each node (its multiplier); a
/// multiplier that several operands share is bound to a local first. A quotient's partials are products with the
/// reciprocal of its divisor (one division), bound where the sweep first needs it and read again by every statement
/// reversed after it in that block or inside it, until the sweep restores a variable the divisor reads (the only
/// writes of a reverse sweep over a body without array writes): BA's <c>rx / angle</c>, <c>ry / angle</c>,
/// <c>rz / angle</c> and <c>√</c>′ = ½·(1/angle) share one <c>1 / angle</c>, <c>qx / qz</c> and <c>qy / qz</c> one <c>1 / qz</c>.
/// </para>
/// </summary>
public sealed partial class ReverseModeTransformer
{
    /// <summary>Reciprocals of divisors fixed for the sweep, one scope per reversed block (innermost last): divisor → local.</summary>
    private readonly List<Dictionary<string, string>> _sweepReciprocals = new();

    /// <summary>Reciprocals bound in the statement being reversed (divisors reading an element or a call).</summary>
    private readonly Dictionary<string, string> _statementReciprocals = new();

    /// <summary>Per reciprocal local, the variables its divisor reads: a restore of one of them ends its use.</summary>
    private readonly Dictionary<string, HashSet<string>> _reciprocalReads = new();

    /// <summary>A factor of a partial: C# text (null for 1) and its sign, kept apart so that a negation costs nothing.</summary>
    private sealed record WideTerm(string? Text, bool Negative)
    {
        public static readonly WideTerm One = new(null, false);

        public WideTerm Negated => this with { Negative = !Negative };
    }

    /// <summary>An active variable or element a statement reads, with the sum of its partials; <c>Cast</c>: a double partial of a float leaf.</summary>
    private sealed class WideLeaf
    {
        public WideLeaf(Expr leaf) => Leaf = leaf;

        public Expr Leaf { get; }

        public List<WideTerm> Terms { get; } = new();

        public bool Cast { get; set; }
    }

    /// <summary>
    /// The active leaves of <paramref name="value"/> with their partial derivatives (multipliers bound to locals written
    /// to <paramref name="w"/>). <paramref name="result"/> names the value of a <c>Math</c> call that is the whole
    /// right side, when the reverse has it; <paramref name="wide"/>: the statement's type is double.
    /// </summary>
    private List<(Expr Leaf, WideTerm Partial, bool Cast)> LocalPartials(Expr value, string? result, bool wide, IndentedWriter w)
    {
        _statementReciprocals.Clear();
        var leaves = new List<(string Key, WideLeaf Leaf)>();
        Walk(value, WideTerm.One, wide);
        return leaves.Select(l => (l.Leaf.Leaf, Sum(l.Leaf.Terms), l.Leaf.Cast)).ToList();

        void Walk(Expr e, WideTerm m, bool isWide)
        {
            if (!_activity.IsActive(e))
            {
                return;
            }

            isWide |= e.Type.Scalar == ScalarKind.Double;
            switch (e)
            {
                case VarExpr or ElementExpr:
                    {
                        var key = ExpressionPrinter.Print(e);
                        var index = leaves.FindIndex(l => l.Key == key);
                        if (index < 0)
                        {
                            leaves.Add((key, new WideLeaf(e)));
                            index = leaves.Count - 1;
                        }

                        leaves[index].Leaf.Terms.Add(m);
                        leaves[index].Leaf.Cast |= isWide && e.Type.Scalar == ScalarKind.Float;
                        return;
                    }

                case CastExpr c:
                    Walk(c.Operand, m, isWide);
                    return;
                case UnaryExpr { Op: UnaryOp.Negate } u:
                    Walk(u.Operand, m.Negated, isWide);
                    return;
                case UnaryExpr u:
                    Walk(u.Operand, m, isWide);
                    return;
                case ConditionalExpr c:
                    {
                        var condition = ExpressionPrinter.Wrap(c.Condition, ExpressionPrinter.ConditionalPrecedence + 1);
                        var zero = Zero(c.Type);
                        var signed = (m.Negative ? "-" : string.Empty) + (m.Text ?? One(c.Type));
                        Walk(c.WhenTrue, new WideTerm("(" + condition + " ? " + signed + " : " + zero + ")", false), isWide);
                        Walk(c.WhenFalse, new WideTerm("(" + condition + " ? " + zero + " : " + signed + ")", false), isWide);
                        return;
                    }

                case BinaryExpr b:
                    WalkBinary(b, m, isWide);
                    return;
                case BuiltinCallExpr call:
                    {
                        var active = Enumerable.Range(0, call.Args.Count).Where(i => _activity.IsActive(call.Args[i])).ToList();
                        if (active.Count > 1)
                        {
                            m = Shared(m, w);
                        }

                        foreach (var i in active)
                        {
                            if (CallPartial(call, i, m, ReferenceEquals(call, value) ? result : null, w) is { } partial)
                            {
                                Walk(call.Args[i], partial, isWide);
                            }
                        }

                        return;
                    }

                default:
                    throw new System.InvalidOperationException("No local partial for " + e.GetType().Name + " (the width-k sweep declines it first).");
            }
        }

        void WalkBinary(BinaryExpr b, WideTerm m, bool isWide)
        {
            var leftActive = _activity.IsActive(b.Left);
            var rightActive = _activity.IsActive(b.Right);
            var left = ExpressionPrinter.Operand(b.Left);
            var right = ExpressionPrinter.Operand(b.Right);
            switch (b.Op)
            {
                case BinaryOp.Add or BinaryOp.Subtract:
                    if (leftActive && rightActive)
                    {
                        m = Shared(m, w);
                    }

                    Walk(b.Left, m, isWide);
                    Walk(b.Right, b.Op == BinaryOp.Subtract ? m.Negated : m, isWide);
                    return;
                case BinaryOp.Multiply when IsLiteral(b.Left, 0) || IsLiteral(b.Right, 0):
                    // A seed leaf of another field, set to 0 (the result's statement): that product carries nothing.
                    return;
                case BinaryOp.Multiply when IsLiteral(b.Left, 1):
                    Walk(b.Right, m, isWide);
                    return;
                case BinaryOp.Multiply when IsLiteral(b.Right, 1):
                    Walk(b.Left, m, isWide);
                    return;
                case BinaryOp.Multiply when leftActive && rightActive && left == right && !IrWalker.Descendants(b.Left).Any(e => e is DetachExpr):
                    // x · x: one partial 2·x, as the backward writes it.
                    Walk(b.Left, Times(Times(m, b.Type.Scalar == ScalarKind.Float ? IndentedWriter.Literal(2f) : IndentedWriter.Literal(2.0)), left), isWide);
                    return;
                case BinaryOp.Multiply:
                    if (leftActive && rightActive)
                    {
                        m = Shared(m, w);
                    }

                    Walk(b.Left, Times(m, right), isWide);
                    Walk(b.Right, Times(m, left), isWide);
                    return;
                case BinaryOp.Divide:
                    {
                        // ∂(a/b)/∂a = 1/b and ∂(a/b)/∂b = −a/b² = −(1/b)·a·(1/b): one division for both.
                        var reciprocal = Reciprocal(b.Right, w);
                        var overDivisor = Times(m, reciprocal);
                        if (leftActive && rightActive)
                        {
                            overDivisor = Shared(overDivisor, w);
                        }

                        Walk(b.Left, overDivisor, isWide);
                        Walk(b.Right, Times(Times(overDivisor, left), reciprocal).Negated, isWide);
                        return;
                    }

                default:
                    throw new System.InvalidOperationException("No local partial for operator " + b.Op + " (the width-k sweep declines it first).");
            }
        }
    }

    /// <summary>
    /// The multiplier of argument <paramref name="index"/> of a <c>Math</c> call: the rule's partial with <c>g = 1</c>, times
    /// <paramref name="m"/>; null where the rule's partial is zero (<c>CopySign</c>'s sign argument).
    /// </summary>
    private WideTerm? CallPartial(BuiltinCallExpr call, int index, WideTerm m, string? result, IndentedWriter w)
    {
        var isFloat = call.Type.Scalar == ScalarKind.Float;
        switch (call.Function)
        {
            // √′ = 1/(2·√): the reciprocal of the value, shared with the quotients by it (BA's angle).
            case "Sqrt" when result is not null:
                return Times(Times(m, isFloat ? IndentedWriter.Literal(0.5f) : IndentedWriter.Literal(0.5)), Reciprocal(new VarExpr(call.Type, result), w));
            case "Log" when call.Args.Count == 1:
                return Times(m, Reciprocal(call.Args[0], w));
        }

        const string marker = "\u0003";
        var rule = BuiltinRules.Find(call.Function, call.Args.Count)!;
        var context = new RuleContext(isFloat ? "global::System.MathF" : "global::System.Math", call.Args.Select(ExpressionPrinter.Operand).ToList(), marker, isFloat, result ?? ExpressionPrinter.Print(call));
        if (rule.Partial(context, index) is not { } text)
        {
            return null;
        }

        // The rules are written g·∂f/∂x with g first (or g alone in a branch of ?:); with g = 1 the leading "g * " goes.
        var negative = false;
        if (text.StartsWith("-" + marker + " * ", System.StringComparison.Ordinal))
        {
            negative = true;
            text = text.Substring(marker.Length + 4);
        }
        else if (text.StartsWith(marker + " * ", System.StringComparison.Ordinal))
        {
            text = text.Substring(marker.Length + 3);
        }

        text = text.Replace(marker, isFloat ? IndentedWriter.Literal(1f) : IndentedWriter.Literal(1.0));
        var factor = Times(m, IsPrimaryText(text) ? text : "(" + text + ")");
        return negative ? factor.Negated : factor;
    }

    /// <summary>
    /// C# text of 1/<paramref name="divisor"/>: a constant's is written in place (the compiler folds a literal's); any
    /// other is divided once and kept in its reversed block (<see cref="_sweepReciprocals"/>) until the sweep restores a
    /// variable it reads, unless it reads an element or a call (then once per statement).
    /// </summary>
    private string Reciprocal(Expr divisor, IndentedWriter w)
    {
        var one = divisor.Type.Scalar == ScalarKind.Float ? IndentedWriter.Literal(1f) : IndentedWriter.Literal(1.0);
        var text = ExpressionPrinter.Operand(divisor);
        if (divisor is ConstExpr)
        {
            return "(" + one + " / " + text + ")";
        }

        // The reverse sweep changes a variable only where it restores it; an element or a call may read what it does not restore.
        var keptInBlock = IrWalker.Descendants(divisor).All(e => e is VarExpr or ConstExpr or BinaryExpr or UnaryExpr or CastExpr);
        var known = keptInBlock ? _sweepReciprocals.Select(s => s.TryGetValue(text, out var name) ? name : null).LastOrDefault(n => n is not null) : null;
        if (known is not null || (!keptInBlock && _statementReciprocals.TryGetValue(text, out known)))
        {
            return known!;
        }

        var reciprocal = Temporary("_r");
        w.WriteLine("var " + reciprocal + " = " + one + " / " + text + ";");
        (keptInBlock ? _sweepReciprocals[_sweepReciprocals.Count - 1] : _statementReciprocals)[text] = reciprocal;
        _reciprocalReads[reciprocal] = new HashSet<string>(IrWalker.ReadVariables(divisor));
        return reciprocal;
    }

    /// <summary>Restores the old value of an assignment's target where the forward saved it, and forgets the reciprocals that read the target.</summary>
    private void RestoreInSweep(AssignStmt a, IndentedWriter w)
    {
        Restore(a, a.Target, a.Type, w);
        if (SaveOf(a) == Storage.None)
        {
            return;
        }

        foreach (var scope in _sweepReciprocals)
        {
            foreach (var stale in scope.Where(r => _reciprocalReads[r.Value].Contains(a.Target)).Select(r => r.Key).ToList())
            {
                scope.Remove(stale);
            }
        }
    }

    /// <summary>A multiplier several operands read, bound to a local unless it is a name or a literal already.</summary>
    private WideTerm Shared(WideTerm m, IndentedWriter w)
    {
        if (m.Text is null)
        {
            return m;
        }

        // Read the Math values the user's locals hold now (the statement's text gets the same replacement later), so that sin′ = cos is read as cos, not bound again.
        m = m with { Text = ReadForwardBuiltinLocals(_reversingStatement, m.Text) };
        if (IsSimpleText(m.Text!))
        {
            return m;
        }

        var name = Temporary("_p");
        w.WriteLine("var " + name + " = " + Unparenthesized(m.Text!) + ";");
        return m with { Text = name };
    }

    /// <summary>The text without parentheses around all of it (a factor bound to a local needs none).</summary>
    private static string Unparenthesized(string text)
    {
        if (text.Length < 2 || text[0] != '(' || text[text.Length - 1] != ')')
        {
            return text;
        }

        var depth = 0;
        for (var i = 0; i < text.Length - 1; i++)
        {
            depth += text[i] == '(' ? 1 : text[i] == ')' ? -1 : 0;
            if (depth == 0)
            {
                return text;
            }
        }

        return text.Substring(1, text.Length - 2);
    }

    /// <summary>The sum of a leaf's partials (one per occurrence in the statement), as one signed term.</summary>
    private WideTerm Sum(List<WideTerm> terms)
    {
        if (terms.Count == 1)
        {
            return terms[0];
        }

        var sum = new System.Text.StringBuilder();
        foreach (var term in terms)
        {
            var text = term.Text ?? "1";
            sum.Append(sum.Length == 0 ? (term.Negative ? "-" : string.Empty) : term.Negative ? " - " : " + ").Append(IsPrimaryText(text) || !term.Negative ? text : "(" + text + ")");
        }

        return new WideTerm(sum.ToString(), false);
    }

    private static WideTerm Times(WideTerm m, string factor) => m with { Text = m.Text is null ? factor : m.Text + " * " + factor };

    private static bool IsLiteral(Expr e, double value) =>
        e is ConstExpr c && double.TryParse(c.Text.TrimEnd('f', 'F', 'd', 'D'), System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out var parsed) && parsed == value;

    /// <summary>A name or a numeric literal: read as it is, never bound.</summary>
    private static bool IsSimpleText(string text) =>
        IsName(text) || double.TryParse(text.TrimEnd('f', 'F', 'd', 'D'), System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out _);

    /// <summary>Text that can stand as an operand of <c>*</c> unparenthesised: no operator outside parentheses (a name, a call, <c>(…)</c>).</summary>
    private static bool IsPrimaryText(string text)
    {
        if (text.Length == 0 || text[0] == '-')
        {
            return false;
        }

        var depth = 0;
        foreach (var c in text)
        {
            depth += c is '(' or '[' ? 1 : c is ')' or ']' ? -1 : 0;
            if (depth == 0 && c == ' ')
            {
                return false;
            }
        }

        return true;
    }
}

using System;
using System.Linq;
using System.Text;
using StaticGrad.Compiler.Model;

namespace StaticGrad.Compiler.IR;

/// <summary>
/// A statement run only for its effect: a guard's <c>throw</c>, <c>ArgumentOutOfRangeException.ThrowIfNegative(x)</c>,
/// <c>Debug.Assert</c>, a log line. It writes no variable of the body and has no derivative, so the forward sweep
/// and the tangent run it where it stands and the reverse sweep has nothing to undo. Its C# text is
/// <paramref name="Parts"/> with the body's values <paramref name="Holes"/> between them (one fewer hole than
/// parts), so the values are printed under the names the generated code gives them.
/// </summary>
public sealed record EffectStmt(EquatableArray<string> Parts, EquatableArray<Expr> Holes) : Stmt
{
    /// <summary>The statement's text, with each hole printed by <paramref name="print"/>.</summary>
    public string Text(Func<Expr, string> print)
    {
        var text = new StringBuilder(Parts[0]);
        for (var i = 0; i < Holes.Count; i++)
        {
            // Parenthesised unless a name: the text around a hole may bind tighter ("n = " + (x + 1)).
            text.Append(Holes[i] is VarExpr ? print(Holes[i]) : "(" + print(Holes[i]) + ")").Append(Parts[i + 1]);
        }

        return text.ToString();
    }

    public EffectStmt WithHoles(Func<Expr, Expr> map) => this with { Holes = Holes.Select(map).ToEquatableArray() };
}

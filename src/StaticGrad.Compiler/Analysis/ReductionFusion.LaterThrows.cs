using System.Collections.Generic;
using System.Linq;
using StaticGrad.Compiler.IR;
using StaticGrad.Compiler.Model;

namespace StaticGrad.Compiler.Analysis;

/// <summary>
/// A fused loop reverses each iteration inside the forward sweep, so it adds into the caller's adjoints (a parameter
/// array's <c>da[i]</c>, a <c>ref</c> scalar's <c>dx</c>) before the forward sweep has finished. Everywhere else the
/// backward writes adjoints only in the reverse sweep, after the whole primal ran: when the primal throws, the
/// exception leaves the backward with the caller's adjoints untouched. A statement after a fused loop that may throw
/// (a guard's <c>throw</c>, an empty LINQ <c>Max</c>, an element read, a call) would throw after the loop's
/// additions (session 21's review: <c>a.Sum() + a.Zip(none, …).Max()</c> left da = [1, 1, 1, 1]), so such a loop is
/// not fused (session 22). What counts as "may throw": a <c>throw</c> (guards, LINQ's empty sequences), a call, an
/// integer division or remainder, Math's partial functions, a new array of a computed length, and any access to an
/// array the loop did not read (it may be null or shorter). Not counted, a known limit: an index out of range of an
/// array the loop read (GMM reads <c>alphas[0]</c> and <c>icf[…]</c> after its fused loop, in range but not
/// provably so: counting such reads would unfuse it, 1.3–1.8× slower); its length is safe (not null once the loop
/// ran a trip, and a loop that ran none added nothing).
/// </summary>
public sealed partial class ReductionFusion
{
    /// <summary>Whether a statement after the top-level loop at <paramref name="k"/> (the result's included) may throw.</summary>
    private static bool MayThrowAfter(MethodIR method, int k, LoopStmt loop)
    {
        var readByLoop = new HashSet<string>(EveryTrip(loop).SelectMany(Unconditional).Select(e => e switch
            {
                ElementExpr element => element.Array,
                LengthExpr { Row: null } length => length.Array,
                _ => null,
            }).Where(n => n is not null)!);
        return IrWalker.Statements(method.Body.Skip(k + 1).ToEquatableArray()).Any(s => MayThrow(s, readByLoop));
    }

    /// <summary>
    /// The expressions every trip of <paramref name="loop"/> evaluates: its condition, and its (and its inner loops')
    /// statements outside the branches of an <c>if</c>, up to the first that may jump or throw. An array read only in
    /// a branch that did not run may be null or shorter although the loop ran and added (review of session 22:
    /// <c>if (x &gt; 100) s += b[i];</c> in the loop, then <c>b.Length</c> with b null).
    /// </summary>
    private static IEnumerable<Expr> EveryTrip(LoopStmt loop)
    {
        var result = new List<Expr>();
        Walk(new[] { (Stmt)loop });
        return result;

        bool Walk(IEnumerable<Stmt> block)
        {
            foreach (var statement in block)
            {
                result.AddRange(IrWalker.Expressions(statement));
                switch (statement)
                {
                    case LoopStmt inner when !Walk(inner.Body.Concat(inner.Step)):
                    case IfStmt branch when IrWalker.Statements(branch.Then).Concat(IrWalker.Statements(branch.Else)).Any(s => s is BreakStmt or ContinueStmt or ReturnStmt or EffectStmt):
                    case BreakStmt or ContinueStmt or ReturnStmt or EffectStmt:
                        return false;
                }
            }

            return true;
        }
    }

    /// <summary>The subexpressions of <paramref name="expression"/> evaluated whenever it is: not a <c>?:</c>'s branches, nor the right operand of <c>&amp;&amp;</c> or <c>||</c>.</summary>
    private static IEnumerable<Expr> Unconditional(Expr expression) => new[] { expression }.Concat(expression switch
    {
        ConditionalExpr c => Unconditional(c.Condition),
        BinaryExpr { Op: BinaryOp.ConditionalAnd or BinaryOp.ConditionalOr } b => Unconditional(b.Left),
        _ => IrWalker.Children(expression).SelectMany(Unconditional),
    });

    private static bool MayThrow(Stmt statement, HashSet<string> knownArrays) => statement switch
    {
        EffectStmt => true,
        StoreStmt store => !knownArrays.Contains(store.Array) || IrWalker.Expressions(statement).SelectMany(IrWalker.Descendants).Any(e => ThrowsItself(e, knownArrays)),
        NewArrayStmt array => OffsetBound.Literal(array.Length) is not >= 0,
        _ => IrWalker.Expressions(statement).SelectMany(IrWalker.Descendants).Any(e => ThrowsItself(e, knownArrays)),
    };

    /// <summary>An expression that may throw by itself (not through its operands, which are visited on their own).</summary>
    private static bool ThrowsItself(Expr expression, HashSet<string> knownArrays) => expression switch
    {
        ElementExpr element => !knownArrays.Contains(element.Array),
        SliceExpr or GridExpr or MethodCallExpr or MemberIndexExpr => true,
        LengthExpr length => length.Row is not null || !knownArrays.Contains(length.Array),
        BinaryExpr { Op: BinaryOp.Divide or BinaryOp.Remainder } b => !b.Type.IsFloating,
        // Math.Sign(NaN) throws ArithmeticException, Clamp with min > max and Round with bad digits ArgumentException,
        // Abs of an integer's MinValue OverflowException.
        BuiltinCallExpr call => call.Function is "Sign" or "Clamp" or "Round" or "DivRem" || (call.Function == "Abs" && !call.Type.IsFloating),
        _ => false,
    };
}

using System;
using System.Collections.Generic;
using System.Linq;
using StaticGrad.Compiler.Model;

namespace StaticGrad.Compiler.IR;

/// <summary>Traversals of the IR shared by the analyses.</summary>
public static class IrWalker
{
    /// <summary>Every statement, nested ones included, in program order.</summary>
    public static IEnumerable<Stmt> Statements(EquatableArray<Stmt> block)
    {
        foreach (var statement in block)
        {
            yield return statement;
            var children = statement switch
            {
                IfStmt branch => branch.Then.Concat(branch.Else),
                LoopStmt loop => loop.Body.Concat(loop.Step),
                _ => Enumerable.Empty<Stmt>(),
            };
            foreach (var child in Statements(children.ToEquatableArray()))
            {
                yield return child;
            }
        }
    }

    /// <summary>The expression and all its subexpressions.</summary>
    public static IEnumerable<Expr> Descendants(Expr expression)
    {
        yield return expression;
        foreach (var child in Children(expression))
        {
            foreach (var descendant in Descendants(child))
            {
                yield return descendant;
            }
        }
    }

    public static IEnumerable<Expr> Children(Expr expression) => expression switch
    {
        ElementExpr e => new[] { e.Index },
        SliceExpr s => new[] { s.Start, s.Length },
        GridExpr g => new[] { g.Rows, g.Columns },
        IndexPairExpr p => new[] { p.Row, p.Column },
        MemberIndexExpr m => new[] { m.Index },
        LengthExpr { Row: { } row } => new[] { row },
        BinaryExpr b => new[] { b.Left, b.Right },
        UnaryExpr u => new[] { u.Operand },
        ConditionalExpr c => new[] { c.Condition, c.WhenTrue, c.WhenFalse },
        CastExpr c => new[] { c.Operand },
        DetachExpr d => new[] { d.Operand },
        BuiltinCallExpr call => call.Args,
        MethodCallExpr call => call.Args,
        _ => Array.Empty<Expr>(),
    };

    /// <summary>The expressions a statement evaluates directly (not those of nested statements).</summary>
    public static IEnumerable<Expr> Expressions(Stmt statement) => statement switch
    {
        AssignStmt a => new[] { a.Value },
        StoreStmt s => new[] { s.Index, s.Value },
        NewArrayStmt n => new[] { n.Length },
        IfStmt i => new[] { i.Condition },
        LoopStmt { Condition: { } condition } => new[] { condition },
        ReturnStmt r => new[] { r.Value },
        EffectStmt e => e.Holes,
        _ => Array.Empty<Expr>(),
    };

    /// <summary>Every variable a value reads: scalars, and arrays through their elements.</summary>
    public static IEnumerable<string> ReadVariables(Expr expression) =>
        Descendants(expression).Select(e => e switch
        {
            VarExpr v => v.Name,
            ElementExpr el => el.Array,
            SliceExpr s => s.Array,
            GridExpr g => g.Array,
            _ => null,
        }).Where(n => n is not null)!;

    /// <summary>Rewrites every expression of a block bottom-up with <paramref name="map"/>.</summary>
    public static EquatableArray<Stmt> Rewrite(EquatableArray<Stmt> block, Func<Expr, Expr> map) =>
        block.Select(s => Rewrite(s, map)).ToEquatableArray();

    private static Stmt Rewrite(Stmt statement, Func<Expr, Expr> map) => statement switch
    {
        AssignStmt a => a with { Value = Rewrite(a.Value, map) },
        StoreStmt s => s with { Index = Rewrite(s.Index, map), Value = Rewrite(s.Value, map) },
        NewArrayStmt n => n with { Length = Rewrite(n.Length, map) },
        IfStmt i => new IfStmt(Rewrite(i.Condition, map), Rewrite(i.Then, map), Rewrite(i.Else, map)),
        LoopStmt l => new LoopStmt(l.Condition is null ? null : Rewrite(l.Condition, map), Rewrite(l.Body, map), Rewrite(l.Step, map), l.TestFirst),
        ReturnStmt r => new ReturnStmt(Rewrite(r.Value, map)),
        EffectStmt e => e.WithHoles(h => Rewrite(h, map)),
        _ => statement,
    };

    public static Expr Rewrite(Expr expression, Func<Expr, Expr> map)
    {
        var rewritten = expression switch
        {
            ElementExpr e => e with { Index = Rewrite(e.Index, map) },
            SliceExpr s => s with { Start = Rewrite(s.Start, map), Length = Rewrite(s.Length, map) },
            GridExpr g => g with { Rows = Rewrite(g.Rows, map), Columns = Rewrite(g.Columns, map) },
            IndexPairExpr p => p with { Row = Rewrite(p.Row, map), Column = Rewrite(p.Column, map) },
            MemberIndexExpr m => m with { Index = Rewrite(m.Index, map) },
            LengthExpr { Row: { } row } l => l with { Row = Rewrite(row, map) },
            BinaryExpr b => b with { Left = Rewrite(b.Left, map), Right = Rewrite(b.Right, map) },
            UnaryExpr u => u with { Operand = Rewrite(u.Operand, map) },
            ConditionalExpr c => c with { Condition = Rewrite(c.Condition, map), WhenTrue = Rewrite(c.WhenTrue, map), WhenFalse = Rewrite(c.WhenFalse, map) },
            CastExpr c => c with { Operand = Rewrite(c.Operand, map) },
            DetachExpr d => new DetachExpr(Rewrite(d.Operand, map)),
            BuiltinCallExpr call => call with { Args = call.Args.Select(a => Rewrite(a, map)).ToEquatableArray() },
            MethodCallExpr call => call with { Args = call.Args.Select(a => Rewrite(a, map)).ToEquatableArray() },
            _ => expression,
        };
        return map(rewritten);
    }
}

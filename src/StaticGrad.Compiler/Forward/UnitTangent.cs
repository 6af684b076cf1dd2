using System.Collections.Generic;
using System.Linq;
using StaticGrad.Compiler.IR;
using StaticGrad.Compiler.Model;

namespace StaticGrad.Compiler.Forward;

/// <summary>
/// The unit tangent of a backward in forward mode (<see cref="TangentBackward"/>). With one input every tangent is
/// linear in the input's tangent, so the body carries the derivative for a tangent of 1 and the return adds
/// <c>scale · tangent</c> once, where the scale is the seeded tangent the unit stands for. The unit is a constant
/// folded into the body: a Horner step <c>dp = dp * z + p * dz</c> becomes <c>dp = dp * z + p</c> (one multiplication
/// fewer per step; Black–Scholes' <c>NormalCdf</c>, 13 steps: docs/benchmarks.md, session 21).
/// </summary>
/// <remarks>
/// <para>Which tangent is the unit: the first statement's target <c>z</c> when the body starts with <c>z = g(x)</c>,
/// <c>z</c> is assigned nowhere else and nothing else reads the input's tangent (every later tangent is then
/// <c>∂/∂z · dz</c>, and <c>dz = g′(x)·seed</c> is the scale, computed where it was); else the input's own tangent
/// when the body never assigns it (the scale is <c>seed</c>); else none (the input's tangent starts at 1 and the
/// scale is <c>seed</c>: still linear, nothing folded).</para>
/// <para>A zero seed adds nothing: no derivative flows, and the unit tangent may be infinite (0·∞ would give NaN).
/// A zero scale under a non-zero seed (<c>dz = g′(x)·seed = 0</c>) multiplies, as the reverse sweep and PyTorch do:
/// where ∂f/∂z is infinite (√(x²) at 0) the result is NaN, not the 0 that would hide the singularity (session 22;
/// until then the test was on the scale). A NaN or infinite scale multiplies the unit result (NaN, or ±∞; NaN where
/// the derivative is 0). A unit result beyond the type's range, or a scale that is not normal (0, subnormal), sends
/// the backward to a second pass that carries the seed itself (<see cref="Seeded"/>, session 23): seed·∂f/∂z can be
/// in range where ∂f/∂z is not (log(x²) at 1e-160 under seed 1e-200: 2.5e-40, as the reverse sweep), and ±∞ or NaN
/// where the reverse sweep's are (log(eˣ) with eˣ subnormal under seed 1: ∞, as its ∂f/∂z·eˣ and PyTorch's
/// <c>grad / self</c> then <c>grad * result</c>).</para>
/// </remarks>
internal static class UnitTangent
{
    /// <summary>The body with its unit tangent folded in, and the name of the scale variable (declared by the caller when it is the input's tangent).</summary>
    public static (EquatableArray<Stmt> Body, string Scale, bool InputFolded) Fold(EquatableArray<Stmt> body, string input, IrType type)
    {
        var one = new ConstExpr(type, type.Scalar == ScalarKind.Float ? "1f" : "1.0");
        var all = IrWalker.Statements(body).ToList();
        int Assignments(string name) => all.OfType<AssignStmt>().Count(a => a.Target == name);

        // z of the input's type only: the unit's literal and the scale are the input's (a float z under a double input
        // printed dw = 1.0 into a float, a double scale dz was added to a float adjoint: CS0664/CS0266).
        if (body.Count > 1 && body[0] is AssignStmt { Type.Shape: ShapeKind.Scalar } first && first.Type.IsFloating && first.Type.Scalar == type.Scalar
            && first.Target != input && Assignments(first.Target) == 1
            && Reads(first.Value).Contains(input) && !all.Skip(1).SelectMany(ExpressionsOf).SelectMany(Reads).Contains(input))
        {
            var rest = Substitute(body.Skip(1), first.Target, one);
            return (new[] { (Stmt)first }.Concat(rest).ToEquatableArray(), first.Target, false);
        }

        return Assignments(input) == 0
            ? (Substitute(body, input, one).ToEquatableArray(), input, true)
            : (body, input, false);
    }

    /// <summary>
    /// The pass that carries the seed itself, run only when the unit pass's <c>scale · tangent</c> is not finite or its
    /// scale not normal (session 23): the unit tangent can overflow where the seeded derivative does not (log(x²) at
    /// 1e-160 under seed 1e-200: ∂f/∂z = 1/z = ∞ and g′(x)·seed = 0, so the product is NaN while the reverse sweep's
    /// seed·∂f/∂z·g′(x) is 2.5e-40). With a first-statement unit z the pass starts z's tangent at the seed and takes
    /// the result through g's tangent rule last (the first statement's value with the result as the input's tangent:
    /// the reverse sweep's order, and its rule: |x| at 0 selects 0 rather than multiplying a NaN by 0); otherwise the
    /// input's tangent starts at the seed (declared by the printer when the unit pass folded it away) and the result
    /// is added as it is.
    /// </summary>
    /// <param name="body">The tangent body before folding.</param>
    public static SeededPass Seeded(EquatableArray<Stmt> body, string input, string unit, bool inputFolded, IrType type, string seed)
    {
        var seedValue = new VarExpr(type, seed);
        if (unit != input)
        {
            var start = new Stmt[] { new AssignStmt(unit, type, seedValue) };
            return new SeededPass(start.Concat(body.Skip(1)).ToEquatableArray(), type, null, input, ((AssignStmt)body[0]).Value);
        }

        return inputFolded
            ? new SeededPass(body, type, input, null, null)
            : new SeededPass(new[] { (Stmt)new AssignStmt(input, type, seedValue) }.Concat(body).ToEquatableArray(), type, null, null, null);
    }

    private static IEnumerable<string> Reads(Expr expression) => IrWalker.ReadVariables(expression);

    /// <summary>The expressions a statement evaluates itself, the tangent statements' included.</summary>
    private static IEnumerable<Expr> ExpressionsOf(Stmt statement) => statement switch
    {
        TangentCallStmt call => call.Args.Concat(call.Tangents.Where(t => t.Value is not null).Select(t => t.Value!)),
        ReturnPairStmt pair => new[] { pair.Value, pair.Tangent },
        _ => IrWalker.Expressions(statement),
    };

    private static IEnumerable<Stmt> Substitute(IEnumerable<Stmt> block, string name, ConstExpr one) => block.Select(s => Substitute(s, name, one));

    private static Stmt Substitute(Stmt statement, string name, ConstExpr one)
    {
        Expr Map(Expr e) => IrWalker.Rewrite(e, x => Simplify(x, name, one));
        EquatableArray<Stmt> Block(EquatableArray<Stmt> b) => Substitute(b, name, one).ToEquatableArray();
        return statement switch
        {
            IfStmt branch => new IfStmt(Map(branch.Condition), Block(branch.Then), Block(branch.Else)),
            LoopStmt loop => new LoopStmt(loop.Condition is null ? null : Map(loop.Condition), Block(loop.Body), Block(loop.Step), loop.TestFirst),
            TangentCallStmt call => call with
            {
                Args = call.Args.Select(Map).ToEquatableArray(),
                Tangents = call.Tangents.Select(t => t.Value is null ? t : new OptionalExpr(Map(t.Value))).ToEquatableArray(),
            },
            ReturnPairStmt pair => new ReturnPairStmt(Map(pair.Value), Map(pair.Tangent)),
            _ => IrWalker.Rewrite(new[] { statement }.ToEquatableArray(), x => Simplify(x, name, one))[0],
        };
    }

    /// <summary>The unit for the tangent's name, and products with it or quotients by it folded (exact in IEEE arithmetic: x·1 = x/1 = x).</summary>
    private static Expr Simplify(Expr expression, string name, ConstExpr one) => expression switch
    {
        VarExpr v when v.Name == name => one with { Type = v.Type },
        BinaryExpr { Op: BinaryOp.Multiply, Left: ConstExpr l } b when l.Text == one.Text => b.Right,
        BinaryExpr { Op: BinaryOp.Multiply or BinaryOp.Divide, Right: ConstExpr r } b when r.Text == one.Text => b.Left,
        _ => expression,
    };
}

using StaticGrad.Compiler.Analysis;
using StaticGrad.Compiler.Emit;
using StaticGrad.Compiler.IR;
using StaticGrad.Compiler.Model;

namespace StaticGrad.Compiler.Tests.Analysis;

/// <summary>The analyses on hand-built IR: no Roslyn involved.</summary>
public sealed class AnalysisTests
{
    private static VarExpr D(string name) => new(IrType.Double, name);

    private static VarExpr I(string name) => new(IrType.Int, name);

    private static BinaryExpr Mul(Expr a, Expr b) => new(a.Type, BinaryOp.Multiply, a, b, -1);

    private static BinaryExpr Add(Expr a, Expr b) => new(a.Type, BinaryOp.Add, a, b, -1);

    private static MethodIR Method(EquatableArray<ParamIR> parameters, EquatableArray<LocalIR> locals, params Stmt[] body) =>
        new("F", IrType.Double, parameters, locals, body.ToEquatableArray());

    private static EquatableArray<T> Of<T>(params T[] items)
        where T : IEquatable<T> => items.ToEquatableArray();

    [Fact]
    public void Active_is_varied_and_useful()
    {
        // y = x * c; z = Detach(x); unused = x * x; r = y + z; return r  (c is [NoGrad])
        var method = ControlFlowNormalizer.Normalize(Method(
            Of(new ParamIR("x", IrType.Double, true), new ParamIR("c", IrType.Double, false)),
            Of(new LocalIR("y", IrType.Double), new LocalIR("z", IrType.Double), new LocalIR("unused", IrType.Double), new LocalIR("r", IrType.Double)),
            new AssignStmt("y", IrType.Double, Mul(D("x"), D("c"))),
            new AssignStmt("z", IrType.Double, new DetachExpr(D("x"))),
            new AssignStmt("unused", IrType.Double, Mul(D("x"), D("x"))),
            new AssignStmt("r", IrType.Double, Add(D("y"), D("z"))),
            new ReturnStmt(D("r"))));

        var activity = ActivityAnalysis.Run(method, ControlFlowNormalizer.ResultName);

        Assert.True(activity.IsActive("x"));
        Assert.True(activity.IsActive("y"));
        Assert.True(activity.IsActive("r"));
        Assert.False(activity.IsActive("c"));
        Assert.False(activity.IsActive("z"));
        Assert.False(activity.IsActive("unused"));
        Assert.Contains("unused", activity.Varied);
        Assert.DoesNotContain("unused", activity.Useful);
    }

    [Fact]
    public void Overwritten_values_the_reverse_sweep_reads_are_saved_on_the_tape_in_loops_only()
    {
        // s = 1; i = 0; while (i < n) { s = s * x; i = i + 1 } return s
        var loop = new LoopStmt(
            new BinaryExpr(IrType.Bool, BinaryOp.Less, I("i"), I("n"), -1),
            Of<Stmt>(new AssignStmt("s", IrType.Double, Mul(D("s"), D("x"))), new AssignStmt("i", IrType.Int, Add(I("i"), new ConstExpr(IrType.Int, "1")))),
            EquatableArray<Stmt>.Empty,
            TestFirst: true);
        var method = ControlFlowNormalizer.Normalize(Method(
            Of(new ParamIR("x", IrType.Double, true), new ParamIR("n", IrType.Int, false)),
            Of(new LocalIR("s", IrType.Double), new LocalIR("i", IrType.Int)),
            new AssignStmt("s", IrType.Double, new ConstExpr(IrType.Double, "1.0")),
            new AssignStmt("i", IrType.Int, new ConstExpr(IrType.Int, "0")),
            loop,
            new ReturnStmt(D("s"))));
        var activity = ActivityAnalysis.Run(method, ControlFlowNormalizer.ResultName);

        var recording = RecordingAnalysis.Run(method, activity);
        var normalizedLoop = method.Body.OfType<LoopStmt>().Single();

        Assert.Contains("s", recording.Needed);
        Assert.Contains("x", recording.Needed);
        Assert.DoesNotContain("i", recording.Needed);
        Assert.Equal(Storage.Tape, recording.SaveOf(normalizedLoop.Body[0]));
        Assert.Equal(Storage.None, recording.SaveOf(normalizedLoop.Body[1]));
        Assert.Equal(Storage.None, recording.SaveOf(method.Body[0]));
        Assert.Equal(Storage.Local, recording.ControlOf(normalizedLoop));
    }

    [Fact]
    public void Returns_and_breaks_become_flags_and_guards()
    {
        // while (true) { if (x > 1) return x; break; } return 0
        var method = Method(
            Of(new ParamIR("x", IrType.Double, true)),
            EquatableArray<LocalIR>.Empty,
            new LoopStmt(null, Of<Stmt>(new IfStmt(new BinaryExpr(IrType.Bool, BinaryOp.Greater, D("x"), new ConstExpr(IrType.Double, "1.0"), -1), Of<Stmt>(new ReturnStmt(D("x"))), EquatableArray<Stmt>.Empty), new BreakStmt()), EquatableArray<Stmt>.Empty, TestFirst: true),
            new ReturnStmt(new ConstExpr(IrType.Double, "0.0")));

        var normalized = ControlFlowNormalizer.Normalize(method);

        var statements = IrWalker.Statements(normalized.Body).ToList();
        Assert.DoesNotContain(statements, s => s is ReturnStmt or BreakStmt or ContinueStmt);
        Assert.Contains(normalized.Locals, l => l.Name == "_returned");
        Assert.Contains(normalized.Locals, l => l.Name == "_break");
        Assert.Equal(2, statements.OfType<AssignStmt>().Count(a => a.Target == ControlFlowNormalizer.ResultName));
    }

    [Fact]
    public void IR_is_equal_by_value()
    {
        Assert.Equal(Mul(D("x"), D("y")), Mul(D("x"), D("y")));
        Assert.Equal(Of<Stmt>(new AssignStmt("a", IrType.Double, D("x"))), Of<Stmt>(new AssignStmt("a", IrType.Double, D("x"))));
        Assert.NotEqual(Mul(D("x"), D("y")), Mul(D("y"), D("x")));
    }

    [Fact]
    public void Printer_uses_only_the_parentheses_precedence_needs()
    {
        var x = D("x");
        var y = D("y");
        var sub = new BinaryExpr(IrType.Double, BinaryOp.Subtract, x, y, -1);

        Assert.Equal("x * y + x", ExpressionPrinter.Print(Add(Mul(x, y), x)));
        Assert.Equal("(x - y) * (x - y)", ExpressionPrinter.Print(Mul(sub, sub)));
        Assert.Equal("x - (x - y)", ExpressionPrinter.Print(new BinaryExpr(IrType.Double, BinaryOp.Subtract, x, sub, -1)));
        Assert.Equal("-(-x)", ExpressionPrinter.Print(new UnaryExpr(IrType.Double, UnaryOp.Negate, new UnaryExpr(IrType.Double, UnaryOp.Negate, x))));
        Assert.Equal("1E-05", IndentedWriter.Literal(1e-5));
        Assert.Equal("2.0", IndentedWriter.Literal(2.0));
        Assert.Equal("0.5f", IndentedWriter.Literal(0.5f));
    }
}

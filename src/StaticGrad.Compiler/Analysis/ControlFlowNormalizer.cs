using System.Collections.Generic;
using System.Linq;
using StaticGrad.Compiler.IR;
using StaticGrad.Compiler.Model;
using StaticGrad.Compiler.Naming;

namespace StaticGrad.Compiler.Analysis;

/// <summary>
/// Removes <c>return</c>, <c>break</c> and <c>continue</c>: each becomes a flag assignment, the statements after
/// it are guarded by the flag, and loop conditions test it. The result has only structured control flow, so that
/// the reverse sweep can replay it from recorded branch decisions and trip counts (Tapenade's control stack).
/// Every <c>return e</c> becomes an assignment to the result variable (<see cref="MethodIR.Result"/>). Its name and
/// the flags' come from the method's <see cref="NameScope"/>, so they never capture a user's variable.
/// </summary>
public sealed class ControlFlowNormalizer
{
    /// <summary>The stem of the result variable's name: <c>_result</c> unless the method already uses that name.</summary>
    public const string ResultName = "_result";

    private readonly List<LocalIR> _hiddenLocals = new();
    private readonly NameScope _names;
    private readonly IrType _returnType;
    private string? _returnedFlag;
    private readonly List<string> _jumpFlags = new();
    private bool _hasJumps;

    private ControlFlowNormalizer(MethodIR method)
    {
        _returnType = method.ReturnType;
        _names = NameScope.Of(method);
    }

    /// <summary>The method with jumps removed and its result variable (plus any flags) added to its locals.</summary>
    public static MethodIR Normalize(MethodIR method)
    {
        var normalizer = new ControlFlowNormalizer(method);
        var result = normalizer._names.Fresh(ResultName);
        normalizer._hiddenLocals.Add(new LocalIR(result, method.ReturnType));
        var body = method.Body.ToList();

        // The common shape, one return at the end of the body and no other jump, needs no flag.
        EquatableArray<Stmt> normalized;
        if (body.Count > 0 && body[body.Count - 1] is ReturnStmt last && !ContainsReturn(body.Take(body.Count - 1).ToEquatableArray()))
        {
            var prefix = normalizer.Block(body.Take(body.Count - 1).ToEquatableArray(), loop: null, result).ToList();
            prefix.Add(new AssignStmt(result, method.ReturnType, last.Value));
            normalized = prefix.ToEquatableArray();
        }
        else
        {
            normalized = normalizer.Block(method.Body, loop: null, result);
        }

        // A flag no guard reads (every branch of a final if/else returns) is dropped: it would be a CS0219 warning.
        var read = new HashSet<string>(IrWalker.Statements(normalized).SelectMany(IrWalker.Expressions).SelectMany(IrWalker.ReadVariables));
        var unread = new HashSet<string>(normalizer._hiddenLocals.Where(l => l.Name != result && !read.Contains(l.Name)).Select(l => l.Name));
        if (unread.Count > 0)
        {
            normalized = WithoutAssignments(normalized, unread);
        }

        return method with
        {
            Locals = method.Locals.Concat(normalizer._hiddenLocals.Where(l => !unread.Contains(l.Name))).ToEquatableArray(),
            Body = normalized,
            Result = result,
            ReturnedFlag = normalizer._returnedFlag is { } returned && !unread.Contains(returned) ? returned : string.Empty,
            JumpFlags = normalizer._jumpFlags.Where(f => !unread.Contains(f)).ToEquatableArray(),
            HasJumps = normalizer._hasJumps,
        };
    }

    private static EquatableArray<Stmt> WithoutAssignments(EquatableArray<Stmt> block, HashSet<string> targets) =>
        block.Where(s => s is not AssignStmt a || !targets.Contains(a.Target)).Select(s => s switch
        {
            IfStmt branch => new IfStmt(branch.Condition, WithoutAssignments(branch.Then, targets), WithoutAssignments(branch.Else, targets)),
            LoopStmt loop => loop with { Body = WithoutAssignments(loop.Body, targets), Step = WithoutAssignments(loop.Step, targets) },
            _ => s,
        }).ToEquatableArray();

    private sealed class LoopFlags
    {
        public string? Break;
        public string? Continue;
    }

    private EquatableArray<Stmt> Block(EquatableArray<Stmt> statements, LoopFlags? loop, string result)
    {
        var output = new List<Stmt>();
        for (var i = 0; i < statements.Count; i++)
        {
            var statement = Statement(statements[i], loop, result);
            output.AddRange(statement);
            var guard = Guard(statements[i], loop);
            if (guard is not null && i + 1 < statements.Count)
            {
                var rest = Block(new EquatableArray<Stmt>(statements.Skip(i + 1).ToArray()), loop, result);
                if (rest.Count > 0)
                {
                    output.Add(new IfStmt(guard, rest, EquatableArray<Stmt>.Empty));
                }

                break;
            }
        }

        return output.ToEquatableArray();
    }

    private IEnumerable<Stmt> Statement(Stmt statement, LoopFlags? loop, string result)
    {
        switch (statement)
        {
            case ReturnStmt ret:
                _returnedFlag ??= Hidden("_returned");
                return new Stmt[] { new AssignStmt(result, _returnType, ret.Value), SetFlag(_returnedFlag) };
            case BreakStmt:
                loop!.Break ??= Hidden("_break");
                return new Stmt[] { SetFlag(loop.Break) };
            case ContinueStmt:
                loop!.Continue ??= Hidden("_continue");
                return new Stmt[] { SetFlag(loop.Continue) };
            case IfStmt branch:
                return new Stmt[] { new IfStmt(branch.Condition, Block(branch.Then, loop, result), Block(branch.Else, loop, result)) };
            case LoopStmt inner:
                return Loop(inner, result);
            default:
                return new[] { statement };
        }
    }

    private IEnumerable<Stmt> Loop(LoopStmt loop, string result)
    {
        var flags = new LoopFlags();
        var body = Block(loop.Body, flags, result).ToList();
        var returned = ContainsReturn(loop.Body) ? ReturnedGuard() : null;
        var output = new List<Stmt>();
        if (flags.Continue is not null)
        {
            body.Insert(0, new AssignStmt(flags.Continue, IrType.Bool, False));
        }

        // The step runs after a continue but not after a break or a return.
        var stepGuard = And(Not(flags.Break), returned);
        var step = loop.Step.Count == 0 || stepGuard is null
            ? loop.Step
            : new Stmt[] { new IfStmt(stepGuard, loop.Step, EquatableArray<Stmt>.Empty) }.ToEquatableArray();
        var condition = And(stepGuard, loop.Condition);
        if (flags.Break is not null)
        {
            output.Add(new AssignStmt(flags.Break, IrType.Bool, False));
        }

        output.Add(new LoopStmt(condition, body.ToEquatableArray(), step, loop.TestFirst));
        return output;
    }

    /// <summary>The condition under which the statements after <paramref name="statement"/> still run, or null if it cannot jump.</summary>
    private Expr? Guard(Stmt statement, LoopFlags? loop)
    {
        if (!ContainsJump(statement))
        {
            return null;
        }

        var escapesLoop = statement is LoopStmt;
        return And(
            ReturnedGuard(),
            escapesLoop ? null : And(Not(loop?.Break), Not(loop?.Continue)));
    }

    private Expr? ReturnedGuard() => Not(_returnedFlag);

    private static Expr? Not(string? flag) => flag is null ? null : new UnaryExpr(IrType.Bool, UnaryOp.Not, new VarExpr(IrType.Bool, flag));

    private static Expr? And(Expr? left, Expr? right) =>
        left is null ? right : right is null ? left : new BinaryExpr(IrType.Bool, BinaryOp.ConditionalAnd, left, right, -1);

    private static readonly Expr False = new ConstExpr(IrType.Bool, "false");

    private Stmt SetFlag(string flag)
    {
        _hasJumps = true;
        if (!_jumpFlags.Contains(flag))
        {
            _jumpFlags.Add(flag);
        }

        return new AssignStmt(flag, IrType.Bool, new ConstExpr(IrType.Bool, "true"));
    }

    private string Hidden(string baseName)
    {
        var name = _names.Fresh(baseName);
        _hiddenLocals.Add(new LocalIR(name, IrType.Bool));
        return name;
    }

    /// <summary>Whether a jump in <paramref name="statement"/> can leave it (a break or continue inside a nested loop cannot).</summary>
    private static bool ContainsJump(Stmt statement) => statement switch
    {
        ReturnStmt or BreakStmt or ContinueStmt => true,
        IfStmt branch => ContainsJump(branch.Then) || ContainsJump(branch.Else),
        LoopStmt loop => ContainsReturn(loop.Body),
        _ => false,
    };

    private static bool ContainsJump(EquatableArray<Stmt> statements) => statements.Any(ContainsJump);

    private static bool ContainsReturn(EquatableArray<Stmt> statements) => statements.Any(s => s switch
    {
        ReturnStmt => true,
        IfStmt branch => ContainsReturn(branch.Then) || ContainsReturn(branch.Else),
        LoopStmt loop => ContainsReturn(loop.Body),
        _ => false,
    });
}

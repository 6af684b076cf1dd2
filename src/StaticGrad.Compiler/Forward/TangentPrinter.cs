using System.Collections.Generic;
using System.Linq;
using StaticGrad.Compiler.Emit;
using StaticGrad.Compiler.IR;
using StaticGrad.Compiler.Model;
using StaticGrad.Compiler.Naming;

namespace StaticGrad.Compiler.Forward;

/// <summary>
/// Prints a tangent method's IR (the public Tangent's jumps are normalised like the backward's, <see cref="TangentBody"/>;
/// the Hessian's JVP keeps the original control flow, and both print alike) as C#. Tangents
/// of arrays created with <c>new</c> are rented from the pool and given back before every return, so scalar code
/// and code with local arrays allocate nothing per call.
/// </summary>
internal sealed class TangentPrinter
{
    private const string Pool = "global::StaticGrad.CompilerServices.AdTape";

    private readonly MethodIR _method;
    private readonly HashSet<string> _rented;
    private readonly NameScope _names;
    private readonly string _returned;

    private readonly string? _adjoint;
    private readonly string? _scale;
    private readonly string? _seed;
    private readonly SeededPass? _seeded;
    private readonly string _seededLabel;
    private readonly string _scaled;
    private bool _inSeededPass;

    /// <param name="method">The tangent IR.</param>
    /// <param name="rented">The tangents of arrays created with <c>new</c>, rented from the pool.</param>
    /// <param name="adjoint">
    /// A backward's adjoint parameter: <c>return (value, tangent)</c> then prints as <c>adjoint += tangent; return value;</c>
    /// (<see cref="TangentBackward"/>), else null.
    /// </param>
    /// <param name="scale">
    /// With <paramref name="adjoint"/>: the tangent the body's unit stands for (<see cref="UnitTangent"/>); the return
    /// then adds <c>scale · tangent</c> when <paramref name="seed"/> is not zero.
    /// </param>
    /// <param name="seed">With <paramref name="scale"/>: the backward's seed.</param>
    /// <param name="seeded">
    /// With <paramref name="scale"/>: the pass that carries the seed itself (<see cref="UnitTangent.Seeded"/>), printed
    /// after the body and jumped to from a return whose scaled tangent is not finite.
    /// </param>
    public TangentPrinter(MethodIR method, IEnumerable<string> rented, string? adjoint = null, string? scale = null, string? seed = null, SeededPass? seeded = null)
    {
        _method = method;
        _rented = new HashSet<string>(rented);
        _names = NameScope.Of(method);
        _returned = Fresh("_returned");
        _adjoint = adjoint;
        _scale = scale;
        _seed = seed ?? scale;
        _seeded = seeded;
        _seededLabel = Fresh("_seeded");
        _scaled = Fresh("_scaled");
    }

    public void WriteBody(IndentedWriter w)
    {
        foreach (var local in _method.Locals)
        {
            w.WriteLine(Declaration(local));
        }

        // The seeded pass starts from the state at entry: the parameters the body assigns (an int counted down: the
        // seeded pass saw 0 and returned 0) are saved here and restored at its label.
        var assigned = _seeded is null ? new HashSet<string>() : new HashSet<string>(IrWalker.Statements(_method.Body).OfType<AssignStmt>().Select(a => a.Target));
        var saved = _method.Parameters.Where(p => p.Type.Shape == ShapeKind.Scalar && assigned.Contains(p.Name)).Select(p => (p, Fresh("_entry_" + p.Name.TrimStart('@')))).ToList();
        foreach (var (parameter, copy) in saved)
        {
            w.WriteLine(parameter.Type.ScalarKeyword + " " + copy + " = " + parameter.Name + ";");
        }

        if (_method.Locals.Count > 0 || saved.Count > 0)
        {
            w.WriteLine();
        }

        Block(_method.Body, w, null);
        if (_seeded is null)
        {
            return;
        }

        // Reached only by the jump from a return (every path of the body returns): the whole pass again, seeded, from
        // the state at entry: the parameters restored and the scalar locals at their declarations' zero (the
        // normaliser's return flag, still set by the first pass, skipped the seeded pass's loop and returned the
        // unit pass's tangent unscaled).
        _inSeededPass = true;
        w.WriteLine(_seededLabel + ":");
        w.OpenBrace();
        foreach (var (parameter, copy) in saved)
        {
            w.WriteLine(parameter.Name + " = " + copy + ";");
        }

        foreach (var local in _method.Locals.Where(l => l.Type.Shape == ShapeKind.Scalar && !_rented.Contains(l.Name)))
        {
            w.WriteLine(local.Name + " = " + Zero(local.Type) + ";");
        }

        if (_seeded.Declared is { } declared)
        {
            w.WriteLine(_seeded.Type.ScalarKeyword + " " + declared + " = " + _seed + ";");
        }

        Block(_seeded.Body, w, null);
        w.CloseBrace();
    }

    private string Declaration(LocalIR local)
    {
        var type = local.Type;
        if (_rented.Contains(local.Name))
        {
            return type.ScalarKeyword + "[] " + local.Name + " = global::System.Array.Empty<" + type.ScalarKeyword + ">();";
        }

        return type.Shape switch
        {
            ShapeKind.Scalar => type.ScalarKeyword + " " + local.Name + " = " + Zero(type) + ";",
            ShapeKind.Array => type.CSharp + " " + local.Name + " = null!;",
            _ => SpanLocal.Declaration(type, local.Name),
        };
    }

    private static string Zero(IrType type) => type.Scalar switch
    {
        ScalarKind.Double => "0.0",
        ScalarKind.Float => "0f",
        ScalarKind.Long => "0L",
        ScalarKind.Bool => "false",
        _ => "0",
    };

    private string Fresh(string baseName) => _names.Fresh(baseName);

    private static string P(Expr e) => ExpressionPrinter.Print(e);

    private void Block(EquatableArray<Stmt> block, IndentedWriter w, string? continueLabel)
    {
        foreach (var statement in block)
        {
            switch (statement)
            {
                case AssignStmt a:
                    w.WriteLine(a.Target + " = " + P(a.Value) + ";");
                    break;
                case StoreStmt s:
                    w.WriteLine(ExpressionPrinter.Element(s.Array, s.Index) + " = " + P(s.Value) + ";");
                    break;
                case NewArrayStmt n when _rented.Contains(n.Target):
                    // A creation inside a loop rents again: the previous buffer goes back first.
                    w.WriteLine(Pool + ".Return(" + n.Target + ");");
                    w.WriteLine(n.Target + " = " + Pool + ".Rent" + (n.Type.Scalar == ScalarKind.Float ? "Singles" : "Doubles") + "(" + P(n.Length) + ");");
                    break;
                case NewArrayStmt n:
                    w.WriteLine(n.Target + " = " + (n.IsStackAlloc ? "stackalloc " : "new ") + n.Type.ScalarKeyword + "[" + P(n.Length) + "];");
                    break;
                case IfStmt branch:
                    w.WriteLine("if (" + P(branch.Condition) + ")");
                    w.OpenBrace();
                    Block(branch.Then, w, continueLabel);
                    w.CloseBrace();
                    if (branch.Else.Count > 0)
                    {
                        w.WriteLine("else");
                        w.OpenBrace();
                        Block(branch.Else, w, continueLabel);
                        w.CloseBrace();
                    }

                    break;
                case LoopStmt loop:
                    {
                        // 'continue' must still run the step (a for loop's increment): it jumps to a label before it.
                        var label = loop.Step.Count > 0 && ContainsContinue(loop.Body) ? Fresh("_continue") : null;
                        var condition = loop.Condition is null ? "true" : P(loop.Condition);
                        w.WriteLine(loop.TestFirst ? "while (" + condition + ")" : "do");
                        w.OpenBrace();
                        Block(loop.Body, w, label);
                        if (label is not null)
                        {
                            w.WriteLine(label + ":;");
                        }

                        Block(loop.Step, w, null);
                        w.CloseBrace(loop.TestFirst ? string.Empty : " while (" + condition + ");");
                        break;
                    }

                case BreakStmt:
                    w.WriteLine("break;");
                    break;
                case ContinueStmt:
                    w.WriteLine(continueLabel is null ? "continue;" : "goto " + continueLabel + ";");
                    break;
                case ReturnStmt r:
                    Return(P(r.Value), w);
                    break;
                case ReturnPairStmt r when _adjoint is not null && _scale is not null && _inSeededPass:
                    // The seeded pass (entered only under a non-zero seed): seed · ∂f/∂z, through g's rule last.
                    if (_seeded!.Chain is { } chain)
                    {
                        w.WriteLine(_seeded.Input + " = " + P(r.Tangent) + ";");
                        w.WriteLine(_adjoint + " += " + P(chain) + ";");
                    }
                    else
                    {
                        w.WriteLine(_adjoint + " += " + P(r.Tangent) + ";");
                    }

                    Return(P(r.Value), w);
                    break;
                case ReturnPairStmt r when _adjoint is not null && _scale is not null:
                    // A zero seed adds nothing (UnitTangent); a zero scale from the first statement's g′(x) = 0 does
                    // multiply: 0 · ∞ is NaN, as in the reverse sweep and PyTorch (session 22).
                    w.WriteLine("if (" + _seed + " != " + Zero(r.Tangent.Type) + ")");
                    w.OpenBrace();
                    ScaledReturn(r.Tangent, w);
                    w.CloseBrace();
                    Return(P(r.Value), w);
                    break;
                case ReturnPairStmt r when _adjoint is not null:
                    w.WriteLine(_adjoint + " += " + P(r.Tangent) + ";");
                    Return(P(r.Value), w);
                    break;
                case ReturnPairStmt r:
                    Return("(" + P(r.Value) + ", " + P(r.Tangent) + ")", w);
                    break;
                case TangentCallStmt call when call.Target.Kind == CallKind.Rule:
                    PullbackCall(call, call.Target.Backward, call.Target.Adjoints, w);
                    break;
                case TangentCallStmt call when !call.Target.HasTangent:
                    PullbackCall(call, call.IncludingNoGrad ? call.Target.BackwardIncludingNoGrad! : call.Target.Backward, call.IncludingNoGrad ? call.Target.AllAdjoints : call.Target.Adjoints, w);
                    break;
                case TangentCallStmt call:
                    TangentCall(call, w);
                    break;
                case EffectStmt effect:
                    w.WriteLine(effect.Text(P));
                    break;
                default:
                    throw new System.InvalidOperationException("Unknown statement " + statement.GetType().Name);
            }
        }
    }

    /// <summary>
    /// Adds <c>scale · tangent</c>; with a seeded pass, only when that is finite and the scale is normal: otherwise
    /// the unit tangent may have overflowed where the seeded derivative does not, or the scale <c>g′(x)·seed</c> lost
    /// its digits to underflow (a subnormal seed: 0.3·ε = 0 in float, where the reverse sweep's seed·∂f/∂z·g′(x) is
    /// 8ε), and the seeded pass decides (the reverse sweep's value, NaN and ±∞ included). A zero scale goes there
    /// too: g′(x)·(seed·∂f/∂z) is the same 0, or NaN under an infinite ∂f/∂z. An infinite or NaN seed stays here: it
    /// cannot come back into range, and carried through a quotient it gives ∞ − ∞ where ±∞ with the derivative's sign
    /// is the answer (session 21's seeds). Buffers rented by this pass are given
    /// back by the seeded pass's first rent of each.
    /// </summary>
    private void ScaledReturn(Expr tangent, IndentedWriter w)
    {
        var product = _scale + " * " + ExpressionPrinter.Wrap(tangent, ExpressionPrinter.MultiplicativePrecedence + 1);
        if (_seeded is null)
        {
            w.WriteLine(_adjoint + " += " + product + ";");
            return;
        }

        var keyword = tangent.Type.ScalarKeyword;
        w.WriteLine(keyword + " " + _scaled + " = " + product + ";");
        w.WriteLine("if ((!" + keyword + ".IsFinite(" + _scaled + ") || !" + keyword + ".IsNormal(" + _scale + ")) && " + keyword + ".IsFinite(" + _seed + "))");
        w.OpenBrace();
        w.WriteLine("goto " + _seededLabel + ";");
        w.CloseBrace();
        w.WriteLine(_adjoint + " += " + _scaled + ";");
    }

    private static bool ContainsContinue(EquatableArray<Stmt> block) => block.Any(s => s switch
    {
        ContinueStmt => true,
        IfStmt i => ContainsContinue(i.Then) || ContainsContinue(i.Else),
        _ => false,
    });

    private void Return(string value, IndentedWriter w)
    {
        if (_rented.Count == 0)
        {
            w.WriteLine("return " + value + ";");
            return;
        }

        w.OpenBrace();
        w.WriteLine("var " + _returned + " = " + value + ";");
        foreach (var buffer in _rented.OrderBy(n => n, System.StringComparer.Ordinal))
        {
            w.WriteLine(Pool + ".Return(" + buffer + ");");
        }

        w.WriteLine("return " + _returned + ";");
        w.CloseBrace();
    }

    private static string Rent(IrType type, string length) =>
        Pool + ".Rent" + (type.Scalar == ScalarKind.Float ? "Singles" : "Doubles") + "(" + length + ")";

    private void TangentCall(TangentCallStmt call, IndentedWriter w)
    {
        var passings = call.IncludingNoGrad ? call.Target.AllAdjoints : call.Target.Adjoints;
        var arguments = call.Args.Select(P).ToList();
        var scratch = new List<string>();
        var lines = new List<string>();
        for (var i = 0; i < call.Args.Count; i++)
        {
            if (passings[i].Passing == AdjointPassing.None)
            {
                continue;
            }

            if (call.Tangents[i].Value is { } tangent)
            {
                arguments.Add(P(tangent));
            }
            else if (call.Args[i].Type.IsCollection)
            {
                // The callee reads a tangent for every element: a zeroed pooled buffer stands for "no derivative".
                var zeros = Fresh("_zeros");
                var (allocation, rented) = ScratchArray.For(call.Args[i], P(call.Args[i]));
                lines.Add("var " + zeros + " = " + allocation + ";");
                if (rented)
                {
                    scratch.Add(zeros);
                }

                arguments.Add(zeros);
            }
            else
            {
                arguments.Add(Zero(call.Args[i].Type));
            }
        }

        var callee = call.Target.Callee + "Tangent" + (call.IncludingNoGrad ? Emit.BackwardEmitter.IncludingNoGradSuffix : string.Empty) + call.Target.TypeArguments;
        lines.Add("(" + call.ValueTarget + ", " + call.TangentTarget + ") = " + callee + "(" + string.Join(", ", arguments) + ");");
        lines.AddRange(scratch.Select(s => Pool + ".Return(" + s + ");"));
        WriteScoped(lines, scratch.Count > 0, w);
    }

    /// <summary>
    /// A callee with only a [DerivativeOf] rule (or only a backward): its value is scalar, so the pullback with seed 1
    /// returns the value and gives the gradient, and the directional derivative is that gradient dotted with the
    /// arguments' tangents.
    /// </summary>
    private void PullbackCall(TangentCallStmt call, string pullback, EquatableArray<ParameterPassing> passings, IndentedWriter w)
    {
        var arguments = call.Args.Select(P).ToList();
        var lines = new List<string>();
        var adjoints = new List<string>();
        var scratch = new List<string>();
        var terms = new List<string>();
        var loops = new List<string>();
        for (var i = 0; i < call.Args.Count; i++)
        {
            var type = call.Args[i].Type;
            switch (passings[i].Passing)
            {
                case AdjointPassing.Ref:
                    {
                        var adjoint = Fresh("_g");
                        lines.Add(type.ScalarKeyword + " " + adjoint + " = " + Zero(type) + ";");
                        adjoints.Add("ref " + adjoint);
                        if (call.Tangents[i].Value is { } tangent)
                        {
                            terms.Add(adjoint + " * " + ExpressionPrinter.Wrap(tangent, ExpressionPrinter.MultiplicativePrecedence + 1));
                        }

                        break;
                    }

                case AdjointPassing.Span:
                    {
                        var adjoint = Fresh("_g");
                        lines.Add("var " + adjoint + " = " + Rent(type, arguments[i] + ".Length") + ";");
                        adjoints.Add(adjoint);
                        scratch.Add(adjoint);
                        if (call.Tangents[i].Value is { } tangent)
                        {
                            var k = Fresh("_k");
                            loops.Add("for (var " + k + " = 0; " + k + " < " + arguments[i] + ".Length; " + k + "++) " + call.TangentTarget + " += " + adjoint + "[" + k + "] * " + P(tangent) + "[" + k + "];");
                        }

                        break;
                    }
            }
        }

        var one = call.Type.Scalar == ScalarKind.Float ? "1f" : "1.0";
        // A rule returns the callee's value, as a backward does.
        lines.Add(call.ValueTarget + " = " + pullback + "(" + string.Join(", ", arguments.Concat(adjoints).Concat(new[] { one })) + ");");
        lines.Add(call.TangentTarget + " = " + (terms.Count == 0 ? Zero(call.Type) : string.Join(" + ", terms)) + ";");
        lines.AddRange(loops);
        lines.AddRange(scratch.Select(s => Pool + ".Return(" + s + ");"));
        WriteScoped(lines, true, w);
    }

    private static void WriteScoped(List<string> lines, bool scoped, IndentedWriter w)
    {
        if (scoped)
        {
            w.OpenBrace();
        }

        foreach (var line in lines)
        {
            w.WriteLine(line);
        }

        if (scoped)
        {
            w.CloseBrace();
        }
    }
}

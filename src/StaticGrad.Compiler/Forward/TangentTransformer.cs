using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using StaticGrad.Compiler.Derivatives;
using StaticGrad.Compiler.IR;
using StaticGrad.Compiler.Model;
using StaticGrad.Compiler.Naming;

namespace StaticGrad.Compiler.Forward;

/// <summary>What the tangent IR is for.</summary>
public enum TangentMode
{
    /// <summary>The public <c>{Name}Tangent</c>: returns value and tangent, calls callees' <c>Tangent</c> once each.</summary>
    FirstOrder,

    /// <summary>
    /// The JVP as an ordinary method of plain IR (it returns only the tangent; callees are called through their
    /// <c>Jvp</c>), so that the reverse transformation can differentiate it again.
    /// </summary>
    SecondOrder,
}

/// <summary>
/// The forward-mode (tangent) transformation, IR to IR. Every value that depends on a parameter with a tangent
/// gets a tangent variable, assigned just before the value (so that the tangent reads the old values, as the
/// statement does). Control flow, jumps and array creations are kept as they are: forward mode follows the
/// original execution, so it needs no tape. Calls nested in expressions are hoisted into temporaries (under their
/// branch when they sit in a <c>?:</c>) so that a callee runs once for its value and tangent.
/// </summary>
public sealed class TangentTransformer
{
    /// <summary>The suffix of the second-order helper that returns only the tangent: <c>{Name}Jvp</c>.</summary>
    public const string JvpSuffix = "Jvp";

    private readonly MethodIR _method;
    private readonly TangentMode _mode;
    private readonly NameScope _names;
    private readonly Dictionary<string, string> _tangents = new();
    private readonly Dictionary<string, IrType> _tangentTypes = new();
    private readonly List<LocalIR> _newLocals = new();
    private readonly List<ParamIR> _tangentParameters = new();
    private readonly HashSet<string> _varied = new();

    private TangentTransformer(MethodIR method, TangentMode mode)
    {
        _method = method;
        _mode = mode;
        _names = NameScope.Of(method);
    }

    /// <summary>Whether a call had no forward or second-order derivative (a rule in second order, a callee that did not opt in).</summary>
    public bool Unsupported { get; private set; }

    /// <summary>The tangent method: the original parameters, then one tangent per differentiable parameter.</summary>
    /// <param name="tangentName">The name of a parameter's tangent.</param>
    /// <param name="reserved">Names the emitted method uses besides the body's (a backward's adjoint and seed), which no tangent may take.</param>
    public static (MethodIR Method, TangentTransformer Transformer) Transform(MethodIR method, TangentMode mode, System.Func<string, string> tangentName, IEnumerable<string>? reserved = null)
    {
        var transformer = new TangentTransformer(method, mode);
        foreach (var name in reserved ?? Enumerable.Empty<string>())
        {
            transformer._names.Reserve(name);
        }

        foreach (var parameter in method.Parameters.Where(p => p.IsDifferentiable))
        {
            var name = transformer._names.Fresh(tangentName(parameter.Name));
            var type = parameter.Type.IsCollection && !parameter.Type.IsMultiDimensional ? parameter.Type with { Shape = ShapeKind.ReadOnlySpan } : parameter.Type;
            transformer._tangents[parameter.Name] = name;
            transformer._tangentTypes[parameter.Name] = type;
            transformer._tangentParameters.Add(new ParamIR(name, type, true));
        }

        transformer.NameLocalTangents();
        var body = transformer.Block(method.Body);
        var parameters = mode == TangentMode.SecondOrder
            ? method.Parameters.Select(p => p with { IsDifferentiable = p.Type.IsFloating || p.Type.IsFloatingCollection }).Concat(transformer._tangentParameters)
            : method.Parameters.Concat(transformer._tangentParameters);
        var result = method with
        {
            Parameters = parameters.ToEquatableArray(),
            Locals = method.Locals.Concat(transformer._newLocals).ToEquatableArray(),
            Body = body.ToEquatableArray(),
        };
        return (result, transformer);
    }

    /// <summary>Names of the tangent locals of arrays created with <c>new</c> (first order rents them from the pool).</summary>
    public IEnumerable<string> HeapArrayTangents =>
        IrWalker.Statements(_method.Body).OfType<NewArrayStmt>().Where(n => !n.IsStackAlloc && n.Type.StructName.Length == 0 && _tangents.ContainsKey(n.Target)).Select(n => _tangents[n.Target]);

    private void NameLocalTangents()
    {
        // Fixpoint: a local is varied when some assignment stores a varied value into it.
        var changed = true;
        var varied = _varied;
        varied.UnionWith(_tangents.Keys);
        while (changed)
        {
            changed = false;
            foreach (var statement in IrWalker.Statements(_method.Body))
            {
                var (target, value) = statement switch
                {
                    AssignStmt a => (a.Target, a.Value),
                    StoreStmt s => (s.Array, s.Value),
                    _ => (null, null),
                };
                if (target is not null && !varied.Contains(target) && IsVaried(value!, varied))
                {
                    varied.Add(target);
                    changed = true;
                }
            }
        }

        foreach (var local in _method.Locals.Where(l => varied.Contains(l.Name)))
        {
            var name = Fresh(NameScope.AdjointStem(NameScope.Unescaped(local.Name).TrimStart('_')));
            _tangents[local.Name] = name;
            _tangentTypes[local.Name] = local.Type;
            _newLocals.Add(new LocalIR(name, local.Type));
        }
    }

    private static bool IsVaried(Expr expression, HashSet<string> varied)
    {
        if (!expression.Type.IsFloating && !expression.Type.IsFloatingCollection)
        {
            return false;
        }

        return expression switch
        {
            VarExpr v => varied.Contains(v.Name),
            ElementExpr e => varied.Contains(e.Array),
            SliceExpr s => varied.Contains(s.Array),
            GridExpr g => varied.Contains(g.Array),
            CastExpr c => IsVaried(c.Operand, varied),
            UnaryExpr { Op: UnaryOp.Negate } u => IsVaried(u.Operand, varied),
            BinaryExpr { Op: BinaryOp.Add or BinaryOp.Subtract or BinaryOp.Multiply or BinaryOp.Divide or BinaryOp.Remainder } b => IsVaried(b.Left, varied) || IsVaried(b.Right, varied),
            ConditionalExpr c => IsVaried(c.WhenTrue, varied) || IsVaried(c.WhenFalse, varied),
            BuiltinCallExpr call => BuiltinRules.Find(call.Function, call.Args.Count) is { IsPiecewiseConstant: false } && call.Args.Any(a => IsVaried(a, varied)),
            MethodCallExpr call => call.Target.Kind != CallKind.Opaque && call.Args.Any(a => IsVaried(a, varied)),
            _ => false,
        };
    }

    private bool IsVaried(Expr expression) => IsVaried(expression, _varied);

    private string Fresh(string baseName) => _names.Fresh(baseName);

    private string Temporary(string prefix, IrType type)
    {
        var name = Fresh(prefix + _newLocals.Count.ToString(CultureInfo.InvariantCulture));
        _newLocals.Add(new LocalIR(name, type));
        return name;
    }

    private static ConstExpr Zero(IrType type) => new(type.Element, type.Scalar == ScalarKind.Float ? "0f" : "0.0");

    private List<Stmt> Block(EquatableArray<Stmt> block)
    {
        var output = new List<Stmt>();
        foreach (var statement in block)
        {
            Statement(statement, output);
        }

        return output;
    }

    private void Statement(Stmt statement, List<Stmt> output)
    {
        switch (statement)
        {
            case AssignStmt a when _tangents.TryGetValue(a.Target, out var tangent):
                {
                    var (primal, derivative) = Linearize(a.Value, output);

                    // x++ or x = x + 1: the tangent is unchanged (and 'dx = dx' would be a compiler warning).
                    if (derivative is not VarExpr { Name: var same } || same != tangent)
                    {
                        output.Add(new AssignStmt(tangent, a.Type, derivative ?? Zero(a.Type)));
                    }

                    output.Add(a with { Value = primal });
                    break;
                }

            case StoreStmt s when _tangents.TryGetValue(s.Array, out var tangent):
                {
                    var (primal, derivative) = Linearize(s.Value, output);

                    // An integer field of a struct or tuple array ('(int K, double V)[]'): it has no tangent to write.
                    if (!s.ElementType.IsFloating)
                    {
                        output.Add(s with { Value = primal });
                        break;
                    }

                    if (derivative is not ElementExpr element || element.Array != tangent || element.Index != s.Index)
                    {
                        output.Add(new StoreStmt(tangent, s.ElementType, s.Index, derivative ?? Zero(s.ElementType)));
                    }

                    output.Add(s with { Value = primal });
                    break;
                }

            case NewArrayStmt n:
                output.Add(n);
                if (_tangents.TryGetValue(n.Target, out var arrayTangent))
                {
                    output.Add(new NewArrayStmt(arrayTangent, n.Type, new LengthExpr(n.Target), n.IsStackAlloc));
                }

                break;
            case IfStmt branch:
                output.Add(new IfStmt(branch.Condition, Block(branch.Then).ToEquatableArray(), Block(branch.Else).ToEquatableArray()));
                break;
            case LoopStmt loop:
                output.Add(new LoopStmt(loop.Condition, Block(loop.Body).ToEquatableArray(), Block(loop.Step).ToEquatableArray(), loop.TestFirst));
                break;
            case ReturnStmt r:
                {
                    var (primal, derivative) = Linearize(r.Value, output);
                    output.Add(_mode == TangentMode.FirstOrder
                        ? new ReturnPairStmt(primal, derivative ?? Zero(r.Value.Type))
                        : new ReturnStmt(derivative ?? Zero(r.Value.Type)));
                    break;
                }

            default:
                // Assignments of values without tangents, break and continue are unchanged.
                output.Add(statement);
                break;
        }
    }

    /// <summary>The expression (with hoisted calls replaced) and its tangent, null when it is zero.</summary>
    private (Expr Primal, Expr? Tangent) Linearize(Expr expression, List<Stmt> before)
    {
        if (!IsVaried(expression))
        {
            return (expression, null);
        }

        switch (expression)
        {
            case VarExpr v:
                return (v, new VarExpr(v.Type.IsCollection ? _tangentTypes[v.Name] : v.Type, _tangents[v.Name]));
            case ElementExpr e:
                return (e, new ElementExpr(e.Type, _tangents[e.Array], e.Index));
            case SliceExpr s:
                return (s, s with { Type = new IrType(s.Type.Scalar, ShapeKind.ReadOnlySpan), Array = _tangents[s.Array], Source = ShapeKind.ReadOnlySpan, Copy = false });
            case GridExpr g:
                return (g, g with { Array = _tangents[g.Array] });
            case CastExpr c:
                {
                    var (operand, tangent) = Linearize(c.Operand, before);
                    return (c with { Operand = operand }, tangent is null ? null : new CastExpr(c.Type, tangent, c.Site));
                }

            case UnaryExpr u:
                {
                    var (operand, tangent) = Linearize(u.Operand, before);
                    return (u with { Operand = operand }, tangent is null ? null : new UnaryExpr(u.Type, UnaryOp.Negate, tangent));
                }

            case BinaryExpr b:
                return LinearizeBinary(b, before);
            case ConditionalExpr c:
                return LinearizeConditional(c, before);
            case BuiltinCallExpr call when LogQuotientRule.QuotientOf(call) is { } quotient:
                return LinearizeLogQuotient(call, quotient, before);
            case BuiltinCallExpr call:
                {
                    var arguments = call.Args.Select(a => Linearize(a, before)).ToList();
                    var primals = arguments.Select(a => a.Primal).ToList();
                    Expr? sum = null;
                    for (var i = 0; i < arguments.Count; i++)
                    {
                        if (arguments[i].Tangent is { } tangent && RuleForms.Partial(call, primals, i, tangent) is { } term)
                        {
                            sum = Add(call.Type, sum, SaturatedTanh(call, primals, term));
                        }
                    }

                    return (call with { Args = primals.ToEquatableArray() }, sum);
                }

            case MethodCallExpr call:
                return LinearizeCall(call, before);
            default:
                return (expression, null);
        }
    }

    /// <summary>log(a / b): da / a − db / b (<see cref="LogQuotientRule"/>, the reverse sweep's rule).</summary>
    private (Expr, Expr?) LinearizeLogQuotient(BuiltinCallExpr call, BinaryExpr quotient, List<Stmt> before)
    {
        var (a, aTangent) = Linearize(quotient.Left, before);
        var (b, bTangent) = Linearize(quotient.Right, before);
        var type = call.Type;
        Expr? Over(Expr? tangent, Expr divisor) => tangent is null ? null : new BinaryExpr(type, BinaryOp.Divide, tangent, divisor, 0);
        var numerator = Over(aTangent, a);
        var denominator = Over(bTangent, b);
        var tangent = denominator is null ? numerator : numerator is null ? new UnaryExpr(type, UnaryOp.Negate, denominator) : new BinaryExpr(type, BinaryOp.Subtract, numerator, denominator, 0);
        return (call with { Args = new Expr[] { quotient with { Left = a, Right = b } }.ToEquatableArray() }, tangent);
    }

    private static Expr Add(IrType type, Expr? left, Expr right) => left is null ? right : new BinaryExpr(type, BinaryOp.Add, left, right, 0);

    private (Expr, Expr?) LinearizeBinary(BinaryExpr b, List<Stmt> before)
    {
        var (left, leftTangent) = Linearize(b.Left, before);
        var (right, rightTangent) = Linearize(b.Right, before);
        var primal = b with { Left = left, Right = right };
        var type = b.Type;
        Expr Mul(Expr x, Expr y) => new BinaryExpr(type, BinaryOp.Multiply, x, y, 0);
        Expr Div(Expr x, Expr y) => new BinaryExpr(type, BinaryOp.Divide, x, y, 0);
        Expr? Sub(Expr? x, Expr? y) => y is null ? x : x is null ? new UnaryExpr(type, UnaryOp.Negate, y) : new BinaryExpr(type, BinaryOp.Subtract, x, y, 0);
        var tangent = b.Op switch
        {
            BinaryOp.Add => leftTangent is null ? rightTangent : rightTangent is null ? leftTangent : Add(type, leftTangent, rightTangent),
            BinaryOp.Subtract => Sub(leftTangent, rightTangent),
            BinaryOp.Multiply => Sum(type, leftTangent is null ? null : Mul(leftTangent, right), rightTangent is null ? null : Mul(left, rightTangent)),
            // d(u/v) = du/v − (u/v)·dv/v: the quotient, not u·dv/(v·v), whose square overflows (or vanishes) where the
            // quotient and the derivative are finite (u = 1e200·x, v = 1e200·(x + 1): ∞/∞ = NaN against 0.25; session 18's
            // review of the forward-mode Backward). The reverse sweep reads the same quotient (Derivatives/QuotientRule.cs).
            // (u/v)·(dv/v), not ((u/v)·dv)/v: the two divisions run side by side instead of one after the other (session 19:
            // NormalCdf's tail right after Math.Exp, 0.96 of Black–Scholes' gradient time), and (u/v)·dv can no longer
            // overflow where dv/v and the result are finite.
            BinaryOp.Divide => Sub(
                leftTangent is null ? null : Div(leftTangent, right),
                rightTangent is null ? null : Mul(Div(left, right), Div(rightTangent, right))),
            BinaryOp.Remainder => Sub(
                leftTangent,
                rightTangent is null ? null : Mul(rightTangent, new BuiltinCallExpr(type, type.Scalar == ScalarKind.Float ? "global::System.MathF" : "global::System.Math", "Truncate", new[] { Div(left, right) }.ToEquatableArray(), 0))),
            _ => null,
        };
        return (primal, tangent);
    }

    private static Expr? Sum(IrType type, Expr? left, Expr? right) => left is null ? right : right is null ? left : Add(type, left, right);

    private (Expr, Expr?) LinearizeConditional(ConditionalExpr c, List<Stmt> before)
    {
        var whenTrueBefore = new List<Stmt>();
        var whenFalseBefore = new List<Stmt>();
        var (whenTrue, trueTangent) = Linearize(c.WhenTrue, whenTrueBefore);
        var (whenFalse, falseTangent) = Linearize(c.WhenFalse, whenFalseBefore);
        if (whenTrueBefore.Count == 0 && whenFalseBefore.Count == 0)
        {
            return (c with { WhenTrue = whenTrue, WhenFalse = whenFalse }, new ConditionalExpr(c.Type, c.Condition, trueTangent ?? Zero(c.Type), falseTangent ?? Zero(c.Type)));
        }

        // A call under a branch of ?: runs only on that branch, as in the original.
        var value = Temporary("_v", c.Type);
        var tangent = Temporary("_dv", c.Type);
        whenTrueBefore.Add(new AssignStmt(tangent, c.Type, trueTangent ?? Zero(c.Type)));
        whenTrueBefore.Add(new AssignStmt(value, c.Type, whenTrue));
        whenFalseBefore.Add(new AssignStmt(tangent, c.Type, falseTangent ?? Zero(c.Type)));
        whenFalseBefore.Add(new AssignStmt(value, c.Type, whenFalse));
        before.Add(new IfStmt(c.Condition, whenTrueBefore.ToEquatableArray(), whenFalseBefore.ToEquatableArray()));
        return (new VarExpr(c.Type, value), new VarExpr(c.Type, tangent));
    }

    /// <summary>
    /// Tanh's tangent at an argument past the type's range is 0: the argument's tangent is then ∞ too (it passed the
    /// range with the argument, random batch 20263101 P158: a helper's local grown past 1e308 into a saturated Tanh),
    /// and ∞ · (1 − tanh²) = ∞ · 0 is NaN, while the true product is sech²(z)·z′ with |z| > 1.8e308, below any double
    /// (sech² decays as e^−2|z|; a z′ large enough to offset it is out of reach of a program's finite factors).
    /// The reverse sweep's seeded adjoint (a finite g · 0) gives that 0, and so does PyTorch's backward; PyTorch's forward
    /// AD gives NaN. A finite argument keeps the rule as it is (a z′ that overflows beside a finite z of 20, say, has a
    /// product sech²(20)·z′ that may be in range: NaN says so). Forward mode only: the reverse sweep multiplies by g.
    /// </summary>
    private static Expr SaturatedTanh(BuiltinCallExpr call, IReadOnlyList<Expr> primals, Expr term)
    {
        if (call.Function != "Tanh" || primals.Count != 1)
        {
            return term;
        }

        // z · 0 == 0 holds for every finite z and fails for ±∞ (and NaN, whose value is NaN anyway): arithmetic only, so
        // a generic-math method's retyped text (z * T.Zero == T.Zero) compiles where double.MaxValue would not.
        var finite = new BinaryExpr(IrType.Bool, BinaryOp.Equal, new BinaryExpr(call.Type, BinaryOp.Multiply, primals[0], Zero(call.Type), call.Site), Zero(call.Type), call.Site);
        return new ConditionalExpr(call.Type, finite, term, Zero(call.Type));
    }

    private (Expr, Expr?) LinearizeCall(MethodCallExpr call, List<Stmt> before)
    {
        var arguments = call.Args.Select(a => Linearize(a, before)).ToList();
        var primals = arguments.Select(a => a.Primal).ToEquatableArray();
        var target = call.Target;
        var includingNoGrad = target.Kind == CallKind.Differentiable && target.BackwardIncludingNoGrad is not null
            && Enumerable.Range(0, arguments.Count).Any(i => target.Adjoints[i].Passing == AdjointPassing.None && target.AllAdjoints[i].Passing != AdjointPassing.None && arguments[i].Tangent is not null);
        if (_mode == TangentMode.FirstOrder && target.ResultForm == Derivatives.ResultRules.Logistic && arguments.Count == 1 && arguments[0].Tangent is { } zTangent)
        {
            // The logistic's tangent from its value, t·σ(1 − σ), as the reverse sweep does: the callee's own Tangent
            // (the quotient rule on exp) gives inf/inf = NaN where exp(−z) overflows and the derivative is 0.
            var sigma = Temporary("_c", call.Type);
            before.Add(new AssignStmt(sigma, call.Type, call with { Args = primals }));
            var s = new VarExpr(call.Type, sigma);
            var one = new ConstExpr(call.Type, call.Type.Scalar == ScalarKind.Float ? "1f" : "1.0");
            var partial = new BinaryExpr(call.Type, BinaryOp.Multiply, s, new BinaryExpr(call.Type, BinaryOp.Subtract, one, s, call.Site), call.Site);
            return (s, new BinaryExpr(call.Type, BinaryOp.Multiply, zTangent, partial, call.Site));
        }

        if (_mode == TangentMode.FirstOrder)
        {
            var passings = includingNoGrad ? target.AllAdjoints : target.Adjoints;
            var value = Temporary("_c", call.Type);
            var tangent = Temporary("_dc", call.Type);
            var tangents = arguments.Select((a, i) => new OptionalExpr(passings[i].Passing == AdjointPassing.None ? null : a.Tangent)).ToEquatableArray();
            before.Add(new TangentCallStmt(value, tangent, call.Type, target, includingNoGrad, primals, tangents));
            return (new VarExpr(call.Type, value), new VarExpr(call.Type, tangent));
        }

        if (target.Kind != CallKind.Differentiable || !target.HasHessian)
        {
            Unsupported = true;
            return (call with { Args = primals }, null);
        }

        // The callee's Jvp takes a tangent for every floating parameter ([NoGrad] ones included).
        var all = target.AllAdjoints.Count > 0 ? target.AllAdjoints : target.Adjoints;
        var jvpArguments = new List<Expr>(primals);
        var jvpPassings = new List<ParameterPassing>(all);
        for (var i = 0; i < arguments.Count; i++)
        {
            if (all[i].Passing == AdjointPassing.None)
            {
                continue;
            }

            jvpPassings.Add(new ParameterPassing(all[i].Passing, "t" + all[i].Name));
            if (arguments[i].Tangent is { } argumentTangent)
            {
                jvpArguments.Add(argumentTangent);
            }
            else if (primals[i].Type.Shape is ShapeKind.Array2D or ShapeKind.Jagged)
            {
                // A grid's or jagged array's tangent has its shape (a local grid handed whole is a copy sized from
                // its rows and columns): a flat array of its length does not convert (CS1503, random batch 20262010 P11).
                jvpArguments.Add(new ConstExpr(primals[i].Type, Emit.ScratchArray.For(primals[i], Emit.ExpressionPrinter.Print(primals[i])).Allocation));
            }
            else if (primals[i].Type.IsCollection)
            {
                var zeros = Temporary("_z", new IrType(primals[i].Type.Scalar, ShapeKind.Array));
                before.Add(new NewArrayStmt(zeros, new IrType(primals[i].Type.Scalar, ShapeKind.Array), new LengthExpr(Emit.ExpressionPrinter.Print(primals[i])), false));
                jvpArguments.Add(new VarExpr(new IrType(primals[i].Type.Scalar, ShapeKind.Array), zeros));
            }
            else
            {
                jvpArguments.Add(Zero(primals[i].Type));
            }
        }

        var jvpTarget = new CallTarget(CallKind.Differentiable, target.Callee + JvpSuffix, target.Callee + JvpSuffix + "Backward" + target.TypeArguments, target.Key + "#jvp", target.DisplayName, jvpPassings.ToEquatableArray()) { HasHessian = true, TypeArguments = target.TypeArguments };
        var result = Temporary("_dc", call.Type);
        before.Add(new AssignStmt(result, call.Type, new MethodCallExpr(call.Type, jvpTarget, jvpArguments.ToEquatableArray(), call.Site)));
        return (call with { Args = primals }, new VarExpr(call.Type, result));
    }
}

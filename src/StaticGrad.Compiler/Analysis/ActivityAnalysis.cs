using System.Collections.Generic;
using System.Linq;
using StaticGrad.Compiler.Derivatives;
using StaticGrad.Compiler.IR;

namespace StaticGrad.Compiler.Analysis;

/// <summary>
/// Activity analysis: a variable is active when it is varied (depends on a differentiable parameter) and useful
/// (the result depends on it). Flow-insensitive per variable, which over-approximates activity and so is safe:
/// at worst an adjoint that stays zero. Only active values get adjoints and reverse-sweep work.
/// </summary>
public sealed class ActivityAnalysis
{
    private ActivityAnalysis(HashSet<string> varied, HashSet<string> useful)
    {
        Varied = varied;
        Useful = useful;
    }

    public IReadOnlyCollection<string> Varied { get; }

    public IReadOnlyCollection<string> Useful { get; }

    public static ActivityAnalysis Run(MethodIR method, string resultName)
    {
        var statements = IrWalker.Statements(method.Body).ToList();
        var varied = new HashSet<string>(method.Parameters.Where(p => p.IsDifferentiable).Select(p => p.Name));
        var useful = new HashSet<string> { resultName };

        for (var changed = true; changed;)
        {
            changed = false;
            foreach (var statement in statements)
            {
                if (Definition(statement) is { } definition && !varied.Contains(definition.Target) && IsVaried(definition.Value, varied))
                {
                    varied.Add(definition.Target);
                    changed = true;
                }
            }
        }

        for (var changed = true; changed;)
        {
            changed = false;
            foreach (var statement in statements)
            {
                if (Definition(statement) is { } definition && useful.Contains(definition.Target))
                {
                    foreach (var name in DerivativeReads(definition.Value))
                    {
                        changed |= useful.Add(name);
                    }
                }
            }
        }

        return new ActivityAnalysis(varied, useful);
    }

    public bool IsActive(string variable) => Varied.Contains(variable) && Useful.Contains(variable);

    /// <summary>
    /// Marks a local the reverse transformation introduces for an active value as active (a column term of an
    /// interchanged loop nest, evaluated once per column: its adjoint collects the column's shares).
    /// </summary>
    public void AddIntroduced(string variable)
    {
        ((HashSet<string>)Varied).Add(variable);
        ((HashSet<string>)Useful).Add(variable);
    }

    public bool IsVaried(Expr expression) => IsVaried(expression, (HashSet<string>)Varied);

    /// <summary>Whether an expression's value carries a derivative to the parameters that the result needs.</summary>
    public bool IsActive(Expr expression)
    {
        if (!expression.Type.IsFloating && !expression.Type.IsFloatingCollection)
        {
            return false;
        }

        return expression switch
        {
            VarExpr v => IsActive(v.Name),
            ElementExpr e => IsActive(e.Array),
            SliceExpr s => IsActive(s.Array),
            GridExpr g => IsActive(g.Array),
            DetachExpr or ConstExpr or LengthExpr => false,
            CastExpr c => IsActive(c.Operand),
            BuiltinCallExpr call when BuiltinRules.Find(call.Function, call.Args.Count) is { IsPiecewiseConstant: true } => false,
            ConditionalExpr c => IsActive(c.WhenTrue) || IsActive(c.WhenFalse),
            _ => IrWalker.Children(expression).Any(IsActive),
        };
    }

    private static (string Target, Expr Value)? Definition(Stmt statement) => statement switch
    {
        AssignStmt { Type.IsFloating: true } a => (a.Target, a.Value),
        StoreStmt { ElementType.IsFloating: true } s => (s.Array, s.Value),
        _ => null,
    };

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
            DetachExpr or ConstExpr or LengthExpr => false,
            CastExpr c => IsVaried(c.Operand, varied),
            BuiltinCallExpr call when BuiltinRules.Find(call.Function, call.Args.Count) is { IsPiecewiseConstant: true } => false,
            ConditionalExpr c => IsVaried(c.WhenTrue, varied) || IsVaried(c.WhenFalse, varied),
            _ => IrWalker.Children(expression).Any(child => IsVaried(child, varied)),
        };
    }

    /// <summary>The variables through which a derivative can flow into <paramref name="expression"/>.</summary>
    internal static IEnumerable<string> DerivativeReads(Expr expression)
    {
        if (!expression.Type.IsFloating && !expression.Type.IsFloatingCollection)
        {
            yield break;
        }

        switch (expression)
        {
            case VarExpr v:
                yield return v.Name;
                break;
            case ElementExpr e:
                yield return e.Array;
                break;
            case SliceExpr s:
                yield return s.Array;
                break;
            case GridExpr g:
                yield return g.Array;
                break;
            case DetachExpr or ConstExpr:
                break;
            case BuiltinCallExpr call when BuiltinRules.Find(call.Function, call.Args.Count) is { IsPiecewiseConstant: true }:
                break;
            case ConditionalExpr c:
                foreach (var name in DerivativeReads(c.WhenTrue).Concat(DerivativeReads(c.WhenFalse)))
                {
                    yield return name;
                }

                break;
            default:
                foreach (var name in IrWalker.Children(expression).SelectMany(DerivativeReads))
                {
                    yield return name;
                }

                break;
        }
    }
}

using System.Collections.Generic;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;
using StaticGrad.Compiler.IR;

namespace StaticGrad.Compiler.Lowering;

/// <summary>
/// Named arguments written in another order than the parameters' (<c>new Vector3(z: F(), x: G(), y: H())</c>,
/// <c>T.Atan2(x: a[4], y: Check(x))</c>): C# evaluates them in the order written, while the lowerings that expand a
/// call into its definition (System.Numerics, user struct constructors) or print it positionally (generic-math calls,
/// calls of methods, whose scalar arguments the IR keeps in parameter order) read them in parameter order. Such arguments are lowered first, in the order written, each bound to a hidden local, so
/// the first to throw is the one C# throws and side effects happen in the user's order. Arguments in parameter order
/// (every positional call) are lowered where they were before: nothing changes for them.
/// </summary>
internal sealed partial class StatementLowering
{
    /// <summary>Arguments already lowered in the order written (an <see cref="Expr"/> or a <see cref="StructValue"/>), by operation.</summary>
    private readonly Dictionary<IOperation, object> _writtenArguments = new();

    /// <summary>True when two explicit arguments are written in the opposite order of their parameters.</summary>
    private static bool WrittenOutOfOrder(IEnumerable<IArgumentOperation> arguments)
    {
        var ordinals = arguments.Where(a => !a.IsImplicit && a.Parameter is not null).OrderBy(a => a.Syntax.SpanStart).Select(a => a.Parameter!.Ordinal).ToList();
        return ordinals.Zip(ordinals.Skip(1), (first, second) => first > second).Any(b => b);
    }

    /// <summary>
    /// Lowers the explicit arguments in the order written and binds each to a hidden local, when that order is not the
    /// parameters'; the lowerings then find them through <see cref="WrittenArgument"/> wherever they read them.
    /// </summary>
    private void LowerInWrittenOrder(IEnumerable<IArgumentOperation> arguments, bool scalarsOnly = false)
    {
        var list = arguments.ToList();
        if (!WrittenOutOfOrder(list))
        {
            return;
        }

        foreach (var argument in list.Where(a => !a.IsImplicit && a.Parameter is not null).OrderBy(a => a.Syntax.SpanStart))
        {
            if (scalarsOnly && TypeMapping.ToIrType(argument.Value.Type) is not { Shape: ShapeKind.Scalar, Scalar: ScalarKind.Double or ScalarKind.Float or ScalarKind.Int or ScalarKind.Long or ScalarKind.Bool })
            {
                continue;
            }

            var value = argument.Value;
            var hint = "_" + argument.Parameter!.Name;
            _writtenArguments[value] = IsStruct(value.Type)
                ? new StructValue(LowerStruct(value) is var s ? s.Layout : null!, s.Leaves.Select((e, i) => Bound(e, hint + "_" + s.Layout.Leaves[i].NameSuffix)).ToArray())
                : Bound(LowerExpression(value), hint);
        }
    }

    /// <summary>
    /// The value in a hidden local, a variable's too (<c>F(b: v, a: v = 2)</c> reads v before the assignment); a constant
    /// or an array as it is.
    /// </summary>
    private Expr Bound(Expr value, string hint)
    {
        if (value is ConstExpr || value.Type.IsCollection || _pending is null)
        {
            return value;
        }

        var name = _context.DeclareHidden(hint, value.Type);
        _pending.Add(new AssignStmt(name, value.Type, Assigned(value)));
        return new VarExpr(value.Type, name);
    }

    /// <summary>An argument lowered ahead by <see cref="LowerInWrittenOrder"/>, or null.</summary>
    private object? WrittenArgument(IOperation operation) => _writtenArguments.TryGetValue(operation, out var lowered) ? lowered : null;

    /// <summary>A call's arguments lowered, in parameter order, each evaluated where C# evaluates it.</summary>
    private Expr[] LowerArgumentsInWrittenOrder(IEnumerable<IArgumentOperation> arguments)
    {
        var list = arguments.ToList();
        LowerInWrittenOrder(list);
        return list.OrderBy(a => a.Parameter!.Ordinal).Select(a => LowerExpression(a.Value)).ToArray();
    }
}

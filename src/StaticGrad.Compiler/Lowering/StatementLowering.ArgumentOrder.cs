using System.Collections.Generic;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;
using StaticGrad.Compiler.IR;
using StaticGrad.Compiler.Model;

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
    /// parameters'; the lowerings then find them through <see cref="WrittenArgument"/> wherever they read them. In the
    /// parameters' order, an argument is bound only where something after it would run first (<see cref="LowerAhead"/>).
    /// <paramref name="expanded"/>: the call is expanded into its definition (System.Numerics, struct constructors),
    /// which may read its operands in any order.
    /// </summary>
    /// <paramref name="firstReadFirst"/>: the expansion reads the first operand's first leaf before any other operand's
    /// (<c>Vector3.Distance</c>, <c>Dot</c>, <c>Subtract</c>), see <see cref="LowerOperandsAhead"/>.
    private void LowerInWrittenOrder(IEnumerable<IArgumentOperation> arguments, bool scalarsOnly = false, bool expanded = false, bool firstReadFirst = false)
    {
        var list = arguments.ToList();
        var written = list.Where(a => a.Parameter is not null && (!a.IsImplicit || a.ArgumentKind == ArgumentKind.ParamArray) && a.ArgumentKind != ArgumentKind.DefaultValue)
            .Where(a => !scalarsOnly || IsScalarArgument(a.Value) || ArrayLiteralElements(a.Value) is { Count: > 0 })
            .OrderBy(a => a.Syntax.SpanStart).ToList();
        if (!WrittenOutOfOrder(list))
        {
            if (written.Count > 1 && _pending is not null && list.All(a => a.Parameter is { RefKind: RefKind.None }))
            {
                // In order, the written order is the parameters' (a params array's elements have no argument syntax of their own).
                LowerAhead(written.OrderBy(a => a.Parameter!.Ordinal).Select(a => (a.Value, "_" + a.Parameter!.Name)).ToList(), expanded, firstReadFirst);
            }

            return;
        }

        foreach (var argument in written)
        {
            var value = argument.Value;
            var hint = "_" + argument.Parameter!.Name;
            _writtenArguments[value] = IsStruct(value.Type)
                ? new StructValue(LowerStruct(value) is var s ? s.Layout : null!, s.Leaves.Select((e, i) => Bound(e, hint + "_" + s.Layout.Leaves[i].NameSuffix)).ToArray())
                : Bound(LowerExpression(value), hint);
        }
    }

    /// <summary>
    /// The two operands of a System.Numerics operator, lowered left to right ahead of its expansion (which may read the
    /// right one first: <c>v * s</c> binds s before it reads v's leaves). With <paramref name="componentwise"/> (the sum
    /// or difference of two vectors, expanded X, Y, Z with the left leaf first), a left operand whose leaves are the
    /// fields of one element (<c>ps[i].Position - ps[i - 1].Position</c>) is not bound: its first leaf throws if any
    /// does, and it is read first, so C#'s order holds without the copy (the spring chain paid 22 % for it).
    /// </summary>
    private void LowerOperandsAhead(IOperation left, IOperation right, bool componentwise)
    {
        if (_pending is not null)
        {
            LowerAhead(new[] { (left, "_left"), (right, "_right") }, expanded: true, firstReadFirst: componentwise);
        }
    }

    private static bool IsScalarArgument(IOperation value) =>
        TypeMapping.ToIrType(value.Type) is { Shape: ShapeKind.Scalar, Scalar: ScalarKind.Double or ScalarKind.Float or ScalarKind.Int or ScalarKind.Long or ScalarKind.Bool };

    /// <summary>
    /// An operand that reads one element of an array (or a field of one: <c>ps[i].Position</c>) at an index that cannot
    /// throw or call: reading any of its leaves throws (a null or short array, an index out of range) exactly when reading
    /// the first does.
    /// </summary>
    private static bool OneElementRead(IOperation operand)
    {
        var access = operand;
        while (access is IFieldReferenceOperation { Instance: { } instance })
        {
            access = instance;
        }

        return access is IArrayElementReferenceOperation { ArrayReference: ILocalReferenceOperation or IParameterReferenceOperation } element
            && element.Indices.All(index => !index.DescendantsAndSelf().Any(o => o is IInvocationOperation or IArrayElementReferenceOperation or IIncrementOrDecrementOperation or IAssignmentOperation
                || o is IBinaryOperation { OperatorKind: BinaryOperatorKind.Divide or BinaryOperatorKind.Remainder }));
    }

    /// <summary>
    /// Arguments in the parameters' order, lowered in that order. A call printed with its arguments evaluates them where it
    /// stands, after every statement its arguments hoisted (an array literal, an inlined local function, an increment):
    /// an earlier argument that may throw or call (<see cref="MayAct"/>), or that reads a variable such a statement
    /// writes, is bound to a hidden local before those statements (<c>Scaled(Checked(x), new[] { a[4], x })</c>
    /// throws Checked's exception, as C# does). An expansion may read any operand before another, so there an earlier
    /// argument that may act is also bound when a later one may act.
    /// </summary>
    private void LowerAhead(IReadOnlyList<(IOperation Value, string Hint)> written, bool expanded, bool firstReadFirst = false)
    {
        var pending = _pending!;
        var lowered = new List<(IOperation Operand, string Hint, object Value, int End)>();
        foreach (var (operand, hint) in written)
        {
            object value = IsStruct(operand.Type) ? LowerStruct(operand) : LowerExpression(operand);
            lowered.Add((operand, hint, value, pending.Count));
        }

        var inserted = 0;
        for (var i = 0; i < lowered.Count; i++)
        {
            var (operand, hint, value, end) = lowered[i];
            var leaves = value is StructValue s ? s.Leaves : new[] { (Expr)value };
            var later = lowered.Skip(i + 1).ToList();
            var hoistedAfter = later.Count > 0 && later[later.Count - 1].End > end;
            var writtenAfter = hoistedAfter ? WrittenNames(pending.Skip(end + inserted).Take(later[later.Count - 1].End - end)) : new HashSet<string>();
            var laterActs = expanded && later.Any(l => (l.Value is StructValue ls ? ls.Leaves : new[] { (Expr)l.Value }).Any(MayAct));
            // A one-element left operand read first needs no copy for its own exceptions when what the right operand
            // hoisted cannot act either (an index computed ahead, `_i = i + 1`); a variable hoisted and read is still bound.
            var readFirst = i == 0 && firstReadFirst && OneElementRead(operand)
                && !(hoistedAfter && pending.Skip(end + inserted).Take(later[later.Count - 1].End - end).Any(st => st is not AssignStmt { Value: var v } || MayAct(v)));
            var bind = leaves.Any(e => (MayAct(e) && !readFirst && (hoistedAfter || laterActs)) || ReadNames(e).Overlaps(writtenAfter));
            if (!bind)
            {
                _writtenArguments[operand] = value;
                continue;
            }

            var at = end + inserted;
            Expr BindAt(Expr leaf, string name)
            {
                if (leaf is ConstExpr || leaf.Type.IsCollection)
                {
                    return leaf;
                }

                var local = _context.DeclareHidden(name, leaf.Type);
                pending.Insert(at++, new AssignStmt(local, leaf.Type, Assigned(leaf)));
                inserted++;
                return new VarExpr(leaf.Type, local);
            }

            _writtenArguments[operand] = value is StructValue sv
                ? new StructValue(sv.Layout, sv.Leaves.Select((e, k) => BindAt(e, hint + "_" + sv.Layout.Leaves[k].NameSuffix)).ToArray())
                : BindAt((Expr)value, hint);
        }
    }

    /// <summary>
    /// Whether evaluating <paramref name="value"/> may throw or run the user's code: a call, an element read (an index
    /// out of range), an integer division or remainder (by zero). Arithmetic, casts and Math builtins may not.
    /// </summary>
    private static bool MayAct(Expr value) => IrWalker.Descendants(value).Any(e => e switch
    {
        MethodCallExpr or ElementExpr or SliceExpr or GridExpr or MemberIndexExpr => true,
        BinaryExpr { Op: BinaryOp.Divide or BinaryOp.Remainder, Type.Scalar: ScalarKind.Int or ScalarKind.Long } => true,
        _ => false,
    });

    /// <summary>The variables and arrays <paramref name="value"/> reads.</summary>
    private static HashSet<string> ReadNames(Expr value) =>
        new(IrWalker.Descendants(value).Select(e => e switch { VarExpr v => v.Name, ElementExpr element => element.Array, _ => null }).OfType<string>(), System.StringComparer.Ordinal);

    /// <summary>The variables and arrays the statements (nested ones too) assign.</summary>
    private static HashSet<string> WrittenNames(IEnumerable<Stmt> statements) =>
        new(IrWalker.Statements(statements.ToEquatableArray()).Select(s => s switch { AssignStmt a => a.Target, StoreStmt store => store.Array, _ => null }).OfType<string>(), System.StringComparer.Ordinal);

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

    /// <summary>
    /// An argument lowered ahead by <see cref="LowerInWrittenOrder"/> (an <see cref="Expr"/> or a <see cref="StructValue"/>),
    /// or null. Taken once: the same operation is lowered again at each site a local function is inlined, with that
    /// site's parameters, and must not find the first site's value.
    /// </summary>
    private T? WrittenArgument<T>(IOperation operation)
        where T : class
    {
        if (!_writtenArguments.TryGetValue(operation, out var lowered) || lowered is not T value)
        {
            return null;
        }

        _writtenArguments.Remove(operation);
        return value;
    }

    /// <summary>A call's arguments lowered, in parameter order, each evaluated where C# evaluates it.</summary>
    private Expr[] LowerArgumentsInWrittenOrder(IEnumerable<IArgumentOperation> arguments)
    {
        var list = arguments.ToList();
        LowerInWrittenOrder(list);
        return list.OrderBy(a => a.Parameter!.Ordinal).Select(a => LowerExpression(a.Value)).ToArray();
    }
}

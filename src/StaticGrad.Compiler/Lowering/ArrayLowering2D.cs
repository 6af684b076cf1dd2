using System.Collections.Generic;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;
using StaticGrad.Compiler.IR;
using StaticGrad.Compiler.Model;

namespace StaticGrad.Compiler.Lowering;

/// <summary>
/// Two-dimensional (<c>T[,]</c>) and jagged (<c>T[][]</c>) arrays: an element is an <see cref="ElementExpr"/> whose
/// index is an <see cref="IndexPairExpr"/>, so the adjoint (an array of the same type) is indexed the same way. A row
/// of a jagged array read into a local (<c>var row = rows[i]</c>, <c>foreach (var row in rows)</c>) is an alias of
/// that row, not a copy.
/// </summary>
internal sealed partial class StatementLowering
{
    /// <summary>Locals that stand for a row of a jagged array: the array and the row's index.</summary>
    private readonly Dictionary<ILocalSymbol, (string Array, Expr Row)> _rows = new(SymbolEqualityComparer.Default);

    private Expr? LowerArrayPart(IOperation operation)
    {
        if (LowerFlatArrayPart(operation) is { } flat)
        {
            return flat;
        }

        switch (operation)
        {
            case IArrayElementReferenceOperation { Indices.Length: 2 } element when ArrayName(element.ArrayReference, ShapeKind.Array2D) is { } name:
                return new ElementExpr(TypeMapping.ToIrType(element.Type) ?? IrType.Double, name, new IndexPairExpr(Index(element.Indices[0]), Index(element.Indices[1]), Jagged: false));
            case IArrayElementReferenceOperation { Indices.Length: 1 } element when Row(element.ArrayReference) is { } row && TypeMapping.ToIrType(element.Type) is { IsCollection: false } type:
                return new ElementExpr(type, row.Array, new IndexPairExpr(row.Index, Index(element.Indices[0]), Jagged: true));
            case IArrayElementReferenceOperation { Indices.Length: 1 } element when ArrayName(element.ArrayReference, ShapeKind.Jagged) is not null:
                return Unsupported(operation, "a row of a jagged array as a value (index it, rows[i][j], or name it: var row = rows[i];)");
            case IPropertyReferenceOperation { Property.Name: "Length", Instance: { } instance } when Row(instance) is { } row:
                return new LengthExpr(row.Array) { Row = row.Index };
            case IInvocationOperation { TargetMethod.Name: "GetLength", Instance: { } instance, Arguments: [{ Value.ConstantValue: { HasValue: true, Value: int dimension } }] }
                when ArrayName(instance, ShapeKind.Array2D) is { } name:
                return new LengthExpr(name) { Dimension = dimension };
            case ILocalReferenceOperation local when _rows.ContainsKey(local.Local):
                return Unsupported(operation, "a row of a jagged array as a value (index it: row[j])");
            default:
                return null;
        }
    }

    /// <summary>The name (or constant text) of a two-dimensional or jagged array variable, or null.</summary>
    private string? ArrayName(IOperation operation, ShapeKind shape)
    {
        operation = SkipConversions(operation);
        if (TypeMapping.ToIrType(operation.Type) is not { } type || type.Shape != shape)
        {
            return null;
        }

        return LowerExpression(operation) switch
        {
            VarExpr v => v.Name,
            ConstExpr c => c.Text,
            _ => null,
        };
    }

    /// <summary>A row of a jagged array: <c>rows[i]</c>, or a local that aliases one.</summary>
    private (string Array, Expr Index)? Row(IOperation operation)
    {
        operation = SkipConversions(operation);
        if (operation is ILocalReferenceOperation local && _rows.TryGetValue(local.Local, out var alias))
        {
            return alias;
        }

        return operation is IArrayElementReferenceOperation { Indices.Length: 1 } element && ArrayName(element.ArrayReference, ShapeKind.Jagged) is { } name
            ? (name, Index(element.Indices[0]))
            : null;
    }

    private Expr Index(IOperation index)
    {
        var lowered = LowerExpression(index);
        return lowered.Type.Scalar == ScalarKind.Int && !lowered.Type.IsCollection ? lowered : Unsupported(index, "indices of type '" + lowered.Type + "'");
    }

    /// <summary>
    /// <c>var row = rows[i];</c>: an alias of the row, valid because nothing in the enclosing block assigns the index
    /// (then every <c>row[j]</c> is <c>rows[i][j]</c> with the same <c>i</c>). False when the declaration is not one.
    /// </summary>
    private bool DeclareRowAlias(IVariableDeclaratorOperation declarator, IVariableInitializerOperation? initializer)
    {
        if (initializer is null || SkipConversions(initializer.Value) is not IArrayElementReferenceOperation { Indices.Length: 1 } element
            || ArrayName(element.ArrayReference, ShapeKind.Jagged) is not { } name)
        {
            return false;
        }

        var index = Index(element.Indices[0]);
        var block = declarator.Parent;
        while (block is not null and not IBlockOperation)
        {
            block = block.Parent;
        }

        var indexVariables = new HashSet<string>(IrWalker.ReadVariables(index));
        var assigned = (block ?? declarator).Descendants().Any(o =>
            (o is IAssignmentOperation { Target: var target } && Writes(target, indexVariables)) ||
            (o is IIncrementOrDecrementOperation { Target: var incremented } && Writes(incremented, indexVariables)) ||
            (o is IAssignmentOperation { Target: ILocalReferenceOperation row } && SymbolEqualityComparer.Default.Equals(row.Local, declarator.Symbol)));
        if (assigned)
        {
            _context.Report("SG1010", declarator.Syntax, declarator.Symbol.Name, "is a row of a jagged array whose index (or itself) changes in the same block");
            return true;
        }

        _rows[declarator.Symbol] = (name, index);
        return true;
    }

    /// <summary>
    /// Whether <paramref name="target"/> is one of the variables <paramref name="names"/>. A local declared later in the
    /// block (an inner loop's counter) cannot be one, and is not lowered here: before its declaration it is unknown
    /// and lowering it would report it (SG1002 for 'for (int c = 0; c &lt; row.Length; c++)' after the row's alias).
    /// </summary>
    private bool Writes(IOperation target, HashSet<string> names) => target switch
    {
        ILocalReferenceOperation { Local: var local } when !_context.TryGetVariable(local, out _, out _) && !_substitutions.ContainsKey(local) && !_refElements.ContainsKey(local) => false,
        ILocalReferenceOperation or IParameterReferenceOperation => LowerExpression(target) is VarExpr v && names.Contains(v.Name),
        _ => false,
    };

    /// <summary><c>foreach (var row in rows)</c> over a jagged array: a counted loop whose body sees <c>row</c> as <c>rows[k]</c>.</summary>
    private bool LowerForEachRow(IForEachLoopOperation loop, List<Stmt> output)
    {
        if (ArrayName(loop.Collection, ShapeKind.Jagged) is not { } name || loop.LoopControlVariable is not IVariableDeclaratorOperation { Symbol: var row })
        {
            return false;
        }

        var index = _context.DeclareHidden("_" + row.Name + "Index", IrType.Int);
        output.Add(new AssignStmt(index, IrType.Int, new ConstExpr(IrType.Int, "0")));
        _rows[row] = (name, new VarExpr(IrType.Int, index));
        _loopDepth++;
        var body = new List<Stmt>();
        LowerInto(loop.Body, body);
        _loopDepth--;
        output.Add(new LoopStmt(
            new BinaryExpr(IrType.Bool, BinaryOp.Less, new VarExpr(IrType.Int, index), RowCount(name), -1),
            body.ToEquatableArray(),
            new Stmt[] { new AssignStmt(index, IrType.Int, new BinaryExpr(IrType.Int, BinaryOp.Add, new VarExpr(IrType.Int, index), new ConstExpr(IrType.Int, "1"), -1)) }.ToEquatableArray(),
            TestFirst: true));
        return true;
    }
}

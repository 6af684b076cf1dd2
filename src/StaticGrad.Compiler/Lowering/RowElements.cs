using System.Collections.Generic;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;
using StaticGrad.Compiler.IR;
using StaticGrad.Compiler.Model;

namespace StaticGrad.Compiler.Lowering;

/// <summary>
/// The elements of one row of a jagged array (a parameter's row, a row of a flat local, or a local naming one), read
/// one by one: <c>foreach (var v in row)</c> and a spread <c>[.. rows[i]]</c>. The row's index is read once into a
/// hidden local, as C# evaluates <c>rows[i]</c> once, so a later write of <c>i</c> does not move the row.
/// </summary>
internal sealed partial class StatementLowering
{
    private sealed record RowElements(Expr Length, System.Func<Expr, Expr> Element);

    /// <summary>The length and element reads of the row <paramref name="operation"/> names, or null when it names none.</summary>
    private RowElements? RowOf(IOperation operation, IrType elementType, List<Stmt> output)
    {
        if (Row(operation) is not { } row)
        {
            return null;
        }

        var index = row.Index;
        if (index is not (VarExpr or ConstExpr))
        {
            var held = _context.DeclareHidden("_" + row.Array.TrimStart('@') + "Row", IrType.Int);
            output.Add(new AssignStmt(held, IrType.Int, index));
            index = new VarExpr(IrType.Int, held);
        }

        if (_flatArraysByName.TryGetValue(row.Array, out var flat))
        {
            var start = RowStart(flat, index);
            return new RowElements(RowLength(flat, index), k => new ElementExpr(elementType, flat.Name, new BinaryExpr(IrType.Int, BinaryOp.Add, start, k, -1)));
        }

        return new RowElements(new LengthExpr(row.Array) { Row = index }, k => new ElementExpr(elementType, row.Array, new IndexPairExpr(index, k, Jagged: true)));
    }

    /// <summary>
    /// <c>foreach (var v in row)</c> over a row of a jagged array, or <c>foreach (var w in grid)</c> over a
    /// two-dimensional parameter (row by row, as C# enumerates it): a counted loop over the elements. False when the
    /// collection is neither.
    /// </summary>
    private bool LowerForEachRowElement(IForEachLoopOperation loop, List<Stmt> output)
    {
        if (loop.LoopControlVariable is not IVariableDeclaratorOperation { Symbol: var element }
            || TypeMapping.ToIrType(element.Type) is not { IsCollection: false } elementType
            || TypeMapping.ToIrType(SkipConversions(loop.Collection).Type) is not { StructName.Length: 0 } collectionType)
        {
            return false;
        }

        RowElements? row = null;
        if (collectionType.Shape == ShapeKind.Array2D && Flat(loop.Collection) is null && ArrayName(loop.Collection, ShapeKind.Array2D) is { } grid)
        {
            // One index over all elements: row k / columns, column k % columns.
            var columns = new LengthExpr(grid) { Dimension = 1 };
            row = new RowElements(
                new BinaryExpr(IrType.Int, BinaryOp.Multiply, new LengthExpr(grid) { Dimension = 0 }, columns, -1),
                k => new ElementExpr(collectionType.Element, grid, new IndexPairExpr(new BinaryExpr(IrType.Int, BinaryOp.Divide, k, columns, -1), new BinaryExpr(IrType.Int, BinaryOp.Remainder, k, columns, -1), Jagged: false)));
        }
        else if (collectionType.Shape == ShapeKind.Array)
        {
            row = RowOf(loop.Collection, collectionType.Element, output);
        }

        if (row is null)
        {
            return false;
        }

        var elementName = _context.DeclareLocal(element, elementType);
        var index = _context.DeclareHidden("_" + elementName.TrimStart('@') + "Index", IrType.Int);
        var at = new VarExpr(IrType.Int, index);
        output.Add(new AssignStmt(index, IrType.Int, Int(0)));
        _loopDepth++;
        var body = new List<Stmt> { new AssignStmt(elementName, elementType, Assigned(Convert(row.Element(at), elementType, loop.LoopControlVariable.Syntax))) };
        LowerInto(loop.Body, body);
        _loopDepth--;
        output.Add(new LoopStmt(
            new BinaryExpr(IrType.Bool, BinaryOp.Less, at, row.Length, -1),
            body.ToEquatableArray(),
            new Stmt[] { new AssignStmt(index, IrType.Int, Offset(at, Int(1))) }.ToEquatableArray(),
            TestFirst: true));
        return true;
    }
}

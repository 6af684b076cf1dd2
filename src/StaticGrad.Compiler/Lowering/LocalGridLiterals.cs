using System.Collections.Generic;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;
using StaticGrad.Compiler.IR;
using StaticGrad.Compiler.Model;

namespace StaticGrad.Compiler.Lowering;

/// <summary>
/// Local grids written out element by element: <c>new double[,] { { a, b }, { c, d } }</c>, and jagged arrays whose
/// rows are literals, <c>new[] { new[] { a, b }, new[] { c } }</c> or <c>[[a, b], [c]]</c>, rows of any lengths. They
/// are flat local arrays (<see cref="FlatArray"/>) whose elements are stored where they are declared. Rows of
/// different lengths (ragged) start at offsets kept in a hidden <c>int[]</c> of one more entry than rows, so
/// <c>rows[i][j]</c> is <c>flat[offsets[i] + j]</c> and <c>rows[i].Length</c> is <c>offsets[i + 1] - offsets[i]</c>.
/// </summary>
internal sealed partial class StatementLowering
{
    /// <summary>Declares a local grid with an element initializer; false when the declaration is not one.</summary>
    private bool DeclareLiteralGrid(ILocalSymbol local, IrType type, IOperation value, SyntaxNode syntax, List<Stmt> output)
    {
        var rowValues = GridRows(type, value);
        if (rowValues is null)
        {
            return false;
        }

        var widths = rowValues.Select(r => r.Count).ToList();
        var ragged = widths.Distinct().Count() > 1;
        var flatType = new IrType(type.Scalar, ShapeKind.Array);
        var name = _context.DeclareLocal(local, flatType);
        string? offsets = null;
        if (ragged)
        {
            offsets = _context.DeclareHidden("_" + local.Name + "Offsets", new IrType(ScalarKind.Int, ShapeKind.Array));
            output.Add(new NewArrayStmt(offsets, new IrType(ScalarKind.Int, ShapeKind.Array), IntConstant(widths.Count + 1), IsStackAlloc: false));
            for (int i = 0, start = 0; i <= widths.Count; start += i < widths.Count ? widths[i] : 0, i++)
            {
                output.Add(new StoreStmt(offsets, IrType.Int, IntConstant(i), IntConstant(start)));
            }
        }

        var elements = rowValues.SelectMany(r => r).ToList();
        output.Add(new NewArrayStmt(name, flatType, IntConstant(elements.Count), IsStackAlloc: false));
        var element = new IrType(type.Scalar, ShapeKind.Scalar);
        for (var i = 0; i < elements.Count; i++)
        {
            output.Add(new StoreStmt(name, element, IntConstant(i), Assigned(Convert(LowerExpression(elements[i]), element, syntax))));
        }

        var flat = new FlatArray(name, IntConstant(widths.Count), IntConstant(widths.Count == 0 ? 0 : widths[0]), type.Shape == ShapeKind.Jagged) { Offsets = offsets };
        _flatArrays[local] = flat;
        _flatArraysByName[name] = flat;
        return true;
    }

    /// <summary>The rows of a grid literal, or null when <paramref name="value"/> is not one (or a jagged row is not a literal).</summary>
    private IReadOnlyList<IReadOnlyList<IOperation>>? GridRows(IrType type, IOperation value)
    {
        value = SkipConversions(value);
        if (type.Shape == ShapeKind.Array2D)
        {
            return value is IArrayCreationOperation { DimensionSizes.Length: 2, Initializer: { } initializer }
                && initializer.ElementValues.All(r => r is IArrayInitializerOperation)
                ? initializer.ElementValues.Select(r => (IReadOnlyList<IOperation>)((IArrayInitializerOperation)r).ElementValues).ToList()
                : null;
        }

        if (type.Shape != ShapeKind.Jagged || ArrayLiteralElements(value) is not { } rowValues)
        {
            return null;
        }

        var rows = rowValues.Select(ArrayLiteralElements).ToList();
        return rows.All(r => r is not null) ? rows.Select(r => r!).ToList() : null;
    }

    /// <summary>Where row <paramref name="row"/> of a flat array starts.</summary>
    private static Expr RowStart(FlatArray flat, Expr row) => flat.Offsets is { } offsets
        ? new ElementExpr(IrType.Int, offsets, row)
        : new BinaryExpr(IrType.Int, BinaryOp.Multiply, row, flat.Columns, -1);

    /// <summary>The length of row <paramref name="row"/> of a flat array.</summary>
    private static Expr RowLength(FlatArray flat, Expr row) => flat.Offsets is { } offsets
        ? new BinaryExpr(IrType.Int, BinaryOp.Subtract, new ElementExpr(IrType.Int, offsets, new BinaryExpr(IrType.Int, BinaryOp.Add, row, IntConstant(1), -1)), new ElementExpr(IrType.Int, offsets, row), -1)
        : flat.Columns;

    private static ConstExpr IntConstant(int value) => new(IrType.Int, Emit.IndentedWriter.Literal(value));
}

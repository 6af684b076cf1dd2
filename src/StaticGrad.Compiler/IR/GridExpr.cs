namespace StaticGrad.Compiler.IR;

/// <summary>
/// A local two-dimensional or jagged array (stored row by row in the one-dimensional <c>Array</c>) passed to a method
/// that takes <c>T[,]</c> or <c>T[][]</c>: the callee gets a copy of its <c>Rows</c> × <c>Columns</c> elements (a
/// ragged jagged local has its hidden row offsets, an <c>int[]</c>, as <c>Columns</c>), a [Differentiable] callee's
/// adjoint (a new array of the same shape) is added back into the local's adjoint after the callee's backward, and
/// its tangent is the same copy of the local's tangent. A copy is the local's value only because the callee never
/// writes its parameter (the lowering checks that).
/// </summary>
public sealed record GridExpr(IrType Type, string Array, Expr Rows, Expr Columns) : Expr(Type)
{
    private const string FlatGrids = "global::StaticGrad.CompilerServices.FlatGrids";

    /// <summary>Whether the local is a jagged array with rows of different lengths (<c>Columns</c> is its row offsets).</summary>
    public bool Ragged => Columns.Type.IsCollection;

    /// <summary>C# text of the copy of <paramref name="storage"/> (the array itself or its tangent).</summary>
    public string Of(string storage, string rows, string columns) => Type.Shape switch
    {
        ShapeKind.Jagged when Ragged => FlatGrids + ".Ragged<" + Type.ScalarKeyword + ">(" + storage + ", " + columns + ", " + rows + ")",
        ShapeKind.Jagged => FlatGrids + ".Jagged<" + Type.ScalarKeyword + ">(" + storage + ", " + rows + ", " + columns + ")",
        _ => FlatGrids + ".Grid<" + Type.ScalarKeyword + ">(" + storage + ", " + rows + ", " + columns + ")",
    };

    /// <summary>C# text of a new zeroed array shaped like the copy: the callee's adjoint or tangent of it.</summary>
    public string Zeros(string rows, string columns) => Type.Shape switch
    {
        ShapeKind.Jagged when Ragged => FlatGrids + ".RaggedZeros<" + Type.ScalarKeyword + ">(" + columns + ", " + rows + ")",
        ShapeKind.Jagged => FlatGrids + ".JaggedZeros<" + Type.ScalarKeyword + ">(" + rows + ", " + columns + ")",
        _ => "new " + Type.ScalarKeyword + "[" + rows + ", " + columns + "]",
    };

    /// <summary>C# statement adding the callee's adjoint <paramref name="grid"/> into the local's <paramref name="adjoint"/>.</summary>
    public static string AddTo(string grid, string adjoint) => FlatGrids + ".AddTo(" + grid + ", " + adjoint + ");";
}

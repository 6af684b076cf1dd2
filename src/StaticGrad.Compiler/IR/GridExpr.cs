namespace StaticGrad.Compiler.IR;

/// <summary>
/// A local two-dimensional array (stored row by row in the one-dimensional <c>Array</c>) passed to a method that
/// takes <c>T[,]</c>: the callee gets a copy of its <c>Rows</c> × <c>Columns</c> elements, its adjoint (a new
/// <c>T[,]</c>) is added back into the local's adjoint after the callee's backward, and its tangent is the same
/// copy of the local's tangent. A copy is the local's value only because the callee never writes its parameter
/// (the lowering checks that).
/// </summary>
public sealed record GridExpr(IrType Type, string Array, Expr Rows, Expr Columns) : Expr(Type)
{
    private const string FlatGrids = "global::StaticGrad.CompilerServices.FlatGrids";

    /// <summary>C# text of the copy of <paramref name="storage"/> (the array itself or its tangent).</summary>
    public string Of(string storage, string rows, string columns) => FlatGrids + ".Grid<" + Type.ScalarKeyword + ">(" + storage + ", " + rows + ", " + columns + ")";

    /// <summary>C# statement adding the callee's adjoint <paramref name="grid"/> into the local's <paramref name="adjoint"/>.</summary>
    public static string AddTo(string grid, string adjoint) => FlatGrids + ".AddTo(" + grid + ", " + adjoint + ");";
}

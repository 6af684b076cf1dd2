using StaticGrad.Compiler.IR;

namespace StaticGrad.Compiler.Emit;

/// <summary>
/// A zeroed array shaped like a call's argument, for a callee that wants an adjoint or a tangent the caller does not
/// have: doubles and floats come from the pool (and go back after the call); two-dimensional, jagged and struct
/// arrays are new, since the pool holds neither.
/// </summary>
internal static class ScratchArray
{
    private const string Pool = "global::StaticGrad.CompilerServices.AdTape";

    /// <summary>The scratch array for <paramref name="argument"/>, printed <paramref name="printed"/>: a local grid's copy (<see cref="GridExpr"/>) is sized from its rows and columns, not copied again to be measured.</summary>
    public static (string Allocation, bool Rented) For(Expr argument, string printed) => argument is GridExpr grid
        ? (grid.Zeros(ExpressionPrinter.Print(grid.Rows), ExpressionPrinter.Print(grid.Columns)), false)
        : For(argument.Type, printed);

    public static (string Allocation, bool Rented) For(IrType type, string argument) => type switch
    {
        { Shape: ShapeKind.Array2D } => ("new " + type.ScalarKeyword + "[" + argument + ".GetLength(0), " + argument + ".GetLength(1)]", false),
        { Shape: ShapeKind.Jagged } => ("global::System.Array.ConvertAll(" + argument + ", __row => new " + type.ScalarKeyword + "[__row.Length])", false),
        { StructName.Length: > 0 } => ("new " + type.StructName + "[" + argument + ".Length]", false),
        _ => (Pool + ".Rent" + (type.Scalar == ScalarKind.Float ? "Singles" : "Doubles") + "(" + argument + ".Length)", true),
    };
}

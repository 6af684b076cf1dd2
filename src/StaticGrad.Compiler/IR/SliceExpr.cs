namespace StaticGrad.Compiler.IR;

/// <summary>
/// A part of an array or span passed to a method: <c>a[i..j]</c>, <c>a[..k]</c>, <c>a[^k..]</c>, <c>span.Slice(i, n)</c>,
/// <c>a.AsSpan(i, n)</c>, as the span <c>Length</c> elements from <c>Start</c>. Its adjoint and tangent are the same
/// part of the array's; <see cref="Copy"/> passes a copy (<c>a[i..j]</c> to an array parameter, as C# does).
/// </summary>
/// <param name="Source">The shape of <see cref="Array"/>: a read-only span gives a read-only part.</param>
public sealed record SliceExpr(IrType Type, string Array, ShapeKind Source, Expr Start, Expr Length, bool Copy) : Expr(Type)
{
    /// <summary>C# text of the same part of <paramref name="storage"/> (the array itself, its adjoint or its tangent).</summary>
    public string Of(string storage, bool readOnly, string start, string length) =>
        "((global::System." + (readOnly ? "ReadOnlySpan<" : "Span<") + Type.ScalarKeyword + ">)" + storage + ").Slice(" + start + ", " + length + ")";
}

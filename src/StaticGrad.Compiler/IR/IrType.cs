namespace StaticGrad.Compiler.IR;

/// <summary>The element types the IR knows: the floating types that carry derivatives and the inactive values beside them.</summary>
public enum ScalarKind
{
    Double,
    Float,
    Int,
    Long,
    Bool,

    /// <summary>A value of any other type (string, enum, class, delegate, a [NoGrad] struct): a constant of the body.</summary>
    Opaque,
}

/// <summary>Whether a value is a scalar or a one-dimensional collection of scalars.</summary>
public enum ShapeKind
{
    Scalar,
    Array,
    Span,
    ReadOnlySpan,

    /// <summary><c>T[,]</c>: its adjoint and tangent have the same type.</summary>
    Array2D,

    /// <summary><c>T[][]</c>: its adjoint and tangent have the same type.</summary>
    Jagged,
}

/// <summary>The type of an IR value.</summary>
public sealed record IrType(ScalarKind Scalar, ShapeKind Shape)
{
    public static readonly IrType Double = new(ScalarKind.Double, ShapeKind.Scalar);
    public static readonly IrType Float = new(ScalarKind.Float, ShapeKind.Scalar);
    public static readonly IrType Int = new(ScalarKind.Int, ShapeKind.Scalar);
    public static readonly IrType Long = new(ScalarKind.Long, ShapeKind.Scalar);
    public static readonly IrType Bool = new(ScalarKind.Bool, ShapeKind.Scalar);

    /// <summary>The C# spelling of an <see cref="ScalarKind.Opaque"/> type, fully qualified; empty for the other kinds.</summary>
    public string OpaqueName { get; init; } = string.Empty;

    /// <summary>
    /// For an array or span of differentiable structs: the struct's C# spelling, fully qualified (then
    /// <see cref="Scalar"/> is the floating type of its fields). Its elements are read field by field through a
    /// <see cref="MemberIndexExpr"/>; its adjoint and tangent are spans of the same struct.
    /// </summary>
    public string StructName { get; init; } = string.Empty;

    /// <summary>A value passed through and read as a constant: it never carries a derivative.</summary>
    public static IrType Opaque(string csharp) => new(ScalarKind.Opaque, ShapeKind.Scalar) { OpaqueName = csharp };

    /// <summary>A double or float scalar: a value that can carry a derivative.</summary>
    public bool IsFloating => Shape == ShapeKind.Scalar && Scalar is ScalarKind.Double or ScalarKind.Float;

    /// <summary>An array or span of doubles or floats.</summary>
    public bool IsFloatingCollection => Shape != ShapeKind.Scalar && Scalar is ScalarKind.Double or ScalarKind.Float;

    public bool IsCollection => Shape != ShapeKind.Scalar;

    /// <summary>A two-dimensional or jagged array: indexed by an <see cref="IndexPairExpr"/>, adjoint and tangent of its own type.</summary>
    public bool IsMultiDimensional => Shape is ShapeKind.Array2D or ShapeKind.Jagged;

    public IrType Element => Shape == ShapeKind.Scalar ? this : new IrType(Scalar, ShapeKind.Scalar);

    /// <summary>The C# keyword of the scalar (element) type.</summary>
    public string ScalarKeyword => StructName.Length > 0 ? StructName : Scalar switch
    {
        ScalarKind.Double => "double",
        ScalarKind.Float => "float",
        ScalarKind.Int => "int",
        ScalarKind.Long => "long",
        ScalarKind.Opaque => OpaqueName,
        _ => "bool",
    };

    /// <summary>The C# spelling of the type, fully qualified.</summary>
    public string CSharp => Shape switch
    {
        ShapeKind.Scalar => ScalarKeyword,
        ShapeKind.Array => ScalarKeyword + "[]",
        ShapeKind.Span => "global::System.Span<" + ScalarKeyword + ">",
        ShapeKind.Array2D => ScalarKeyword + "[,]",
        ShapeKind.Jagged => ScalarKeyword + "[][]",
        _ => "global::System.ReadOnlySpan<" + ScalarKeyword + ">",
    };

    public override string ToString() => CSharp;
}

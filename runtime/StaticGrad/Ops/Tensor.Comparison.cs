namespace StaticGrad;

public partial class Tensor
{
    private Tensor Compare(CompareOp op, Tensor other)
    {
        ArgumentNullException.ThrowIfNull(other);
        using (Autograd.NoGrad())
        {
            return CompareKernels.Compare(op, Detach(), other.Detach());
        }
    }

    private Tensor Compare(CompareOp op, double value) => Compare(op, Full(Array.Empty<int>(), value, DType.IsFloatingPoint() ? DType : DType.Float64));

    /// <summary>Elementwise <c>this &gt; other</c> with broadcasting: a bool tensor that never requires grad.</summary>
    /// <param name="other">The other operand.</param>
    /// <returns>The bool tensor.</returns>
    public Tensor Gt(Tensor other) => Compare(CompareOp.Gt, other);

    /// <summary>Elementwise <c>this &lt; other</c> with broadcasting: a bool tensor that never requires grad.</summary>
    /// <inheritdoc cref="Gt(Tensor)"/>
    public Tensor Lt(Tensor other) => Compare(CompareOp.Lt, other);

    /// <summary>Elementwise <c>this ≥ other</c> with broadcasting: a bool tensor that never requires grad.</summary>
    /// <inheritdoc cref="Gt(Tensor)"/>
    public Tensor Ge(Tensor other) => Compare(CompareOp.Ge, other);

    /// <summary>Elementwise <c>this ≤ other</c> with broadcasting: a bool tensor that never requires grad.</summary>
    /// <inheritdoc cref="Gt(Tensor)"/>
    public Tensor Le(Tensor other) => Compare(CompareOp.Le, other);

    /// <summary>Elementwise <c>this == other</c> with broadcasting: a bool tensor that never requires grad.</summary>
    /// <inheritdoc cref="Gt(Tensor)"/>
    public Tensor Eq(Tensor other) => Compare(CompareOp.Eq, other);

    /// <summary>Elementwise <c>this != other</c> with broadcasting: a bool tensor that never requires grad.</summary>
    /// <inheritdoc cref="Gt(Tensor)"/>
    public Tensor Ne(Tensor other) => Compare(CompareOp.Ne, other);

    /// <summary>Elementwise <c>this &gt; value</c>: a bool tensor that never requires grad.</summary>
    /// <param name="value">The scalar.</param>
    /// <returns>The bool tensor.</returns>
    public Tensor Gt(double value) => Compare(CompareOp.Gt, value);

    /// <summary>Elementwise <c>this &lt; value</c>: a bool tensor that never requires grad.</summary>
    /// <inheritdoc cref="Gt(double)"/>
    public Tensor Lt(double value) => Compare(CompareOp.Lt, value);

    /// <summary>Elementwise <c>this ≥ value</c>: a bool tensor that never requires grad.</summary>
    /// <inheritdoc cref="Gt(double)"/>
    public Tensor Ge(double value) => Compare(CompareOp.Ge, value);

    /// <summary>Elementwise <c>this ≤ value</c>: a bool tensor that never requires grad.</summary>
    /// <inheritdoc cref="Gt(double)"/>
    public Tensor Le(double value) => Compare(CompareOp.Le, value);

    /// <summary>Elementwise <c>this == value</c>: a bool tensor that never requires grad.</summary>
    /// <inheritdoc cref="Gt(double)"/>
    public Tensor Eq(double value) => Compare(CompareOp.Eq, value);

    /// <summary>Elementwise <c>this != value</c>: a bool tensor that never requires grad.</summary>
    /// <inheritdoc cref="Gt(double)"/>
    public Tensor Ne(double value) => Compare(CompareOp.Ne, value);

    /// <summary>Elementwise logical and of two tensors (non-zero is true): a bool tensor.</summary>
    /// <param name="other">The other operand.</param>
    /// <returns>The bool tensor.</returns>
    public Tensor LogicalAnd(Tensor other)
    {
        ArgumentNullException.ThrowIfNull(other);
        var a = Ne(0.0);
        var b = other.Ne(0.0);
        return CompareKernels.Where(a, b, Zeros(Array.Empty<int>(), DType.Bool), DType.Bool);
    }

    /// <summary>
    /// Picks <paramref name="a"/> where <paramref name="condition"/> is true and <paramref name="b"/> elsewhere, with
    /// broadcasting (PyTorch's <c>torch.where</c>, node <c>WhereBackward0</c>).
    /// </summary>
    /// <param name="condition">The selector (bool, or non-zero means true).</param>
    /// <param name="a">Values where true.</param>
    /// <param name="b">Values where false.</param>
    /// <returns>The result.</returns>
    public static Tensor Where(Tensor condition, Tensor a, Tensor b)
    {
        ArgumentNullException.ThrowIfNull(condition);
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(b);
        var dtype = DTypeExtensions.Promote(a.DType, b.DType);
        var r = CompareKernels.Where(condition, a, b, dtype);
        if (Tracks(a, b) && dtype.IsFloatingPoint())
        {
            var mask = condition.DType == DType.Bool ? condition.Detach() : condition.Ne(0.0);
            r.SetGradFn(new OpNode("WhereBackward0", static (n, g, gi) =>
            {
                var zero = ZerosLike(g);
                gi[0] = n.NeedsGrad(0) ? Where(n.Constant!, g, zero) : null;
                gi[1] = n.NeedsGrad(1) ? Where(n.Constant!, zero, g) : null;
            }, a, b)
            { Constant = mask });
        }

        return r;
    }

    /// <summary>
    /// This tensor converted to <paramref name="dtype"/> (PyTorch's <c>t.to(dtype)</c>, node <c>ToCopyBackward0</c>
    /// between floating dtypes; integer and bool results never require grad). Returns this tensor when the dtype matches.
    /// </summary>
    /// <param name="dtype">The target dtype.</param>
    /// <returns>The converted tensor.</returns>
    public Tensor ToDType(DType dtype)
    {
        if (dtype == DType)
        {
            return this;
        }

        var r = ToDTypeData(dtype);
        if (Tracks(this) && dtype.IsFloatingPoint())
        {
            r.SetGradFn(new OpNode("ToCopyBackward0", static (n, g, gi) => gi[0] = g, this));
        }

        return r;
    }

    /// <summary>This tensor as float64 (PyTorch's <c>t.double()</c>).</summary>
    /// <returns>The converted tensor.</returns>
    public Tensor Double() => ToDType(DType.Float64);

    /// <summary>This tensor as float32 (PyTorch's <c>t.float()</c>).</summary>
    /// <returns>The converted tensor.</returns>
    public Tensor Float() => ToDType(DType.Float32);

    /// <summary>This tensor as int64, truncating toward zero (PyTorch's <c>t.long()</c>); never requires grad.</summary>
    /// <returns>The converted tensor.</returns>
    public Tensor Long() => ToDType(DType.Int64);

    /// <summary>This tensor as bool, non-zero being true (PyTorch's <c>t.bool()</c>); never requires grad.</summary>
    /// <returns>The converted tensor.</returns>
    public Tensor Bool() => ToDType(DType.Bool);
}

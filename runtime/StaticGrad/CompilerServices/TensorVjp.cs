using System.ComponentModel;

namespace StaticGrad.CompilerServices;

/// <summary>
/// The vector-Jacobian products that generated backwards of Tensor-bodied [Differentiable] methods call where the
/// product is more than one line of tensor arithmetic (broadcast reduction, matrix products of any rank, reductions
/// along a dim). Not for user code. Each takes the output's adjoint <c>g</c> and the saved operands or result, and
/// returns the operand's adjoint in the operand's shape. They are the formulas of the runtime's own backward nodes
/// (Ops/*.cs), so the static backward and the tape agree; the caller runs them under <see cref="Autograd.NoGrad"/>.
/// </summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public static class TensorVjp
{
    /// <summary>Sums a broadcast adjoint back to the shape of <paramref name="like"/> (the reverse of broadcasting).</summary>
    /// <param name="g">The adjoint, in the broadcast shape.</param>
    /// <param name="like">The operand whose shape the adjoint must have.</param>
    /// <returns><paramref name="g"/> itself when the shapes agree, else its sum over the broadcast dimensions.</returns>
    public static Tensor SumTo(Tensor g, Tensor like)
    {
        ArgumentNullException.ThrowIfNull(g);
        ArgumentNullException.ThrowIfNull(like);
        return ShapeUtil.SameShape(g._shape, like._shape) ? g : g.SumToShape(like._shape);
    }

    /// <summary>The adjoint of the left operand of <c>a.MatMul(b)</c> (1-D, 2-D and batched operands).</summary>
    /// <param name="g">The adjoint of the product.</param>
    /// <param name="a">The left operand.</param>
    /// <param name="b">The right operand.</param>
    /// <returns>The adjoint of <paramref name="a"/>.</returns>
    public static Tensor MatMulLeft(Tensor g, Tensor a, Tensor b)
    {
        ArgumentNullException.ThrowIfNull(g);
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(b);
        if (a.Dim == 2 && b.Dim == 2)
        {
            return g.Mm(b.T);
        }

        var (am, bm, gm) = AsMatrices(g, a, b);
        return SumTo(gm.MatMul(bm.Transpose(-1, -2)), am).Reshape(a.Shape);
    }

    /// <summary>The adjoint of the right operand of <c>a.MatMul(b)</c> (1-D, 2-D and batched operands).</summary>
    /// <inheritdoc cref="MatMulLeft(Tensor, Tensor, Tensor)"/>
    public static Tensor MatMulRight(Tensor g, Tensor a, Tensor b)
    {
        ArgumentNullException.ThrowIfNull(g);
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(b);
        if (a.Dim == 2 && b.Dim == 2)
        {
            return a.T.Mm(g);
        }

        var (am, bm, gm) = AsMatrices(g, a, b);
        return SumTo(am.Transpose(-1, -2).MatMul(gm), bm).Reshape(b.Shape);
    }

    /// <summary>The adjoint of the input of <c>a.Sum(dim, keepDim)</c> or, divided by the count, of <c>a.Mean(dim, keepDim)</c>.</summary>
    /// <param name="g">The adjoint of the reduction.</param>
    /// <param name="a">The reduced tensor.</param>
    /// <param name="dim">The reduced dimension (negative counts from the end).</param>
    /// <param name="keepDim">Whether the reduction kept the dimension.</param>
    /// <param name="mean">A mean rather than a sum.</param>
    /// <returns>The adjoint of <paramref name="a"/>.</returns>
    public static Tensor ReduceDim(Tensor g, Tensor a, int dim, bool keepDim, bool mean)
    {
        ArgumentNullException.ThrowIfNull(g);
        ArgumentNullException.ThrowIfNull(a);
        if (a.Dim == 0)
        {
            return g;
        }

        int d = ShapeUtil.NormalizeDim(dim, a.Dim);
        var spread = keepDim ? g : g.Unsqueeze(d);
        return (mean ? spread / a._shape[d] : spread).Expand(a._shape);
    }

    /// <summary>The adjoint of the input of <c>a.Pow(exponent)</c>: <c>g · p · a^(p−1)</c>, and zero for <c>p = 0</c>.</summary>
    /// <param name="g">The adjoint of the power.</param>
    /// <param name="a">The base.</param>
    /// <param name="exponent">The exponent.</param>
    /// <returns>The adjoint of <paramref name="a"/>.</returns>
    public static Tensor Pow(Tensor g, Tensor a, double exponent)
    {
        ArgumentNullException.ThrowIfNull(g);
        ArgumentNullException.ThrowIfNull(a);
        return exponent == 0 ? Tensor.ZerosLike(g) : g * (a.Pow(exponent - 1) * exponent);
    }

    /// <summary>The adjoint of the input of <c>a.Softmax(dim)</c> from its result <paramref name="y"/>: <c>y · (g − Σ g·y)</c>.</summary>
    /// <param name="g">The adjoint of the softmax.</param>
    /// <param name="y">The softmax's result.</param>
    /// <param name="dim">The softmax's dimension.</param>
    /// <returns>The adjoint of the input.</returns>
    public static Tensor Softmax(Tensor g, Tensor y, int dim)
    {
        ArgumentNullException.ThrowIfNull(g);
        ArgumentNullException.ThrowIfNull(y);
        return y * (g - (g * y).Sum(dim, keepDim: true));
    }

    /// <summary>The adjoint of the input of <c>a.LogSoftmax(dim)</c> from its result <paramref name="y"/>: <c>g − exp(y) · Σ g</c>.</summary>
    /// <inheritdoc cref="Softmax(Tensor, Tensor, int)"/>
    public static Tensor LogSoftmax(Tensor g, Tensor y, int dim)
    {
        ArgumentNullException.ThrowIfNull(g);
        ArgumentNullException.ThrowIfNull(y);
        return g - (y.Exp() * g.Sum(dim, keepDim: true));
    }

    /// <summary>The adjoint of the input of <c>a.Relu()</c> from its result: <c>g</c> where the result is positive, else 0.</summary>
    /// <param name="g">The adjoint of the result.</param>
    /// <param name="y">The result.</param>
    /// <returns>The adjoint of the input.</returns>
    public static Tensor Relu(Tensor g, Tensor y)
    {
        ArgumentNullException.ThrowIfNull(g);
        ArgumentNullException.ThrowIfNull(y);
        return g * y.Gt(0.0).ToDType(g.DType);
    }

    /// <summary>
    /// Adds <paramref name="gradient"/> to a caller's adjoint: the adjoint itself when it was null (made contiguous,
    /// so that it never is a broadcast view a caller could not write), else a new tensor holding the sum.
    /// </summary>
    /// <param name="adjoint">The caller's adjoint so far, or null for none.</param>
    /// <param name="gradient">The gradient to add.</param>
    /// <returns>The accumulated adjoint.</returns>
    public static Tensor Accumulate(Tensor? adjoint, Tensor gradient)
    {
        ArgumentNullException.ThrowIfNull(gradient);
        return adjoint is null ? gradient.Contiguous() : adjoint + gradient;
    }

    /// <summary>Both operands and the adjoint as (batched) matrices, as <c>MatMul</c> unsqueezes 1-D operands.</summary>
    private static (Tensor A, Tensor B, Tensor G) AsMatrices(Tensor g, Tensor a, Tensor b)
    {
        var am = a.Dim == 1 ? a.Unsqueeze(0) : a;
        var bm = b.Dim == 1 ? b.Unsqueeze(1) : b;
        var gm = g;
        if (b.Dim == 1)
        {
            gm = gm.Unsqueeze(gm.Dim);
        }

        if (a.Dim == 1)
        {
            gm = gm.Unsqueeze(gm.Dim - 1);
        }

        return (am, bm, gm);
    }
}

namespace StaticGrad;

public partial class Tensor
{
    /// <summary>The product of two matrices (PyTorch's <c>a.mm(b)</c>, node <c>MmBackward0</c>).</summary>
    /// <param name="other">The right matrix [k, m]; this is [n, k].</param>
    /// <returns>The product [n, m].</returns>
    /// <exception cref="ArgumentException">The operands are not matrices of compatible shapes.</exception>
    public Tensor Mm(Tensor other)
    {
        CheckMatrixProduct(other);
        var dtype = ArithmeticType(this, other);
        OpNode? node = null;
        if (Tracks(this, other))
        {
            node = new OpNode("MmBackward0", static (n, g, gi) =>
            {
                gi[0] = n.NeedsGrad(0) ? g.Mm(n.Saved1.T) : null;
                gi[1] = n.NeedsGrad(1) ? n.Saved0.T.Mm(g) : null;
            }, this, other);
            if (node.NeedsGrad(1))
            {
                node.Save0(this);
            }

            if (node.NeedsGrad(0))
            {
                node.Save1(other);
            }
        }

        var a = DType == dtype ? this : ToDTypeData(dtype);
        var b = other.DType == dtype ? other : other.ToDTypeData(dtype);
        var r = MatMulKernel.Batched(a, b, Array.Empty<int>(), _shape[0], _shape[1], other._shape[1]);
        if (node is not null && dtype.IsFloatingPoint())
        {
            r.SetGradFn(node);
        }

        return r;
    }

    /// <summary>
    /// PyTorch's <c>torch.matmul</c>: matrix product for 2-D operands, dot product for 1-D, and batched products with
    /// broadcast batch dimensions for ≥3-D (node <c>BmmBackward0</c>); 1-D operands are unsqueezed and squeezed back.
    /// </summary>
    /// <param name="other">The right operand.</param>
    /// <returns>The product.</returns>
    public Tensor MatMul(Tensor other)
    {
        ArgumentNullException.ThrowIfNull(other);
        if (Dim == 0 || other.Dim == 0)
        {
            throw new ArgumentException("both arguments to matmul need to be at least 1D, but they are " + Dim + "D and " + other.Dim + "D");
        }

        if (Dim == 1 && other.Dim == 1)
        {
            return Unsqueeze(0).Mm(other.Unsqueeze(1)).Reshape();
        }

        if (Dim == 1)
        {
            return Unsqueeze(0).MatMul(other).Squeeze(-2);
        }

        if (other.Dim == 1)
        {
            return MatMul(other.Unsqueeze(1)).Squeeze(-1);
        }

        if (Dim == 2 && other.Dim == 2)
        {
            return Mm(other);
        }

        return BatchedMatMul(other);
    }

    private Tensor BatchedMatMul(Tensor other)
    {
        int n = _shape[^2], k = _shape[^1], k2 = other._shape[^2], m = other._shape[^1];
        if (k != k2)
        {
            throw new ArgumentException($"Expected size for first two dimensions of batch2 tensor to be: [{k}, {m}] but got: [{k2}, {m}].");
        }

        var batch = ShapeUtil.Broadcast(_shape[..^2], other._shape[..^2]);
        var dtype = ArithmeticType(this, other);
        OpNode? node = null;
        if (Tracks(this, other))
        {
            node = new OpNode("BmmBackward0", static (n, g, gi) =>
            {
                gi[0] = n.NeedsGrad(0) ? g.MatMul(n.Saved1.Transpose(-1, -2)) : null;
                gi[1] = n.NeedsGrad(1) ? n.Saved0.Transpose(-1, -2).MatMul(g) : null;
            }, this, other);
            if (node.NeedsGrad(1))
            {
                node.Save0(this);
            }

            if (node.NeedsGrad(0))
            {
                node.Save1(other);
            }
        }

        var aShape = new int[batch.Length + 2];
        batch.CopyTo(aShape, 0);
        aShape[^2] = n;
        aShape[^1] = k;
        var bShape = (int[])aShape.Clone();
        bShape[^2] = k;
        bShape[^1] = m;
        var a = Detach().Expand(aShape);
        var b = other.Detach().Expand(bShape);
        a = a.DType == dtype ? a : a.ToDTypeData(dtype);
        b = b.DType == dtype ? b : b.ToDTypeData(dtype);
        var r = MatMulKernel.Batched(a, b, batch, n, k, m);
        if (node is not null && dtype.IsFloatingPoint())
        {
            r.SetGradFn(node);
        }

        return r;
    }

    /// <summary>
    /// <c>beta·input + alpha·(mat1 · mat2)</c> with <paramref name="input"/> broadcast (PyTorch's <c>torch.addmm</c>,
    /// node <c>AddmmBackward0</c>): the fused affine map of a linear layer.
    /// </summary>
    /// <param name="input">The addend, broadcastable to [n, m].</param>
    /// <param name="mat1">The left matrix [n, k].</param>
    /// <param name="mat2">The right matrix [k, m].</param>
    /// <param name="beta">The addend's factor.</param>
    /// <param name="alpha">The product's factor.</param>
    /// <returns>The result [n, m].</returns>
    public static Tensor Addmm(Tensor input, Tensor mat1, Tensor mat2, double beta = 1, double alpha = 1)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(mat1);
        ArgumentNullException.ThrowIfNull(mat2);
        Tensor product;
        Tensor sum;
        using (Autograd.NoGrad())
        {
            var fused = AddmmFused(input, mat1, mat2, beta, alpha);
            if (fused is not null)
            {
                product = sum = fused;
            }
            else
            {
                product = mat1.Mm(mat2);
                if (alpha != 1)
                {
                    product = product * alpha;
                }

                sum = beta == 1 ? product + input : product + input * beta;
            }
        }

        if (!ShapeUtil.SameShape(sum._shape, product._shape))
        {
            throw new ArgumentException($"The expanded size of the tensor ({product._shape[^1]}) must match the existing size ({input._shape[^1]}) at non-singleton dimension 1.");
        }

        if (Tracks(input, mat1) || Tracks(mat2))
        {
            var node = new OpNode("AddmmBackward0", static (n, g, gi) =>
            {
                gi[0] = n.NeedsGrad(0) ? (n.Scalar == 1 ? g : g * n.Scalar) : null;
                var ga = n.Scalar2 == 1 ? g : g * n.Scalar2;
                gi[1] = n.NeedsGrad(1) ? ga.Mm(n.Saved1.T) : null;
                gi[2] = n.NeedsGrad(2) ? n.Saved0.T.Mm(ga) : null;
            }, input, mat1, mat2)
            { Scalar = beta, Scalar2 = alpha };
            if (node.NeedsGrad(2))
            {
                node.Save0(mat1);
            }

            if (node.NeedsGrad(1))
            {
                node.Save1(mat2);
            }

            sum.SetGradFn(node);
        }

        return sum;
    }

    /// <summary>
    /// <c>input + mat1·mat2</c> in one pass when the dtypes agree and <paramref name="input"/> broadcasts to the
    /// product: the result starts as the broadcast addend and the GEMM accumulates into it (no product temporary);
    /// null when another path must handle it.
    /// </summary>
    private static Tensor? AddmmFused(Tensor input, Tensor mat1, Tensor mat2, double beta, double alpha)
    {
        mat1.CheckMatrixProduct(mat2);
        var dtype = mat1.DType;
        if (alpha != 1 || beta != 1 || !dtype.IsFloatingPoint() || mat2.DType != dtype || input.DType != dtype)
        {
            return null;
        }

        int[] shape = [mat1._shape[0], mat2._shape[1]];
        for (int d = 1; d <= input.Dim; d++)
        {
            if (d > 2 || (input._shape[^d] != 1 && input._shape[^d] != shape[^d]))
            {
                return null;
            }
        }

        var result = EmptyUninitialized(shape, dtype);
        result.CopyDataFrom(input);
        MatMulKernel.MultiplyAdd(mat1, mat2, result, clear: false);
        return result;
    }

    private void CheckMatrixProduct(Tensor other)
    {
        ArgumentNullException.ThrowIfNull(other);
        if (Dim != 2 || other.Dim != 2)
        {
            throw new ArgumentException(Dim != 2 ? "self must be a matrix" : "mat2 must be a matrix");
        }

        if (_shape[1] != other._shape[0])
        {
            throw new ArgumentException($"mat1 and mat2 shapes cannot be multiplied ({_shape[0]}x{_shape[1]} and {other._shape[0]}x{other._shape[1]})");
        }
    }
}

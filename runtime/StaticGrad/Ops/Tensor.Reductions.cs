namespace StaticGrad;

public partial class Tensor
{
    private DType SumType => DType.IsFloatingPoint() ? DType : DType.Int64;

    /// <summary>The sum of all elements as a 0-dimensional tensor (node <c>SumBackward0</c>).</summary>
    /// <returns>The sum.</returns>
    public Tensor Sum()
    {
        var r = ReductionKernels.SumAll(this, SumType);
        if (Tracks(this))
        {
            r.SetGradFn(new OpNode("SumBackward0", static (n, g, gi) => gi[0] = g.Expand(n.InputShape(0)), this));
        }

        return r;
    }

    /// <summary>The sum along <paramref name="dim"/> (node <c>SumBackward1</c>).</summary>
    /// <param name="dim">The dimension (negative counts from the end).</param>
    /// <param name="keepDim">Keep the reduced dimension with size 1.</param>
    /// <returns>The sums.</returns>
    public Tensor Sum(int dim, bool keepDim = false)
    {
        int d = ShapeUtil.NormalizeDim(dim, Dim);
        if (Dim == 0)
        {
            return Sum();
        }

        var r = ReductionKernels.SumDim(this, d, keepDim, SumType);
        if (Tracks(this))
        {
            r.SetGradFn(new OpNode("SumBackward1", static (n, g, gi) =>
            {
                var shape = n.InputShape(0);
                gi[0] = (n.Flag ? g : g.Unsqueeze(n.Int0)).Expand(shape);
            }, this)
            { Int0 = d, Flag = keepDim });
        }

        return r;
    }

    /// <summary>The mean of all elements as a 0-dimensional tensor (node <c>MeanBackward0</c>).</summary>
    /// <returns>The mean.</returns>
    public Tensor Mean()
    {
        RequireFloatingForMean();
        var r = ReductionKernels.SumAll(this, DType);
        r.ApplyInPlaceData(BinaryOp.Div, Full(Array.Empty<int>(), _numel, DType));
        if (Tracks(this))
        {
            r.SetGradFn(new OpNode("MeanBackward0", static (n, g, gi) =>
                gi[0] = (g / n.Scalar).Expand(n.InputShape(0)), this)
            { Scalar = _numel });
        }

        return r;
    }

    /// <summary>The mean along <paramref name="dim"/> (node <c>MeanBackward1</c>).</summary>
    /// <inheritdoc cref="Sum(int, bool)"/>
    public Tensor Mean(int dim, bool keepDim = false)
    {
        RequireFloatingForMean();
        int d = ShapeUtil.NormalizeDim(dim, Dim);
        if (Dim == 0)
        {
            return Mean();
        }

        var r = ReductionKernels.SumDim(this, d, keepDim, DType);
        int count = _shape[d];
        r.ApplyInPlaceData(BinaryOp.Div, Full(Array.Empty<int>(), count, DType));
        if (Tracks(this))
        {
            r.SetGradFn(new OpNode("MeanBackward1", static (n, g, gi) =>
            {
                var shape = n.InputShape(0);
                gi[0] = ((n.Flag ? g : g.Unsqueeze(n.Int0)) / n.Scalar).Expand(shape);
            }, this)
            { Int0 = d, Flag = keepDim, Scalar = count });
        }

        return r;
    }

    private void RequireFloatingForMean()
    {
        if (!DType.IsFloatingPoint())
        {
            throw new ArgumentException($"mean(): could not infer output dtype. Input dtype must be either a floating point or complex dtype. Got: {DType.ScalarTypeName()}");
        }
    }

    /// <summary>The largest element as a 0-dimensional tensor (node <c>MaxBackward1</c>; ties share the gradient evenly).</summary>
    /// <returns>The maximum.</returns>
    public Tensor Max() => ExtremeAll(max: true);

    /// <summary>The smallest element as a 0-dimensional tensor (node <c>MinBackward1</c>; ties share the gradient evenly).</summary>
    /// <returns>The minimum.</returns>
    public Tensor Min() => ExtremeAll(max: false);

    private Tensor ExtremeAll(bool max)
    {
        if (_numel == 0)
        {
            throw new ArgumentException("max(): Expected reduction dim to be specified for input.numel() == 0. Specify the reduction dim with the 'dim' argument.");
        }

        var flat = Reshape(-1).Detach();
        var (values, _) = ReductionKernels.ExtremeDim(flat, 0, keepDim: false, max);
        if (Tracks(this) && DType.IsFloatingPoint())
        {
            var node = new OpNode(max ? "MaxBackward1" : "MinBackward1", static (n, g, gi) =>
            {
                var mask = n.Saved0.Eq(n.Saved1).ToDType(g.DType);
                gi[0] = g * mask / mask.Sum();
            }, this);
            node.Save0(this);
            node.Save1(values, isOutput: true);
            values.SetGradFn(node);
        }

        return values;
    }

    /// <summary>The maximum along <paramref name="dim"/> and the index of its first occurrence (node <c>MaxBackward0</c>).</summary>
    /// <param name="dim">The dimension (negative counts from the end).</param>
    /// <param name="keepDim">Keep the reduced dimension with size 1.</param>
    /// <returns>The values and their int64 indices.</returns>
    public (Tensor Values, Tensor Indices) Max(int dim, bool keepDim = false) => ExtremeDim(dim, keepDim, max: true);

    /// <summary>The minimum along <paramref name="dim"/> and the index of its first occurrence (node <c>MinBackward0</c>).</summary>
    /// <inheritdoc cref="Max(int, bool)"/>
    public (Tensor Values, Tensor Indices) Min(int dim, bool keepDim = false) => ExtremeDim(dim, keepDim, max: false);

    private (Tensor Values, Tensor Indices) ExtremeDim(int dim, bool keepDim, bool max)
    {
        int d = ShapeUtil.NormalizeDim(dim, Dim);
        var src = Dim == 0 ? Reshape(1) : this;
        var (values, indices) = ReductionKernels.ExtremeDim(src, d, Dim == 0 || keepDim, max);
        if (Dim == 0)
        {
            values = values.Reshape();
            indices = indices.Reshape();
        }

        if (Tracks(this) && DType.IsFloatingPoint())
        {
            var oneHot = OneHotAlong(_shape, d, indices, keepDim || Dim == 0, DType);
            values.SetGradFn(new OpNode(max ? "MaxBackward0" : "MinBackward0", static (n, g, gi) =>
            {
                var grad = n.Flag || n.InputShape(0).Length == 0 ? g : g.Unsqueeze(n.Int0);
                gi[0] = grad.Expand(n.InputShape(0)) * n.Constant!;
            }, this)
            { Int0 = d, Flag = keepDim, Constant = oneHot });
        }

        return (values, indices);
    }

    private static Tensor OneHotAlong(int[] shape, int dim, Tensor indices, bool keepDim, DType dtype)
    {
        var mask = Zeros(shape, dtype);
        if (shape.Length == 0)
        {
            FillStorage(mask._storage, 0, 1, 1.0);
            return mask;
        }

        var (outer, n, inner) = ReductionKernels.Split(shape, dim);
        var idx = indices.ContiguousSpan<long>();
        for (int o = 0; o < outer; o++)
        {
            for (int i = 0; i < inner; i++)
            {
                int k = (int)idx[o * inner + i];
                mask._storage.SetDouble((o * n + k) * inner + i, 1.0);
            }
        }

        return mask;
    }

    /// <summary>The flat index of the largest element as an int64 0-dimensional tensor (never requires grad).</summary>
    /// <returns>The index.</returns>
    public Tensor ArgMax() => Reshape(-1).Detach().Max(0).Indices;

    /// <summary>The index of the largest element along <paramref name="dim"/> (int64, never requires grad).</summary>
    /// <param name="dim">The dimension.</param>
    /// <param name="keepDim">Keep the reduced dimension with size 1.</param>
    /// <returns>The indices.</returns>
    public Tensor ArgMax(int dim, bool keepDim = false) => Detach().Max(dim, keepDim).Indices;

    /// <summary>The flat index of the smallest element as an int64 0-dimensional tensor (never requires grad).</summary>
    /// <returns>The index.</returns>
    public Tensor ArgMin() => Reshape(-1).Detach().Min(0).Indices;

    /// <summary>The index of the smallest element along <paramref name="dim"/> (int64, never requires grad).</summary>
    /// <inheritdoc cref="ArgMax(int, bool)"/>
    public Tensor ArgMin(int dim, bool keepDim = false) => Detach().Min(dim, keepDim).Indices;

    /// <summary>Sums a broadcast gradient back to <paramref name="shape"/> (the reverse of broadcasting).</summary>
    internal Tensor SumToShape(int[] shape)
    {
        var g = this;
        int lead = g.Dim - shape.Length;
        for (int i = 0; i < lead; i++)
        {
            g = g.Sum(0);
        }

        for (int i = 0; i < shape.Length; i++)
        {
            if (shape[i] == 1 && g._shape[i] != 1)
            {
                g = g.Sum(i, keepDim: true);
            }
        }

        return g;
    }
}

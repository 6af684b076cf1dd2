namespace StaticGrad;

public partial class Tensor
{
    private Tensor Unary(UnaryOp op, string name, BackwardFunction? backward, bool saveInput, bool saveOutput)
    {
        var dtype = UnaryKernels.KeepsIntegers(op) ? (DType == DType.Bool ? DType.Int64 : DType) : FloatType(this);
        OpNode? node = null;
        if (backward is not null && Tracks(this) && dtype.IsFloatingPoint())
        {
            node = new OpNode(name, backward, this);
            if (saveInput)
            {
                node.Save0(this);
            }
        }

        var r = UnaryKernels.Run(op, this, dtype);
        if (node is not null)
        {
            if (saveOutput)
            {
                node.Save0(r, isOutput: true);
            }

            r.SetGradFn(node);
        }

        return r;
    }

    /// <summary>Elementwise negation (node <c>NegBackward0</c>).</summary>
    /// <returns>The result.</returns>
    public Tensor Neg() => Unary(UnaryOp.Neg, "NegBackward0", static (n, g, gi) => gi[0] = g.Neg(), false, false);

    /// <summary>Elementwise eˣ (node <c>ExpBackward0</c>, saves its result).</summary>
    /// <returns>The result.</returns>
    public Tensor Exp() => Unary(UnaryOp.Exp, "ExpBackward0", static (n, g, gi) => gi[0] = g * n.Saved0, false, true);

    /// <summary>Elementwise natural logarithm (node <c>LogBackward0</c>).</summary>
    /// <returns>The result.</returns>
    public Tensor Log() => Unary(UnaryOp.Log, "LogBackward0", static (n, g, gi) => gi[0] = g / n.Saved0, true, false);

    /// <summary>Elementwise square root (node <c>SqrtBackward0</c>, saves its result).</summary>
    /// <returns>The result.</returns>
    public Tensor Sqrt() => Unary(UnaryOp.Sqrt, "SqrtBackward0", static (n, g, gi) => gi[0] = g / (n.Saved0 * 2.0), false, true);

    /// <summary>Elementwise absolute value (node <c>AbsBackward0</c>; the gradient at 0 is 0).</summary>
    /// <returns>The result.</returns>
    public Tensor Abs() => Unary(UnaryOp.Abs, "AbsBackward0", static (n, g, gi) => gi[0] = g * n.Saved0.Sign(), true, false);

    /// <summary>Elementwise sine (node <c>SinBackward0</c>).</summary>
    /// <returns>The result.</returns>
    public Tensor Sin() => Unary(UnaryOp.Sin, "SinBackward0", static (n, g, gi) => gi[0] = g * n.Saved0.Cos(), true, false);

    /// <summary>Elementwise cosine (node <c>CosBackward0</c>).</summary>
    /// <returns>The result.</returns>
    public Tensor Cos() => Unary(UnaryOp.Cos, "CosBackward0", static (n, g, gi) => gi[0] = (g * n.Saved0.Sin()).Neg(), true, false);

    /// <summary>Elementwise hyperbolic tangent (node <c>TanhBackward0</c>, saves its result).</summary>
    /// <returns>The result.</returns>
    public Tensor Tanh() => Unary(UnaryOp.Tanh, "TanhBackward0", static (n, g, gi) =>
    {
        var y = n.Saved0;
        gi[0] = ActivationGradKernels.TryRun(ActivationGrad.Tanh, g, y) ?? g * (1.0 - y * y);
    }, false, true);

    /// <summary>Elementwise logistic function 1/(1+e⁻ˣ) (node <c>SigmoidBackward0</c>, saves its result).</summary>
    /// <returns>The result.</returns>
    public Tensor Sigmoid() => Unary(UnaryOp.Sigmoid, "SigmoidBackward0", static (n, g, gi) =>
    {
        var y = n.Saved0;
        gi[0] = ActivationGradKernels.TryRun(ActivationGrad.Sigmoid, g, y) ?? g * (y * (1.0 - y));
    }, false, true);

    /// <summary>Elementwise max(x, 0) (node <c>ReluBackward0</c>, saves its result; the gradient at 0 is 0).</summary>
    /// <returns>The result.</returns>
    public Tensor Relu() => Unary(UnaryOp.Relu, "ReluBackward0", static (n, g, gi) =>
        gi[0] = ActivationGradKernels.TryRun(ActivationGrad.Relu, g, n.Saved0) ?? g * n.Saved0.Gt(0.0).ToDType(g.DType), false, true);

    /// <summary>Elementwise rounding half to even (node <c>RoundBackward0</c>; the gradient is zero).</summary>
    /// <returns>The result.</returns>
    public Tensor Round() => Unary(UnaryOp.Round, "RoundBackward0", static (n, g, gi) => gi[0] = ZerosLike(g), false, false);

    /// <summary>Elementwise sign −1, 0 or 1 (node <c>SignBackward0</c>; the gradient is zero).</summary>
    /// <returns>The result.</returns>
    public Tensor Sign() => Unary(UnaryOp.Sign, "SignBackward0", static (n, g, gi) => gi[0] = ZerosLike(g), false, false);

    /// <summary>Elementwise 1/x (node <c>ReciprocalBackward0</c>, saves its result).</summary>
    /// <returns>The result.</returns>
    public Tensor Reciprocal() => Unary(UnaryOp.Reciprocal, "ReciprocalBackward0", static (n, g, gi) =>
    {
        var y = n.Saved0;
        gi[0] = (g * y * y).Neg();
    }, false, true);

    /// <summary>Elementwise square (PyTorch's <c>t.square()</c>, recorded as <c>PowBackward0</c>).</summary>
    /// <returns>The result.</returns>
    public Tensor Square() => Pow(2.0);

    /// <summary>Clamps every element into [<paramref name="min"/>, <paramref name="max"/>] (node <c>ClampBackward1</c>; the gradient is zero outside).</summary>
    /// <param name="min">The lower bound, or null for none.</param>
    /// <param name="max">The upper bound, or null for none.</param>
    /// <returns>The result.</returns>
    public Tensor Clamp(double? min = null, double? max = null)
    {
        if (min is null && max is null)
        {
            throw new ArgumentException("At least one of 'min' or 'max' must not be None");
        }

        var r = this;
        var data = DType == DType.Bool ? ToDTypeData(DType.Int64) : this;
        var dtype = data.DType;
        Tensor result = data;
        if (min is { } lo)
        {
            result = BinaryKernels.RunScalar(BinaryOp.Max, result, lo, scalarFirst: false, dtype.IsFloatingPoint() ? dtype : ScalarArithmeticType(data, lo, BinaryOp.Max));
        }

        if (max is { } hi)
        {
            result = BinaryKernels.RunScalar(BinaryOp.Min, result, hi, scalarFirst: false, result.DType.IsFloatingPoint() ? result.DType : ScalarArithmeticType(result, hi, BinaryOp.Min));
        }

        if (Tracks(r) && result.DType.IsFloatingPoint())
        {
            var node = new OpNode("ClampBackward1", static (n, g, gi) =>
            {
                var x = n.Saved0;
                var inside = OnesLike(g);
                if (n.Flag)
                {
                    inside = inside * x.Ge(n.Scalar).ToDType(g.DType);
                }

                if (n.Int0 == 1)
                {
                    inside = inside * x.Le(n.Scalar2).ToDType(g.DType);
                }

                gi[0] = g * inside;
            }, r)
            { Flag = min is not null, Scalar = min ?? 0, Int0 = max is null ? 0 : 1, Scalar2 = max ?? 0 };
            node.Save0(r);
            result.SetGradFn(node);
        }

        return ReferenceEquals(result, this) ? CloneData() : result;
    }

    /// <summary>Softmax along <paramref name="dim"/> (node <c>SoftmaxBackward0</c>, saves its result), computed stably.</summary>
    /// <param name="dim">The dimension (negative counts from the end).</param>
    /// <returns>The result.</returns>
    public Tensor Softmax(int dim) => SoftmaxCore(dim, log: false);

    /// <summary>Log-softmax along <paramref name="dim"/> (node <c>LogSoftmaxBackward0</c>, saves its result), computed stably.</summary>
    /// <inheritdoc cref="Softmax(int)"/>
    public Tensor LogSoftmax(int dim) => SoftmaxCore(dim, log: true);

    private Tensor SoftmaxCore(int dim, bool log)
    {
        int d = ShapeUtil.NormalizeDim(dim, Dim);
        var dtype = FloatType(this);
        var r = SoftmaxKernels.Run(this.DType == dtype ? this : ToDTypeData(dtype), d, log);
        if (Tracks(this))
        {
            var node = new OpNode(log ? "LogSoftmaxBackward0" : "SoftmaxBackward0", static (n, g, gi) =>
            {
                var y = n.Saved0;
                int d = n.Int0;
                gi[0] = SoftmaxGradKernels.TryRun(g, y, d, n.Flag) ?? (n.Flag
                    ? g - y.Exp() * g.Sum(d, keepDim: true)
                    : y * (g - (g * y).Sum(d, keepDim: true)));
            }, this)
            { Int0 = d, Flag = log };
            node.Save0(r, isOutput: true);
            r.SetGradFn(node);
        }

        return r;
    }
}

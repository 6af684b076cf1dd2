namespace StaticGrad;

public partial class Tensor
{
    /// <summary>Elementwise sum with broadcasting (PyTorch's <c>a + b</c>, node <c>AddBackward0</c>).</summary>
    /// <param name="a">The left operand.</param>
    /// <param name="b">The right operand.</param>
    /// <returns>The result.</returns>
    public static Tensor operator +(Tensor a, Tensor b) => Add(a, b);

    /// <summary>Elementwise difference with broadcasting (node <c>SubBackward0</c>).</summary>
    /// <inheritdoc cref="op_Addition(Tensor, Tensor)"/>
    public static Tensor operator -(Tensor a, Tensor b) => Sub(a, b);

    /// <summary>Elementwise product with broadcasting (node <c>MulBackward0</c>).</summary>
    /// <inheritdoc cref="op_Addition(Tensor, Tensor)"/>
    public static Tensor operator *(Tensor a, Tensor b) => Mul(a, b);

    /// <summary>Elementwise quotient with broadcasting (node <c>DivBackward0</c>).</summary>
    /// <inheritdoc cref="op_Addition(Tensor, Tensor)"/>
    public static Tensor operator /(Tensor a, Tensor b) => Div(a, b);

    /// <summary>Adds a scalar to every element.</summary>
    /// <param name="a">The tensor.</param>
    /// <param name="s">The scalar.</param>
    /// <returns>The result.</returns>
    public static Tensor operator +(Tensor a, double s) => Add(a, s);

    /// <summary>Adds a scalar to every element.</summary>
    /// <param name="s">The scalar.</param>
    /// <param name="a">The tensor.</param>
    /// <returns>The result.</returns>
    public static Tensor operator +(double s, Tensor a) => Add(a, s);

    /// <summary>Subtracts a scalar from every element.</summary>
    /// <inheritdoc cref="op_Addition(Tensor, double)"/>
    public static Tensor operator -(Tensor a, double s) => Sub(a, s);

    /// <summary>Subtracts every element from a scalar (node <c>RsubBackward1</c>).</summary>
    /// <inheritdoc cref="op_Addition(double, Tensor)"/>
    public static Tensor operator -(double s, Tensor a) => Sub(s, a);

    /// <summary>Multiplies every element by a scalar.</summary>
    /// <inheritdoc cref="op_Addition(Tensor, double)"/>
    public static Tensor operator *(Tensor a, double s) => Mul(a, s);

    /// <summary>Multiplies every element by a scalar.</summary>
    /// <inheritdoc cref="op_Addition(double, Tensor)"/>
    public static Tensor operator *(double s, Tensor a) => Mul(a, s);

    /// <summary>Divides every element by a scalar.</summary>
    /// <inheritdoc cref="op_Addition(Tensor, double)"/>
    public static Tensor operator /(Tensor a, double s) => Div(a, s);

    /// <summary>Divides a scalar by every element (PyTorch computes <c>a.reciprocal() * s</c>).</summary>
    /// <inheritdoc cref="op_Addition(double, Tensor)"/>
    public static Tensor operator /(double s, Tensor a) => Div(s, a);

    /// <summary>Elementwise negation (node <c>NegBackward0</c>).</summary>
    /// <param name="a">The tensor.</param>
    /// <returns>The result.</returns>
    public static Tensor operator -(Tensor a) => a.Neg();

    /// <summary>Elementwise sum with broadcasting (node <c>AddBackward0</c>).</summary>
    /// <inheritdoc cref="op_Addition(Tensor, Tensor)"/>
    public static Tensor Add(Tensor a, Tensor b)
    {
        var r = BinaryKernels.Run(BinaryOp.Add, a, b, ArithmeticType(a, b));
        if (Tracks(a, b) && r.DType.IsFloatingPoint())
        {
            r.SetGradFn(new OpNode("AddBackward0", static (n, g, gi) => { gi[0] = g; gi[1] = g; }, a, b));
        }

        return r;
    }

    /// <summary>Elementwise difference with broadcasting (node <c>SubBackward0</c>).</summary>
    /// <inheritdoc cref="op_Addition(Tensor, Tensor)"/>
    public static Tensor Sub(Tensor a, Tensor b)
    {
        var r = BinaryKernels.Run(BinaryOp.Sub, a, b, ArithmeticType(a, b));
        if (Tracks(a, b) && r.DType.IsFloatingPoint())
        {
            r.SetGradFn(new OpNode("SubBackward0", static (n, g, gi) =>
            {
                gi[0] = g;
                gi[1] = n.NeedsGrad(1) ? g.Neg() : null;
            }, a, b));
        }

        return r;
    }

    /// <summary>Elementwise product with broadcasting (node <c>MulBackward0</c>; saves each operand the other's gradient needs).</summary>
    /// <inheritdoc cref="op_Addition(Tensor, Tensor)"/>
    public static Tensor Mul(Tensor a, Tensor b)
    {
        OpNode? node = null;
        if (Tracks(a, b))
        {
            node = new OpNode("MulBackward0", static (n, g, gi) =>
            {
                gi[0] = n.NeedsGrad(0) ? g * n.Saved1 : null;
                gi[1] = n.NeedsGrad(1) ? g * n.Saved0 : null;
            }, a, b);
            if (node.NeedsGrad(1))
            {
                node.Save0(a);
            }

            if (node.NeedsGrad(0))
            {
                node.Save1(b);
            }
        }

        var r = BinaryKernels.Run(BinaryOp.Mul, a, b, ArithmeticType(a, b));
        if (node is not null && r.DType.IsFloatingPoint())
        {
            r.SetGradFn(node);
        }

        return r;
    }

    /// <summary>Elementwise true division with broadcasting (node <c>DivBackward0</c>); integers divide as float64.</summary>
    /// <inheritdoc cref="op_Addition(Tensor, Tensor)"/>
    public static Tensor Div(Tensor a, Tensor b)
    {
        var dtype = ArithmeticType(a, b);
        dtype = dtype.IsFloatingPoint() ? dtype : DType.Float64;
        OpNode? node = null;
        if (Tracks(a, b))
        {
            node = new OpNode("DivBackward0", static (n, g, gi) =>
            {
                var b = n.Saved1;
                gi[0] = n.NeedsGrad(0) ? g / b : null;
                gi[1] = n.NeedsGrad(1) ? (g * n.Saved0 / (b * b)).Neg() : null;
            }, a, b);
            if (node.NeedsGrad(1))
            {
                node.Save0(a);
            }

            node.Save1(b);
        }

        var r = BinaryKernels.Run(BinaryOp.Div, a, b, dtype);
        if (node is not null)
        {
            r.SetGradFn(node);
        }

        return r;
    }

    /// <summary>Adds a scalar to every element (node <c>AddBackward0</c>).</summary>
    /// <inheritdoc cref="op_Addition(Tensor, double)"/>
    public static Tensor Add(Tensor a, double s) => ScalarOp(BinaryOp.Add, a, s, scalarFirst: false, "AddBackward0");

    /// <summary>Subtracts a scalar from every element (node <c>SubBackward0</c>).</summary>
    /// <inheritdoc cref="op_Addition(Tensor, double)"/>
    public static Tensor Sub(Tensor a, double s) => ScalarOp(BinaryOp.Sub, a, s, scalarFirst: false, "SubBackward0");

    /// <summary>Subtracts every element from a scalar (node <c>RsubBackward1</c>).</summary>
    /// <inheritdoc cref="op_Addition(double, Tensor)"/>
    public static Tensor Sub(double s, Tensor a) => ScalarOp(BinaryOp.Sub, a, s, scalarFirst: true, "RsubBackward1");

    /// <summary>Multiplies every element by a scalar (node <c>MulBackward0</c>).</summary>
    /// <inheritdoc cref="op_Addition(Tensor, double)"/>
    public static Tensor Mul(Tensor a, double s) => ScalarOp(BinaryOp.Mul, a, s, scalarFirst: false, "MulBackward0");

    /// <summary>Divides every element by a scalar (node <c>DivBackward0</c>).</summary>
    /// <inheritdoc cref="op_Addition(Tensor, double)"/>
    public static Tensor Div(Tensor a, double s) => ScalarOp(BinaryOp.Div, a, s, scalarFirst: false, "DivBackward0");

    /// <summary>Divides a scalar by every element, as PyTorch does: <c>a.Reciprocal() * s</c>.</summary>
    /// <inheritdoc cref="op_Addition(double, Tensor)"/>
    public static Tensor Div(double s, Tensor a) => a.Reciprocal() * s;

    private static Tensor ScalarOp(BinaryOp op, Tensor a, double s, bool scalarFirst, string name)
    {
        var dtype = op == BinaryOp.Div ? FloatType(a) : ScalarArithmeticType(a, s, op);
        var r = BinaryKernels.RunScalar(op, a, s, scalarFirst, dtype);
        if (Tracks(a) && dtype.IsFloatingPoint())
        {
            var node = new OpNode(name, static (n, g, gi) =>
            {
                gi[0] = (BinaryOp)n.Int0 switch
                {
                    BinaryOp.Mul => g * n.Scalar,
                    BinaryOp.Div => g / n.Scalar,
                    BinaryOp.Sub when n.Flag => g.Neg(),
                    _ => g,
                };
            }, a)
            { Scalar = s, Int0 = (int)op, Flag = scalarFirst };
            r.SetGradFn(node);
        }

        return r;
    }

    /// <summary>Elementwise power with a scalar exponent (node <c>PowBackward0</c>).</summary>
    /// <param name="exponent">The exponent.</param>
    /// <returns>The result.</returns>
    public Tensor Pow(double exponent)
    {
        OpNode? node = null;
        if (Tracks(this))
        {
            node = new OpNode("PowBackward0", static (n, g, gi) =>
            {
                double p = n.Scalar;
                gi[0] = p == 0 ? ZerosLike(g) : g * (n.Saved0.Pow(p - 1) * p);
            }, this)
            { Scalar = exponent };
            node.Save0(this);
        }

        // Like PyTorch, a square is an exact product rather than a call to pow.
        var r = exponent == 2
            ? BinaryKernels.Run(BinaryOp.Mul, this, this, FloatType(this))
            : BinaryKernels.RunScalar(BinaryOp.Pow, this, exponent, scalarFirst: false, FloatType(this));
        if (node is not null)
        {
            r.SetGradFn(node);
        }

        return r;
    }

    /// <summary>Elementwise power with a tensor exponent and broadcasting (node <c>PowBackward1</c>).</summary>
    /// <param name="exponent">The exponent.</param>
    /// <returns>The result.</returns>
    public Tensor Pow(Tensor exponent)
    {
        ArgumentNullException.ThrowIfNull(exponent);
        var dtype = ArithmeticType(this, exponent);
        dtype = dtype.IsFloatingPoint() ? dtype : DType.Float64;
        var r = BinaryKernels.Run(BinaryOp.Pow, this, exponent, dtype);
        if (Tracks(this, exponent))
        {
            var node = new OpNode("PowBackward1", static (n, g, gi) =>
            {
                var a = n.Saved0;
                var e = n.Saved1;
                gi[0] = n.NeedsGrad(0) ? g * e * a.Pow(e - 1.0) : null;
                if (n.NeedsGrad(1))
                {
                    // PyTorch masks 0^e for e >= 0 to a zero gradient instead of 0 * log(0) = NaN.
                    var mask = a.Eq(0.0).LogicalAnd(e.Ge(0.0));
                    var full = g * a.Pow(e) * a.Log();
                    gi[1] = Where(mask, ZerosLike(full), full);
                }
            }, this, exponent);
            node.Save0(this);
            node.Save1(exponent);
            r.SetGradFn(node);
        }

        return r;
    }

    /// <summary>A scalar raised to each element's power (node <c>PowBackward2</c>).</summary>
    /// <param name="baseValue">The base.</param>
    /// <param name="exponent">The exponents.</param>
    /// <returns>The result.</returns>
    public static Tensor Pow(double baseValue, Tensor exponent)
    {
        ArgumentNullException.ThrowIfNull(exponent);
        var r = BinaryKernels.RunScalar(BinaryOp.Pow, exponent, baseValue, scalarFirst: true, FloatType(exponent));
        if (Tracks(exponent))
        {
            var node = new OpNode("PowBackward2", static (n, g, gi) => gi[0] = g * n.Saved0 * Math.Log(n.Scalar), exponent) { Scalar = baseValue };
            node.Save0(r, isOutput: true);
            r.SetGradFn(node);
        }

        return r;
    }

    /// <summary>Elementwise maximum of two tensors with broadcasting (node <c>MaximumBackward0</c>; ties split the gradient).</summary>
    /// <param name="a">The first operand.</param>
    /// <param name="b">The second operand.</param>
    /// <returns>The result.</returns>
    public static Tensor Maximum(Tensor a, Tensor b) => MinMax(BinaryOp.Max, a, b, "MaximumBackward0");

    /// <summary>Elementwise minimum of two tensors with broadcasting (node <c>MinimumBackward0</c>; ties split the gradient).</summary>
    /// <inheritdoc cref="Maximum(Tensor, Tensor)"/>
    public static Tensor Minimum(Tensor a, Tensor b) => MinMax(BinaryOp.Min, a, b, "MinimumBackward0");

    private static Tensor MinMax(BinaryOp op, Tensor a, Tensor b, string name)
    {
        var r = BinaryKernels.Run(op, a, b, ArithmeticType(a, b));
        if (Tracks(a, b) && r.DType.IsFloatingPoint())
        {
            var node = new OpNode(name, static (n, g, gi) =>
            {
                var a = n.Saved0;
                var b = n.Saved1;
                bool max = (BinaryOp)n.Int0 == BinaryOp.Max;
                var wins = (max ? a.Gt(b) : a.Lt(b)).ToDType(g.DType);
                var ties = a.Eq(b).ToDType(g.DType) * 0.5;
                var weightA = wins + ties;
                gi[0] = n.NeedsGrad(0) ? g * weightA : null;
                gi[1] = n.NeedsGrad(1) ? g * (1.0 - weightA) : null;
            }, a, b)
            { Int0 = (int)op };
            node.Save0(a);
            node.Save1(b);
            r.SetGradFn(node);
        }

        return r;
    }
}

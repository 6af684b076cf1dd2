namespace StaticGrad.Compiler.TensorMethods;

/// <summary>
/// The C# text of each operation's forward expression and of its vector-Jacobian products: the adjoint of each
/// operand given the adjoint <c>g</c> of the result. The formulas are the runtime's backward nodes' (Ops/*.cs);
/// where they take more than an expression they are calls to <c>StaticGrad.CompilerServices.TensorVjp</c>.
/// </summary>
internal static class TensorVjpText
{
    private const string Vjp = "global::StaticGrad.CompilerServices.TensorVjp.";

    public static string Forward(TensorValue value, string[] names)
    {
        var a = value.Operands.Count > 0 ? names[value.Operands[0]] : string.Empty;
        var b = value.Operands.Count > 1 ? names[value.Operands[1]] : string.Empty;
        var s = value.Scalars;
        return value.Op switch
        {
            TensorOp.Add => a + " + " + b,
            TensorOp.Sub => a + " - " + b,
            TensorOp.Mul => a + " * " + b,
            TensorOp.Div => a + " / " + b,
            TensorOp.AddScalar => a + " + " + s[0],
            TensorOp.SubScalar => a + " - " + s[0],
            TensorOp.ScalarSub => s[0] + " - " + a,
            TensorOp.MulScalar => a + " * " + s[0],
            TensorOp.DivScalar => a + " / " + s[0],
            TensorOp.ScalarDiv => s[0] + " / " + a,
            TensorOp.Neg => "-" + a,
            TensorOp.T => a + ".T",
            TensorOp.SumDim => a + ".Sum(" + s[0] + ", " + s[1] + ")",
            TensorOp.MeanDim => a + ".Mean(" + s[0] + ", " + s[1] + ")",
            TensorOp.MatMul or TensorOp.Mm => a + "." + value.Op + "(" + b + ")",
            _ => a + "." + value.Op + "(" + string.Join(", ", s) + ")",
        };
    }

    /// <summary>The adjoint of operand <paramref name="position"/> of <paramref name="value"/> (named <paramref name="y"/>), given its adjoint <paramref name="g"/>.</summary>
    public static string Adjoint(TensorValue value, int position, string y, string g, string[] names)
    {
        var a = names[value.Operands[0]];
        var b = value.Operands.Count > 1 ? names[value.Operands[1]] : string.Empty;
        var s = value.Scalars;
        var first = position == 0;
        return value.Op switch
        {
            TensorOp.Add => Vjp + "SumTo(" + g + ", " + (first ? a : b) + ")",
            TensorOp.Sub => first ? Vjp + "SumTo(" + g + ", " + a + ")" : "-" + Vjp + "SumTo(" + g + ", " + b + ")",
            TensorOp.Mul => first ? Vjp + "SumTo(" + g + " * " + b + ", " + a + ")" : Vjp + "SumTo(" + g + " * " + a + ", " + b + ")",
            TensorOp.Div => first ? Vjp + "SumTo(" + g + " / " + b + ", " + a + ")" : "-" + Vjp + "SumTo(" + g + " * " + a + " / (" + b + " * " + b + "), " + b + ")",
            TensorOp.AddScalar or TensorOp.SubScalar => g,
            TensorOp.ScalarSub or TensorOp.Neg => "-" + g,
            TensorOp.MulScalar => g + " * " + s[0],
            TensorOp.DivScalar => g + " / " + s[0],
            TensorOp.ScalarDiv => "-(" + g + " * " + y + " / " + a + ")",
            TensorOp.MatMul => Vjp + (first ? "MatMulLeft(" : "MatMulRight(") + g + ", " + a + ", " + b + ")",
            TensorOp.Mm => first ? g + ".Mm(" + b + ".T)" : a + ".T.Mm(" + g + ")",
            TensorOp.T => g + ".T",
            TensorOp.Transpose => g + ".Transpose(" + s[0] + ", " + s[1] + ")",
            TensorOp.Tanh => g + " * (1.0 - " + y + " * " + y + ")",
            TensorOp.Sigmoid => g + " * (" + y + " * (1.0 - " + y + "))",
            TensorOp.Relu => Vjp + "Relu(" + g + ", " + y + ")",
            TensorOp.Exp => g + " * " + y,
            TensorOp.Log => g + " / " + a,
            TensorOp.Sqrt => g + " / (" + y + " * 2.0)",
            TensorOp.Square => g + " * (" + a + " * 2.0)",
            TensorOp.Pow => Vjp + "Pow(" + g + ", " + a + ", " + s[0] + ")",
            TensorOp.Sum => g + ".Expand(" + a + ".Shape)",
            TensorOp.Mean => "(" + g + " / " + a + ".NumElements).Expand(" + a + ".Shape)",
            TensorOp.SumDim => Vjp + "ReduceDim(" + g + ", " + a + ", " + s[0] + ", " + s[1] + ", mean: false)",
            TensorOp.MeanDim => Vjp + "ReduceDim(" + g + ", " + a + ", " + s[0] + ", " + s[1] + ", mean: true)",
            TensorOp.Softmax => Vjp + "Softmax(" + g + ", " + y + ", " + s[0] + ")",
            TensorOp.LogSoftmax => Vjp + "LogSoftmax(" + g + ", " + y + ", " + s[0] + ")",
            _ => throw new System.ArgumentOutOfRangeException(nameof(value), value.Op, "no derivative flows through this operation"),
        };
    }
}

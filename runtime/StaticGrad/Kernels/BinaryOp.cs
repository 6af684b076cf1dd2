namespace StaticGrad;

/// <summary>The elementwise binary operations the broadcasting kernel runs.</summary>
internal enum BinaryOp
{
    Add,
    Sub,
    Mul,
    Div,
    Pow,
    Max,
    Min,
}

/// <summary>The elementwise comparisons, producing bool tensors.</summary>
internal enum CompareOp
{
    Gt,
    Lt,
    Ge,
    Le,
    Eq,
    Ne,
}

/// <summary>The elementwise unary operations on floating tensors.</summary>
internal enum UnaryOp
{
    Neg,
    Exp,
    Log,
    Sqrt,
    Abs,
    Sin,
    Cos,
    Tanh,
    Sigmoid,
    Relu,
    Round,
    Sign,
    Reciprocal,
}

namespace StaticGrad.Compiler.TensorMethods;

/// <summary>
/// The operations of the Tensor body language: each is one runtime tensor operation with a known vector-Jacobian
/// product. Operands are other values of the method (by index); scalar arguments are C# source text.
/// </summary>
public enum TensorOp
{
    /// <summary>A Tensor parameter of the method (no operands; the parameter's name is the value's name).</summary>
    Parameter,

    /// <summary><c>a + b</c> with broadcasting.</summary>
    Add,

    /// <summary><c>a - b</c> with broadcasting.</summary>
    Sub,

    /// <summary><c>a * b</c> with broadcasting.</summary>
    Mul,

    /// <summary><c>a / b</c> with broadcasting.</summary>
    Div,

    /// <summary><c>a + s</c> (or <c>s + a</c>).</summary>
    AddScalar,

    /// <summary><c>a - s</c>.</summary>
    SubScalar,

    /// <summary><c>s - a</c>.</summary>
    ScalarSub,

    /// <summary><c>a * s</c> (or <c>s * a</c>).</summary>
    MulScalar,

    /// <summary><c>a / s</c>.</summary>
    DivScalar,

    /// <summary><c>s / a</c>.</summary>
    ScalarDiv,

    /// <summary><c>-a</c>.</summary>
    Neg,

    /// <summary><c>a.MatMul(b)</c> (1-D, 2-D and batched operands).</summary>
    MatMul,

    /// <summary><c>a.Mm(b)</c> (2-D only).</summary>
    Mm,

    /// <summary><c>a.T</c> (the transpose of a matrix; a vector or scalar is returned as is).</summary>
    T,

    /// <summary><c>a.Transpose(d0, d1)</c>.</summary>
    Transpose,

    /// <summary><c>a.Tanh()</c>.</summary>
    Tanh,

    /// <summary><c>a.Sigmoid()</c>.</summary>
    Sigmoid,

    /// <summary><c>a.Relu()</c>.</summary>
    Relu,

    /// <summary><c>a.Exp()</c>.</summary>
    Exp,

    /// <summary><c>a.Log()</c>.</summary>
    Log,

    /// <summary><c>a.Sqrt()</c>.</summary>
    Sqrt,

    /// <summary><c>a.Square()</c>.</summary>
    Square,

    /// <summary><c>a.Pow(p)</c> with a scalar exponent.</summary>
    Pow,

    /// <summary><c>a.Sum()</c>: all elements.</summary>
    Sum,

    /// <summary><c>a.Sum(dim, keepDim)</c>.</summary>
    SumDim,

    /// <summary><c>a.Mean()</c>: all elements.</summary>
    Mean,

    /// <summary><c>a.Mean(dim, keepDim)</c>.</summary>
    MeanDim,

    /// <summary><c>a.Softmax(dim)</c>.</summary>
    Softmax,

    /// <summary><c>a.LogSoftmax(dim)</c>.</summary>
    LogSoftmax,

    /// <summary><c>a.Detach()</c>: the value, with no derivative flowing through it.</summary>
    Detach,
}

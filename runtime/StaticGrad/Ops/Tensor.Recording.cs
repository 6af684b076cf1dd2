namespace StaticGrad;

public partial class Tensor
{
    /// <summary>Whether an operation on <paramref name="a"/> is recorded: grad mode on and the input requires grad.</summary>
    internal static bool Tracks(Tensor a) => a.RequiresGrad && Autograd.IsGradEnabled;

    internal static bool Tracks(Tensor a, Tensor b) => (a.RequiresGrad || b.RequiresGrad) && Autograd.IsGradEnabled;

    /// <summary>The dtype of an arithmetic result on two tensors (bool operands count as int64).</summary>
    internal static DType ArithmeticType(Tensor a, Tensor b)
    {
        var t = DTypeExtensions.Promote(a.DType, b.DType);
        return t == DType.Bool ? DType.Int64 : t;
    }

    /// <summary>The dtype of a tensor-scalar result: a floating tensor keeps its dtype; integers stay integers only for integral scalars.</summary>
    internal static DType ScalarArithmeticType(Tensor a, double s, BinaryOp op)
    {
        if (a.DType.IsFloatingPoint())
        {
            return a.DType;
        }

        bool integral = s == Math.Floor(s) && Math.Abs(s) < 9.2e18;
        return integral && op is BinaryOp.Add or BinaryOp.Sub or BinaryOp.Mul or BinaryOp.Max or BinaryOp.Min ? DType.Int64 : DType.Float64;
    }

    /// <summary>The dtype a floating-only function gives (integers promote to float64, StaticGrad's default floating dtype).</summary>
    internal static DType FloatType(Tensor a) => a.DType.IsFloatingPoint() ? a.DType : DType.Float64;
}

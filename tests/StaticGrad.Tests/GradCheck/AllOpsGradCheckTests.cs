namespace StaticGrad.Tests.GradCheck;

using StaticGrad;

/// <summary>Runs <see cref="StaticGrad.GradCheck"/> over every differentiable op, with seeded random shapes including broadcasting.</summary>
public class AllOpsGradCheckTests
{
    private const double Eps = 1e-6;
    private const double Atol = 1e-6;
    private const double Rtol = 1e-4;

    public static TheoryData<string> Ops() => new(OpTable.Keys);

    private static readonly Dictionary<string, (Func<Tensor[], Tensor> F, Func<RandomGenerator, Tensor[]> Inputs)> OpTable = Build();

    private static Tensor R(RandomGenerator g, int[] shape, double shift = 0, double scale = 1)
    {
        var t = Tensor.Randn(shape, g);
        using (StaticGrad.Autograd.NoGrad())
        {
            t = t * scale + shift;
        }

        return t.SetRequiresGrad();
    }

    private static Tensor Positive(RandomGenerator g, int[] shape) => (R(g, shape).Detach().Abs() + 0.5).SetRequiresGrad();

    private static int[] Shape(RandomGenerator g, int rank)
    {
        var s = new int[rank];
        for (int i = 0; i < rank; i++)
        {
            s[i] = 1 + (int)(g.NextUniform() * 3);
        }

        return s;
    }

    private static Dictionary<string, (Func<Tensor[], Tensor>, Func<RandomGenerator, Tensor[]>)> Build()
    {
        var t = new Dictionary<string, (Func<Tensor[], Tensor>, Func<RandomGenerator, Tensor[]>)>
        {
            ["add"] = (x => x[0] + x[1], g => [R(g, [2, 3]), R(g, [2, 3])]),
            ["add_broadcast"] = (x => x[0] + x[1], g => [R(g, [2, 1, 3]), R(g, [4, 1])]),
            ["sub_broadcast"] = (x => x[0] - x[1], g => [R(g, [3]), R(g, [2, 3])]),
            ["mul_broadcast"] = (x => x[0] * x[1], g => [R(g, [2, 3]), R(g, [1, 3])]),
            ["mul_self"] = (x => x[0] * x[0], g => [R(g, Shape(g, 2))]),
            ["div_broadcast"] = (x => x[0] / x[1], g => [R(g, [2, 3]), Positive(g, [3])]),
            ["scalar_ops"] = (x => (2.0 - x[0]) * 3.0 / 4.0 + 1.5 - x[0] / 2.0, g => [R(g, Shape(g, 2))]),
            ["scalar_div_tensor"] = (x => 2.0 / x[0], g => [Positive(g, [4])]),
            ["neg"] = (x => -x[0], g => [R(g, [3])]),
            ["pow_scalar"] = (x => x[0].Pow(3.0), g => [R(g, Shape(g, 2))]),
            ["pow_fractional"] = (x => x[0].Pow(1.5), g => [Positive(g, [5])]),
            ["pow_tensor"] = (x => x[0].Pow(x[1]), g => [Positive(g, [2, 3]), R(g, [3])]),
            ["pow_scalar_base"] = (x => Tensor.Pow(1.7, x[0]), g => [R(g, [4])]),
            ["exp"] = (x => x[0].Exp(), g => [R(g, Shape(g, 3))]),
            ["log"] = (x => x[0].Log(), g => [Positive(g, [4])]),
            ["sqrt"] = (x => x[0].Sqrt(), g => [Positive(g, [4])]),
            ["abs"] = (x => x[0].Abs(), g => [(Positive(g, [4]).Detach() - 2.5).SetRequiresGrad()]),
            ["sin"] = (x => x[0].Sin(), g => [R(g, [5])]),
            ["cos"] = (x => x[0].Cos(), g => [R(g, [5])]),
            ["tanh"] = (x => x[0].Tanh(), g => [R(g, [5])]),
            ["sigmoid"] = (x => x[0].Sigmoid(), g => [R(g, [5])]),
            ["relu"] = (x => x[0].Relu(), g => [R(g, [6], shift: 0.05)]),
            ["reciprocal"] = (x => x[0].Reciprocal(), g => [Positive(g, [3])]),
            ["softmax"] = (x => x[0].Softmax(1), g => [R(g, [2, 4])]),
            ["softmax_dim0"] = (x => x[0].Softmax(0), g => [R(g, [3, 2])]),
            ["log_softmax"] = (x => x[0].LogSoftmax(-1), g => [R(g, [2, 3, 4])]),
            ["sum"] = (x => x[0].Sum(), g => [R(g, Shape(g, 3))]),
            ["sum_dim"] = (x => x[0].Sum(1), g => [R(g, [2, 3, 2])]),
            ["sum_dim_keep"] = (x => x[0].Sum(-1, keepDim: true), g => [R(g, [2, 3])]),
            ["mean"] = (x => x[0].Mean(), g => [R(g, [3, 2])]),
            ["mean_dim"] = (x => x[0].Mean(0), g => [R(g, [3, 2])]),
            ["mm"] = (x => x[0].Mm(x[1]), g => [R(g, [3, 4]), R(g, [4, 2])]),
            ["matmul_vec"] = (x => x[0].MatMul(x[1]), g => [R(g, [3, 4]), R(g, [4])]),
            ["matmul_dot"] = (x => x[0].MatMul(x[1]), g => [R(g, [4]), R(g, [4])]),
            ["matmul_batched"] = (x => x[0].MatMul(x[1]), g => [R(g, [2, 3, 4]), R(g, [2, 4, 2])]),
            ["matmul_broadcast_batch"] = (x => x[0].MatMul(x[1]), g => [R(g, [2, 1, 3, 4]), R(g, [3, 4, 2])]),
            ["addmm"] = (x => Tensor.Addmm(x[0], x[1], x[2], beta: 0.5, alpha: 2), g => [R(g, [3]), R(g, [2, 4]), R(g, [4, 3])]),
            ["transpose"] = (x => x[0].Transpose(0, 2) * x[1], g => [R(g, [2, 3, 4]), R(g, [4, 3, 2])]),
            ["t"] = (x => x[0].T.Mm(x[1]), g => [R(g, [3, 2]), R(g, [3, 2])]),
            ["permute"] = (x => x[0].Permute(2, 0, 1).Exp(), g => [R(g, [2, 3, 2])]),
            ["reshape"] = (x => x[0].Reshape(3, -1).Sin(), g => [R(g, [2, 3])]),
            ["reshape_noncontiguous"] = (x => x[0].T.Reshape(-1) * 2.0, g => [R(g, [2, 3])]),
            ["view"] = (x => x[0].View(6).Exp(), g => [R(g, [2, 3])]),
            ["select"] = (x => x[0].Select(1, 2).Exp(), g => [R(g, [2, 3])]),
            ["indexer"] = (x => x[0][1] * x[0][0], g => [R(g, [2, 3])]),
            ["narrow"] = (x => x[0].Narrow(0, 1, 2).Pow(2.0), g => [R(g, [4, 2])]),
            ["slice"] = (x => x[0].Slice(1, 1).Tanh(), g => [R(g, [2, 4])]),
            ["expand"] = (x => x[0].Expand(3, 2) * x[1], g => [R(g, [1, 2]), R(g, [3, 2])]),
            ["unsqueeze_squeeze"] = (x => x[0].Unsqueeze(1).Exp().Squeeze(1), g => [R(g, [3])]),
            ["clone"] = (x => x[0].Clone() * x[0], g => [R(g, [3])]),
            ["where"] = (x => Tensor.Where(x[0].Gt(0.0), x[0] * 2.0, x[1].Exp()), g => [R(g, [2, 3], shift: 0.1), R(g, [3])]),
            ["max_all"] = (x => x[0].Max(), g => [R(g, [5])]),
            ["min_all"] = (x => x[0].Min(), g => [R(g, [2, 3])]),
            ["max_dim"] = (x => x[0].Max(1).Values, g => [R(g, [3, 4])]),
            ["min_dim_keep"] = (x => x[0].Min(0, keepDim: true).Values, g => [R(g, [3, 4])]),
            ["clamp"] = (x => x[0].Clamp(-0.5, 0.5), g => [R(g, [8], shift: 0.013)]),
            ["clamp_min"] = (x => x[0].Clamp(min: 0.1), g => [R(g, [8], shift: 0.013)]),
            ["maximum"] = (x => Tensor.Maximum(x[0], x[1]), g => [R(g, [2, 3]), R(g, [3])]),
            ["minimum"] = (x => Tensor.Minimum(x[0], x[1]), g => [R(g, [2, 3]), R(g, [2, 1])]),
            ["to_float_and_back"] = (x => x[0].Float().Double() * 3.0, g => [R(g, [3])]),
            ["composite_mlp"] = (x => Tensor.Addmm(x[2], x[0], x[1]).Tanh().Mm(x[3]).Sigmoid().Mean(), g => [R(g, [4, 3]), R(g, [3, 5]), R(g, [5]), R(g, [5, 2])]),
        };
        return t;
    }

    [Theory]
    [MemberData(nameof(Ops))]
    public void BackwardMatchesFiniteDifferences(string op)
    {
        var (f, inputs) = OpTable[op];
        var g = new RandomGenerator(op.GetHashCode(StringComparison.Ordinal) & 0x7fff);
        // A float32 round trip rounds the forward values, so finite differences need a larger step there.
        bool lowPrecision = op == "to_float_and_back";
        var result = StaticGrad.GradCheck.Check(f, inputs(g), lowPrecision ? 1e-2 : Eps, lowPrecision ? 1e-4 : Atol, lowPrecision ? 1e-4 : Rtol, raiseException: false);
        Assert.True(result.Passed, op + ":\n" + result.Report);
    }

    [Fact]
    public void GradCheckReportsAWrongGradient()
    {
        // exp(x) recorded with Sin's node would be wrong: check the checker itself with a deliberately mismatched function.
        var x = Tensor.FromArray([0.3, -0.2], requiresGrad: true);
        var calls = 0;
        var result = StaticGrad.GradCheck.Check(
            inputs => StaticGrad.Autograd.IsGradEnabled ? inputs[0] * 2.0 : inputs[0] * (3.0 + 0 * calls++),
            [x], raiseException: false);
        Assert.False(result.Passed);
        Assert.Equal(2, result.MismatchCount);
        Assert.Throws<InvalidOperationException>(() => StaticGrad.GradCheck.Check(
            inputs => StaticGrad.Autograd.IsGradEnabled ? inputs[0] * 2.0 : inputs[0] * 3.0, [x]));
    }
}

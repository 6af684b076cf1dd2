namespace StaticGrad.Generator.Tests.TensorMethods;

/// <summary>
/// Tensor-bodied [Differentiable] methods, one or more per supported operation, compiled once with the generator.
/// Each method is also plain C# over the runtime, so calling it on tensors that require grad records the runtime
/// tape: that is the reference its generated backward is compared with.
/// </summary>
internal static class TensorCorpus
{
    /// <summary>Method name → shapes of its Tensor parameters, and whether inputs must be positive (Log, Sqrt, division).</summary>
    public static readonly IReadOnlyDictionary<string, (int[][] Shapes, bool Positive)> Cases = new Dictionary<string, (int[][], bool)>
    {
        ["Add"] = (new[] { new[] { 3, 4 }, new[] { 4 } }, false),
        ["Sub"] = (new[] { new[] { 3, 4 }, new[] { 3, 1 } }, false),
        ["Mul"] = (new[] { new[] { 3, 4 }, new[] { 1, 4 } }, false),
        ["Div"] = (new[] { new[] { 3, 4 }, new[] { 3, 4 } }, true),
        ["DivBroadcast"] = (new[] { new[] { 2, 3, 4 }, new[] { 4 } }, true),
        ["Scalars"] = (new[] { new[] { 3, 4 } }, true),
        ["ScalarParameter"] = (new[] { new[] { 5 } }, true),
        ["Neg"] = (new[] { new[] { 2, 3 } }, false),
        ["MatMul2D"] = (new[] { new[] { 3, 4 }, new[] { 4, 5 } }, false),
        ["MatMulVectorMatrix"] = (new[] { new[] { 4 }, new[] { 4, 5 } }, false),
        ["MatMulMatrixVector"] = (new[] { new[] { 3, 4 }, new[] { 4 } }, false),
        ["MatMulDot"] = (new[] { new[] { 4 }, new[] { 4 } }, false),
        ["MatMulBatched"] = (new[] { new[] { 2, 3, 4 }, new[] { 4, 5 } }, false),
        ["MatMulBatchedLeftBroadcast"] = (new[] { new[] { 3, 4 }, new[] { 2, 4, 5 } }, false),
        ["MatMulVectorBatched"] = (new[] { new[] { 4 }, new[] { 2, 4, 3 } }, false),
        ["MatMulBatchedVector"] = (new[] { new[] { 2, 3, 4 }, new[] { 4 } }, false),
        ["Mm"] = (new[] { new[] { 3, 4 }, new[] { 4, 2 } }, false),
        ["TransposeT"] = (new[] { new[] { 3, 4 }, new[] { 3, 5 } }, false),
        ["Transpose"] = (new[] { new[] { 2, 3, 4 } }, false),
        ["Tanh"] = (new[] { new[] { 3, 4 } }, false),
        ["Sigmoid"] = (new[] { new[] { 3, 4 } }, false),
        ["Relu"] = (new[] { new[] { 4, 5 } }, false),
        ["Exp"] = (new[] { new[] { 3, 4 } }, false),
        ["Log"] = (new[] { new[] { 3, 4 } }, true),
        ["Sqrt"] = (new[] { new[] { 3, 4 } }, true),
        ["Square"] = (new[] { new[] { 3, 4 } }, false),
        ["Pow"] = (new[] { new[] { 3, 4 } }, true),
        ["Sum"] = (new[] { new[] { 3, 4 } }, false),
        ["SumDim"] = (new[] { new[] { 3, 4 } }, false),
        ["SumDimKeep"] = (new[] { new[] { 2, 3, 4 } }, false),
        ["Mean"] = (new[] { new[] { 3, 4 } }, false),
        ["MeanDim"] = (new[] { new[] { 3, 4 } }, false),
        ["MeanDimKeep"] = (new[] { new[] { 2, 3, 4 } }, false),
        ["Softmax"] = (new[] { new[] { 3, 5 } }, false),
        ["LogSoftmax"] = (new[] { new[] { 3, 5 } }, false),
        ["Detach"] = (new[] { new[] { 3, 4 } }, false),
        ["StaticCalls"] = (new[] { new[] { 3, 4 }, new[] { 4 } }, true),
        ["Reassigned"] = (new[] { new[] { 3, 4 }, new[] { 3, 4 } }, false),
        ["ReusedOperand"] = (new[] { new[] { 3, 4 } }, false),
        ["ShapeQuery"] = (new[] { new[] { 6, 2 } }, false),
        ["NoGradTarget"] = (new[] { new[] { 4, 3 }, new[] { 4, 3 } }, false),
        ["Identity"] = (new[] { new[] { 2, 2 } }, false),
        ["MlpMse"] = (new[] { new[] { 8, 3 }, new[] { 3, 6 }, new[] { 6 }, new[] { 6, 2 }, new[] { 2 }, new[] { 8, 2 } }, false),
        ["MlpCrossEntropy"] = (new[] { new[] { 8, 3 }, new[] { 3, 6 }, new[] { 6 }, new[] { 6, 4 }, new[] { 4 }, new[] { 8, 4 } }, false),
        ["HostileNames"] = (new[] { new[] { 3, 4 }, new[] { 3, 4 } }, false),
    };

    public const string Source = """
        using StaticGrad;

        namespace Corpus;

        public static partial class Ops
        {
            [Differentiable] public static Tensor Add(Tensor a, Tensor b) => a + b;
            [Differentiable] public static Tensor Sub(Tensor a, Tensor b) => a - b;
            [Differentiable] public static Tensor Mul(Tensor a, Tensor b) => a * b;
            [Differentiable] public static Tensor Div(Tensor a, Tensor b) => a / b;
            [Differentiable] public static Tensor DivBroadcast(Tensor a, Tensor b) => b / a;

            [Differentiable]
            public static Tensor Scalars(Tensor a)
            {
                var s = a + 2.5;
                s = 1.5 + s;
                s = s - 0.25;
                s = 3.0 - s * 2;
                s = 0.5 * s / 4.0;
                return 2.0 / (s * s + 1.0);
            }

            [Differentiable] public static Tensor ScalarParameter(Tensor a, double k, int n) => (a * k - n) / (k * n + 1);
            [Differentiable] public static Tensor Neg(Tensor a) => -a;
            [Differentiable] public static Tensor MatMul2D(Tensor a, Tensor b) => a.MatMul(b);
            [Differentiable] public static Tensor MatMulVectorMatrix(Tensor a, Tensor b) => a.MatMul(b);
            [Differentiable] public static Tensor MatMulMatrixVector(Tensor a, Tensor b) => a.MatMul(b);
            [Differentiable] public static Tensor MatMulDot(Tensor a, Tensor b) => a.MatMul(b);
            [Differentiable] public static Tensor MatMulBatched(Tensor a, Tensor b) => a.MatMul(b);
            [Differentiable] public static Tensor MatMulBatchedLeftBroadcast(Tensor a, Tensor b) => a.MatMul(b);
            [Differentiable] public static Tensor MatMulVectorBatched(Tensor a, Tensor b) => a.MatMul(b);
            [Differentiable] public static Tensor MatMulBatchedVector(Tensor a, Tensor b) => a.MatMul(b);
            [Differentiable] public static Tensor Mm(Tensor a, Tensor b) => a.Mm(b);
            [Differentiable] public static Tensor TransposeT(Tensor a, Tensor b) => a.T.MatMul(b);
            [Differentiable] public static Tensor Transpose(Tensor a) => a.Transpose(0, 2) * 2.0;
            [Differentiable] public static Tensor Tanh(Tensor a) => a.Tanh();
            [Differentiable] public static Tensor Sigmoid(Tensor a) => a.Sigmoid();
            [Differentiable] public static Tensor Relu(Tensor a) => a.Relu();
            [Differentiable] public static Tensor Exp(Tensor a) => a.Exp();
            [Differentiable] public static Tensor Log(Tensor a) => a.Log();
            [Differentiable] public static Tensor Sqrt(Tensor a) => a.Sqrt();
            [Differentiable] public static Tensor Square(Tensor a) => a.Square();
            [Differentiable] public static Tensor Pow(Tensor a) => a.Pow(3.0) + a.Pow(-0.5) + a.Pow(0.0);
            [Differentiable] public static Tensor Sum(Tensor a) => a.Sum();
            [Differentiable] public static Tensor SumDim(Tensor a) => a.Sum(1);
            [Differentiable] public static Tensor SumDimKeep(Tensor a) => a.Sum(-2, keepDim: true);
            [Differentiable] public static Tensor Mean(Tensor a) => a.Mean();
            [Differentiable] public static Tensor MeanDim(Tensor a) => a.Mean(0);
            [Differentiable] public static Tensor MeanDimKeep(Tensor a) => a.Mean(1, true);
            [Differentiable] public static Tensor Softmax(Tensor a) => a.Softmax(1);
            [Differentiable] public static Tensor LogSoftmax(Tensor a) => a.LogSoftmax(-1);
            [Differentiable] public static Tensor Detach(Tensor a) => a * a.Detach() + a.Detach().Exp();
            [Differentiable] public static Tensor StaticCalls(Tensor a, Tensor b) => Tensor.Mul(Tensor.Add(a, b), Tensor.Div(a, 2.0)) - Tensor.Sub(b, a);

            [Differentiable]
            public static Tensor Reassigned(Tensor a, Tensor b)
            {
                Tensor h = a * b;
                h = h.Tanh();
                h += a;
                h *= b;
                var unused = b.Exp();
                return h;
            }

            [Differentiable] public static Tensor ReusedOperand(Tensor a) => a * a + a;
            [Differentiable] public static Tensor ShapeQuery(Tensor a) => a.Sum() / (a.Size(0) * a.Dim) + a.Mean() * a.NumElements;
            [Differentiable] public static Tensor NoGradTarget(Tensor a, [NoGrad] Tensor target) => ((a - target) * (a - target)).Mean();
            [Differentiable] public static Tensor Identity(Tensor a) => a;

            [Differentiable]
            public static Tensor MlpMse(Tensor x, Tensor w1, Tensor b1, Tensor w2, Tensor b2, [NoGrad] Tensor y)
            {
                var h = (x.MatMul(w1) + b1).Tanh();
                var output = h.MatMul(w2) + b2;
                var diff = output - y;
                return (diff * diff).Mean();
            }

            /// <summary>Cross-entropy of softmax(logits) against one-hot targets (a probability per row).</summary>
            [Differentiable]
            public static Tensor MlpCrossEntropy(Tensor x, Tensor w1, Tensor b1, Tensor w2, Tensor b2, [NoGrad] Tensor oneHot)
            {
                var h = (x.MatMul(w1) + b1).Relu();
                var logits = h.MatMul(w2) + b2;
                return -(oneHot * logits.LogSoftmax(1)).Sum(1).Mean();
            }

            // Names the generated backward and fused node use themselves (docs/generated-names.md), and a keyword.
            [Differentiable]
            public static Tensor HostileNames(Tensor x, Tensor dX, double _t0, double seed)
            {
                var @in = x * dX + _t0;
                var _record = @in.Tanh() * seed;
                var gradOutput = _record + x;
                var _dX = gradOutput * gradOutput;
                return _dX.Sum();
            }
        }
        """;
}

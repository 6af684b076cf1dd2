using StaticGrad.Nn;
using StaticGrad.Optim;

namespace StaticGrad.Benchmarks.Workloads.Runtime;

/// <summary>
/// The tensor-runtime workloads of issue 17, the same ones the optional TorchSharp comparison
/// (benchmarks/TorchSharpComparison) runs on libtorch: each method is one timed unit of work. Like the TorchSharp code,
/// a workload zeroes the previous gradient in place (<c>grad?.zero_()</c>), so both accumulate into the same buffer.
/// </summary>
public sealed class RuntimeWorkloads
{
    private readonly Tensor _a;
    private readonly Tensor _b;
    private readonly Tensor _x;
    private readonly Tensor _logits;
    private readonly Tensor _rows;
    private readonly Tensor _row;
    private readonly Sequential _mlp;
    private readonly Sgd _sgd;
    private readonly Tensor _images;
    private readonly Tensor _labels;
    private readonly CrossEntropyLoss _loss = new();

    public RuntimeWorkloads(int matrixSize, DType dtype)
    {
        _a = Tensor.Randn([matrixSize, matrixSize], seed: 1, dtype: dtype);
        _b = Tensor.Randn([matrixSize, matrixSize], seed: 2, dtype: dtype);
        _x = Tensor.Randn([1_000_000], seed: 3, dtype: dtype).SetRequiresGrad();
        _logits = Tensor.Randn([64, 1000], seed: 4, dtype: dtype).SetRequiresGrad();
        _rows = Tensor.Randn([64, 1000], seed: 5, dtype: dtype).SetRequiresGrad();
        _row = Tensor.Randn([1000], seed: 6, dtype: dtype).SetRequiresGrad();
        _mlp = new Sequential(new Linear(784, 128, dtype: dtype), new ReLU(), new Linear(128, 10, dtype: dtype));
        _sgd = new Sgd(_mlp.Parameters(), lr: 0.01);
        _images = Tensor.Randn([64, 784], seed: 7, dtype: dtype);
        _labels = Tensor.FromArray(Enumerable.Range(0, 64).Select(i => (long)(i % 10)).ToArray());
    }

    /// <summary>C = A·B.</summary>
    public Tensor MatMul() => _a.MatMul(_b);

    /// <summary>sum(tanh(x)·sigmoid(x) + exp(−x²)) over 10⁶ elements, forward and backward.</summary>
    public void ElementwiseChain()
    {
        _x.Grad?.ZeroInPlace();
        var y = (_x.Tanh() * _x.Sigmoid()) + (_x * _x).Neg().Exp();
        y.Sum().Backward();
    }

    /// <summary>One training step of a 784-128-10 ReLU MLP on a batch of 64 with cross-entropy and SGD.</summary>
    public void MlpStep()
    {
        _sgd.ZeroGrad();
        _loss.Forward(_mlp.Forward(_images), _labels).Backward();
        _sgd.Step();
    }

    /// <summary>softmax and log_softmax over the last dimension of [64, 1000], forward and backward.</summary>
    public void Softmax()
    {
        _logits.Grad?.ZeroInPlace();
        (_logits.Softmax(-1).Sum(0).Sum() + _logits.LogSoftmax(-1).Sum()).Backward();
    }

    /// <summary>sum over dim 1 of [64, 1000], forward and backward.</summary>
    public void SumDim()
    {
        _rows.Grad?.ZeroInPlace();
        _rows.Sum(1).Sum().Backward();
    }

    /// <summary>[64, 1000] + [1000] with broadcasting, forward and backward.</summary>
    public void BroadcastAdd()
    {
        _rows.Grad?.ZeroInPlace();
        _row.Grad?.ZeroInPlace();
        (_rows + _row).Sum().Backward();
    }
}

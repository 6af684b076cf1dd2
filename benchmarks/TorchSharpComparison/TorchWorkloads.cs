using TorchSharp;
using static TorchSharp.torch;
using Tensor = TorchSharp.torch.Tensor;

namespace TorchSharpComparison;

/// <summary>The workloads of <c>RuntimeWorkloads</c>, written the same way on TorchSharp (libtorch).</summary>
public sealed class TorchWorkloads
{
    private readonly Tensor _a;
    private readonly Tensor _b;
    private readonly Tensor _x;
    private readonly Tensor _logits;
    private readonly Tensor _rows;
    private readonly Tensor _row;
    private readonly nn.Module<Tensor, Tensor> _mlp;
    private readonly optim.Optimizer _sgd;
    private readonly Tensor _images;
    private readonly Tensor _labels;
    private readonly nn.Module<Tensor, Tensor, Tensor> _loss = nn.CrossEntropyLoss();

    public TorchWorkloads(int matrixSize, ScalarType dtype)
    {
        _a = randn([matrixSize, matrixSize], dtype: dtype);
        _b = randn([matrixSize, matrixSize], dtype: dtype);
        _x = randn([1_000_000], dtype: dtype).requires_grad_();
        _logits = randn([64, 1000], dtype: dtype).requires_grad_();
        _rows = randn([64, 1000], dtype: dtype).requires_grad_();
        _row = randn([1000], dtype: dtype).requires_grad_();
        _mlp = nn.Sequential(nn.Linear(784, 128), nn.ReLU(), nn.Linear(128, 10));
        _mlp.to(dtype);
        _sgd = optim.SGD(_mlp.parameters(), 0.01);
        _images = randn([64, 784], dtype: dtype);
        _labels = tensor(Enumerable.Range(0, 64).Select(i => (long)(i % 10)).ToArray());
    }

    public void MatMul()
    {
        using var scope = NewDisposeScope();
        _a.matmul(_b);
    }

    public void ElementwiseChain()
    {
        using var scope = NewDisposeScope();
        _x.grad?.zero_();
        var y = (_x.tanh() * _x.sigmoid()) + (_x * _x).neg().exp();
        y.sum().backward();
    }

    public void MlpStep()
    {
        using var scope = NewDisposeScope();
        _sgd.zero_grad();
        _loss.call(_mlp.call(_images), _labels).backward();
        _sgd.step();
    }

    public void Softmax()
    {
        using var scope = NewDisposeScope();
        _logits.grad?.zero_();
        (_logits.softmax(-1L).sum(0L).sum() + _logits.log_softmax(-1L).sum()).backward();
    }

    public void SumDim()
    {
        using var scope = NewDisposeScope();
        _rows.grad?.zero_();
        _rows.sum(1L).sum().backward();
    }

    public void BroadcastAdd()
    {
        using var scope = NewDisposeScope();
        _rows.grad?.zero_();
        _row.grad?.zero_();
        (_rows + _row).sum().backward();
    }
}

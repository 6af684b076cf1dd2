namespace StaticGrad.Benchmarks.Workloads.TensorMethods;

/// <summary>
/// The MLP of <see cref="Mlp.MlpProblem"/> (Linear → Tanh → Linear, mean squared error) as a Tensor-bodied
/// [Differentiable] method: weights in nn.Linear's [out, in] layout, so the same tensors serve the tape and the
/// generated <c>LossBackward</c> / <c>LossFused</c>.
/// </summary>
public static partial class TensorMlpLoss
{
    // Tensor = true: the benchmark compares the fused node with the tape and the static backward.
    [Differentiable(Tensor = true)]
    public static Tensor Loss([NoGrad] Tensor x, Tensor w1, Tensor b1, Tensor w2, Tensor b2, [NoGrad] Tensor y)
    {
        var h = (x.MatMul(w1.T) + b1).Tanh();
        var diff = h.MatMul(w2.T) + b2 - y;
        return (diff * diff).Mean();
    }
}

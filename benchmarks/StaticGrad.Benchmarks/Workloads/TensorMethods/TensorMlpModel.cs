using StaticGrad.Benchmarks.Workloads.Mlp;

namespace StaticGrad.Benchmarks.Workloads.TensorMethods;

/// <summary>
/// One SGD training step of the <see cref="MlpProblem"/> MLP at batch 64 through <see cref="TensorMlpLoss.Loss"/>,
/// three ways: the runtime tape (the method called on weights that require grad, then <c>Backward</c>), the generated
/// static backward (<c>LossBackward</c>: tensor-level VJPs, no graph), and the fused node (<c>LossFused</c>: one
/// graph node whose backward is <c>LossBackward</c>'s reverse sweep). Each variant owns its copy of the weights.
/// </summary>
public sealed class TensorMlpModel
{
    private readonly Tensor _x;
    private readonly Tensor _y;
    private readonly Tensor[] _weights;

    public TensorMlpModel(MlpProblem problem)
    {
        _x = Tensor.FromArray(problem.X, [MlpProblem.Batch, MlpProblem.Inputs]);
        _y = Tensor.FromArray(problem.Y, [MlpProblem.Batch, MlpProblem.Outputs]);
        _weights =
        [
            Tensor.FromArray(problem.W1, [MlpProblem.Hidden, MlpProblem.Inputs], requiresGrad: true),
            Tensor.FromArray(problem.B1, [MlpProblem.Hidden], requiresGrad: true),
            Tensor.FromArray(problem.W2, [MlpProblem.Outputs, MlpProblem.Hidden], requiresGrad: true),
            Tensor.FromArray(problem.B2, [MlpProblem.Outputs], requiresGrad: true),
        ];
    }

    /// <summary>The runtime tape: forward recorded op by op, <c>Backward</c>, SGD. Returns the loss before the update.</summary>
    public double TapeStep()
    {
        ZeroGrad();
        var loss = TensorMlpLoss.Loss(_x, _weights[0], _weights[1], _weights[2], _weights[3], _y);
        loss.Backward();
        Update(_weights[0].Grad!, _weights[1].Grad!, _weights[2].Grad!, _weights[3].Grad!);
        return loss.Item();
    }

    /// <summary>The generated static backward: no graph at all. Returns the loss before the update.</summary>
    public double StaticStep()
    {
        Tensor? dW1 = null, dB1 = null, dW2 = null, dB2 = null;
        var loss = TensorMlpLoss.LossBackward(_x, _weights[0], _weights[1], _weights[2], _weights[3], _y, ref dW1, ref dB1, ref dW2, ref dB2);
        Update(dW1!, dB1!, dW2!, dB2!);
        return loss.Item();
    }

    /// <summary>The fused node: one graph node, <c>Backward</c> through the engine, SGD. Returns the loss before the update.</summary>
    public double FusedStep()
    {
        ZeroGrad();
        var loss = TensorMlpLoss.LossFused(_x, _weights[0], _weights[1], _weights[2], _weights[3], _y);
        loss.Backward();
        Update(_weights[0].Grad!, _weights[1].Grad!, _weights[2].Grad!, _weights[3].Grad!);
        return loss.Item();
    }

    /// <summary>The static backward's gradients at the current weights (for the setup check against the tape).</summary>
    public Tensor[] StaticGradients()
    {
        Tensor? dW1 = null, dB1 = null, dW2 = null, dB2 = null;
        TensorMlpLoss.LossBackward(_x, _weights[0], _weights[1], _weights[2], _weights[3], _y, ref dW1, ref dB1, ref dW2, ref dB2);
        return [dW1!, dB1!, dW2!, dB2!];
    }

    /// <summary>The tape's gradients at the current weights (for the setup check).</summary>
    public Tensor[] TapeGradients()
    {
        ZeroGrad();
        TensorMlpLoss.Loss(_x, _weights[0], _weights[1], _weights[2], _weights[3], _y).Backward();
        return [.. _weights.Select(w => w.Grad!.Clone())];
    }

    private void ZeroGrad()
    {
        foreach (var w in _weights)
        {
            w.Grad = null;
        }
    }

    private void Update(params Tensor[] gradients)
    {
        using (Autograd.NoGrad())
        {
            for (var i = 0; i < _weights.Length; i++)
            {
                _weights[i].SubInPlace(gradients[i], MlpProblem.LearningRate);
            }
        }
    }
}

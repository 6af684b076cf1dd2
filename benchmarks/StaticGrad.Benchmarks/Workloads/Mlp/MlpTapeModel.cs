using StaticGrad.Nn;
using StaticGrad.Optim;

namespace StaticGrad.Benchmarks.Workloads.Mlp;

/// <summary>
/// The same MLP as a PyTorch user writes it with StaticGrad's runtime: Linear → Tanh → Linear, MseLoss, Sgd. It holds
/// its own copy of the weights (taken from <see cref="MlpProblem"/>), as nn.Module parameters do.
/// </summary>
public sealed class MlpTapeModel
{
    private readonly Linear _hidden = new(MlpProblem.Inputs, MlpProblem.Hidden);
    private readonly Tanh _activation = new();
    private readonly Linear _output = new(MlpProblem.Hidden, MlpProblem.Outputs);
    private readonly MseLoss _loss = new();
    private readonly Sgd _optimizer;
    private readonly Tensor _x;
    private readonly Tensor _y;

    public MlpTapeModel(MlpProblem problem)
    {
        using (Autograd.NoGrad())
        {
            _hidden.Weight.CopyFrom(Tensor.FromArray(problem.W1, [MlpProblem.Hidden, MlpProblem.Inputs]));
            _hidden.Bias!.CopyFrom(Tensor.FromArray(problem.B1, [MlpProblem.Hidden]));
            _output.Weight.CopyFrom(Tensor.FromArray(problem.W2, [MlpProblem.Outputs, MlpProblem.Hidden]));
            _output.Bias!.CopyFrom(Tensor.FromArray(problem.B2, [MlpProblem.Outputs]));
        }

        _x = Tensor.FromArray(problem.X, [MlpProblem.Batch, MlpProblem.Inputs]);
        _y = Tensor.FromArray(problem.Y, [MlpProblem.Batch, MlpProblem.Outputs]);
        _optimizer = new Sgd([.. _hidden.Parameters(), .. _output.Parameters()], MlpProblem.LearningRate);
    }

    /// <summary>zero_grad, forward, backward, step: one training step; returns the loss before the update.</summary>
    public double Step()
    {
        var loss = Backward();
        _optimizer.Step();
        return loss;
    }

    /// <summary>The gradient at the current weights (W1, b1, W2, b2 flattened in order), without updating.</summary>
    public double Gradient(Span<double> gradient)
    {
        var loss = Backward();
        var offset = 0;
        foreach (var parameter in (Tensor[])[_hidden.Weight, _hidden.Bias!, _output.Weight, _output.Bias!])
        {
            var g = parameter.Grad!.ToArray();
            g.CopyTo(gradient[offset..]);
            offset += g.Length;
        }

        return loss;
    }

    private double Backward()
    {
        _optimizer.ZeroGrad();
        var loss = _loss.Forward(_output.Forward(_activation.Forward(_hidden.Forward(_x))), _y);
        loss.Backward();
        return loss.Item();
    }
}

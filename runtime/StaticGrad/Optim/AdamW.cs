namespace StaticGrad.Optim;

/// <summary>
/// Adam with decoupled weight decay, <c>p = p·(1 − lr·wd)</c> before the Adam update (PyTorch's
/// <c>torch.optim.AdamW</c>, whose default decay is 0.01).
/// </summary>
public sealed class AdamW : Adam
{
    /// <summary>Creates the optimizer over one group of <paramref name="parameters"/>.</summary>
    /// <param name="parameters">The tensors to optimize.</param>
    /// <param name="lr">The learning rate.</param>
    /// <param name="beta1">The decay rate of the gradient average.</param>
    /// <param name="beta2">The decay rate of the squared-gradient average.</param>
    /// <param name="eps">Added to the denominator for numerical stability.</param>
    /// <param name="weightDecay">The decoupled weight decay rate.</param>
    /// <param name="amsgrad">Use the AMSGrad variant.</param>
    /// <param name="maximize">Maximise the objective instead of minimising it.</param>
    public AdamW(IEnumerable<Tensor> parameters, double lr = 1e-3, double beta1 = 0.9, double beta2 = 0.999, double eps = 1e-8, double weightDecay = 1e-2, bool amsgrad = false, bool maximize = false)
        : base(parameters, lr, beta1, beta2, eps, weightDecay, amsgrad, maximize, decoupledWeightDecay: true)
    {
    }

    /// <summary>Creates the optimizer over parameter groups; the other arguments are the defaults of options a group leaves null.</summary>
    /// <param name="groups">The groups.</param>
    /// <param name="lr">The default learning rate.</param>
    /// <param name="beta1">The default β₁.</param>
    /// <param name="beta2">The default β₂.</param>
    /// <param name="eps">The default eps.</param>
    /// <param name="weightDecay">The default decoupled weight decay rate.</param>
    /// <param name="amsgrad">The default for AMSGrad.</param>
    /// <param name="maximize">The default for maximising.</param>
    public AdamW(IEnumerable<ParamGroup> groups, double lr = 1e-3, double beta1 = 0.9, double beta2 = 0.999, double eps = 1e-8, double weightDecay = 1e-2, bool amsgrad = false, bool maximize = false)
        : base(groups, lr, beta1, beta2, eps, weightDecay, amsgrad, maximize, decoupledWeightDecay: true)
    {
    }
}

namespace StaticGrad.Optim;

/// <summary>
/// A set of parameters with its own hyperparameters (one of PyTorch's <c>optimizer.param_groups</c> dicts). Options
/// left null take the optimizer's defaults when the group is added; afterwards they hold the values in force, and
/// may be changed between steps (a learning-rate schedule sets <see cref="Lr"/>).
/// </summary>
public sealed class ParamGroup
{
    /// <summary>Creates a group of <paramref name="parameters"/>.</summary>
    /// <param name="parameters">The tensors, in a fixed order (a list or array, not a set).</param>
    /// <exception cref="ArgumentException">
    /// <paramref name="parameters"/> is a set, whose order changes between runs, as PyTorch's message says.
    /// </exception>
    public ParamGroup(IEnumerable<Tensor> parameters)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        if (parameters is ISet<Tensor> or IReadOnlySet<Tensor>)
        {
            throw new ArgumentException(OptimizerMessages.SetInGroup, nameof(parameters));
        }

        Parameters = parameters.ToArray();
    }

    /// <summary>The parameters of the group, in the order given.</summary>
    public IReadOnlyList<Tensor> Parameters { get; }

    /// <summary>The learning rate.</summary>
    public double? Lr { get; set; }

    /// <summary>The L2 penalty (SGD, Adam) or the decoupled decay rate (AdamW).</summary>
    public double? WeightDecay { get; set; }

    /// <summary>Whether the objective is maximised instead of minimised.</summary>
    public bool? Maximize { get; set; }

    /// <summary>SGD: the momentum factor.</summary>
    public double? Momentum { get; set; }

    /// <summary>SGD: the dampening of the momentum's gradient term.</summary>
    public double? Dampening { get; set; }

    /// <summary>SGD: whether Nesterov momentum is used.</summary>
    public bool? Nesterov { get; set; }

    /// <summary>Adam: the decay rate of the running average of gradients (β₁).</summary>
    public double? Beta1 { get; set; }

    /// <summary>Adam: the decay rate of the running average of squared gradients (β₂).</summary>
    public double? Beta2 { get; set; }

    /// <summary>Adam: the term added to the denominator for numerical stability.</summary>
    public double? Eps { get; set; }

    /// <summary>Adam: whether the AMSGrad variant (maximum of past squared averages) is used.</summary>
    public bool? Amsgrad { get; set; }

    /// <summary>Adam: whether weight decay is decoupled from the gradient (AdamW) instead of an L2 term.</summary>
    public bool? DecoupledWeightDecay { get; set; }
}

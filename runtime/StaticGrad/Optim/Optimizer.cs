using StaticGrad.Nn;

namespace StaticGrad.Optim;

/// <summary>
/// The base of the optimizers (PyTorch's <c>torch.optim.Optimizer</c>): parameter groups with per-group options,
/// per-parameter state, <see cref="ZeroGrad"/> and <see cref="Step"/>. A step updates exactly the parameters whose
/// <see cref="Tensor.Grad"/> is not null: it never looks at <see cref="Tensor.RequiresGrad"/>, as in PyTorch, so a
/// frozen parameter with a stale gradient still moves (clear it with <see cref="ZeroGrad"/>).
/// </summary>
public abstract class Optimizer
{
    private readonly List<ParamGroup> _groups = new();
    private readonly Dictionary<Tensor, ParameterState> _state = new(ReferenceEqualityComparer.Instance);

    /// <summary>Creates the optimizer over one group of <paramref name="parameters"/>.</summary>
    /// <param name="parameters">The tensors to optimize: leaves, or non-leaves that retain their gradient.</param>
    /// <exception cref="ArgumentException">The list is empty, has a null or a non-leaf tensor.</exception>
    protected Optimizer(IEnumerable<Tensor> parameters)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        // PyTorch accepts a set at the top level (it takes list(params)); only a set inside a group is refused.
        var list = parameters.ToList();
        if (list.Count == 0)
        {
            throw new ArgumentException(OptimizerMessages.EmptyParameterList, nameof(parameters));
        }

        PendingGroups = new[] { new ParamGroup(list) };
    }

    /// <summary>Creates the optimizer over parameter groups with their own options.</summary>
    /// <param name="groups">The groups; options they leave null take the optimizer's defaults.</param>
    /// <exception cref="ArgumentException">There is no group, or a group is invalid (see <see cref="AddParamGroup"/>).</exception>
    protected Optimizer(IEnumerable<ParamGroup> groups)
    {
        ArgumentNullException.ThrowIfNull(groups);
        var list = groups.ToList();
        if (list.Count == 0)
        {
            throw new ArgumentException(OptimizerMessages.EmptyParameterList, nameof(groups));
        }

        PendingGroups = list;
    }

    /// <summary>The parameter groups (PyTorch's <c>optimizer.param_groups</c>).</summary>
    public IReadOnlyList<ParamGroup> ParamGroups => _groups;

    /// <summary>
    /// The per-parameter state (PyTorch's <c>optimizer.state</c>), keyed by tensor identity: e.g.
    /// <c>momentum_buffer</c> for SGD, <c>step</c>, <c>exp_avg</c>, <c>exp_avg_sq</c> for Adam. A parameter gets an
    /// entry at its first step with a gradient.
    /// </summary>
    public IReadOnlyDictionary<Tensor, ParameterState> State => _state;

    /// <summary>The groups given to the constructor, added once the derived class has set its defaults.</summary>
    private protected IReadOnlyList<ParamGroup>? PendingGroups { get; private set; }

    /// <summary>
    /// Adds a group, e.g. layers unfrozen during fine-tuning (PyTorch's <c>add_param_group</c>). Options it leaves null
    /// take the optimizer's defaults.
    /// </summary>
    /// <param name="group">The group.</param>
    /// <remarks>
    /// A tensor listed twice in one group raises PyTorch's duplicate-parameter warning through
    /// <see cref="Autograd.Warning"/> and is updated once per step (PyTorch would apply the update twice, which is why it
    /// warns).
    /// </remarks>
    /// <exception cref="ArgumentException">
    /// A tensor is null, or a non-leaf that does not retain its gradient, or already belongs to another group.
    /// </exception>
    public void AddParamGroup(ParamGroup group)
    {
        ArgumentNullException.ThrowIfNull(group);
        foreach (var parameter in group.Parameters)
        {
            if (parameter is null)
            {
                throw new ArgumentException(OptimizerMessages.NullParameter, nameof(group));
            }

            if (!(parameter.IsLeaf || parameter.RetainsGrad))
            {
                throw new ArgumentException(OptimizerMessages.NonLeaf, nameof(group));
            }
        }

        FillDefaults(group);
        var distinct = new HashSet<Tensor>(group.Parameters, ReferenceEqualityComparer.Instance);
        if (distinct.Count != group.Parameters.Count)
        {
            Autograd.Warn(OptimizerMessages.DuplicateInGroup);
        }

        if (_groups.SelectMany(g => g.Parameters).Any(distinct.Contains))
        {
            throw new ArgumentException(OptimizerMessages.SharedAcrossGroups, nameof(group));
        }

        _groups.Add(group);
    }

    /// <summary>
    /// Clears the gradients of every parameter (PyTorch's <c>zero_grad(set_to_none)</c>). With the default null,
    /// the next <see cref="Step"/> skips a parameter that gets no new gradient; with zeros it still applies momentum
    /// and weight decay to it.
    /// </summary>
    /// <param name="setToNone">Set <see cref="Tensor.Grad"/> to null instead of zeroing it in place.</param>
    public void ZeroGrad(bool setToNone = true)
    {
        foreach (var group in _groups)
        {
            foreach (var parameter in group.Parameters)
            {
                GradReset.Reset(parameter, setToNone);
            }
        }
    }

    /// <summary>Updates every parameter that has a gradient, once (PyTorch's <c>optimizer.step()</c>).</summary>
    public void Step()
    {
        using (Autograd.NoGrad())
        {
            foreach (var group in _groups)
            {
                var seen = new HashSet<Tensor>(ReferenceEqualityComparer.Instance);
                foreach (var parameter in group.Parameters)
                {
                    // GradRaw: the update reads the gradient and keeps nothing of it, so it is not handed out.
                    if (parameter.GradRaw is { } grad && seen.Add(parameter))
                    {
                        Update(group, parameter, grad, StateOf(parameter));
                    }
                }
            }
        }
    }

    /// <summary>Adds the groups given to the constructor; derived constructors call it after validating their defaults.</summary>
    private protected void AddPendingGroups()
    {
        foreach (var group in PendingGroups!)
        {
            AddParamGroup(group);
        }

        PendingGroups = null;
    }

    /// <summary>Sets every option of <paramref name="group"/> that is null to this optimizer's default.</summary>
    /// <param name="group">The group being added.</param>
    private protected abstract void FillDefaults(ParamGroup group);

    /// <summary>Applies one update to <paramref name="parameter"/>, whose gradient is <paramref name="grad"/>.</summary>
    /// <param name="group">The parameter's group, with every option filled in.</param>
    /// <param name="parameter">The parameter, updated in place (grad mode is off).</param>
    /// <param name="grad">Its gradient.</param>
    /// <param name="state">Its state, created empty at its first update.</param>
    private protected abstract void Update(ParamGroup group, Tensor parameter, Tensor grad, ParameterState state);

    private ParameterState StateOf(Tensor parameter)
    {
        if (!_state.TryGetValue(parameter, out var state))
        {
            state = new ParameterState();
            _state.Add(parameter, state);
        }

        return state;
    }
}

using System.Numerics;

namespace StaticGrad.Optim;

/// <summary>
/// Adam (PyTorch's <c>torch.optim.Adam</c>, its single-tensor CPU algorithm), with optional AMSGrad, L2 weight decay
/// or decoupled weight decay (AdamW). For each parameter with a gradient, at step t:
/// <code>
/// g = grad (negated if maximize); decoupled ? p = p·(1 − lr·wd) : g = g + wd·p
/// m = lerp(m, g, 1 − β₁);  v = β₂·v + (1 − β₂)·g²;  (AMSGrad: v̂ = max(v̂, v))
/// p = p − lr/(1 − β₁ᵗ) · m / (√v / √(1 − β₂ᵗ) + eps)
/// </code>
/// State (<c>step</c>, <c>exp_avg</c>, <c>exp_avg_sq</c>, and <c>max_exp_avg_sq</c> for AMSGrad) is created at a
/// parameter's first step with a gradient.
/// </summary>
public class Adam : Optimizer
{
    private readonly AdamOptions _defaults;

    /// <summary>Creates the optimizer over one group of <paramref name="parameters"/>.</summary>
    /// <param name="parameters">The tensors to optimize (leaves, or non-leaves that retain their gradient).</param>
    /// <param name="lr">The learning rate.</param>
    /// <param name="beta1">The decay rate of the gradient average.</param>
    /// <param name="beta2">The decay rate of the squared-gradient average.</param>
    /// <param name="eps">Added to the denominator for numerical stability.</param>
    /// <param name="weightDecay">The weight decay (an L2 term, or decoupled with <paramref name="decoupledWeightDecay"/>).</param>
    /// <param name="amsgrad">Use the AMSGrad variant.</param>
    /// <param name="maximize">Maximise the objective instead of minimising it.</param>
    /// <param name="decoupledWeightDecay">Decay the weights directly (AdamW) instead of adding an L2 term to the gradient.</param>
    /// <exception cref="ArgumentException">An option is invalid or the parameter list is (see <see cref="Optimizer.AddParamGroup"/>).</exception>
    public Adam(IEnumerable<Tensor> parameters, double lr = 1e-3, double beta1 = 0.9, double beta2 = 0.999, double eps = 1e-8, double weightDecay = 0, bool amsgrad = false, bool maximize = false, bool decoupledWeightDecay = false)
        : base(parameters)
    {
        _defaults = new AdamOptions(lr, beta1, beta2, eps, weightDecay, amsgrad, maximize, decoupledWeightDecay).Validated();
        AddPendingGroups();
    }

    /// <summary>Creates the optimizer over parameter groups; the other arguments are the defaults of options a group leaves null.</summary>
    /// <param name="groups">The groups.</param>
    /// <param name="lr">The default learning rate.</param>
    /// <param name="beta1">The default β₁.</param>
    /// <param name="beta2">The default β₂.</param>
    /// <param name="eps">The default eps.</param>
    /// <param name="weightDecay">The default weight decay.</param>
    /// <param name="amsgrad">The default for AMSGrad.</param>
    /// <param name="maximize">The default for maximising.</param>
    /// <param name="decoupledWeightDecay">The default for decoupled weight decay.</param>
    /// <exception cref="ArgumentException">An option is invalid or a group is (see <see cref="Optimizer.AddParamGroup"/>).</exception>
    public Adam(IEnumerable<ParamGroup> groups, double lr = 1e-3, double beta1 = 0.9, double beta2 = 0.999, double eps = 1e-8, double weightDecay = 0, bool amsgrad = false, bool maximize = false, bool decoupledWeightDecay = false)
        : base(groups)
    {
        _defaults = new AdamOptions(lr, beta1, beta2, eps, weightDecay, amsgrad, maximize, decoupledWeightDecay).Validated();
        AddPendingGroups();
    }

    private protected override void FillDefaults(ParamGroup group)
    {
        group.Lr ??= _defaults.Lr;
        group.Beta1 ??= _defaults.Beta1;
        group.Beta2 ??= _defaults.Beta2;
        group.Eps ??= _defaults.Eps;
        group.WeightDecay ??= _defaults.WeightDecay;
        group.Amsgrad ??= _defaults.Amsgrad;
        group.Maximize ??= _defaults.Maximize;
        group.DecoupledWeightDecay ??= _defaults.DecoupledWeightDecay;
    }

    private protected override void Update(ParamGroup group, Tensor parameter, Tensor grad, ParameterState state)
    {
        var options = new AdamOptions(
            group.Lr!.Value, group.Beta1!.Value, group.Beta2!.Value, group.Eps!.Value, group.WeightDecay!.Value,
            group.Amsgrad!.Value, group.Maximize!.Value, group.DecoupledWeightDecay!.Value);
        var step = state.TryGetValue("step", out var stepTensor) ? stepTensor.Item() + 1 : 1;
        bool firstStep = !state.TryGetValue("exp_avg", out var m);
        m ??= InPlaceElements.ZeroState(parameter);
        var v = state.TryGetValue("exp_avg_sq", out var vStored) ? vStored : InPlaceElements.ZeroState(parameter);
        Tensor? vMax = null;
        if (options.Amsgrad && !state.TryGetValue("max_exp_avg_sq", out vMax))
        {
            vMax = InPlaceElements.ZeroState(parameter);
            state.Set("max_exp_avg_sq", vMax);
        }

        var target = InPlaceElements.Target(parameter);
        if (target.DType == DType.Float64)
        {
            Kernel(target.MutableSpan<double>(), InPlaceElements.Gradient<double>(grad, DType.Float64), m.MutableSpan<double>(), v.MutableSpan<double>(), vMax is null ? default : vMax.MutableSpan<double>(), vMax is not null, options, step);
        }
        else
        {
            Kernel(target.MutableSpan<float>(), InPlaceElements.Gradient<float>(grad, DType.Float32), m.MutableSpan<float>(), v.MutableSpan<float>(), vMax is null ? default : vMax.MutableSpan<float>(), vMax is not null, options, step);
        }

        state.Set("step", stepTensor is null ? Tensor.Scalar(step, DType.Float32) : Rewrite(stepTensor, step));
        state.Set("exp_avg", m);
        state.Set("exp_avg_sq", v);
        if (!firstStep)
        {
            // Each state tensor is written once per step after its first (as the copies used to be).
            m.BumpVersion();
            v.BumpVersion();
            vMax?.BumpVersion();
        }

        InPlaceElements.Finish(parameter, target);
    }

    private static Tensor Rewrite(Tensor scalar, double value)
    {
        scalar.FillInPlace(value);
        return scalar;
    }

    private static void Kernel<T>(Span<T> p, ReadOnlySpan<T> g, Span<T> m, Span<T> v, Span<T> vMax, bool amsgrad, AdamOptions o, double step)
        where T : IFloatingPointIeee754<T>
    {
        var lr = T.CreateChecked(o.Lr);
        var wd = T.CreateChecked(o.WeightDecay);
        var oneMinusBeta1 = T.CreateChecked(1 - o.Beta1);
        var beta2 = T.CreateChecked(o.Beta2);
        var oneMinusBeta2 = T.CreateChecked(1 - o.Beta2);
        var eps = T.CreateChecked(o.Eps);
        var biasCorrection1 = 1 - Math.Pow(o.Beta1, step);
        var biasCorrection2Sqrt = T.CreateChecked(Math.Sqrt(1 - Math.Pow(o.Beta2, step)));
        var negStepSize = T.CreateChecked(-(o.Lr / biasCorrection1));
        var decay = T.One - (lr * wd);
        var half = T.CreateChecked(0.5);
        for (var i = 0; i < p.Length; i++)
        {
            var gi = o.Maximize ? -g[i] : g[i];
            if (o.WeightDecay != 0)
            {
                if (o.DecoupledWeightDecay)
                {
                    p[i] *= decay;
                }
                else
                {
                    gi += wd * p[i];
                }
            }

            // PyTorch's lerp: the form that is exact at the end point it is closer to.
            m[i] = T.Abs(oneMinusBeta1) < half
                ? m[i] + (oneMinusBeta1 * (gi - m[i]))
                : gi - ((gi - m[i]) * (T.One - oneMinusBeta1));
            v[i] = (v[i] * beta2) + (oneMinusBeta2 * gi * gi);
            var second = v[i];
            if (amsgrad)
            {
                vMax[i] = T.Max(vMax[i], v[i]);
                second = vMax[i];
            }

            var denom = (T.Sqrt(second) / biasCorrection2Sqrt) + eps;
            p[i] += negStepSize * (m[i] / denom);
        }
    }
}

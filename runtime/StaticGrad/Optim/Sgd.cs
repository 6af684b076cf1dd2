using System.Numerics;
using System.Numerics.Tensors;

namespace StaticGrad.Optim;

/// <summary>
/// Stochastic gradient descent with optional momentum, dampening, Nesterov momentum and weight decay (PyTorch's
/// <c>torch.optim.SGD</c>, its single-tensor CPU algorithm, rule R42):
/// <code>
/// g = grad (negated if maximize); if wd ≠ 0: g = g + wd·p
/// if momentum ≠ 0: buf = g at the first step, else buf = momentum·buf + (1 − dampening)·g
///                  g = nesterov ? g + momentum·buf : buf
/// p = p − lr·g
/// </code>
/// Each <c>a + α·b</c> is one fused multiply-add, as PyTorch's vectorised CPU kernels compute it on AVX2/AVX512
/// machines, so float64 results match theirs bit for bit.
/// </summary>
public sealed class Sgd : Optimizer
{
    private readonly double _lr;
    private readonly double _momentum;
    private readonly double _dampening;
    private readonly double _weightDecay;
    private readonly bool _nesterov;
    private readonly bool _maximize;

    /// <summary>Creates the optimizer over one group of <paramref name="parameters"/>.</summary>
    /// <param name="parameters">The tensors to optimize (leaves, or non-leaves that retain their gradient).</param>
    /// <param name="lr">The learning rate.</param>
    /// <param name="momentum">The momentum factor.</param>
    /// <param name="dampening">The dampening of the momentum's gradient term.</param>
    /// <param name="weightDecay">The L2 penalty.</param>
    /// <param name="nesterov">Use Nesterov momentum.</param>
    /// <param name="maximize">Maximise the objective instead of minimising it.</param>
    /// <exception cref="ArgumentException">An option is invalid or the parameter list is (see <see cref="Optimizer.AddParamGroup"/>).</exception>
    public Sgd(IEnumerable<Tensor> parameters, double lr, double momentum = 0, double dampening = 0, double weightDecay = 0, bool nesterov = false, bool maximize = false)
        : base(parameters)
    {
        (_lr, _momentum, _dampening, _weightDecay, _nesterov, _maximize) = Validate(lr, momentum, dampening, weightDecay, nesterov, maximize);
        AddPendingGroups();
    }

    /// <summary>Creates the optimizer over parameter groups; the other arguments are the defaults of options a group leaves null.</summary>
    /// <param name="groups">The groups.</param>
    /// <param name="lr">The default learning rate.</param>
    /// <param name="momentum">The default momentum factor.</param>
    /// <param name="dampening">The default dampening.</param>
    /// <param name="weightDecay">The default L2 penalty.</param>
    /// <param name="nesterov">The default for Nesterov momentum.</param>
    /// <param name="maximize">The default for maximising.</param>
    /// <exception cref="ArgumentException">An option is invalid or a group is (see <see cref="Optimizer.AddParamGroup"/>).</exception>
    public Sgd(IEnumerable<ParamGroup> groups, double lr, double momentum = 0, double dampening = 0, double weightDecay = 0, bool nesterov = false, bool maximize = false)
        : base(groups)
    {
        (_lr, _momentum, _dampening, _weightDecay, _nesterov, _maximize) = Validate(lr, momentum, dampening, weightDecay, nesterov, maximize);
        AddPendingGroups();
    }

    private protected override void FillDefaults(ParamGroup group)
    {
        group.Lr ??= _lr;
        group.Momentum ??= _momentum;
        group.Dampening ??= _dampening;
        group.WeightDecay ??= _weightDecay;
        group.Nesterov ??= _nesterov;
        group.Maximize ??= _maximize;
    }

    private protected override void Update(ParamGroup group, Tensor parameter, Tensor grad, ParameterState state)
    {
        var rule = new Rule(group.Lr!.Value, group.Momentum!.Value, group.Dampening!.Value, group.WeightDecay!.Value, group.Nesterov!.Value, group.Maximize!.Value);
        Tensor? buffer = null;
        bool firstStep = false;
        if (rule.Momentum != 0 && !state.TryGetValue("momentum_buffer", out buffer))
        {
            buffer = InPlaceElements.ZeroState(parameter);
            firstStep = true;
            state.Set("momentum_buffer", buffer);
        }

        var target = InPlaceElements.Target(parameter);
        if (target.DType == DType.Float64)
        {
            Kernel(target.MutableSpan<double>(), InPlaceElements.Gradient<double>(grad, DType.Float64), buffer is null ? default : buffer.MutableSpan<double>(), firstStep, rule);
        }
        else
        {
            Kernel(target.MutableSpan<float>(), InPlaceElements.Gradient<float>(grad, DType.Float32), buffer is null ? default : buffer.MutableSpan<float>(), firstStep, rule);
        }

        InPlaceElements.Finish(parameter, target);
        if (buffer is not null && !firstStep)
        {
            // buf.mul_(momentum).add_(g, alpha=1 - dampening): two in-place steps, two version bumps, as in PyTorch.
            buffer.BumpVersion();
            buffer.BumpVersion();
        }
    }

    /// <summary>One fused pass over the elements; the gradient is read, never written.</summary>
    private static void Kernel<T>(Span<T> p, ReadOnlySpan<T> g, Span<T> buffer, bool firstStep, Rule rule)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var negLr = T.CreateTruncating(-rule.Lr);
        if (rule.Momentum == 0 && rule.WeightDecay == 0 && !rule.Maximize)
        {
            TensorPrimitives.FusedMultiplyAdd(g, negLr, p, p);
            return;
        }

        var wd = T.CreateTruncating(rule.WeightDecay);
        var momentum = T.CreateTruncating(rule.Momentum);
        var keep = T.CreateTruncating(1 - rule.Dampening);
        bool hasBuffer = rule.Momentum != 0;
        for (int i = 0; i < p.Length; i++)
        {
            var gi = rule.Maximize ? -g[i] : g[i];
            if (rule.WeightDecay != 0)
            {
                gi = T.FusedMultiplyAdd(wd, p[i], gi);
            }

            if (hasBuffer)
            {
                var b = firstStep ? gi : T.FusedMultiplyAdd(keep, gi, buffer[i] * momentum);
                buffer[i] = b;
                gi = rule.Nesterov ? T.FusedMultiplyAdd(momentum, b, gi) : b;
            }

            p[i] = T.FusedMultiplyAdd(negLr, gi, p[i]);
        }
    }

    private readonly record struct Rule(double Lr, double Momentum, double Dampening, double WeightDecay, bool Nesterov, bool Maximize);

    private static (double, double, double, double, bool, bool) Validate(double lr, double momentum, double dampening, double weightDecay, bool nesterov, bool maximize)
    {
        if (!(lr >= 0))
        {
            throw new ArgumentException(OptimizerMessages.Invalid("learning rate", lr), nameof(lr));
        }

        if (!(momentum >= 0))
        {
            throw new ArgumentException(OptimizerMessages.Invalid("momentum value", momentum), nameof(momentum));
        }

        if (!(weightDecay >= 0))
        {
            throw new ArgumentException(OptimizerMessages.Invalid("weight_decay value", weightDecay), nameof(weightDecay));
        }

        if (nesterov && (momentum <= 0 || dampening != 0))
        {
            throw new ArgumentException(OptimizerMessages.NesterovRequirements, nameof(nesterov));
        }

        return (lr, momentum, dampening, weightDecay, nesterov, maximize);
    }
}

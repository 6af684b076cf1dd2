using StaticGrad.Nn;
using StaticGrad.Optim;
using StaticGrad.Tests.Oracle.Harness;
using static StaticGrad.Tests.Oracle.Harness.Make;

namespace StaticGrad.Tests.Oracle.Cases;

/// <summary>
/// SPEC §G (R37–R44): optimizer construction, steps that skip parameters without a gradient, zero_grad, exact update
/// rules, parameter groups and the freezing recipes. SGD values are compared bit for bit; where PyTorch's float64
/// result depends on the CPU (R42's FMA remark) the AVX512 recording is the reference, because <see cref="Sgd"/> fuses
/// <c>p − lr·g</c> as PyTorch's vectorised kernel does there.
/// </summary>
public sealed class OptimizerCases
{
    [Fact]
    public void R37_optimizer_rejects_nonleaf()
    {
        var c = OracleCase.Load(nameof(R37_optimizer_rejects_nonleaf));
        var w = T([1.0, 2.0], rg: true);
        var y = w * 2;
        c.Attempt("sgd_nonleaf", () => new Sgd([y], lr: 0.1));
        var y2 = w * 3;
        y2.RetainGrad();
        c.Attempt("sgd_nonleaf_retains_grad", () => new Sgd([y2], lr: 0.1).ParamGroups[0].Parameters.Count);
        c.AllOutputsChecked();
    }

    [Fact]
    public void R37_optimizer_constructor_errors()
    {
        var c = OracleCase.Load(nameof(R37_optimizer_constructor_errors));
        var w = T([1.0, 2.0], rg: true);
        var v = T([3.0], rg: true);
        c.Attempt("empty_list", () => new Sgd(Array.Empty<Tensor>(), lr: 0.1));

        // SGD(w) with a bare tensor is a run-time TypeError in Python; here a Tensor is not an IEnumerable<Tensor>, so it
        // does not compile. The nearest meaning: no optimizer constructor accepts a single tensor.
        Assert.False(typeof(IEnumerable<Tensor>).IsAssignableFrom(typeof(Tensor)));
        Assert.DoesNotContain(
            typeof(Sgd).GetConstructors().Concat(typeof(Adam).GetConstructors()),
            ctor => ctor.GetParameters()[0].ParameterType.IsAssignableFrom(typeof(Tensor)));
        c.NotApplicable("bare_tensor", "a bare Tensor is not an IEnumerable<Tensor>: a compile-time error in C#");

        c.Attempt("set_in_group", () => new Sgd([new ParamGroup(new HashSet<Tensor>(ReferenceEqualityComparer.Instance) { w })], lr: 0.1));
        c.Attempt("set_top_level", () => new Sgd(new HashSet<Tensor>(ReferenceEqualityComparer.Instance) { v }, lr: 0.1).ParamGroups.Count);
        c.Attempt("duplicate_across_groups", () => new Sgd([new ParamGroup([w]), new ParamGroup([w])], lr: 0.1));
        c.Attempt("duplicate_within_group", () => new Sgd([w, w], lr: 0.1).ParamGroups[0].Parameters.Count);
        // Python's non-tensor element is a float; the only non-tensor an IEnumerable<Tensor> can hold is null, and the
        // message names it as PyTorch names the offending type.
        c.Attempt(
            "non_tensor_param",
            () => new Sgd(new Tensor[] { null! }, lr: 0.1),
            message: "optimizer can only optimize Tensors, but one of the params is null");
        c.AllOutputsChecked();
    }

    [Fact]
    public void R37_optimizer_accepts_param_without_grad()
    {
        var c = OracleCase.Load(nameof(R37_optimizer_accepts_param_without_grad));
        var p = T([1.0, 2.0]);
        var optimizer = new Sgd([p], lr: 0.1);
        c.Value("n_params", optimizer.ParamGroups[0].Parameters.Count);
        optimizer.Step();
        c.Tensor("p_after_step", p);
        c.AllOutputsChecked();
    }

    [Fact]
    public void R38_step_skips_params_with_grad_none()
    {
        var c = OracleCase.Load(nameof(R38_step_skips_params_with_grad_none));
        var p1 = T([1.0, 2.0], rg: true);
        var p2 = T([3.0, 4.0], rg: true);
        var optimizer = new Sgd([p1, p2], lr: 0.1, momentum: 0.9, weightDecay: 0.5);
        (p1 * p1).Sum().Backward();
        optimizer.Step();
        c.Tensor("p1_after", p1, Tolerance.Exact);
        c.Tensor("p2_after", p2, Tolerance.Exact);
        c.Value("p1_has_momentum_buffer", optimizer.State[p1].ContainsKey("momentum_buffer"));
        c.Value("p2_in_state", optimizer.State.ContainsKey(p2));
        c.AllOutputsChecked();
    }

    [Fact]
    public void R38_optimizer_ignores_requires_grad_flag()
    {
        var c = OracleCase.Load(nameof(R38_optimizer_ignores_requires_grad_flag));
        var p = T([1.0, 2.0]);
        p.Grad = T([1.0, 1.0]);
        var optimizer = new Sgd([p], lr: 0.5);
        optimizer.Step();
        c.Tensor("p_after", p, Tolerance.Exact);
        c.AllOutputsChecked();
    }

    [Fact]
    public void R40_zero_grad_set_to_none_default()
    {
        var c = OracleCase.Load(nameof(R40_zero_grad_set_to_none_default));
        var p = T([1.0, 2.0], rg: true);
        var optimizer = new Sgd([p], lr: 0.1);
        (p * p).Sum().Backward();
        c.Tensor("before_zero_grad", p);
        optimizer.ZeroGrad();
        c.Tensor("after_zero_grad_default", p);
        (p * p).Sum().Backward();
        optimizer.ZeroGrad(setToNone: false);
        c.Tensor("after_zero_grad_set_to_none_false", p);
        var m = new Linear(1, 1);
        m.Forward(M([[1.0]])).Sum().Backward();
        m.ZeroGrad();
        c.Value("module_zero_grad_weight_grad_is_none", m.Weight.Grad is null);
        c.AllOutputsChecked();
    }

    /// <summary>q = 0.8 − 0.1·5.8 is 0.22000000000000003 with FMA (AVX512 recording) and …08 without.</summary>
    [Fact]
    public void R40_R42_frozen_after_step_set_to_none()
    {
        var c = OracleCase.Load(nameof(R40_R42_frozen_after_step_set_to_none), OracleData.Avx512);
        var p = T([1.0], rg: true);
        var q = T([1.0], rg: true);
        var optimizer = new Sgd([p, q], lr: 0.1, momentum: 0.9);
        optimizer.ZeroGrad();
        ((2.0 * p) + (2.0 * q)).Sum().Backward();
        optimizer.Step();
        c.Tensor("p_after_step1", p, Tolerance.Exact);
        c.Tensor("buf_after_step1", optimizer.State[p]["momentum_buffer"], Tolerance.Exact);
        p.SetRequiresGrad(false);
        optimizer.ZeroGrad();
        ((2.0 * p) + (4.0 * q)).Sum().Backward();
        optimizer.Step();
        c.Tensor("p_after_step2", p, Tolerance.Exact);
        c.Tensor("q_after_step2", q, Tolerance.Exact);
        c.Tensor("buf_after_step2", optimizer.State[p]["momentum_buffer"], Tolerance.Exact);
        c.AllOutputsChecked();
    }

    [Fact]
    public void R40_R42_frozen_after_step_zero_grad_false()
    {
        var c = OracleCase.Load(nameof(R40_R42_frozen_after_step_zero_grad_false));
        var p = T([1.0], rg: true);
        var q = T([1.0], rg: true);
        var optimizer = new Sgd([p, q], lr: 0.1, momentum: 0.9);
        optimizer.ZeroGrad();
        ((2.0 * p) + (2.0 * q)).Sum().Backward();
        optimizer.Step();
        c.Tensor("p_after_step1", p, Tolerance.Exact);
        p.SetRequiresGrad(false);
        optimizer.ZeroGrad(setToNone: false);
        ((2.0 * p) + (4.0 * q)).Sum().Backward();
        optimizer.Step();
        c.Tensor("p_after_step2", p, Tolerance.Exact);
        c.Tensor("buf_after_step2", optimizer.State[p]["momentum_buffer"], Tolerance.Exact);
        optimizer.ZeroGrad(setToNone: false);
        ((2.0 * p) + (4.0 * q)).Sum().Backward();
        optimizer.Step();
        c.Tensor("p_after_step3", p, Tolerance.Exact);
        c.AllOutputsChecked();
    }

    [Fact]
    public void R40_R42_frozen_weight_decay_zero_grad_false()
    {
        var c = OracleCase.Load(nameof(R40_R42_frozen_weight_decay_zero_grad_false));
        var p = T([2.0]);
        p.Grad = Tensor.Zeros([1]);
        var q = T([2.0]);
        var optimizer = new Sgd([p, q], lr: 0.5, weightDecay: 0.25);
        optimizer.Step();
        c.Tensor("p_zero_grad_after", p, Tolerance.Exact);
        c.Tensor("q_none_grad_after", q, Tolerance.Exact);
        c.AllOutputsChecked();
    }

    [Fact]
    public void R41_freeze_does_not_clear_stale_grad()
    {
        var c = OracleCase.Load(nameof(R41_freeze_does_not_clear_stale_grad));
        var p = T([1.0, 2.0], rg: true);
        var optimizer = new Sgd([p], lr: 0.1);
        (p * p).Sum().Backward();
        p.SetRequiresGrad(false);
        c.Tensor("p_after_freeze", p);
        optimizer.Step();
        c.Tensor("p_after_step1", p, Tolerance.Exact);
        optimizer.Step();
        c.Tensor("p_after_step2", p, Tolerance.Exact);
        c.AllOutputsChecked();
    }

    [Fact]
    public void R43_seed003_filter_before_vs_after()
    {
        var c = OracleCase.Load(nameof(R43_seed003_filter_before_vs_after));
        var x = M([[1.0, 2.0]]);

        var m1 = Build();
        foreach (var (name, parameter) in m1.NamedParameters())
        {
            if (name == "conv1.weight")
            {
                parameter.RequiresGrad = false;
            }
        }

        var optimizer1 = new Adam(m1.Parameters().Where(p => p.RequiresGrad), lr: 0.1);
        m1.Forward(x).Sum().Backward();
        optimizer1.Step();
        c.Value("before__n_registered", optimizer1.ParamGroups[0].Parameters.Count);
        c.Tensor("before__conv1_weight", Conv1(m1).Weight);
        c.Tensor("before__conv1_bias", Conv1(m1).Bias);

        var m2 = Build();
        var optimizer2 = new Adam(m2.Parameters(), lr: 0.1);
        Conv1(m2).Weight.RequiresGrad = false;
        m2.Forward(x).Sum().Backward();
        optimizer2.Step();
        c.Value("after__n_registered", optimizer2.ParamGroups[0].Parameters.Count);
        c.Tensor("after__conv1_weight", Conv1(m2).Weight);
        c.Tensor("after__conv1_bias", Conv1(m2).Bias);
        c.Value("after__adam_state_entries", optimizer2.State.Count);
        c.Value("after__frozen_has_state", optimizer2.State.ContainsKey(Conv1(m2).Weight));
        c.AllOutputsChecked();

        static Linear Conv1(Sequential m) => (Linear)m["conv1"];

        static Sequential Build()
        {
            var conv1 = new Linear(2, 2);
            var output = new Linear(2, 1);
            Set(conv1.Weight, M([[1.0, 0.5], [-0.5, 1.0]]));
            Set(conv1.Bias!, T([0.1, -0.1]));
            Set(output.Weight, M([[1.0, -1.0]]));
            Set(output.Bias!, T([0.0]));
            return new Sequential(("conv1", conv1), ("out", output));
        }
    }

    [Fact]
    public void R43_seed000_freeze_backbone_replace_head()
    {
        var c = OracleCase.Load(nameof(R43_seed000_freeze_backbone_replace_head));
        var backbone = new Linear(2, 2);
        var model = new Sequential(("backbone", backbone), ("act", new ReLU()), ("fc", new Linear(2, 1)));
        Set(backbone.Weight, M([[1.0, 2.0], [0.5, -1.0]]));
        Set(backbone.Bias!, T([0.0, 0.5]));
        foreach (var parameter in model.Parameters())
        {
            parameter.RequiresGrad = false;
        }

        var head = new Linear(2, 1);
        model["fc"] = head;
        Set(head.Weight, M([[0.5, 0.25]]));
        Set(head.Bias!, T([1.0]));
        var optimizer = new Sgd(model["fc"].Parameters(), lr: 1e-2, momentum: 0.9);
        var output = model.Forward(M([[1.0, 1.0]]));
        c.Tensor("output", output);
        output.Sum().Backward();
        optimizer.Step();
        c.Tensor("backbone_weight", backbone.Weight);
        c.Tensor("backbone_bias", backbone.Bias);
        c.Tensor("fc_weight", head.Weight, Tolerance.Exact);
        c.Tensor("fc_bias", head.Bias, Tolerance.Exact);
        c.AllOutputsChecked();
    }

    [Fact]
    public void R44_all_frozen_backward_fails()
    {
        var c = OracleCase.Load(nameof(R44_all_frozen_backward_fails));
        var m = new Linear(2, 1);
        foreach (var p in m.Parameters())
        {
            p.RequiresGrad = false;
        }

        var loss = m.Forward(M([[1.0, 2.0]])).Sum();
        c.Value("loss_requires_grad", loss.RequiresGrad);
        c.Attempt("backward", () => loss.Backward());
        c.AllOutputsChecked();
    }

    [Fact]
    public void R43_param_groups_defaults_and_lr_zero()
    {
        var c = OracleCase.Load(nameof(R43_param_groups_defaults_and_lr_zero));
        var a = T([1.0], rg: true);
        var b = T([1.0], rg: true);
        var optimizer = new Sgd([new ParamGroup([a]), new ParamGroup([b]) { Lr = 0.0 }], lr: 0.1, momentum: 0.5);
        ((3.0 * a) + (3.0 * b)).Sum().Backward();
        optimizer.Step();
        c.Tensor("a_after", a, Tolerance.Exact);
        c.Tensor("b_after", b, Tolerance.Exact);

        // differentiable, foreach and fused choose among PyTorch's CPU/GPU implementations; the .NET runtime has one
        // implementation, so those keys have no counterpart. Every other key must match.
        var recorded = c.Output("param_groups");
        var dotnetOnly = new HashSet<string> { "differentiable", "foreach", "fused" };
        for (var i = 0; i < optimizer.ParamGroups.Count; i++)
        {
            var group = optimizer.ParamGroups[i];
            var actual = new Dictionary<string, object?>
            {
                ["dampening"] = group.Dampening,
                ["lr"] = group.Lr,
                ["maximize"] = group.Maximize,
                ["momentum"] = group.Momentum,
                ["nesterov"] = group.Nesterov,
                ["weight_decay"] = group.WeightDecay,
            };
            var expected = recorded.GetProperty("group" + i);
            Assert.Equal(
                expected.EnumerateObject().Select(p => p.Name).Where(n => !dotnetOnly.Contains(n)).Order(),
                actual.Keys.Order());
            foreach (var (key, value) in actual)
            {
                OracleAssert.Matches(expected.GetProperty(key), value, Tolerance.Exact, $"{c.Id}.param_groups.group{i}.{key}");
            }
        }

        Assert.Equal(2, recorded.EnumerateObject().Count());
        c.AllOutputsChecked();
    }

    [Fact]
    public void R43_add_param_group_unfreeze()
    {
        var c = OracleCase.Load(nameof(R43_add_param_group_unfreeze));
        var backbone = T([1.0, 1.0]);
        var head = T([2.0], rg: true);
        var x = T([1.0, 2.0]);
        var optimizer = new Sgd([head], lr: 0.1);
        ((backbone * x).Sum() * head).Sum().Backward();
        optimizer.Step();
        c.Tensor("step1_backbone", backbone, Tolerance.Exact);
        c.Tensor("step1_head", head, Tolerance.Exact);
        backbone.SetRequiresGrad(true);
        optimizer.AddParamGroup(new ParamGroup([backbone]) { Lr = 0.01 });
        optimizer.ZeroGrad();
        ((backbone * x).Sum() * head).Sum().Backward();
        optimizer.Step();
        c.Tensor("step2_backbone", backbone, Tolerance.Exact);
        c.Tensor("step2_head", head, Tolerance.Exact);
        c.Value("n_groups", optimizer.ParamGroups.Count);
        c.Value("group1_momentum_default_filled", optimizer.ParamGroups[1].Momentum);
        c.AllOutputsChecked();
    }

    [Fact]
    public void R42_adam_state_only_for_params_with_grad()
    {
        var c = OracleCase.Load(nameof(R42_adam_state_only_for_params_with_grad));
        var p1 = T([1.0], rg: true);
        var p2 = T([1.0], rg: true);
        var optimizer = new Adam([p1, p2], lr: 0.1);
        (p1 * 2.0).Sum().Backward();
        optimizer.Step();
        c.Tensor("p1_after", p1);
        c.Tensor("p2_after", p2);
        c.Value("state_entries", optimizer.State.Count);
        c.Value("p1_state_keys", optimizer.State[p1].Keys.Order(StringComparer.Ordinal).ToList());
        c.AllOutputsChecked();
    }

    /// <summary>p = 0.8 − 0.1·5.8 is 0.22000000000000003 with FMA (AVX512 recording) and …08 without.</summary>
    [Fact]
    public void R42_sgd_momentum_arithmetic()
    {
        var c = OracleCase.Load(nameof(R42_sgd_momentum_arithmetic), OracleData.Avx512);
        var p = T([1.0], rg: true);
        var optimizer = new Sgd([p], lr: 0.1, momentum: 0.9);
        p.Grad = T([2.0]);
        optimizer.Step();
        c.Tensor("after_step1", p, Tolerance.Exact);
        c.Tensor("buf1", optimizer.State[p]["momentum_buffer"], Tolerance.Exact);
        p.Grad = T([4.0]);
        optimizer.Step();
        c.Tensor("after_step2", p, Tolerance.Exact);
        c.Tensor("buf2", optimizer.State[p]["momentum_buffer"], Tolerance.Exact);
        c.AllOutputsChecked();
    }

    [Fact]
    public void R42_sgd_dyadic_momentum_weight_decay_dampening()
    {
        var c = OracleCase.Load(nameof(R42_sgd_dyadic_momentum_weight_decay_dampening));
        var p = T([2.0], rg: true);
        var optimizer = new Sgd([p], lr: 0.25, momentum: 0.5, dampening: 0.5, weightDecay: 0.5);
        p.Grad = T([1.0]);
        optimizer.Step();
        c.Tensor("after_step1", p, Tolerance.Exact);
        c.Tensor("buf1", optimizer.State[p]["momentum_buffer"], Tolerance.Exact);
        p.Grad = T([3.0]);
        optimizer.Step();
        c.Tensor("after_step2", p, Tolerance.Exact);
        c.Tensor("buf2", optimizer.State[p]["momentum_buffer"], Tolerance.Exact);
        c.AllOutputsChecked();
    }
}

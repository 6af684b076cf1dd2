using StaticGrad.Tests.Oracle.Harness;
using static StaticGrad.Tests.Oracle.Harness.Make;

namespace StaticGrad.Tests.Oracle.Cases;

using Autograd = StaticGrad.Autograd;

/// <summary>SPEC §C, R15–R20: accumulation, retain_grad, retain_graph, freezing mid-graph, Autograd.Grad.</summary>
public sealed class AccumulationAndGraphCases
{
    [Fact]
    public void R15_grad_accumulates_across_backward_calls()
    {
        var c = OracleCase.Load(nameof(R15_grad_accumulates_across_backward_calls));
        var x = T([1.0, 2.0, 3.0], rg: true);
        (x * x).Sum().Backward();
        c.Tensor("after_first", x);
        (x * x).Sum().Backward();
        c.Tensor("after_second", x);
        x.Grad!.ZeroInPlace();
        c.Tensor("after_zero_", x);
        x.Grad = null;
        c.Tensor("after_set_none", x);
        (x * x).Sum().Backward();
        c.Tensor("after_third", x);
        c.AllOutputsChecked();
    }

    [Fact]
    public void R15_multiple_paths_sum()
    {
        var c = OracleCase.Load(nameof(R15_multiple_paths_sum));
        var x = T([1.0, 2.0], rg: true);
        var y = ((x * x) + (3.0 * x)).Sum();
        y.Backward();
        c.Tensor("x_after", x);
        c.AllOutputsChecked();
    }

    [Fact]
    public void R16_nonleaf_grad_is_none_with_warning()
    {
        var c = OracleCase.Load(nameof(R16_nonleaf_grad_is_none_with_warning));
        var x = T([1.0, 2.0], rg: true);
        var y = x * 2;
        var z = y.Sum();
        z.Backward();
        c.Attempt("y_grad", () => y.Grad);
        c.Attempt("z_grad", () => z.Grad);
        c.Attempt("x_grad_leaf_no_warning", () => x.Grad);
        c.AllOutputsChecked();
    }

    [Fact]
    public void R16_retain_grad_nonleaf()
    {
        var c = OracleCase.Load(nameof(R16_retain_grad_nonleaf));
        var x = T([1.0, 2.0], rg: true);
        var y = x * 2;
        y.RetainGrad();
        (y * y).Sum().Backward();
        c.Attempt("y_grad", () => y.Grad);
        c.Value("y_retains_grad", y.RetainsGrad);
        c.Tensor("x_after", x);
        c.AllOutputsChecked();
    }

    [Fact]
    public void R16_retain_grad_leaf_noop()
    {
        var c = OracleCase.Load(nameof(R16_retain_grad_leaf_noop));
        var x = T([1.0, 2.0], rg: true);
        c.Attempt("retain_grad", () => x.RetainGrad());
        c.Value("x_retains_grad", x.RetainsGrad);
        c.AllOutputsChecked();
    }

    [Fact]
    public void R16_retain_grad_on_tensor_without_grad()
    {
        var c = OracleCase.Load(nameof(R16_retain_grad_on_tensor_without_grad));
        var t = T([1.0, 2.0]);
        c.Attempt("retain_grad", () => t.RetainGrad());
        c.AllOutputsChecked();
    }

    [Fact]
    public void R16_retained_grad_accumulates()
    {
        var c = OracleCase.Load(nameof(R16_retained_grad_accumulates));
        var x = T([1.0, 2.0], rg: true);
        var y = x * 3;
        y.RetainGrad();
        var z = (y * y).Sum();
        z.Backward(retainGraph: true);
        c.Tensor("y_after_first", y);
        z.Backward();
        c.Tensor("y_after_second", y);
        c.Tensor("x_after_second", x);
        c.AllOutputsChecked();
    }

    [Fact]
    public void R16_seed003_detach_example()
    {
        var c = OracleCase.Load(nameof(R16_seed003_detach_example));
        var x = F32([1f, 2f], rg: true);
        var y = F32([3f, 4f], rg: true);
        var z = F32([3f, 2f], rg: true);
        x = x * 2;
        var z1 = z.Detach();
        var x1 = x.Detach();
        var y1 = (2.0 * x1) + (2.0 * y) + (3 * z1);
        y1.Backward(F32([1f, 1f]));
        c.Tensor("y1", y1);
        c.Value("x_requires_grad", x.RequiresGrad);
        c.Attempt("x_grad", () => x.Grad);
        c.Value("y_requires_grad", y.RequiresGrad);
        c.Attempt("y_grad", () => y.Grad);
        c.Value("z_requires_grad", z.RequiresGrad);
        c.Attempt("z_grad", () => z.Grad);
        c.Value("z1_requires_grad", z1.RequiresGrad);
        c.Attempt("z1_grad", () => z1.Grad);
        c.Attempt("z1_setitem", () => { z1[0] = S(5.0); });
        c.Tensor("z_after_setitem", z);
        c.Tensor("z1_after_setitem", z1);
        c.AllOutputsChecked();
    }

    [Fact]
    public void R16_seed003_gan_example()
    {
        var c = OracleCase.Load(nameof(R16_seed003_gan_example));
        var y = F32([3f, 4f], rg: true);
        var z = F32([3f, 2f], rg: true);
        var z1 = z.Detach();
        var z2 = z1 + y;
        var y1 = (3 * z2).Sum();
        y1.Backward();
        c.Tensor("z2", z2);
        c.Tensor("y1", y1);
        c.Attempt("y_grad", () => y.Grad);
        c.Attempt("z2_grad", () => z2.Grad);
        c.Attempt("z1_grad", () => z1.Grad);
        c.Attempt("z_grad", () => z.Grad);
        c.AllOutputsChecked();
    }

    [Fact]
    public void R17_backward_twice_error()
    {
        var c = OracleCase.Load(nameof(R17_backward_twice_error));
        var x = T([1.0, 2.0, 3.0], rg: true);
        var z = (x * x).Sum();
        c.Attempt("first", () => z.Backward());
        c.Tensor("x_after_first", x);
        c.Attempt("second", () => z.Backward());
        c.Tensor("x_after_second", x);
        c.AllOutputsChecked();
    }

    [Fact]
    public void R18_retain_graph_true()
    {
        var c = OracleCase.Load(nameof(R18_retain_graph_true));
        var x = T([1.0, 2.0, 3.0], rg: true);
        var z = (x * x).Sum();
        c.Attempt("first_retain", () => z.Backward(retainGraph: true));
        c.Tensor("x_after_first", x);
        c.Attempt("second_default", () => z.Backward());
        c.Tensor("x_after_second", x);
        c.Attempt("third", () => z.Backward());
        c.Tensor("x_after_third", x);
        c.AllOutputsChecked();
    }

    [Fact]
    public void R17_backward_twice_without_saved_tensors()
    {
        var c = OracleCase.Load(nameof(R17_backward_twice_without_saved_tensors));
        var x = T([1.0, 2.0, 3.0], rg: true);
        var z = (x + 1).Sum();
        c.Attempt("first", () => z.Backward());
        c.Attempt("second", () => z.Backward());
        c.Tensor("x_after_second", x);
        c.AllOutputsChecked();
    }

    [Fact]
    public void R17_access_saved_tensor_after_free()
    {
        var c = OracleCase.Load(nameof(R17_access_saved_tensor_after_free));
        var x = T([1.0, 2.0], rg: true);
        var y = x.Exp();
        // PyTorch's grad_fn._saved_result is the one tensor ExpBackward0 saved: GradNode.SavedTensors[0] here.
        c.Attempt("saved_result_before", () => y.GradFn!.SavedTensors.Single());
        y.Sum().Backward();
        c.Attempt("saved_result_after", () => y.GradFn!.SavedTensors.Single());
        c.AllOutputsChecked();
    }

    [Fact]
    public void R18_seed002_two_losses_shared_trunk()
    {
        var c = OracleCase.Load(nameof(R18_seed002_two_losses_shared_trunk));
        var x = T([1.0, 2.0]);
        var w = T([3.0, -1.0], rg: true);
        var h = x * w;
        var loss1 = (h * h).Sum();
        var loss2 = (h * 3.0).Sum();
        c.Attempt("loss1_backward_retain", () => loss1.Backward(retainGraph: true));
        c.Attempt("loss2_backward", () => loss2.Backward());
        c.Tensor("w_after_both", w);
        var w2 = T([3.0, -1.0], rg: true);
        var h2 = x * w2;
        var l1 = (h2 * h2).Sum();
        var l2 = (h2 * 3.0).Sum();
        c.Attempt("no_retain_loss1", () => l1.Backward());
        c.Attempt("no_retain_loss2", () => l2.Backward());
        c.Tensor("w2_after", w2);
        c.AllOutputsChecked();
    }

    [Fact]
    public void R19_freeze_between_forward_and_backward()
    {
        var c = OracleCase.Load(nameof(R19_freeze_between_forward_and_backward));
        var w = T([1.0, 2.0], rg: true);
        var b = T([0.5], rg: true);
        var x = T([3.0, 4.0]);
        var loss = (w * x).Sum() + b.Sum();
        w.RequiresGrad = false;
        c.Tensor("loss", loss);
        c.Attempt("backward", () => loss.Backward());
        c.Tensor("w_after", w);
        c.Tensor("b_after", b);
        c.AllOutputsChecked();
    }

    [Fact]
    public void R20_autograd_grad_unused_and_no_grad_inputs()
    {
        var c = OracleCase.Load(nameof(R20_autograd_grad_unused_and_no_grad_inputs));
        var x = T([1.0, 2.0], rg: true);
        var u = T([5.0], rg: true);
        var constant = T([1.0]);
        var y = (x * x).Sum();
        c.Attempt("unused_input", () => Autograd.Grad(y, [x, u], retainGraph: true));
        c.Attempt("allow_unused", () => Autograd.Grad(y, [x, u], allowUnused: true, retainGraph: true));
        c.Attempt("input_without_grad", () => Autograd.Grad(y, [constant], retainGraph: true));
        c.Tensor("x_after", x);
        c.AllOutputsChecked();
    }

    [Fact]
    public void R20_backward_inputs_argument()
    {
        var c = OracleCase.Load(nameof(R20_backward_inputs_argument));
        var a = T([1.0, 2.0], rg: true);
        var b = T([3.0, 4.0], rg: true);
        var y = (a * b).Sum();
        y.Backward(inputs: [a]);
        c.Tensor("a_after", a);
        c.Tensor("b_after", b);
        c.AllOutputsChecked();
    }
}

using StaticGrad.Nn;
using StaticGrad.Tests.Oracle.Harness;
using static StaticGrad.Tests.Oracle.Harness.Make;

namespace StaticGrad.Tests.Oracle.Cases;

using Autograd = StaticGrad.Autograd;

/// <summary>SPEC §F (R31–R36): NoGrad, EnableGrad, SetGradEnabled, InferenceMode.</summary>
public sealed class GradModeCases
{
    [Fact]
    public void R31_no_grad_basic()
    {
        var c = OracleCase.Load(nameof(R31_no_grad_basic));
        var x = T([1.0, 2.0], rg: true);
        bool inside, leafFlagInside;
        Tensor y;
        using (Autograd.NoGrad())
        {
            inside = Autograd.IsGradEnabled;
            leafFlagInside = x.RequiresGrad;
            y = x * 2;
        }

        c.Value("grad_enabled_inside", inside);
        c.Value("existing_leaf_requires_grad_inside", leafFlagInside);
        c.Value("grad_enabled_after", Autograd.IsGradEnabled);
        c.Tensor("y", y);
        c.AllOutputsChecked();
    }

    [Fact]
    public void R31_seed003_no_grad_example()
    {
        var c = OracleCase.Load(nameof(R31_seed003_no_grad_example));
        var x = F32([1f, 2f], rg: true);
        var y1 = x.Pow(2);
        Tensor y2, y3;
        using (Autograd.NoGrad())
        {
            y2 = y1 * 2;
            y3 = x.Pow(5);
        }

        var y4 = y1 + y2 + y3;
        c.Tensor("y1", y1);
        c.Tensor("y2", y2);
        c.Tensor("y3", y3);
        c.Tensor("y4", y4);
        y4.Backward(Tensor.Ones(y4.Shape, DType.Float32));
        c.Tensor("x_after", x);
        c.AllOutputsChecked();
    }

    [Fact]
    public void R31_seed003_detach_equivalent_example()
    {
        var c = OracleCase.Load(nameof(R31_seed003_detach_equivalent_example));
        var x = F32([1f, 2f], rg: true);
        var y1 = x.Pow(2);
        var y2 = y1 * 2;
        var y3 = x.Pow(5);
        y2 = y2.Detach();
        y3 = y3.Detach();
        var y4 = y1 + y2 + y3;
        c.Tensor("y1", y1);
        c.Tensor("y2", y2);
        c.Tensor("y3", y3);
        c.Tensor("y4", y4);
        y4.Backward(Tensor.Ones(y4.Shape, DType.Float32));
        c.Tensor("x_after", x);
        c.AllOutputsChecked();
    }

    [Fact]
    public void R32_no_grad_factory_requires_grad()
    {
        var c = OracleCase.Load(nameof(R32_no_grad_factory_requires_grad));
        Tensor w, w2, w3;
        Linear lin;
        using (Autograd.NoGrad())
        {
            w = Tensor.Ones([2], requiresGrad: true);
            w2 = T([1.0, 2.0], rg: true);
            lin = new Linear(2, 1);
            w3 = w * 2;
        }

        c.Tensor("ones_rg", w);
        c.Tensor("tensor_rg", w2);
        c.Value("linear_weight_requires_grad", lin.Weight.RequiresGrad);
        c.Tensor("op_result", w3);
        c.AllOutputsChecked();
    }

    [Fact]
    public void R32_no_grad_set_requires_grad_on_leaf_inside()
    {
        var c = OracleCase.Load(nameof(R32_no_grad_set_requires_grad_on_leaf_inside));
        Tensor t, u;
        bool a, b;
        using (Autograd.NoGrad())
        {
            t = Tensor.Zeros([2]);
            t.SetRequiresGrad();
            a = t.RequiresGrad;
            u = Tensor.Zeros([2]);
            u.RequiresGrad = true;
            b = u.RequiresGrad;
        }

        c.Value("method_inside", a);
        c.Value("setter_inside", b);
        c.Tensor("t_after", t);
        c.Tensor("u_after", u);
        c.AllOutputsChecked();
    }

    [Fact]
    public void R34_no_grad_result_is_constant_later()
    {
        var c = OracleCase.Load(nameof(R34_no_grad_result_is_constant_later));
        var x = T([1.0, 2.0, 3.0], rg: true);
        Tensor constant;
        using (Autograd.NoGrad())
        {
            constant = x * 2;
        }

        var y = (constant * x).Sum();
        y.Backward();
        c.Tensor("c", constant);
        c.Tensor("x_after", x);
        c.AllOutputsChecked();
    }

    [Fact]
    public void R32_no_grad_result_can_become_new_leaf()
    {
        var c = OracleCase.Load(nameof(R32_no_grad_result_can_become_new_leaf));
        var x = T([1.0, 2.0], rg: true);
        Tensor y;
        using (Autograd.NoGrad())
        {
            y = x * 2;
        }

        y.SetRequiresGrad();
        (y * y).Sum().Backward();
        c.Tensor("y_after", y);
        c.Tensor("x_after", x);
        c.AllOutputsChecked();
    }

    [Fact]
    public void R33_enable_grad_inside_no_grad()
    {
        var c = OracleCase.Load(nameof(R33_enable_grad_inside_no_grad));
        var x = T([1.0, 2.0], rg: true);
        Tensor y, z;
        bool inner, outer;
        using (Autograd.NoGrad())
        {
            using (Autograd.EnableGrad())
            {
                y = x * 2;
                inner = Autograd.IsGradEnabled;
            }

            z = x * 2;
            outer = Autograd.IsGradEnabled;
        }

        c.Tensor("y", y);
        c.Tensor("z", z);
        c.Value("grad_enabled_inner", inner);
        c.Value("grad_enabled_outer", outer);
        c.AllOutputsChecked();
    }

    [Fact]
    public void R33_set_grad_enabled_context_and_function()
    {
        var c = OracleCase.Load(nameof(R33_set_grad_enabled_context_and_function));
        var x = T([1.0, 2.0], rg: true);
        Tensor a, b, functionFalse, d;
        using (Autograd.SetGradEnabled(false))
        {
            a = x * 2;
        }

        b = x * 2;
        var previous = Autograd.IsGradEnabled;
        bool modeAfterCall;
        try
        {
            // The plain-call form: the returned scope is deliberately not disposed, so the mode stays changed.
            _ = Autograd.SetGradEnabled(false);
            functionFalse = x * 2;
            modeAfterCall = Autograd.IsGradEnabled;
        }
        finally
        {
            _ = Autograd.SetGradEnabled(previous);
        }

        using (Autograd.NoGrad())
        {
            using (Autograd.SetGradEnabled(true))
            {
                d = x * 2;
            }
        }

        c.Tensor("ctx_false", a);
        c.Tensor("after_ctx", b);
        c.Tensor("function_false", functionFalse);
        c.Value("mode_after_function_call", modeAfterCall);
        c.Tensor("ctx_true_inside_no_grad", d);
        c.AllOutputsChecked();
    }

    [Fact]
    public void R33_decorators()
    {
        var c = OracleCase.Load(nameof(R33_decorators));
        var x = T([1.0, 2.0], rg: true);
        // C# has no function decorators; the nearest meaning of @torch.no_grad() / @torch.enable_grad() is a method
        // whose whole body runs inside the corresponding scope.
        c.Tensor("no_grad_decorated", Doubler(x));
        using (Autograd.NoGrad())
        {
            c.Tensor("enable_grad_decorated_in_no_grad", Tripler(x));
        }

        c.AllOutputsChecked();

        static Tensor Doubler(Tensor t)
        {
            using (Autograd.NoGrad())
            {
                return t * 2;
            }
        }

        static Tensor Tripler(Tensor t)
        {
            using (Autograd.EnableGrad())
            {
                return t * 3;
            }
        }
    }

    [Fact]
    public void R31_backward_of_no_grad_result_fails()
    {
        var c = OracleCase.Load(nameof(R31_backward_of_no_grad_result_fails));
        var x = T([1.0, 2.0], rg: true);
        Tensor loss;
        using (Autograd.NoGrad())
        {
            loss = (x * 2).Sum();
        }

        c.Tensor("loss", loss);
        c.Attempt("backward", () => loss.Backward());
        c.AllOutputsChecked();
    }

    [Fact]
    public void R31_manual_sgd_update_pattern()
    {
        var c = OracleCase.Load(nameof(R31_manual_sgd_update_pattern));
        var w = T([1.0, 2.0], rg: true);
        (w * w).Sum().Backward();
        c.Attempt("update_under_no_grad", () =>
        {
            using (Autograd.NoGrad())
            {
                w.SubInPlace(0.5 * w.Grad!);
            }

            return w.RequiresGrad;
        });
        c.Tensor("w_after_update", w);
        c.Attempt("update_in_grad_mode", () => w.SubInPlace(0.5 * w.Grad!));
        c.AllOutputsChecked();
    }

    [Fact]
    public void R31_grad_mode_is_thread_local()
    {
        var c = OracleCase.Load(nameof(R31_grad_mode_is_thread_local));
        var x = T([1.0, 2.0], rg: true);
        var result = new Dictionary<string, object?>();
        using (Autograd.NoGrad())
        {
            var thread = new Thread(() =>
            {
                result["enabled"] = Autograd.IsGradEnabled;
                result["requires_grad"] = (x * 2).RequiresGrad;
            });
            thread.Start();
            thread.Join();
            result["main_enabled"] = Autograd.IsGradEnabled;
        }

        c.Value("thread_result", result);
        c.AllOutputsChecked();
    }

    [Fact]
    public void R35_inference_mode_basic()
    {
        var c = OracleCase.Load(nameof(R35_inference_mode_basic));
        var x = T([1.0, 2.0], rg: true);
        Tensor y;
        bool inferenceInside, gradInside;
        using (Autograd.InferenceMode())
        {
            y = x * 2;
            inferenceInside = Autograd.IsInferenceModeEnabled;
            gradInside = Autograd.IsGradEnabled;
        }

        c.Tensor("y", y);
        c.Value("inference_enabled_inside", inferenceInside);
        c.Value("grad_enabled_inside", gradInside);
        c.Value("inference_enabled_after", Autograd.IsInferenceModeEnabled);
        c.AllOutputsChecked();
    }

    [Fact]
    public void R35_inference_tensor_restrictions_outside()
    {
        var c = OracleCase.Load(nameof(R35_inference_tensor_restrictions_outside));
        var w = T([1.0, 2.0], rg: true);
        Tensor y;
        using (Autograd.InferenceMode())
        {
            y = Tensor.Ones([2]) * 3;
        }

        c.Attempt("requires_grad__true", () => y.SetRequiresGrad(true));
        c.Attempt("requires_grad_setter_true", () => { y.RequiresGrad = true; });
        c.Attempt("requires_grad__false", () => y.SetRequiresGrad(false));
        c.Attempt("inplace_add_", () => y.AddInPlace(1));
        c.Tensor("y_after_failed_inplace_add_", y);
        c.Attempt("mul_saves_inference_tensor", () => y * w);
        c.Attempt("add_then_backward", () =>
        {
            var z = (y + w).Sum();
            z.Backward();
            return z;
        });
        c.Tensor("w_after", w);
        c.Attempt("version", () => y.Version);
        var yc = y.Clone();
        c.Tensor("clone_outside", yc);
        c.Attempt("clone_requires_grad_", () => yc.SetRequiresGrad());
        c.AllOutputsChecked();
    }

    [Fact]
    public void R35_inference_mode_factory_requires_grad_and_nesting()
    {
        var c = OracleCase.Load(nameof(R35_inference_mode_factory_requires_grad_and_nesting));
        var x = T([1.0, 2.0], rg: true);
        Tensor t, y;
        using (Autograd.InferenceMode())
        {
            t = Tensor.Ones([2], requiresGrad: true);
            using (Autograd.InferenceMode(false))
            {
                y = x * 2;
            }
        }

        c.Tensor("factory_inside", t);
        c.Tensor("nested_false", y);
        c.AllOutputsChecked();
    }

    [Fact]
    public void R35_inplace_on_normal_tensor_inside_inference_mode()
    {
        var c = OracleCase.Load(nameof(R35_inplace_on_normal_tensor_inside_inference_mode));
        var n = Tensor.Zeros([2]);
        using (Autograd.InferenceMode())
        {
            n.AddInPlace(1);
        }

        c.Tensor("n_after", n);
        c.AllOutputsChecked();
    }
}

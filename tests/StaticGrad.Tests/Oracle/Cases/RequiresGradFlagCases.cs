using StaticGrad.Nn;
using StaticGrad.Tests.Oracle.Harness;
using static StaticGrad.Tests.Oracle.Harness.Make;

namespace StaticGrad.Tests.Oracle.Cases;

/// <summary>SPEC §B (R6–R11): changing requires_grad on leaves, non-leaves, integer tensors and modules.</summary>
public sealed class RequiresGradFlagCases
{
    [Fact]
    public void R06_set_requires_grad_on_leaf_property()
    {
        var c = OracleCase.Load(nameof(R06_set_requires_grad_on_leaf_property));
        var x = T([1.0, 2.0]);
        c.Attempt("set_true", () => { x.RequiresGrad = true; return x.RequiresGrad; });
        c.Tensor("after_true", x);
        c.Attempt("set_false", () => { x.RequiresGrad = false; return x.RequiresGrad; });
        c.Tensor("after_false", x);
        c.AllOutputsChecked();
    }

    [Fact]
    public void R07_set_requires_grad_false_on_nonleaf_property()
    {
        var c = OracleCase.Load(nameof(R07_set_requires_grad_false_on_nonleaf_property));
        var x = T([1.0, 2.0], rg: true);
        var y = x * 2;
        c.Attempt("set_false", () => { y.RequiresGrad = false; });
        c.Tensor("y_after", y);
        c.AllOutputsChecked();
    }

    [Fact]
    public void R07_set_requires_grad_true_on_nonleaf_property()
    {
        var c = OracleCase.Load(nameof(R07_set_requires_grad_true_on_nonleaf_property));
        var x = T([1.0, 2.0], rg: true);
        var y = x * 2;
        c.Attempt("set_true", () => { y.RequiresGrad = true; });
        c.Tensor("y_after", y);
        c.AllOutputsChecked();
    }

    [Fact]
    public void R08_requires_grad__true_on_nonleaf_is_noop()
    {
        var c = OracleCase.Load(nameof(R08_requires_grad__true_on_nonleaf_is_noop));
        var x = T([1.0, 2.0], rg: true);
        var y = x * 2;
        Tensor? returned = null;
        c.Attempt("requires_grad_true", () => returned = y.SetRequiresGrad(true));
        c.Value("returns_self", ReferenceEquals(returned, y));
        c.Tensor("y_after", y);
        c.AllOutputsChecked();
    }

    [Fact]
    public void R08_requires_grad__false_on_nonleaf_raises()
    {
        var c = OracleCase.Load(nameof(R08_requires_grad__false_on_nonleaf_raises));
        var x = T([1.0, 2.0], rg: true);
        var y = x * 2;
        c.Attempt("requires_grad_false", () => y.SetRequiresGrad(false));
        c.Tensor("y_after", y);
        c.AllOutputsChecked();
    }

    [Fact]
    public void R08_requires_grad__on_leaf()
    {
        var c = OracleCase.Load(nameof(R08_requires_grad__on_leaf));
        var x = T([1.0, 2.0]);
        var returned = x.SetRequiresGrad();
        c.Value("default_arg_result", x.RequiresGrad);
        c.Value("returns_same_object", ReferenceEquals(returned, x));
        var returned2 = x.SetRequiresGrad(false);
        c.Value("after_false", x.RequiresGrad);
        c.Value("returns_same_object_2", ReferenceEquals(returned2, x));
        c.AllOutputsChecked();
    }

    [Fact]
    public void R09_requires_grad_non_bool()
    {
        var c = OracleCase.Load(nameof(R09_requires_grad_non_bool));
        var x = T([1.0, 2.0]);
        // Python accepts any object and checks it at run time; in C# the flag is statically a bool, so `x.RequiresGrad = 1`
        // and `= null` do not compile. The nearest .NET meaning: both APIs are typed bool (not bool? or object).
        Assert.Equal(typeof(bool), typeof(Tensor).GetProperty(nameof(Tensor.RequiresGrad))!.PropertyType);
        Assert.Equal(typeof(bool), typeof(Tensor).GetMethod(nameof(Tensor.SetRequiresGrad))!.GetParameters().Single().ParameterType);
        c.NotApplicable("set_int_1", "x.requires_grad = 1 is a compile-time type error in C#");
        c.NotApplicable("set_none", "x.requires_grad = None is a compile-time error in C# (the property is a non-nullable bool)");
        c.NotApplicable("method_int_1", "x.requires_grad_(1) is a compile-time type error in C#");
        c.Tensor("x_after", x);
        c.AllOutputsChecked();
    }

    [Fact]
    public void R10_seed003_int_tensor_factory_requires_grad()
    {
        var c = OracleCase.Load(nameof(R10_seed003_int_tensor_factory_requires_grad));
        c.Tensor("a", I64([1, 2]));
        // DESIGN: a dtype error is an ArgumentException (PyTorch's RuntimeError), with PyTorch's text.
        c.Attempt("b_int_requires_grad", () => Tensor.FromArray(new long[] { 3, 4 }, requiresGrad: true), typeof(ArgumentException));
        c.AllOutputsChecked();
    }

    [Fact]
    public void R10_int_zeros_requires_grad_kwarg()
    {
        var c = OracleCase.Load(nameof(R10_int_zeros_requires_grad_kwarg));
        c.Attempt("zeros_long", () => Tensor.Zeros([2], DType.Int64, requiresGrad: true), typeof(ArgumentException));
        // The runtime has no int32: the nearest integer factory, Ones of int64, must refuse the same way.
        c.Attempt("ones_int32", () => Tensor.Ones([2], DType.Int64, requiresGrad: true), typeof(ArgumentException));
        c.AllOutputsChecked();
    }

    [Fact]
    public void R10_int_property_setter()
    {
        var c = OracleCase.Load(nameof(R10_int_property_setter));
        var a = I64([1, 2]);
        c.Attempt("set_true", () => { a.RequiresGrad = true; });
        c.Attempt("set_false", () => { a.RequiresGrad = false; });
        c.Tensor("a_after", a);
        c.AllOutputsChecked();
    }

    [Fact]
    public void R10_int_requires_grad__method()
    {
        var c = OracleCase.Load(nameof(R10_int_requires_grad__method));
        var a = I64([1, 2]);
        c.Attempt("method_true", () => a.SetRequiresGrad());
        c.Attempt("method_false", () => a.SetRequiresGrad(false));
        c.Tensor("a_after", a);
        c.AllOutputsChecked();
    }

    [Fact]
    public void R10_bool_uint8_cannot_require_grad()
    {
        var c = OracleCase.Load(nameof(R10_bool_uint8_cannot_require_grad));
        c.Attempt("bool_factory", () => Tensor.FromArray(new[] { true, false }, requiresGrad: true), typeof(ArgumentException));
        // The runtime has no uint8; its other non-floating dtype, int64, is the nearest meaning.
        c.Attempt("uint8_factory", () => Tensor.FromArray(new long[] { 1, 2 }, requiresGrad: true), typeof(ArgumentException));
        c.AllOutputsChecked();
    }

    [Fact]
    public void R10_complex_and_low_precision_can_require_grad()
    {
        var c = OracleCase.Load(nameof(R10_complex_and_low_precision_can_require_grad));
        // The runtime's floating dtypes are float32 and float64 (no complex, float16 or bfloat16). The nearest meaning of
        // "every floating dtype can require grad" is checked on both, and the real-loss backward on float64.
        c.NotApplicable("complex_leaf", "the runtime has no complex dtype");
        c.NotApplicable("complex_requires_grad__method", "the runtime has no complex dtype");
        c.NotApplicable("implicit_backward_complex_scalar", "the runtime has no complex dtype, so every scalar output is real");
        c.NotApplicable("c_after_real_loss_backward", "the runtime has no complex dtype");
        c.Tensor("float16_leaf", F32([1f], rg: true), netDType: "torch.float32");
        c.Tensor("bfloat16_leaf", Tensor.FromArray([1.0], requiresGrad: true), netDType: "torch.float64");
        // (c * c.conj()).real.sum() for c = 1+2i is |c|² = 5; the same real loss of the pair (1, 2) as a float64 leaf.
        var pair = T([1.0, 2.0], rg: true);
        var loss = (pair * pair).Sum();
        loss.Backward();
        c.Tensor("real_loss", loss);
        Assert.Equal([2.0, 4.0], pair.Grad!.ToArray());
        c.AllOutputsChecked();
    }

    [Fact]
    public void R10_parameter_of_int_tensor()
    {
        var c = OracleCase.Load(nameof(R10_parameter_of_int_tensor));
        c.Attempt("parameter_int_default", () => new Parameter(I64([1, 2])), typeof(ArgumentException));
        c.Attempt("parameter_int_no_grad", () => new Parameter(I64([1, 2]), requiresGrad: false));
        c.AllOutputsChecked();
    }

    [Fact]
    public void R11_module_requires_grad_()
    {
        var c = OracleCase.Load(nameof(R11_module_requires_grad_));
        var m = new Sequential(new Linear(2, 2), new Linear(2, 1));
        m.SetRequiresGrad(false);
        c.Value("param_requires_grad", m.Parameters().Select(p => p.RequiresGrad).ToList());
        var output = m.Forward(M([[1.0, 2.0]]));
        c.Value("output_requires_grad", output.RequiresGrad);
        c.Value("output_is_leaf", output.IsLeaf);
        m.SetRequiresGrad();
        c.Value("param_requires_grad_after_true", m.Parameters().Select(p => p.RequiresGrad).ToList());
        c.AllOutputsChecked();
    }
}

using StaticGrad.Tests.Oracle.Harness;
using static StaticGrad.Tests.Oracle.Harness.Make;

namespace StaticGrad.Tests.Oracle.Cases;

using Autograd = StaticGrad.Autograd;

/// <summary>SPEC §C, R12–R14: the implicit gradient, backward on a tensor without a graph, the gradient argument.</summary>
public sealed class BackwardCases
{
    [Fact]
    public void R12_backward_scalar_implicit()
    {
        var c = OracleCase.Load(nameof(R12_backward_scalar_implicit));
        var x = T([1.0, 2.0, 3.0], rg: true);
        var y = (x * x).Sum();
        y.Backward();
        c.Tensor("y", y);
        c.Tensor("x_after", x);
        c.AllOutputsChecked();
    }

    [Fact]
    public void R12_backward_nonscalar_without_gradient()
    {
        var c = OracleCase.Load(nameof(R12_backward_nonscalar_without_gradient));
        var x = T([1.0, 2.0, 3.0], rg: true);
        var y = x * x;
        c.Attempt("backward", () => y.Backward());
        c.Tensor("x_after", x);
        c.AllOutputsChecked();
    }

    [Fact]
    public void R12_backward_numel1_any_shape()
    {
        var c = OracleCase.Load(nameof(R12_backward_numel1_any_shape));
        var x = T([1.0, 2.0], rg: true);
        var y1 = (x * x).Sum().Reshape(1);
        var y2 = (x * x).Sum().Reshape(1, 1);
        c.Attempt("backward_shape_1", () => y1.Backward());
        c.Tensor("x_after_first", x);
        c.Attempt("backward_shape_1x1", () => y2.Backward());
        c.Tensor("x_after_second", x);
        c.AllOutputsChecked();
    }

    [Fact]
    public void R14_seed003_backward_with_gradient()
    {
        var c = OracleCase.Load(nameof(R14_seed003_backward_with_gradient));
        var x = F32([1f, 2f], rg: true);
        var y = F32([3f, 4f]);
        var y1 = (2.0 * x) + (2.0 * y);
        c.Tensor("x", x);
        c.Tensor("y", y);
        c.Tensor("y1", y1);
        y1.Backward(F32([1f, 1f]));
        c.Tensor("x_after", x);
        c.Tensor("y_after", y);
        c.AllOutputsChecked();
    }

    [Fact]
    public void R14_backward_gradient_weights_vjp()
    {
        var c = OracleCase.Load(nameof(R14_backward_gradient_weights_vjp));
        var x = T([1.0, 2.0, 3.0], rg: true);
        var y = x * x;
        var v = T([1.0, 0.5, -2.0]);
        OracleAssert.TensorMatches(c.Input("v"), v, null, c.Id + ".inputs.v");
        y.Backward(v);
        c.Tensor("x_after", x);
        c.AllOutputsChecked();
    }

    [Fact]
    public void R14_backward_gradient_shape_mismatch()
    {
        var c = OracleCase.Load(nameof(R14_backward_gradient_shape_mismatch));
        var x = T([1.0, 2.0], rg: true);
        var y = 2.0 * x;
        // DESIGN: a shape error is an ArgumentException (PyTorch's RuntimeError), with PyTorch's text.
        c.Attempt("gradient_len3", () => y.Backward(T([1.0, 1.0, 1.0])), typeof(ArgumentException));
        c.Attempt("gradient_scalar", () => y.Backward(S(1.0)), typeof(ArgumentException));
        c.Attempt("gradient_1x2_broadcastable", () => y.Backward(M([[1.0, 1.0]])), typeof(ArgumentException));
        c.Tensor("x_after", x);
        c.AllOutputsChecked();
    }

    [Fact]
    public void R14_backward_gradient_dtype_cast()
    {
        var c = OracleCase.Load(nameof(R14_backward_gradient_dtype_cast));
        var x = T([1.0, 2.0], rg: true);
        var y = 3.0 * x;
        c.Attempt("float32_gradient", () => y.Backward(F32([1f, 2f])));
        c.Tensor("x_after", x);
        c.AllOutputsChecked();
    }

    [Fact]
    public void R14_backward_gradient_not_tensor()
    {
        var c = OracleCase.Load(nameof(R14_backward_gradient_not_tensor));
        // y.backward([1.0]) and y.backward(1.0) do not compile in C#: the gradient parameter is statically a Tensor.
        // That typing is the nearest .NET meaning, and a null gradient is the "None" PyTorch allows.
        var gradient = typeof(Tensor).GetMethod(nameof(Tensor.Backward))!.GetParameters()[0];
        Assert.Equal(typeof(Tensor), gradient.ParameterType);
        var x = T([1.0, 2.0], rg: true);
        (3.0 * x).Sum().Backward(null);
        Assert.Equal([3.0, 3.0], x.Grad!.ToArray());
        c.NotApplicable("gradient_python_list", "a list of floats is not a Tensor: a compile-time error in C#");
        c.NotApplicable("gradient_python_float", "a float is not a Tensor: a compile-time error in C#");
        c.AllOutputsChecked();
    }

    [Fact]
    public void R13_seed003_backward_on_tensor_without_grad()
    {
        var c = OracleCase.Load(nameof(R13_seed003_backward_on_tensor_without_grad));
        var x = F32([1f, 2f], rg: true);
        var y = F32([3f, 4f]);
        _ = (2.0 * x) + (2.0 * y);
        c.Attempt("y_backward", () => y.Backward(F32([1f, 1f])));
        c.AllOutputsChecked();
    }

    [Fact]
    public void R13_backward_on_constant_scalar_and_vector()
    {
        var c = OracleCase.Load(nameof(R13_backward_on_constant_scalar_and_vector));
        var s = S(2.0) * 3;
        var v = Tensor.Ones([3]);
        c.Attempt("scalar_backward", () => s.Backward());
        c.Attempt("vector_backward_no_gradient", () => v.Backward());
        c.AllOutputsChecked();
    }

    [Fact]
    public void R13_backward_on_leaf_that_requires_grad()
    {
        var c = OracleCase.Load(nameof(R13_backward_on_leaf_that_requires_grad));
        var s = S(2.0, rg: true);
        s.Backward();
        c.Tensor("scalar_leaf_after", s);
        var v = T([1.0, 2.0], rg: true);
        v.Backward(T([3.0, 4.0]));
        c.Tensor("vector_leaf_after", v);
        c.AllOutputsChecked();
    }

    [Fact]
    public void R13_autograd_backward_element_index()
    {
        var c = OracleCase.Load(nameof(R13_autograd_backward_element_index));
        var x = T([1.0, 2.0], rg: true);
        var a = (x * x).Sum();
        var b = S(5.0);
        c.Attempt("second_root_constant", () => Autograd.Backward([a, b]));
        c.Tensor("x_after", x);
        c.AllOutputsChecked();
    }

    [Fact]
    public void R13_backward_inside_no_grad_runs()
    {
        var c = OracleCase.Load(nameof(R13_backward_inside_no_grad_runs));
        var x = T([1.0, 2.0], rg: true);
        var y = (x * x).Sum();
        using (Autograd.NoGrad())
        {
            c.Attempt("backward_in_no_grad", () => y.Backward());
        }

        c.Tensor("x_after", x);
        c.AllOutputsChecked();
    }
}

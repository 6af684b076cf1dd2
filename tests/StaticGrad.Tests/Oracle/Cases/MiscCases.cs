using StaticGrad.Tests.Oracle.Harness;
using static StaticGrad.Tests.Oracle.Harness.Make;

namespace StaticGrad.Tests.Oracle.Cases;

/// <summary>SPEC §H (R46–R47): the removed volatile flag, assigning Grad.</summary>
public sealed class MiscCases
{
    [Fact]
    public void R46_volatile_removed()
    {
        var c = OracleCase.Load(nameof(R46_volatile_removed));
        var x = T([1.0, 2.0]);
        c.Attempt("read_volatile", () => x.Volatile);
        c.Attempt("set_volatile", () => { x.Volatile = true; });
        c.Tensor("x_after", x);
        c.AllOutputsChecked();
    }

    [Fact]
    public void R47_grad_assignment_checks()
    {
        var c = OracleCase.Load(nameof(R47_grad_assignment_checks));
        var x = T([1.0, 2.0], rg: true);
        // DESIGN: shape and dtype errors are ArgumentExceptions (PyTorch's RuntimeError), with PyTorch's text.
        c.Attempt("wrong_shape", () => { x.Grad = Tensor.Zeros([3]); }, typeof(ArgumentException));
        c.Attempt("wrong_dtype", () => { x.Grad = Tensor.Zeros([2], DType.Float32); }, typeof(ArgumentException));
        c.Attempt("ok", () =>
        {
            x.Grad = Tensor.Ones([2]);
            return x.Grad;
        });
        c.AllOutputsChecked();
    }
}

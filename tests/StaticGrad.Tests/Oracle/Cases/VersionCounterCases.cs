using StaticGrad.Tests.Oracle.Harness;
using static StaticGrad.Tests.Oracle.Harness.Make;

namespace StaticGrad.Tests.Oracle.Cases;

using Autograd = StaticGrad.Autograd;

/// <summary>SPEC §E (R26–R30): version counters and the checks on in-place operations.</summary>
public sealed class VersionCounterCases
{
    [Fact]
    public void R26_version_counter_increments()
    {
        var c = OracleCase.Load(nameof(R26_version_counter_increments));
        var t = Tensor.Zeros([3]);
        var sequence = new List<object[]> { new object[] { "initial", t.Version } };
        t.AddInPlace(1);
        sequence.Add(["add_", t.Version]);
        t.MulInPlace(2);
        sequence.Add(["mul_", t.Version]);
        t[0] = S(5.0);
        sequence.Add(["setitem", t.Version]);
        t.ZeroInPlace();
        sequence.Add(["zero_", t.Version]);
        t.CopyFrom(Tensor.Ones([3]));
        sequence.Add(["copy_", t.Version]);
        _ = t + 1;
        sequence.Add(["out_of_place_add", t.Version]);
        var v = t.Slice(0, 1);
        v.AddInPlace(1);
        sequence.Add(["view_add_", t.Version]);
        c.Value("sequence", sequence);
        c.Value("view_version", v.Version);
        c.Tensor("t_final", t);
        c.AllOutputsChecked();
    }

    [Fact]
    public void R27_inplace_on_leaf_requiring_grad()
    {
        var c = OracleCase.Load(nameof(R27_inplace_on_leaf_requiring_grad));
        var x = T([1.0, 2.0], rg: true);
        c.Attempt("add_", () => x.AddInPlace(1));
        // C#'s `x += 1` is not in-place: it rebinds the variable to a new tensor (x + 1), so it cannot hit this error.
        // The nearest meaning is checked instead: the original leaf is untouched and the new tensor is a non-leaf.
        var alias = x;
        alias += 1;
        Assert.False(ReferenceEquals(alias, x));
        Assert.False(alias.IsLeaf);
        c.NotApplicable("iadd_operator", "C# compound assignment on a Tensor is out-of-place (a new tensor is bound), not __iadd__");
        c.Attempt("zero_", () => x.ZeroInPlace());
        c.Attempt("copy_", () => x.CopyFrom(T([0.0, 0.0])));
        c.Tensor("x_after", x);
        c.AllOutputsChecked();
    }

    [Fact]
    public void R27_inplace_on_view_of_leaf_requiring_grad()
    {
        var c = OracleCase.Load(nameof(R27_inplace_on_view_of_leaf_requiring_grad));
        var x = T([1.0, 2.0], rg: true);
        c.Attempt("setitem", () => { x[0] = S(5.0); });
        c.Attempt("slice_mul_", () => x.Slice(0, 0, 1).MulInPlace(2));
        c.Tensor("x_after", x);
        c.AllOutputsChecked();
    }

    [Fact]
    public void R27_inplace_on_leaf_under_no_grad()
    {
        var c = OracleCase.Load(nameof(R27_inplace_on_leaf_under_no_grad));
        var x = T([1.0, 2.0], rg: true);
        using (Autograd.NoGrad())
        {
            x.AddInPlace(1);
            x.MulInPlace(2);
        }

        c.Tensor("x_after", x);
        c.AllOutputsChecked();
    }

    [Fact]
    public void R28_inplace_on_nonleaf_allowed()
    {
        var c = OracleCase.Load(nameof(R28_inplace_on_nonleaf_allowed));
        var x = T([1.0, 2.0], rg: true);
        var y = x * 1;
        c.Tensor("y_before", y);
        y.AddInPlace(1);
        c.Tensor("y_after", y);
        y.Sum().Backward();
        c.Tensor("x_after", x);
        c.AllOutputsChecked();
    }

    [Fact]
    public void R28_inplace_turns_leaf_into_nonleaf()
    {
        var c = OracleCase.Load(nameof(R28_inplace_turns_leaf_into_nonleaf));
        var a = Tensor.Zeros([2]);
        var b = T([1.0, 2.0], rg: true);
        a.AddInPlace(b);
        c.Tensor("a_after_add_", a);
        a.Sum().Backward();
        c.Tensor("b_after", b);
        c.AllOutputsChecked();
    }

    [Fact]
    public void R29_saved_output_modified()
    {
        var c = OracleCase.Load(nameof(R29_saved_output_modified));
        var x = T([1.0, 2.0], rg: true);
        var y = x.Exp();
        var s = y.Sum();
        y.AddInPlace(1);
        c.Tensor("y_after_add_", y);
        c.Attempt("backward", () => s.Backward());
        c.AllOutputsChecked();
    }

    [Fact]
    public void R29_saved_nonleaf_input_modified()
    {
        var c = OracleCase.Load(nameof(R29_saved_nonleaf_input_modified));
        var x = T([1.0, 2.0, 3.0], rg: true);
        var a = x * 1;
        var b = a.Pow(2);
        a.MulInPlace(3);
        c.Attempt("backward", () => b.Sum().Backward());
        c.AllOutputsChecked();
    }

    [Fact]
    public void R29_saved_leaf_without_grad_modified()
    {
        var c = OracleCase.Load(nameof(R29_saved_leaf_without_grad_modified));
        var w = T([1.0, 2.0, 3.0], rg: true);
        var constant = T([4.0, 5.0, 6.0]);
        var y = (w * constant).Sum();
        constant.AddInPlace(1);
        c.Attempt("backward", () => y.Backward());
        c.Tensor("w_after", w);
        c.AllOutputsChecked();
    }

    [Fact]
    public void R30_modified_but_not_saved_is_fine()
    {
        var c = OracleCase.Load(nameof(R30_modified_but_not_saved_is_fine));
        var w = T([1.0, 2.0, 3.0], rg: true);
        var constant = T([4.0, 5.0, 6.0]);
        var y = (w + constant).Sum();
        constant.AddInPlace(1);
        c.Attempt("backward", () => y.Backward());
        c.Tensor("w_after", w);
        c.AllOutputsChecked();
    }
}

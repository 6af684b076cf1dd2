using StaticGrad.Nn;
using StaticGrad.Tests.Oracle.Harness;
using static StaticGrad.Tests.Oracle.Harness.Make;

namespace StaticGrad.Tests.Oracle.Cases;

/// <summary>SPEC §D (R21–R25): Detach, DetachInPlace, the legacy Data alias, leaving autograd.</summary>
public sealed class DetachCases
{
    [Fact]
    public void R21_detach_shares_storage_and_version_counter()
    {
        var c = OracleCase.Load(nameof(R21_detach_shares_storage_and_version_counter));
        var x = T([1.0, 2.0, 3.0], rg: true);
        var d = x.Detach();
        c.Tensor("d", d);
        c.Value("same_object", ReferenceEquals(d, x));
        c.Value("same_data_ptr", Aliasing.SameDataPointer(d, x));
        c.Value("versions_before", new[] { x.Version, d.Version });
        d.AddInPlace(1);
        c.Value("versions_after_add_", new[] { x.Version, d.Version });
        c.Tensor("x_after", x);
        c.Tensor("d_after", d);
        c.AllOutputsChecked();
    }

    [Fact]
    public void R21_detach_then_requires_grad_is_independent_leaf()
    {
        var c = OracleCase.Load(nameof(R21_detach_then_requires_grad_is_independent_leaf));
        var x = T([1.0, 2.0, 3.0], rg: true);
        var d = x.Detach().SetRequiresGrad();
        (d * 2).Sum().Backward();
        c.Tensor("d_after", d);
        c.Tensor("x_after", x);
        c.AllOutputsChecked();
    }

    [Fact]
    public void R21_detach_cuts_graph()
    {
        var c = OracleCase.Load(nameof(R21_detach_cuts_graph));
        var x = T([1.0, 2.0, 3.0], rg: true);
        var y = x * 3;
        (y.Detach() * x).Sum().Backward();
        c.Tensor("x_grad_with_detach", x);
        var x2 = T([1.0, 2.0, 3.0], rg: true);
        var y2 = x2 * 3;
        (y2 * x2).Sum().Backward();
        c.Tensor("x_grad_without_detach", x2);
        c.AllOutputsChecked();
    }

    [Fact]
    public void R22_detach_alias_modified_breaks_backward()
    {
        var c = OracleCase.Load(nameof(R22_detach_alias_modified_breaks_backward));
        var a = T([1.0, 2.0, 3.0], rg: true);
        var output = a.Sigmoid();
        var alias = output.Detach();
        c.Tensor("out_before", output);
        alias.ZeroInPlace();
        c.Tensor("out_after_c_zero_", output);
        c.Tensor("c_after", alias);
        c.Attempt("backward", () => output.Sum().Backward());
        c.Tensor("a_after", a);
        c.AllOutputsChecked();
    }

    [Fact]
    public void R24_data_does_not_share_version_counter()
    {
        var c = OracleCase.Load(nameof(R24_data_does_not_share_version_counter));
        var a = T([1.0, 2.0, 3.0], rg: true);
        var output = a.Sigmoid();
        output.Data.ZeroInPlace();
        c.Tensor("out_after_data_zero_", output);
        c.Attempt("backward", () => output.Sum().Backward());
        c.Tensor("a_after", a);
        c.AllOutputsChecked();
    }

    [Fact]
    public void R24_data_attribute_state()
    {
        var c = OracleCase.Load(nameof(R24_data_attribute_state));
        var x = T([1.0, 2.0], rg: true);
        var d = x.Data;
        c.Tensor("data", d);
        c.Value("same_data_ptr", Aliasing.SameDataPointer(d, x));
        d.MulInPlace(10);
        c.Tensor("x_after_data_mul_", x);
        c.Value("x_version", x.Version);
        c.AllOutputsChecked();
    }

    [Fact]
    public void R23_detach__in_place()
    {
        var c = OracleCase.Load(nameof(R23_detach__in_place));
        var x = T([1.0, 2.0], rg: true);
        var y = x * 2;
        c.Tensor("y_before", y);
        var returned = y.DetachInPlace();
        c.Value("returns_self", ReferenceEquals(returned, y));
        c.Tensor("y_after", y);
        c.AllOutputsChecked();
    }

    [Fact]
    public void R23_detach__on_view_raises()
    {
        var c = OracleCase.Load(nameof(R23_detach__on_view_raises));
        var x = T([1.0, 2.0, 3.0], rg: true);
        var y = x * 2;
        var v = y.Slice(0, 0, 2);
        c.Attempt("view_of_nonleaf_detach_", () => v.DetachInPlace());
        var w = x.Detach().Slice(0, 0, 2);
        c.Attempt("view_of_plain_tensor_detach_", () => w.DetachInPlace());
        c.AllOutputsChecked();
    }

    [Fact]
    public void R23_detach__of_saved_tensors()
    {
        var c = OracleCase.Load(nameof(R23_detach__of_saved_tensors));
        var x = T([1.0, 2.0], rg: true);
        var a = x * 1;
        var b = a.Pow(2);
        a.DetachInPlace();
        c.Attempt("saved_input_backward", () => b.Sum().Backward());
        c.Tensor("x_after_input_case", x);
        var x2 = T([1.0, 2.0], rg: true);
        var y = x2.Exp();
        var s = y.Sum();
        y.DetachInPlace();
        c.Attempt("saved_output_backward", () => s.Backward());
        c.Tensor("x2_after_output_case", x2);
        c.AllOutputsChecked();
    }

    [Fact]
    public void R25_numpy_on_requires_grad()
    {
        var c = OracleCase.Load(nameof(R25_numpy_on_requires_grad));
        var x = T([1.0, 2.0], rg: true);
        // numpy() is refused because the array would alias the storage behind autograd's back. The .NET way out,
        // ToArray(), returns a copy, so it is allowed on any tensor (and cannot corrupt a graph); detaching first gives
        // the same list PyTorch printed.
        c.NotApplicable("numpy", "ToArray() copies the elements, so unlike numpy() it is not refused for tensors that require grad");
        Assert.Equal([1.0, 2.0], x.ToArray());
        c.Attempt("detach_numpy", () => x.Detach().ToArray());
        c.AllOutputsChecked();
    }

    [Fact]
    public void R21_seed002_frozen_middle_vs_detach()
    {
        var c = OracleCase.Load(nameof(R21_seed002_frozen_middle_vs_detach));
        var x = M([[1.0, 1.0]]);
        var (a, b, last) = Build();
        b.SetRequiresGrad(false);
        last.Forward(b.Forward(a.Forward(x))).Sum().Backward();
        c.Tensor("frozen_B__A_weight", a.Weight);
        c.Tensor("frozen_B__B_weight", b.Weight);
        c.Tensor("frozen_B__C_weight", last.Weight);
        (a, b, last) = Build();
        last.Forward(b.Forward(a.Forward(x)).Detach()).Sum().Backward();
        c.Tensor("detach_B__A_weight", a.Weight);
        c.Tensor("detach_B__B_weight", b.Weight);
        c.Tensor("detach_B__C_weight", last.Weight);
        c.AllOutputsChecked();

        static (Linear A, Linear B, Linear C) Build()
        {
            var a = new Linear(2, 2);
            var b = new Linear(2, 2);
            var last = new Linear(2, 1);
            Set(a.Weight, M([[1.0, 2.0], [3.0, 4.0]]));
            Set(a.Bias!, T([0.0, 0.0]));
            Set(b.Weight, M([[0.5, -1.0], [1.0, 0.5]]));
            Set(b.Bias!, T([0.0, 0.0]));
            Set(last.Weight, M([[1.0, -2.0]]));
            Set(last.Bias!, T([0.0]));
            return (a, b, last);
        }
    }
}

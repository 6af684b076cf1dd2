using StaticGrad.Tests.Oracle.Harness;
using Xunit.Sdk;

namespace StaticGrad.Tests.Oracle;

using Autograd = StaticGrad.Autograd;

/// <summary>The harness itself must fail on a wrong observation, or the conformance tests prove nothing.</summary>
public sealed class OracleHarnessTests
{
    private const string Case = "R02_leaf_sources";

    [Fact]
    public void A_matching_tensor_passes()
    {
        var c = OracleCase.Load(Case);
        c.Tensor("x", Tensor.FromArray([1.0, 2.0], requiresGrad: true));
    }

    [Fact]
    public void Each_recorded_field_is_compared()
    {
        var x = Tensor.FromArray([1.0, 2.0], requiresGrad: true);
        Assert.ThrowsAny<XunitException>(() => OracleCase.Load(Case).Tensor("x", Tensor.FromArray([1.0, 2.5], requiresGrad: true)));
        Assert.ThrowsAny<XunitException>(() => OracleCase.Load(Case).Tensor("x", Tensor.FromArray([1.0, 2.0])));
        Assert.ThrowsAny<XunitException>(() => OracleCase.Load(Case).Tensor("x", Tensor.FromArray(new float[] { 1f, 2f }, requiresGrad: true)));
        Assert.ThrowsAny<XunitException>(() => OracleCase.Load(Case).Tensor("x", Tensor.FromArray([1.0, 2.0], [2, 1], requiresGrad: true)));
        Assert.ThrowsAny<XunitException>(() => OracleCase.Load(Case).Tensor("x_times_2", x * 2.0 + 0.0));
        Assert.ThrowsAny<XunitException>(() => OracleCase.Load(Case).Tensor("x_times_2", (x * 2.0).Detach()));
        var bumped = Tensor.FromArray([0.0, 1.0], requiresGrad: true);
        using (Autograd.NoGrad())
        {
            bumped.AddInPlace(1);
        }

        Assert.ThrowsAny<XunitException>(() => OracleCase.Load(Case).Tensor("x", bumped));
        var withGrad = Tensor.FromArray([1.0, 2.0], requiresGrad: true);
        withGrad.Sum().Backward();
        Assert.ThrowsAny<XunitException>(() => OracleCase.Load(Case).Tensor("x", withGrad));
        Assert.ThrowsAny<XunitException>(() => OracleCase.Load(Case).Tensor("x", null));
    }

    [Fact]
    public void Attempts_compare_outcome_exception_type_message_and_warnings()
    {
        // R16_retain_grad_on_tensor_without_grad.retain_grad: PyTorch raised RuntimeError with M15.
        var t = Tensor.FromArray([1.0, 2.0]);
        OracleCase.Load("R16_retain_grad_on_tensor_without_grad").Attempt("retain_grad", () => t.RetainGrad());
        Assert.ThrowsAny<XunitException>(() => OracleCase.Load("R16_retain_grad_on_tensor_without_grad").Attempt("retain_grad", () => { }));
        Assert.ThrowsAny<XunitException>(() => OracleCase.Load("R16_retain_grad_on_tensor_without_grad")
            .Attempt("retain_grad", () => throw new ArgumentException("can't retain_grad on Tensor that has requires_grad=False")));
        Assert.ThrowsAny<XunitException>(() => OracleCase.Load("R16_retain_grad_on_tensor_without_grad")
            .Attempt("retain_grad", () => throw new InvalidOperationException("another message")));

        // R16_nonleaf_grad_is_none_with_warning.y_grad: None, with the non-leaf warning.
        var x = Tensor.FromArray([1.0, 2.0], requiresGrad: true);
        var y = x * 2;
        Assert.ThrowsAny<XunitException>(() => OracleCase.Load("R16_nonleaf_grad_is_none_with_warning").Attempt("y_grad", () => null));
        OracleCase.Load("R16_nonleaf_grad_is_none_with_warning").Attempt("y_grad", () => y.Grad);
    }

    [Fact]
    public void Unchecked_observations_fail_the_case()
    {
        var c = OracleCase.Load(Case);
        c.Tensor("x", Tensor.FromArray([1.0, 2.0], requiresGrad: true));
        var error = Assert.Throws<TrueException>(c.AllOutputsChecked);
        Assert.Contains("x_times_2", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Tolerances_are_relative_to_the_expected_value()
    {
        Assert.True(Tolerance.Exact.Accepts(0.1, 0.1));
        Assert.False(Tolerance.Exact.Accepts(0.22000000000000003, 0.22000000000000008));
        Assert.True(Tolerance.Float64.Accepts(1.0, 1.0 + 4e-16));
        Assert.False(Tolerance.Float64.Accepts(1.0, 1.0 + 1e-14));
        Assert.True(Tolerance.Float32.Accepts(-18.600000381469727, -18.6000003f));
        Assert.True(Tolerance.Exact.Accepts(double.NaN, double.NaN));
        Assert.False(Tolerance.Float64.Accepts(double.PositiveInfinity, double.MaxValue));
    }
}

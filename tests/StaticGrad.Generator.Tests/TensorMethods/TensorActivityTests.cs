using StaticGrad.Compiler.Model;
using StaticGrad.Compiler.TensorMethods;

namespace StaticGrad.Generator.Tests.TensorMethods;

/// <summary>
/// The activity analysis on hand-built specs (plain data, no compilation): only values that depend on a
/// differentiable parameter and that the result depends on get an adjoint and a VJP.
/// </summary>
public sealed class TensorActivityTests
{
    private static TensorValue Parameter(string name) => new(name, TensorOp.Parameter, EquatableArray<int>.Empty, EquatableArray<string>.Empty);

    private static TensorValue Op(string name, TensorOp op, params int[] operands) => new(name, op, operands.ToEquatableArray(), EquatableArray<string>.Empty);

    private static TensorMethodSpec Spec(TensorParameter[] parameters, TensorValue[] values, int result) =>
        new("C.F.Tensor.g.cs", null, EquatableArray<ContainingTypeSpec>.Empty, "public", true, "F", "Tensor", parameters.ToEquatableArray(), values.ToEquatableArray(), result, "C");

    [Fact]
    public void NoGrad_parameters_detached_values_and_dead_values_get_no_adjoint()
    {
        // F(w, [NoGrad] x, k) { var dead = w.Exp(); var a = x.MatMul(w); var d = w.Detach(); return a * d; }
        var spec = Spec(
            new[]
            {
                new TensorParameter("w", "Tensor", IsTensor: true, Differentiable: true),
                new TensorParameter("x", "Tensor", IsTensor: true, Differentiable: false),
                new TensorParameter("k", "double", IsTensor: false, Differentiable: false),
            },
            new[]
            {
                Parameter("w"), Parameter("x"),
                Op("dead", TensorOp.Exp, 0),
                Op("a", TensorOp.MatMul, 1, 0),
                Op("d", TensorOp.Detach, 0),
                Op("_result", TensorOp.Mul, 3, 4),
            },
            result: 5);

        var useful = TensorActivity.Useful(spec);

        Assert.Equal(new[] { true, false, false, true, false, true }, useful);
    }

    [Fact]
    public void A_result_independent_of_every_differentiable_parameter_has_no_reverse_sweep()
    {
        var spec = Spec(
            new[] { new TensorParameter("x", "Tensor", IsTensor: true, Differentiable: false) },
            new[] { Parameter("x"), Op("_result", TensorOp.Tanh, 0) },
            result: 1);

        Assert.All(TensorActivity.Useful(spec), Assert.False);
        var source = TensorMethodEmitter.Emit(spec);
        Assert.DoesNotContain("Reverse sweep", source, StringComparison.Ordinal);
        Assert.DoesNotContain("ShouldRecord", source, StringComparison.Ordinal);
    }
}

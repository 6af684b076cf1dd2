using static StaticGrad.Generator.Tests.TensorMethods.TensorCorpusAssembly;

namespace StaticGrad.Generator.Tests.TensorMethods;

/// <summary>
/// <c>{Name}Fused</c>: the method as one node of the runtime graph. PyTorch's rules hold across it as for a built-in
/// op: requires-grad propagation, leaves, NoGrad, Detach, retain-graph, accumulation into <c>Grad</c>.
/// </summary>
public sealed class FusedNodeTests
{
    private const double Tolerance = 1e-10;

    [Theory]
    [InlineData("MlpMse")]
    [InlineData("MlpCrossEntropy")]
    [InlineData("Softmax")]
    [InlineData("MatMulBatched")]
    [InlineData("DivBroadcast")]
    public void Fused_node_passes_GradCheck(string name)
    {
        var method = Method(name);
        var differentiable = method.GetParameters().Where(p => p.ParameterType == typeof(Tensor)).Select(IsDifferentiable).ToArray();
        var inputs = Inputs(name, seed: 21).Select((t, i) => differentiable[i] ? t.SetRequiresGrad() : t).ToArray();

        // Central differences of step 1e-6 in float64: GradCheck's default tolerances (atol 1e-5, rtol 1e-3).
        var result = GradCheck.Check(p => Fused(name, p), inputs, raiseException: false);

        Assert.True(result.Passed, result.ToString());
    }

    [Fact]
    public void Fused_node_is_one_node_named_after_the_method_and_equals_the_tape()
    {
        var inputs = Inputs("MlpMse", seed: 4);
        var tape = inputs.Select((t, i) => i < 5 ? t.Detach().SetRequiresGrad() : t.Detach()).ToArray();
        var fused = inputs.Select((t, i) => i < 5 ? t.Detach().SetRequiresGrad() : t.Detach()).ToArray();

        var expected = Call("MlpMse", tape);
        var actual = Fused("MlpMse", fused);

        Assert.Equal("MlpMseBackward", actual.GradFn!.Name);
        Assert.Equal(6, actual.GradFn.NextFunctions.Count);
        Assert.All(actual.GradFn.NextFunctions.Take(5), n => Assert.Equal("AccumulateGrad", n!.Name));
        Assert.Null(actual.GradFn.NextFunctions[5]);
        Assert.False(actual.IsLeaf);
        AssertClose(expected.Detach(), actual.Detach(), Tolerance, "value");

        (expected * 3.0).Backward();
        (actual * 3.0).Backward();
        for (var i = 0; i < 5; i++)
        {
            AssertClose(tape[i].Grad!, fused[i].Grad!, Tolerance, "gradient " + i);
        }

        Assert.Null(fused[5].Grad);
    }

    [Fact]
    public void Gradients_accumulate_into_Grad_across_two_backward_passes()
    {
        var inputs = Inputs("Tanh", seed: 6).Select(t => t.SetRequiresGrad()).ToArray();
        Fused("Tanh", inputs).Sum().Backward();
        var once = inputs[0].Grad!.Clone();
        Fused("Tanh", inputs).Sum().Backward();
        AssertClose(once * 2.0, inputs[0].Grad!, Tolerance, "accumulated Grad");
    }

    [Fact]
    public void Under_NoGrad_nothing_is_recorded()
    {
        var inputs = Inputs("MlpMse", seed: 7).Select(t => t.SetRequiresGrad()).ToArray();
        Tensor result;
        using (Autograd.NoGrad())
        {
            result = Fused("MlpMse", inputs);
        }

        Assert.Null(result.GradFn);
        Assert.False(result.RequiresGrad);
        Assert.True(result.IsLeaf);
    }

    [Fact]
    public void With_no_input_requiring_grad_the_result_is_an_untracked_leaf()
    {
        var inputs = Inputs("Mul", seed: 8);
        var result = Fused("Mul", inputs);
        Assert.Null(result.GradFn);
        Assert.False(result.RequiresGrad);
    }

    [Fact]
    public void A_detached_input_gets_no_gradient_and_the_others_do()
    {
        var inputs = Inputs("Mul", seed: 9).Select(t => t.SetRequiresGrad()).ToArray();
        Fused("Mul", new[] { inputs[0].Detach(), inputs[1] }).Sum().Backward();
        Assert.Null(inputs[0].Grad);
        AssertClose(inputs[0].Detach().Sum(0, keepDim: true), inputs[1].Grad!, Tolerance, "gradient of the attached input");

        var detachedOnly = Fused("Mul", new[] { inputs[0].Detach(), inputs[1].Detach() });
        Assert.Null(detachedOnly.GradFn);
    }

    [Fact]
    public void Only_a_NoGrad_parameter_requiring_grad_records_nothing()
    {
        var inputs = Inputs("NoGradTarget", seed: 10);
        inputs[1].SetRequiresGrad();
        var result = Fused("NoGradTarget", inputs);
        Assert.Null(result.GradFn);
    }

    [Fact]
    public void A_second_backward_needs_retainGraph_and_then_doubles_the_gradient()
    {
        var inputs = Inputs("Exp", seed: 12).Select(t => t.SetRequiresGrad()).ToArray();
        var loss = Fused("Exp", inputs).Sum();
        loss.Backward(retainGraph: true);
        var once = inputs[0].Grad!.Clone();
        loss.Backward();
        AssertClose(once * 2.0, inputs[0].Grad!, Tolerance, "gradient after two passes");

        var freed = Fused("Exp", inputs).Sum();
        freed.Backward();
        Assert.Throws<InvalidOperationException>(() => freed.Backward());
    }

    [Fact]
    public void Changing_a_saved_input_in_place_before_backward_is_an_error()
    {
        var inputs = Inputs("Exp", seed: 13).Select(t => t.SetRequiresGrad()).ToArray();
        var result = Fused("Exp", inputs).Sum();
        using (Autograd.NoGrad())
        {
            inputs[0].AddInPlace(1.0);
        }

        Assert.Throws<InvalidOperationException>(() => result.Backward());
    }

    [Fact]
    public void Changing_the_saved_output_in_place_before_backward_is_an_error()
    {
        var inputs = Inputs("Exp", seed: 18).Select(t => t.SetRequiresGrad()).ToArray();
        var output = Fused("Exp", inputs);
        var loss = output.Sum();
        using (Autograd.NoGrad())
        {
            output.MulInPlace(2.0);
        }

        Assert.Throws<InvalidOperationException>(() => loss.Backward());
    }

    [Fact]
    public void A_method_returning_its_parameter_records_a_new_tensor_not_the_input()
    {
        var x = Tensor.Randn(new[] { 2, 2 }, 14).SetRequiresGrad();
        var y = Fused("Identity", new[] { x });
        Assert.NotSame(x, y);
        Assert.True(x.IsLeaf);
        Assert.Equal("IdentityBackward", y.GradFn!.Name);
        (y * 5.0).Sum().Backward();
        AssertClose(Tensor.Full(new[] { 2, 2 }, 5.0), x.Grad!, Tolerance, "identity gradient");
    }

    [Fact]
    public void Fused_node_composes_with_recorded_ops_before_and_after()
    {
        var inputs = Inputs("Softmax", seed: 15);
        var tapeLeaf = inputs[0].Detach().SetRequiresGrad();
        var fusedLeaf = inputs[0].Detach().SetRequiresGrad();
        var weights = Tensor.Randn(new[] { 3, 5 }, 16);

        (Call("Softmax", new[] { tapeLeaf.Sin() }) * weights).Sum().Backward();
        (Fused("Softmax", new[] { fusedLeaf.Sin() }) * weights).Sum().Backward();

        AssertClose(tapeLeaf.Grad!, fusedLeaf.Grad!, Tolerance, "gradient through sin → fused softmax → weighted sum");
    }
}

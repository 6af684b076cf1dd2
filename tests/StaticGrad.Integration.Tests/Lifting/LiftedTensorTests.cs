using StaticGrad.Integration.Tests.Lifting;

namespace StaticGrad.Integration.Tests.Lifting;

/// <summary>
/// The generated Tensor overloads behave like built-in ops: same values and gradients as the function written with
/// runtime tensor ops, one node per call, GradCheck, and PyTorch's rules for NoGrad, Detach, retain-graph, leaves,
/// accumulation, broadcasting and in-place changes.
/// </summary>
public class LiftedTensorTests
{
    /// <summary>Float64 results of the lifted and the tape version differ only by rounding of the same formulas.</summary>
    private const double Tolerance = 1e-12;

    private static Tensor Vector(params double[] values) => Tensor.FromArray(values, requiresGrad: true);

    /// <summary>The textbook form: for the test's inputs (|x| ≤ 30) it neither overflows nor loses more than rounding.</summary>
    private static Tensor SoftplusByOps(Tensor x) => (1.0 + x.Exp()).Log();

    private static void AssertClose(double[] expected, double[] actual, double tolerance)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (var i = 0; i < expected.Length; i++)
        {
            Assert.True(Math.Abs(expected[i] - actual[i]) <= tolerance, $"element {i}: expected {expected[i]}, got {actual[i]} (tolerance {tolerance})");
        }
    }

    [Fact]
    public void SoftplusEqualsTheSameFunctionBuiltFromRuntimeOps()
    {
        double[] values = [-30, -2.5, -0.1, 0, 0.3, 4, 25];
        var x = Vector(values);
        var y = Kernels.Softplus(x);
        (y * y).Sum().Backward();

        var reference = Vector(values);
        var r = SoftplusByOps(reference);
        (r * r).Sum().Backward();

        AssertClose(r.ToArray(), y.Detach().ToArray(), Tolerance);
        AssertClose(reference.Grad!.ToArray(), x.Grad!.ToArray(), Tolerance);
    }

    [Fact]
    public void OneNodeNamedAfterTheMethodWithEdgesToTheInputs()
    {
        var x = Vector(1, 2);
        var y = Kernels.Softplus(x);
        Assert.False(y.IsLeaf);
        Assert.Equal("SoftplusBackward", y.GradFn!.Name);
        var next = Assert.Single(y.GradFn.NextFunctions);
        Assert.IsType<AccumulateGrad>(next);
        Assert.Same(x, ((AccumulateGrad)next!).Variable);
    }

    [Fact]
    public void GradCheckPassesForElementwiseBroadcastAndSpanMethods()
    {
        var x = Tensor.FromArray(new[] { 0.3, -1.2, 2.0, 0.7, 1.1, -0.4 }, new[] { 2, 3 }, requiresGrad: true);
        var y = Tensor.FromArray(new[] { 1.5, -0.5, 0.25 }, requiresGrad: true);
        var w = Tensor.FromArray(new[] { 2.0 });
        Assert.True(GradCheck.Check(i => Kernels.Softplus(i[0]), new[] { x }).Passed);
        Assert.True(GradCheck.Check(i => Kernels.Gap(i[0], i[1], i[2]), new[] { x, y, w }).Passed);
        Assert.True(GradCheck.Check(i => Kernels.Decay(i[0], i[1], 5), new[] { x, y }).Passed);

        var xs = Tensor.FromArray(new[] { 0.5, -1.0, 2.0 }, requiresGrad: true);
        var weights = Tensor.FromArray(new[] { 1.0, 3.0, 0.5 }, requiresGrad: true);
        var offset = Tensor.Scalar(0.25, requiresGrad: true);
        Assert.True(GradCheck.Check(i => Kernels.WeightedSquares(i[0], i[1], i[2]), new[] { xs, weights, offset }).Passed);
    }

    [Fact]
    public void BroadcastInputsGetGradientsOfTheirOwnShapes()
    {
        var x = Tensor.FromArray(new[] { 0.3, -1.2, 2.0, 0.7, 1.1, -0.4 }, new[] { 2, 3 }, requiresGrad: true);
        var y = Tensor.FromArray(new[] { 1.5, -0.5, 0.25 }, new[] { 1, 3 }, requiresGrad: true);
        var w = Tensor.Scalar(2.0);
        var lifted = Kernels.Gap(x, y, w);
        Assert.Equal(new[] { 2, 3 }, lifted.Shape);
        lifted.Sum().Backward();

        var rx = Tensor.FromArray(x.Detach().ToArray(), new[] { 2, 3 }, requiresGrad: true);
        var ry = Tensor.FromArray(y.Detach().ToArray(), new[] { 1, 3 }, requiresGrad: true);
        var byOps = (rx - ry) * (rx - ry) * 2.0 + (rx * ry).Sin();
        byOps.Sum().Backward();

        AssertClose(byOps.ToArray(), lifted.Detach().ToArray(), Tolerance);
        Assert.Equal(new[] { 1, 3 }, y.Grad!.Shape);
        AssertClose(ry.Grad!.ToArray(), y.Grad.ToArray(), Tolerance);
        AssertClose(rx.Grad!.ToArray(), x.Grad!.ToArray(), Tolerance);
    }

    [Fact]
    public void BothInputsBroadcastInThreeDimensionsAndViewsAreRead()
    {
        // x is a transposed (non-contiguous) [3, 2] seen as [2, 1, 3] after a reshape of its contiguous copy; y is [4, 1].
        var xData = new[] { 0.3, -1.2, 2.0, 0.7, 1.1, -0.4 };
        var xBase = Tensor.FromArray(xData, new[] { 3, 2 }, requiresGrad: true);
        var x = xBase.Transpose(0, 1).Reshape(2, 1, 3);
        var y = Tensor.FromArray(new[] { 1.5, -0.5, 0.25, 2.0 }, new[] { 4, 1 }, requiresGrad: true);
        var lifted = Kernels.Gap(x, y, Tensor.Scalar(0.5));
        Assert.Equal(new[] { 2, 4, 3 }, lifted.Shape);
        (lifted * lifted).Sum().Backward();

        var rxBase = Tensor.FromArray(xData, new[] { 3, 2 }, requiresGrad: true);
        var rx = rxBase.Transpose(0, 1).Reshape(2, 1, 3);
        var ry = Tensor.FromArray(new[] { 1.5, -0.5, 0.25, 2.0 }, new[] { 4, 1 }, requiresGrad: true);
        var byOps = (rx - ry) * (rx - ry) * 0.5 + (rx * ry).Sin();
        (byOps * byOps).Sum().Backward();

        AssertClose(byOps.ToArray(), lifted.Detach().ToArray(), Tolerance);
        AssertClose(rxBase.Grad!.ToArray(), xBase.Grad!.ToArray(), Tolerance);
        AssertClose(ry.Grad!.ToArray(), y.Grad!.ToArray(), Tolerance);
    }

    [Fact]
    public void NoGradParameterGetsNoGradientEvenIfItsTensorRequiresGrad()
    {
        var x = Vector(1, 2);
        var y = Vector(0.5, 0.5);
        var w = Vector(3, 3);
        var g = Kernels.Gap(x, y, w);
        Assert.Null(g.GradFn!.NextFunctions[2]);
        g.Sum().Backward();
        Assert.Null(w.Grad);
        Assert.NotNull(x.Grad);

        // Only the [NoGrad] input requires grad: nothing is recorded.
        var frozen = Kernels.Gap(Tensor.FromArray(new[] { 1.0 }), Tensor.FromArray(new[] { 2.0 }), w);
        Assert.True(frozen.IsLeaf);
        Assert.False(frozen.RequiresGrad);
    }

    [Fact]
    public void UnderNoGradOrWithoutGradInputsTheResultIsAnUntrackedLeaf()
    {
        var x = Vector(1, 2);
        Tensor y;
        using (Autograd.NoGrad())
        {
            y = Kernels.Softplus(x);
        }

        Assert.True(y.IsLeaf);
        Assert.False(y.RequiresGrad);
        Assert.Null(y.GradFn);

        var plain = Kernels.Softplus(Tensor.FromArray(new[] { 1.0 }));
        Assert.Null(plain.GradFn);
        var ex = Assert.Throws<InvalidOperationException>(() => plain.Sum().Backward());
        Assert.Equal(AutogradMessages.ElementDoesNotRequireGrad(0), ex.Message);
    }

    [Fact]
    public void DetachedInputsStopTheGradient()
    {
        var x = Vector(1, 2);
        var y = Vector(3, 4);
        var g = Kernels.Gap(x, y.Detach(), Tensor.Scalar(1.0));
        g.Sum().Backward();
        Assert.NotNull(x.Grad);
        Assert.Null(y.Grad);
        Assert.False(Kernels.Softplus(x).Detach().RequiresGrad);
    }

    [Fact]
    public void SecondBackwardNeedsRetainGraphAndGradientsAccumulate()
    {
        var x = Vector(0.5);
        var y = Kernels.Softplus(x);
        y.Backward(retainGraph: true);
        y.Backward();
        var sigmoid = 1 / (1 + Math.Exp(-0.5));
        Assert.Equal(2 * sigmoid, x.Grad!.Item(), Tolerance);
        var ex = Assert.Throws<InvalidOperationException>(() => y.Backward());
        Assert.Equal(AutogradMessages.BackwardTwice, ex.Message);
    }

    [Fact]
    public void DifferentiatingTheLiftedBackwardAgainRaisesPyTorchsOnceDifferentiableError()
    {
        var x = Vector(0.5, 1.5);
        var y = Kernels.Softplus(x);

        // The incoming gradient requires grad, so the gradient depends on it: differentiating that is refused, as for
        // PyTorch's @once_differentiable functions, instead of silently giving zero.
        var v = Tensor.FromArray(new[] { 1.0, 2.0 }, requiresGrad: true);
        var g = Autograd.Grad(new[] { y }, new[] { x }, new Tensor?[] { v }, createGraph: true)[0]!;
        Assert.True(g.RequiresGrad);
        Assert.Equal(new[] { 1 / (1 + Math.Exp(-0.5)), 2 / (1 + Math.Exp(-1.5)) }, g.Detach().ToArray(), (a, b) => Math.Abs(a - b) < Tolerance);
        var ex = Assert.Throws<InvalidOperationException>(() => g.Sum().Backward());
        Assert.Equal("trying to differentiate twice a function that was marked with @once_differentiable", ex.Message);
    }

    [Fact]
    public void GradientsOfSeveralUsesAreSummed()
    {
        var x = Vector(0.5);
        var y = Kernels.Softplus(x);
        (y * 2.0 + y).Backward();
        Assert.Equal(3 / (1 + Math.Exp(-0.5)), x.Grad!.Item(), Tolerance);
    }

    [Fact]
    public void InPlaceChangeOfAnInputBeforeBackwardIsReported()
    {
        var x = Vector(1, 2);
        var h = x * 1.0;
        var y = Kernels.Softplus(h);
        h.AddInPlace(1.0);
        var ex = Assert.Throws<InvalidOperationException>(() => y.Sum().Backward());
        Assert.StartsWith("one of the variables needed for gradient computation has been modified by an inplace operation", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void FloatMethodGivesFloat32AndMatchesTheTape()
    {
        float[] values = [-3f, -0.5f, 0f, 0.8f, 2.5f];
        var x = Tensor.FromArray(values, requiresGrad: true);
        var y = Kernels.Gelu(x);
        Assert.Equal(DType.Float32, y.DType);
        y.Sum().Backward();
        Assert.Equal(DType.Float32, x.Grad!.DType);

        var r = Tensor.FromArray(values, requiresGrad: true);
        var byOps = 0.5 * r * (1.0 + (0.7978846 * (r + 0.044715 * r * r * r)).Tanh());
        byOps.Sum().Backward();

        // float32 arithmetic in two different orders: agreement to a few float ulps.
        AssertClose(byOps.ToArray(), y.Detach().ToArray(), 1e-5);
        AssertClose(r.Grad!.ToArray(), x.Grad.ToArray(), 1e-5);
    }

    [Fact]
    public void Float64InputsOfAFloatMethodGetFloat64Gradients()
    {
        var x = Vector(0.5, 1.5);
        var y = Kernels.Gelu(x);
        Assert.Equal(DType.Float32, y.DType);
        y.Sum().Backward();
        Assert.Equal(DType.Float64, x.Grad!.DType);
    }

    [Fact]
    public void LoopMethodWithPassedThroughIntMatchesItsScalarGradient()
    {
        var x = Vector(1.0, 2.0);
        var k = Tensor.FromArray(new[] { 0.5 }, requiresGrad: true);
        var y = Kernels.Decay(x, k, 7);
        y.Sum().Backward();
        double dk = 0;
        for (var i = 0; i < 2; i++)
        {
            double dx = 0, dkElement = 0;
            var value = Kernels.DecayBackward(i + 1.0, 0.5, 7, ref dx, ref dkElement);
            Assert.Equal(value, y.Detach().ToArray()[i], Tolerance);
            Assert.Equal(dx, x.Grad!.ToArray()[i], Tolerance);
            dk += dkElement;
        }

        Assert.Equal(dk, k.Grad!.Item(), Tolerance);
    }

    [Fact]
    public void SpanMethodReturnsAScalarTensorAndMatchesTheTape()
    {
        var xs = Vector(0.5, -1.0, 2.0);
        var weights = Vector(1.0, 3.0, 0.5);
        var offset = Tensor.Scalar(0.25, requiresGrad: true);
        var y = Kernels.WeightedSquares(xs, weights, offset);
        Assert.Empty(y.Shape);
        Assert.Equal("WeightedSquaresBackward", y.GradFn!.Name);
        y.Backward();

        var rx = Vector(0.5, -1.0, 2.0);
        var rw = Vector(1.0, 3.0, 0.5);
        var ro = Tensor.Scalar(0.25, requiresGrad: true);
        var byOps = (rw * rx * rx).Sum() + ro;
        byOps.Backward();
        Assert.Equal(byOps.Item(), y.Item(), Tolerance);
        AssertClose(rx.Grad!.ToArray(), xs.Grad!.ToArray(), Tolerance);
        AssertClose(rw.Grad!.ToArray(), weights.Grad!.ToArray(), Tolerance);
        Assert.Equal(1.0, offset.Grad!.Item(), Tolerance);
    }

    [Fact]
    public void SpanMethodRejectsTensorsOfTheWrongRank()
    {
        var matrix = Tensor.Zeros(new[] { 2, 2 });
        var ex = Assert.Throws<ArgumentException>(() => Kernels.WeightedSquares(matrix, Tensor.Zeros(new[] { 4 }), Tensor.Scalar(0)));
        Assert.Contains("parameter 'xs' takes a 1-D tensor, got shape [2, 2]", ex.Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentException>(() => Kernels.WeightedSquares(Tensor.Zeros(new[] { 2 }), Tensor.Zeros(new[] { 2 }), Tensor.Zeros(new[] { 2 })));
    }

    [Fact]
    public void ShapesThatDoNotBroadcastAreRejected()
    {
        Assert.Throws<ArgumentException>(() => Kernels.Gap(Tensor.Zeros(new[] { 2 }), Tensor.Zeros(new[] { 3 }), Tensor.Scalar(1)));
    }
}

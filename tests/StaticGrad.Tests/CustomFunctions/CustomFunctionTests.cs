namespace StaticGrad.Tests.CustomFunctions;

using StaticGrad;

/// <summary>PyTorch's autograd rules hold across a user-written <see cref="CustomFunction"/> as for built-in ops.</summary>
public class CustomFunctionTests
{
    private const double Tolerance = 1e-12;

    private static Tensor T(double[] v, bool rg = false) => Tensor.FromArray(v, requiresGrad: rg);

    [Fact]
    public void OutputIsNonLeafNamedAfterTheFunctionAndGradientReachesTheLeaf()
    {
        var x = T([1, 2, -3], rg: true);
        var y = Cube.Apply(x);
        Assert.True(y.RequiresGrad);
        Assert.False(y.IsLeaf);
        Assert.Equal("CubeBackward", y.GradFn!.Name);
        Assert.Same(x.GradFn ?? GetAccumulator(x), y.GradFn.NextFunctions[0]);
        y.Sum().Backward();
        Assert.Equal(new[] { 3.0, 12, 27 }, x.Grad!.ToArray());
    }

    [Fact]
    public void RequiresGradPropagatesThroughChainsOfBuiltInAndCustomOps()
    {
        var x = T([0.5, -1.5], rg: true);
        var y = (Cube.Apply(x.Sin()) * 2.0).Sum();
        y.Backward();
        var expected = new[] { 0.5, -1.5 }.Select(v => 2 * 3 * Math.Sin(v) * Math.Sin(v) * Math.Cos(v)).ToArray();
        Assert.Equal(expected, x.Grad!.ToArray(), (a, b) => Math.Abs(a - b) < Tolerance);
        Assert.Equal("SinBackward0", y.GradFn!.NextFunctions[0]!.NextFunctions[0]!.NextFunctions[0]!.Name);
    }

    [Fact]
    public void NoInputRequiringGradGivesAnUntrackedLeafAndNoNode()
    {
        var y = Cube.Apply(T([2.0]));
        Assert.False(y.RequiresGrad);
        Assert.True(y.IsLeaf);
        Assert.Null(y.GradFn);
        var ex = Assert.Throws<InvalidOperationException>(() => y.Sum().Backward());
        Assert.Equal(AutogradMessages.ElementDoesNotRequireGrad(0), ex.Message);
    }

    [Fact]
    public void UnderNoGradNothingIsRecorded()
    {
        var x = T([2.0], rg: true);
        Tensor y;
        using (StaticGrad.Autograd.NoGrad())
        {
            y = Cube.Apply(x);
        }

        Assert.False(y.RequiresGrad);
        Assert.Null(y.GradFn);
        Assert.Equal(8.0, y.Item());
    }

    [Fact]
    public void RecordUnderNoGradReturnsTheOutputUntouchedEvenIfTheCallerSkipsShouldRecord()
    {
        var x = T([2.0], rg: true);
        Tensor y;
        using (StaticGrad.Autograd.NoGrad())
        {
            y = WrongShape.Apply(x);
        }

        Assert.Null(y.GradFn);
        Assert.False(y.RequiresGrad);
    }

    [Fact]
    public void DetachedInputGetsNoGradientAndDetachedOutputStopsTheFlow()
    {
        var a = T([1, 2], rg: true);
        var b = T([3, 4], rg: true);
        var y = ScaledProduct.Apply(a, b.Detach(), 2.0);
        Assert.Null(y.GradFn!.NextFunctions[1]);
        y.Sum().Backward();
        Assert.Equal(new[] { false }, ScaledProduct.LastNeeds.Skip(1));
        Assert.Equal(new[] { 6.0, 8 }, a.Grad!.ToArray());
        Assert.Null(b.Grad);

        var z = Cube.Apply(a).Detach();
        Assert.True(z.IsLeaf);
        Assert.False(z.RequiresGrad);
    }

    [Fact]
    public void SecondBackwardWithoutRetainGraphRaisesPyTorchsMessage()
    {
        var x = T([1.5], rg: true);
        var y = Cube.Apply(x);
        y.Backward();
        var ex = Assert.Throws<InvalidOperationException>(() => y.Backward());
        Assert.Equal(AutogradMessages.BackwardTwice, ex.Message);
        Assert.Throws<InvalidOperationException>(() => y.GradFn!.SavedTensors);
    }

    [Fact]
    public void RetainGraphKeepsSavedTensorsAndGradientsAccumulateIntoTheLeaf()
    {
        var x = T([1.5], rg: true);
        var y = Cube.Apply(x);
        y.Backward(retainGraph: true);
        Assert.Same(x, y.GradFn!.SavedTensors[0]);
        y.Backward();
        Assert.Equal(2 * 3 * 1.5 * 1.5, x.Grad!.Item(), Tolerance);
    }

    [Fact]
    public void GradientsFromSeveralUsesAreSummedBeforeOneBackwardCall()
    {
        var x = T([2.0], rg: true);
        var y = Cube.Apply(x);
        int before = Cube.BackwardCalls;
        (y * 3.0 + y * y).Backward();
        Assert.Equal(before + 1, Cube.BackwardCalls);

        // d/dx (3y + y²) with y = x³: (3 + 2y)·3x² = (3 + 16)·12.
        Assert.Equal(19.0 * 12, x.Grad!.Item(), Tolerance);
    }

    [Fact]
    public void InPlaceChangeOfASavedInputRaisesPyTorchsMessage()
    {
        var x = T([1, 2], rg: true);
        var h = x * 1.0;
        var y = Cube.Apply(h);
        h.AddInPlace(1.0);
        var ex = Assert.Throws<InvalidOperationException>(() => y.Sum().Backward());

        // PyTorch's SavedVariable names the saved input's current grad_fn: the in-place add's node.
        Assert.Equal(
            AutogradMessages.ModifiedByInPlace(DType.Float64, new[] { 2 }, "AddBackward0", 1, 0, anomaly: false),
            ex.Message);
    }

    [Fact]
    public void InPlaceChangeOfASavedOutputNamesTheCustomNode()
    {
        var x = T([1, 2], rg: true);
        var y = ExpSavingOutput.Apply(x);
        y.MulInPlace(2.0);
        var ex = Assert.Throws<InvalidOperationException>(() => y.Sum().Backward());
        Assert.Equal(
            AutogradMessages.ModifiedByInPlace(DType.Float64, new[] { 2 }, "ExpSavingOutputBackward", 1, 0, anomaly: false),
            ex.Message);
    }

    [Fact]
    public void BroadcastGradientsAreSummedToEachInputsShapeAndDType()
    {
        var a = Tensor.FromArray(new[] { 1.0, 2, 3, 4, 5, 6 }, new[] { 2, 3 }, requiresGrad: true);
        var b = Tensor.FromArray(new[] { 1f, 10f, 100f }, new[] { 3 }, requiresGrad: true);
        var y = ScaledProduct.Apply(a, b, 0.5);
        Assert.Equal(new[] { 2, 3 }, y.Shape);
        y.Sum().Backward();
        Assert.Equal(new[] { 3 }, b.Grad!.Shape);
        Assert.Equal(DType.Float32, b.Grad.DType);
        Assert.Equal(new[] { 2.5, 3.5, 4.5 }, b.Grad.ToArray());
        Assert.Equal(new[] { 0.5, 5, 50, 0.5, 5, 50 }, a.Grad!.ToArray());
    }

    [Fact]
    public void AGradientOfAnIncompatibleShapeIsReported()
    {
        var x = T([1, 2], rg: true);
        var ex = Assert.Throws<InvalidOperationException>(() => WrongShape.Apply(x).Sum().Backward());
        Assert.Equal("Function WrongShapeBackward returned an invalid gradient at index 0 - got [5] but expected shape compatible with [2]", ex.Message);
    }

    [Fact]
    public void RecordRefusesAnOutputThatIsAlreadyTracked()
    {
        var x = T([1.0], rg: true);
        Assert.Throws<ArgumentException>(() => WrongShapeRecorder.RecordTracked(x));
    }

    [Fact]
    public void AutogradGradCapturesWithoutTouchingGrad()
    {
        var x = T([2.0, 3.0], rg: true);
        var g = StaticGrad.Autograd.Grad(Cube.Apply(x).Sum(), x)!;
        Assert.Equal(new[] { 12.0, 27 }, g.ToArray());
        Assert.Null(x.Grad);
    }

    [Fact]
    public void GradCheckPassesOnUserWrittenFunctions()
    {
        var x = Tensor.FromArray(new[] { 0.3, -1.2, 2.0 }, requiresGrad: true);
        Assert.True(GradCheck.Check(i => Cube.Apply(i[0]), new[] { x }).Passed);

        var a = Tensor.FromArray(new[] { 0.3, -1.2, 2.0, 0.7, 1.1, -0.4 }, new[] { 2, 3 }, requiresGrad: true);
        var b = Tensor.FromArray(new[] { 1.5, -0.5, 0.25 }, requiresGrad: true);
        Assert.True(GradCheck.Check(i => ScaledProduct.Apply(i[0], i[1], 1.7), new[] { a, b }).Passed);
    }

    [Fact]
    public void GradCheckFailsOnAWrongBackward()
    {
        var x = Tensor.FromArray(new[] { 0.3, -1.2 }, requiresGrad: true);
        var result = GradCheck.Check(i => WrongFactor.Apply(i[0]), new[] { x }, raiseException: false);
        Assert.False(result.Passed);
    }

    [Fact]
    public void CreateGraphRecordsTheBackwardForSecondOrderGradients()
    {
        var x = T([2.0], rg: true);
        var g = StaticGrad.Autograd.Grad(new[] { Cube.Apply(x) }, new[] { x }, createGraph: true)[0]!;
        Assert.True(g.RequiresGrad);
        var gg = StaticGrad.Autograd.Grad(g, x)!;
        Assert.Equal(6 * 2.0, gg.Item(), Tolerance);
    }

    private static GradNode GetAccumulator(Tensor leaf) => leaf.GetAccumulator();

    private sealed class WrongShapeRecorder : CustomFunction
    {
        private WrongShapeRecorder(Tensor x)
            : base("WrongShapeRecorderBackward", x)
        {
        }

        public static Tensor RecordTracked(Tensor x) => new WrongShapeRecorder(x).Record(x * 2.0);

        protected override void Backward(Tensor gradOutput, Tensor?[] gradInputs) => gradInputs[0] = gradOutput;
    }

    private sealed class WrongFactor : CustomFunction
    {
        private WrongFactor(Tensor x)
            : base("WrongFactorBackward", x)
        {
        }

        public static Tensor Apply(Tensor x)
        {
            Tensor y;
            using (StaticGrad.Autograd.NoGrad())
            {
                y = x * x;
            }

            var node = new WrongFactor(x);
            node.SaveForBackward(x);
            return node.Record(y);
        }

        // d(x²)/dx is 2x; a factor of 3 is the kind of slip GradCheck exists to catch.
        protected override void Backward(Tensor gradOutput, Tensor?[] gradInputs) => gradInputs[0] = gradOutput * Saved(0) * 3.0;
    }
}

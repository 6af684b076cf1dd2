namespace StaticGrad.Tests.CustomFunctions;

using StaticGrad;

/// <summary>y = x³, written as a user would: forward under NoGrad, x saved, backward 3x²·g.</summary>
internal sealed class Cube : CustomFunction
{
    private Cube(Tensor x)
        : base("CubeBackward", x)
    {
    }

    public static int BackwardCalls { get; set; }

    public static Tensor Apply(Tensor x)
    {
        Tensor y;
        using (StaticGrad.Autograd.NoGrad())
        {
            y = x * x * x;
        }

        if (!ShouldRecord(x))
        {
            return y;
        }

        var node = new Cube(x);
        node.SaveForBackward(x);
        return node.Record(y);
    }

    protected override void Backward(Tensor gradOutput, Tensor?[] gradInputs)
    {
        BackwardCalls++;
        var x = Saved(0);
        gradInputs[0] = gradOutput * x * x * 3.0;
    }
}

/// <summary>
/// y = a·b·s with broadcasting; returns gradients in the OUTPUT's shape (the node sums them to each input's shape)
/// and only where <see cref="CustomFunction.NeedsInputGrad"/> says so.
/// </summary>
internal sealed class ScaledProduct : CustomFunction
{
    private readonly double _scale;

    private ScaledProduct(Tensor a, Tensor b, double scale)
        : base("ScaledProductBackward", a, b)
    {
        _scale = scale;
    }

    public static bool[] LastNeeds { get; private set; } = Array.Empty<bool>();

    public static Tensor Apply(Tensor a, Tensor b, double scale)
    {
        Tensor y;
        using (StaticGrad.Autograd.NoGrad())
        {
            y = a * b * scale;
        }

        if (!ShouldRecord(a, b))
        {
            return y;
        }

        var node = new ScaledProduct(a, b, scale);
        node.SaveForBackward(a, b);
        return node.Record(y);
    }

    protected override void Backward(Tensor gradOutput, Tensor?[] gradInputs)
    {
        LastNeeds = new[] { NeedsInputGrad(0), NeedsInputGrad(1) };
        var a = Saved(0);
        var b = Saved(1);
        if (NeedsInputGrad(0))
        {
            gradInputs[0] = gradOutput * b * _scale;
        }

        if (NeedsInputGrad(1))
        {
            gradInputs[1] = gradOutput * a * _scale;
        }
    }
}

/// <summary>y = eˣ saving its OUTPUT (like PyTorch's ExpBackward0), to check the output's in-place message.</summary>
internal sealed class ExpSavingOutput : CustomFunction
{
    private ExpSavingOutput(Tensor x)
        : base("ExpSavingOutputBackward", x)
    {
    }

    public static Tensor Apply(Tensor x)
    {
        Tensor y;
        using (StaticGrad.Autograd.NoGrad())
        {
            y = x.Exp();
        }

        if (!ShouldRecord(x))
        {
            return y;
        }

        var node = new ExpSavingOutput(x);
        node.SaveForBackward(y);
        return node.Record(y);
    }

    protected override void Backward(Tensor gradOutput, Tensor?[] gradInputs) => gradInputs[0] = gradOutput * Saved(0);
}

/// <summary>A backward that returns a gradient of a shape the input cannot broadcast to (a user bug).</summary>
internal sealed class WrongShape : CustomFunction
{
    private WrongShape(Tensor x)
        : base("WrongShapeBackward", x)
    {
    }

    public static Tensor Apply(Tensor x)
    {
        Tensor y;
        using (StaticGrad.Autograd.NoGrad())
        {
            y = x * 2.0;
        }

        return new WrongShape(x).Record(y);
    }

    protected override void Backward(Tensor gradOutput, Tensor?[] gradInputs) => gradInputs[0] = Tensor.Ones(new[] { 5 });
}

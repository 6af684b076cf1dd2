namespace StaticGrad.CompilerServices;

/// <summary>
/// PyTorch's <c>@once_differentiable</c> for the lifted nodes: their backward (the generated scalar gradient) is not
/// itself recorded, so under <c>createGraph</c> a gradient computed from an incoming gradient that requires grad is
/// attached to this node, whose backward raises PyTorch's error instead of silently returning a zero second derivative.
/// </summary>
internal sealed class DelayedError : CustomFunction
{
    /// <summary>PyTorch's text for a second differentiation through a once-differentiable function.</summary>
    public const string Message = "trying to differentiate twice a function that was marked with @once_differentiable";

    private DelayedError(Tensor gradOutput)
        : base("DelayedError", gradOutput)
    {
    }

    /// <summary>
    /// <paramref name="gradient"/> as it is, or (grad mode on, as under <c>createGraph</c>, and
    /// <paramref name="gradOutput"/> requires grad) as the output of a node that refuses to be differentiated.
    /// </summary>
    public static Tensor Wrap(Tensor gradient, Tensor gradOutput) =>
        ShouldRecord(gradOutput) ? new DelayedError(gradOutput).Record(gradient) : gradient;

    protected override void Backward(Tensor gradOutput, Tensor?[] gradInputs) => throw new InvalidOperationException(Message);
}

namespace StaticGrad.Nn;

/// <summary>The one way gradients are cleared, shared by <see cref="Module.ZeroGrad"/> and optimizers.</summary>
internal static class GradReset
{
    /// <summary>
    /// PyTorch's <c>zero_grad</c> for one tensor: drop the gradient, or detach it from any graph and zero it in place
    /// (so that a later step still runs with a zero gradient, as PyTorch's does).
    /// </summary>
    public static void Reset(Tensor tensor, bool setToNone)
    {
        // GradRaw, not Grad: reading the gradient here does not hand it to the user, so it can stay the spare below.
        var grad = tensor.GradRaw;
        if (grad is null)
        {
            return;
        }

        if (setToNone)
        {
            tensor.ClearGradKeepingStorage();
            return;
        }

        if (grad.GradFn is not null)
        {
            grad.DetachInPlace();
        }
        else
        {
            grad.SetRequiresGrad(false);
        }

        grad.ZeroInPlace();
    }
}

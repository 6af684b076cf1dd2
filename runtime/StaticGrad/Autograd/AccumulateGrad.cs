namespace StaticGrad;

/// <summary>
/// The sink of a leaf that requires grad: adds the incoming gradient into the leaf's <see cref="Tensor.Grad"/>.
/// Like PyTorch it reads the leaf's flag when it runs, so freezing a leaf between forward and backward leaves its
/// gradient untouched.
/// </summary>
public sealed class AccumulateGrad : GradNode
{
    internal AccumulateGrad(Tensor variable)
        : base("AccumulateGrad", Array.Empty<GradNode?>())
    {
        Variable = variable;
    }

    /// <summary>The leaf whose gradient this node accumulates (PyTorch's <c>AccumulateGrad.variable</c>).</summary>
    public Tensor Variable { get; }

    internal override void Apply(Tensor gradOutput, Tensor?[] gradInputs, bool keepSaved) =>
        Accumulate(Variable, gradOutput);

    internal static void Accumulate(Tensor variable, Tensor incoming)
    {
        if (!variable.RequiresGrad)
        {
            return;
        }

        var grad = incoming.DType == variable.DType ? incoming : incoming.ToDType(variable.DType);
        var existing = variable.GradRaw;
        if (existing is null)
        {
            if (Autograd.IsGradEnabled)
            {
                variable.GradRaw = grad.CopyBackwardsClone();
                variable.GradRaw.BumpVersion();
                variable.GradRaw._storage.MarkEscaped();
            }
            else
            {
                // Like PyTorch, a buffer no one else holds becomes the gradient itself instead of being copied. A spare
                // that ZeroGrad kept (see Tensor.TakeSpareGrad) takes the copy instead of a new array.
                bool steal = grad.EngineRefs == 0 && grad.CanTakeInPlaceGradient(grad) && !grad.RequiresGrad;
                var reused = variable.TakeSpareGrad(grad, steal ? grad.VersionOrZero : 1);
                if (reused is not null)
                {
                    variable.GradRaw = reused;
                    return;
                }

                var made = steal ? grad : CopiedGradient(grad);

                // The gradient now belongs to the user: a backward pass must not return its storage (see StorageArena).
                made._storage.MarkEscaped();
                made.MarkGradOwnedIfAlone();
                variable.GradRaw = made;
            }
        }
        else if (Autograd.IsGradEnabled)
        {
            variable.GradRaw = existing + grad;
            variable.GradRaw._storage.MarkEscaped();
        }
        else
        {
            existing.AccumulateInPlaceRaw(grad);
        }
    }

    /// <summary>PyTorch copies a gradient it cannot steal with <c>new_empty_strided(…).copy_(grad)</c>: the copy is at version 1.</summary>
    private static Tensor CopiedGradient(Tensor grad)
    {
        var copy = grad.CloneData();
        copy.BumpVersion();
        return copy;
    }
}

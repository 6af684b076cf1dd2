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
            }
            else
            {
                variable.GradRaw = grad.CloneData();
            }
        }
        else if (Autograd.IsGradEnabled)
        {
            variable.GradRaw = existing + grad;
        }
        else
        {
            existing.AccumulateInPlaceRaw(grad);
        }
    }
}

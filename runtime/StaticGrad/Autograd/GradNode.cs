namespace StaticGrad;

/// <summary>
/// A node of the recorded backward graph (PyTorch's <c>grad_fn</c> objects such as <c>MulBackward0</c>, and
/// <c>AccumulateGrad</c> for leaves). <see cref="Tensor.GradFn"/> returns the node that produced a tensor.
/// </summary>
public abstract class GradNode
{
    private protected GradNode(string name, GradNode?[] next)
    {
        Name = name;
        Next = next;
    }

    /// <summary>PyTorch's class name of the node, e.g. <c>MulBackward0</c>, <c>SumBackward0</c>, <c>AccumulateGrad</c>.</summary>
    public string Name { get; }

    /// <summary>The nodes the gradient flows to, one per differentiable input (null where the input needs no gradient).</summary>
    public IReadOnlyList<GradNode?> NextFunctions => Next;

    /// <summary>
    /// The tensors this node saved for backward (PyTorch's <c>grad_fn._saved_*</c>).
    /// </summary>
    /// <exception cref="InvalidOperationException">The graph was freed by a backward pass without <c>retainGraph</c>.</exception>
    public virtual IReadOnlyList<Tensor> SavedTensors => Array.Empty<Tensor>();

    internal GradNode?[] Next { get; }

    /// <summary>Bookkeeping of the engine during one backward pass.</summary>
    internal int PendingDependencies;

    internal Tensor? PendingGrad;

    internal int VisitMark;

    internal Tensor? RetainGradTensor;

    /// <summary>Computes the gradient for each input from the gradient of the output; null where none flows.</summary>
    internal abstract void Apply(Tensor gradOutput, Tensor?[] gradInputs, bool keepSaved);

    internal virtual void ReleaseSaved()
    {
    }

    /// <summary>PyTorch's representation, e.g. <c>&lt;MulBackward0 object&gt;</c>.</summary>
    /// <returns>The text.</returns>
    public override string ToString() => "<" + Name + " object>";
}

namespace StaticGrad;

public static partial class Autograd
{
    /// <summary>
    /// The gradients of <paramref name="outputs"/> with respect to <paramref name="inputs"/>, without touching any
    /// <see cref="Tensor.Grad"/> (PyTorch's <c>torch.autograd.grad</c>).
    /// </summary>
    /// <param name="outputs">The differentiated tensors.</param>
    /// <param name="inputs">The tensors to differentiate with respect to (each must require grad).</param>
    /// <param name="gradOutputs">The vector of the vector-Jacobian product per output; null entries (or null) mean ones for one-element outputs.</param>
    /// <param name="retainGraph">Keep the saved tensors for another pass (defaults to <paramref name="createGraph"/>).</param>
    /// <param name="createGraph">Record the computation so the result can be differentiated again.</param>
    /// <param name="allowUnused">Return null for inputs the outputs do not depend on instead of raising.</param>
    /// <returns>One gradient per input (null only with <paramref name="allowUnused"/>).</returns>
    /// <exception cref="InvalidOperationException">An input does not require grad or is unused, or see <see cref="Tensor.Backward"/>.</exception>
    public static Tensor?[] Grad(
        IReadOnlyList<Tensor> outputs,
        IReadOnlyList<Tensor> inputs,
        IReadOnlyList<Tensor?>? gradOutputs = null,
        bool? retainGraph = null,
        bool createGraph = false,
        bool allowUnused = false)
    {
        ArgumentNullException.ThrowIfNull(outputs);
        ArgumentNullException.ThrowIfNull(inputs);
        return Engine.Run(outputs, gradOutputs, retainGraph ?? createGraph, createGraph, inputs, capture: true, allowUnused);
    }

    /// <summary>The gradients of one output with respect to <paramref name="inputs"/> (see <see cref="Grad(IReadOnlyList{Tensor}, IReadOnlyList{Tensor}, IReadOnlyList{Tensor}, bool?, bool, bool)"/>).</summary>
    /// <param name="output">The differentiated tensor.</param>
    /// <param name="inputs">The tensors to differentiate with respect to.</param>
    /// <param name="gradOutput">The vector of the vector-Jacobian product (null for a one-element output).</param>
    /// <param name="retainGraph">Keep the saved tensors for another pass (defaults to <paramref name="createGraph"/>).</param>
    /// <param name="createGraph">Record the computation so the result can be differentiated again.</param>
    /// <param name="allowUnused">Return null for unused inputs instead of raising.</param>
    /// <returns>One gradient per input.</returns>
    public static Tensor?[] Grad(Tensor output, IReadOnlyList<Tensor> inputs, Tensor? gradOutput = null, bool? retainGraph = null, bool createGraph = false, bool allowUnused = false)
    {
        ArgumentNullException.ThrowIfNull(output);
        return Grad(new[] { output }, inputs, new[] { gradOutput }, retainGraph, createGraph, allowUnused);
    }

    /// <summary>The gradient of one output with respect to one input.</summary>
    /// <param name="output">The differentiated tensor.</param>
    /// <param name="input">The tensor to differentiate with respect to.</param>
    /// <param name="gradOutput">The vector of the vector-Jacobian product (null for a one-element output).</param>
    /// <param name="retainGraph">Keep the saved tensors for another pass (defaults to <paramref name="createGraph"/>).</param>
    /// <param name="createGraph">Record the computation so the result can be differentiated again.</param>
    /// <param name="allowUnused">Return null for an unused input instead of raising.</param>
    /// <returns>The gradient.</returns>
    public static Tensor? Grad(Tensor output, Tensor input, Tensor? gradOutput = null, bool? retainGraph = null, bool createGraph = false, bool allowUnused = false)
    {
        ArgumentNullException.ThrowIfNull(input);
        return Grad(output, new[] { input }, gradOutput, retainGraph, createGraph, allowUnused)[0];
    }

    /// <summary>
    /// Backward from several roots at once, accumulating into the leaves' <see cref="Tensor.Grad"/> (PyTorch's
    /// <c>torch.autograd.backward(tensors, grad_tensors)</c>); error messages name the offending root's index.
    /// </summary>
    /// <param name="tensors">The roots.</param>
    /// <param name="gradTensors">The gradient per root (null entries for one-element roots), or null.</param>
    /// <param name="retainGraph">Keep the saved tensors (defaults to <paramref name="createGraph"/>).</param>
    /// <param name="createGraph">Record the backward computation.</param>
    /// <param name="inputs">If given, only these tensors receive gradients.</param>
    public static void Backward(IReadOnlyList<Tensor> tensors, IReadOnlyList<Tensor?>? gradTensors = null, bool? retainGraph = null, bool createGraph = false, IReadOnlyList<Tensor>? inputs = null)
    {
        ArgumentNullException.ThrowIfNull(tensors);
        if (createGraph)
        {
            Engine.WarnCreateGraphOnce();
        }

        Engine.Run(tensors, gradTensors, retainGraph ?? createGraph, createGraph, inputs, capture: false, allowUnused: true);
    }
}

namespace StaticGrad.Nn;

/// <summary>
/// A tensor that is a module's learnable state (PyTorch's <c>nn.Parameter</c>): a leaf that requires grad unless told
/// otherwise, and that <see cref="Module.Parameters"/> finds. It shares storage and version counter with the tensor it
/// wraps, as PyTorch's parameter does with its data.
/// </summary>
public class Parameter : Tensor
{
    /// <summary>Wraps <paramref name="data"/> as a parameter (PyTorch's <c>nn.Parameter(data, requires_grad)</c>).</summary>
    /// <param name="data">The initial values; the parameter shares their storage.</param>
    /// <param name="requiresGrad">Whether the parameter is trainable (the default, as in PyTorch).</param>
    /// <exception cref="ArgumentException">
    /// <paramref name="requiresGrad"/> is true and <paramref name="data"/> is not floating point
    /// ("Only Tensors of floating point and complex dtype can require gradients").
    /// </exception>
    public Parameter(Tensor data, bool requiresGrad = true)
        : base(data, requiresGrad)
    {
    }
}

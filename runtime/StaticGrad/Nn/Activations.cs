namespace StaticGrad.Nn;

/// <summary>The rectified linear unit <c>max(x, 0)</c> as a module (PyTorch's <c>nn.ReLU</c>).</summary>
public sealed class ReLU : Module
{
    /// <inheritdoc/>
    public override Tensor Forward(Tensor input)
    {
        ArgumentNullException.ThrowIfNull(input);
        return input.Relu();
    }
}

/// <summary>The hyperbolic tangent as a module (PyTorch's <c>nn.Tanh</c>).</summary>
public sealed class Tanh : Module
{
    /// <inheritdoc/>
    public override Tensor Forward(Tensor input)
    {
        ArgumentNullException.ThrowIfNull(input);
        return input.Tanh();
    }
}

/// <summary>The logistic sigmoid <c>1/(1+e⁻ˣ)</c> as a module (PyTorch's <c>nn.Sigmoid</c>).</summary>
public sealed class Sigmoid : Module
{
    /// <inheritdoc/>
    public override Tensor Forward(Tensor input)
    {
        ArgumentNullException.ThrowIfNull(input);
        return input.Sigmoid();
    }
}

namespace StaticGrad.Nn;

/// <summary>How a loss combines the per-element losses (PyTorch's <c>reduction=</c> argument).</summary>
public enum Reduction
{
    /// <summary>The average over all elements (PyTorch's default, <c>'mean'</c>).</summary>
    Mean,

    /// <summary>The sum over all elements (<c>'sum'</c>).</summary>
    Sum,

    /// <summary>No reduction: one loss per element (<c>'none'</c>).</summary>
    None,
}

namespace StaticGrad.Nn;

/// <summary>
/// Flattens the dimensions <see cref="StartDim"/> to <see cref="EndDim"/> into one (PyTorch's <c>nn.Flatten</c>,
/// by default every dimension but the batch's): a view when the input is contiguous (node <c>ViewBackward0</c>).
/// </summary>
public sealed class Flatten : Module
{
    /// <summary>Creates the layer.</summary>
    /// <param name="startDim">The first dimension flattened.</param>
    /// <param name="endDim">The last dimension flattened (negative counts from the end).</param>
    public Flatten(int startDim = 1, int endDim = -1)
    {
        StartDim = startDim;
        EndDim = endDim;
    }

    /// <summary>The first dimension flattened.</summary>
    public int StartDim { get; }

    /// <summary>The last dimension flattened.</summary>
    public int EndDim { get; }

    /// <inheritdoc/>
    /// <exception cref="ArgumentOutOfRangeException">A dimension is outside the input's, or the start is after the end.</exception>
    public override Tensor Forward(Tensor input)
    {
        ArgumentNullException.ThrowIfNull(input);
        var shape = input.Shape;
        int rank = Math.Max(shape.Length, 1);
        int start = StartDim < 0 ? StartDim + rank : StartDim;
        int end = EndDim < 0 ? EndDim + rank : EndDim;
        if (start < 0 || start >= rank || end < 0 || end >= rank)
        {
            throw new ArgumentOutOfRangeException(nameof(input), $"Dimension out of range (expected to be in range of [{-rank}, {rank - 1}], but got {(start < 0 || start >= rank ? StartDim : EndDim)})");
        }

        if (start > end)
        {
            throw new ArgumentOutOfRangeException(nameof(input), "flatten() has invalid args: start_dim cannot come after end_dim");
        }

        if (shape.Length == 0 || start == end)
        {
            return shape.Length == 0 ? input.Reshape(1) : input;
        }

        var flat = new int[shape.Length - (end - start)];
        for (int i = 0, j = 0; i < shape.Length; i++)
        {
            if (i <= start || i > end)
            {
                flat[j++] = shape[i];
            }
            else
            {
                flat[j - 1] *= shape[i];
            }
        }

        return input.Reshape(flat);
    }
}

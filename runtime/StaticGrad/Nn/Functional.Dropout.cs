namespace StaticGrad.Nn;

public static partial class Functional
{
    /// <summary>
    /// Zeroes each element with probability <paramref name="p"/> in training and scales the others by
    /// <c>1/(1 − p)</c>, so that the expectation is unchanged (PyTorch's <c>F.dropout</c>). The result is the product
    /// of the input and that mask, node <c>MulBackward0</c> as on PyTorch's CPU. Outside training, or with p = 0, the
    /// input itself is returned.
    /// </summary>
    /// <param name="input">The input.</param>
    /// <param name="p">The probability of zeroing an element, in [0, 1].</param>
    /// <param name="training">Apply dropout; false returns the input.</param>
    /// <param name="generator">The random source of the mask; <see cref="RandomGenerator.Default"/> when null.</param>
    /// <returns>The masked input.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="p"/> is outside [0, 1].</exception>
    public static Tensor Dropout(Tensor input, double p = 0.5, bool training = true, RandomGenerator? generator = null)
    {
        ArgumentNullException.ThrowIfNull(input);
        if (!(p >= 0 && p <= 1))
        {
            throw new ArgumentOutOfRangeException(nameof(p), p, Invariant($"dropout probability has to be between 0 and 1, but got {p}"));
        }

        if (!training || p == 0 || input.NumElements == 0)
        {
            return input;
        }

        if (p == 1)
        {
            return input * Tensor.Zeros(Array.Empty<int>(), input.DType);
        }

        generator ??= RandomGenerator.Default;
        var keep = 1 - p;
        var scale = 1 / keep;
        var mask = new double[input.NumElements];
        for (int i = 0; i < mask.Length; i++)
        {
            mask[i] = generator.NextUniform() < keep ? scale : 0;
        }

        return input * Tensor.FromArray(mask, input.Shape).ToDType(input.DType);
    }
}

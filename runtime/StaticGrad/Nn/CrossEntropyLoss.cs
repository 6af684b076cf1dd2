using System.Globalization;

namespace StaticGrad.Nn;

/// <summary>
/// The cross entropy of unnormalised class scores against class indices, <c>−log softmax(x)[target]</c>, averaged
/// over the batch by default (PyTorch's <c>nn.CrossEntropyLoss</c> with class-index targets).
/// </summary>
public sealed class CrossEntropyLoss : Loss
{
    /// <summary>Creates the loss.</summary>
    /// <param name="reduction">How the per-sample losses are combined.</param>
    public CrossEntropyLoss(Reduction reduction = Reduction.Mean)
        : base(reduction)
    {
    }

    /// <summary>Computes the loss of scores <paramref name="input"/> for the classes in <paramref name="target"/>.</summary>
    /// <param name="input">Scores, shape <c>[N, C]</c> (or <c>[C]</c> for one sample).</param>
    /// <param name="target">Class indices in <c>[0, C)</c>, <see cref="DType.Int64"/>, shape <c>[N]</c> (or a scalar).</param>
    /// <returns>The loss.</returns>
    /// <exception cref="ArgumentException">The target is not int64, its shape does not match, or an index is out of range.</exception>
    public override Tensor Forward(Tensor input, Tensor target)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(target);
        if (target.DType != DType.Int64)
        {
            throw new ArgumentException($"expected scalar type Long but found {target.DType.TorchName()}", nameof(target));
        }

        var single = input.Dim == 1;
        var scores = single ? input.Unsqueeze(0) : input;
        var classes = single ? target.Reshape(1) : target;
        if (scores.Dim != 2 || classes.Dim != 1 || classes.Shape[0] != scores.Shape[0])
        {
            throw new ArgumentException(string.Create(CultureInfo.InvariantCulture,
                $"CrossEntropyLoss expects scores [N, C] and class indices [N]; got [{string.Join(", ", input.Shape)}] and [{string.Join(", ", target.Shape)}]."), nameof(target));
        }

        int n = scores.Shape[0], c = scores.Shape[1];
        var indices = classes.ToArray();
        var columns = new int[n];
        for (var i = 0; i < n; i++)
        {
            var k = (long)indices[i];
            if (k < 0 || k >= c)
            {
                throw new ArgumentException(string.Create(CultureInfo.InvariantCulture, $"Target {k} is out of bounds."), nameof(target));
            }

            columns[i] = (int)k;
        }

        var picked = scores.LogSoftmax(1).PickRows(columns);
        var losses = -picked;
        return Reduce(single ? losses.Reshape() : losses);
    }
}

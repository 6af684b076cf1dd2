namespace StaticGrad;

public partial class Tensor
{
    /// <summary>
    /// r[i] = this[i, columns[i]] for a matrix [N, C] (PyTorch's <c>x.gather(1, idx[:, None])[:, 0]</c>, node
    /// <c>GatherBackward0</c>): what cross-entropy needs from the log-probabilities, without a one-hot matrix.
    /// The caller checks that every index is in [0, C).
    /// </summary>
    internal Tensor PickRows(int[] columns)
    {
        int n = _shape[0], c = _shape[1];
        var result = Empty([n], DType);
        for (int i = 0; i < n; i++)
        {
            result._storage.SetDouble(i, _storage.GetDouble(_offset + (i * _strides[0]) + (columns[i] * _strides[1])));
        }

        if (Tracks(this) && DType.IsFloatingPoint())
        {
            result.SetGradFn(new OpNode("GatherBackward0", static (node, g, gi) =>
            {
                var columns = node.Ints!;
                int rows = columns.Length, width = node.Int0;
                if (Autograd.IsGradEnabled && g.RequiresGrad)
                {
                    // A recorded double backward: the differentiable form g[:, None]·onehot.
                    var oneHot = Zeros([rows, width], g.DType);
                    for (int i = 0; i < rows; i++)
                    {
                        oneHot._storage.SetDouble((i * width) + columns[i], 1.0);
                    }

                    gi[0] = g.Unsqueeze(1) * oneHot;
                    return;
                }

                var dense = Zeros([rows, width], g.DType);
                var gc = g.ContiguousData();
                for (int i = 0; i < rows; i++)
                {
                    dense._storage.SetDouble((i * width) + columns[i], gc._storage.GetDouble(gc._offset + i));
                }

                gi[0] = dense;
            }, this)
            { Ints = columns, Int0 = c });
        }

        return result;
    }
}

namespace StaticGrad;

public partial class Tensor
{
    private Tensor RecordView(Tensor view, string name, BackwardFunction backward, int int0 = 0, int int1 = 0, int[]? ints = null)
    {
        if (Tracks(this))
        {
            view.SetGradFn(new OpNode(name, backward, this) { Int0 = int0, Int1 = int1, Ints = ints });
        }

        return view;
    }

    /// <summary>A view with <paramref name="shape"/> (one entry may be −1) sharing storage (PyTorch's <c>t.view</c>, node <c>ViewBackward0</c>).</summary>
    /// <param name="shape">The new shape.</param>
    /// <returns>The view.</returns>
    /// <exception cref="ArgumentException">The shape does not fit, or the tensor is not contiguous.</exception>
    public Tensor View(params int[] shape)
    {
        var s = ShapeUtil.InferShape(shape, _numel);
        if (!_contiguous)
        {
            throw new ArgumentException("view size is not compatible with input tensor's size and stride (at least one dimension spans across two contiguous subspaces). Use .reshape(...) instead.");
        }

        return RecordView(Alias(s, ShapeUtil.ContiguousStrides(s), _offset, isView: true), "ViewBackward0",
            static (n, g, gi) => gi[0] = g.Reshape(n.InputShape(0)));
    }

    /// <summary>
    /// This tensor with <paramref name="shape"/> (one entry may be −1): a view when the layout allows, otherwise a copy
    /// (PyTorch's <c>t.reshape</c>).
    /// </summary>
    /// <param name="shape">The new shape.</param>
    /// <returns>The reshaped tensor.</returns>
    public Tensor Reshape(params int[] shape) => _contiguous ? View(shape) : Contiguous().View(shape);

    /// <summary>This tensor as one dimension (PyTorch's <c>t.flatten()</c>).</summary>
    /// <returns>The flattened tensor.</returns>
    public Tensor Flatten() => Reshape(-1);

    /// <summary>This tensor if contiguous, otherwise a contiguous copy (node <c>CloneBackward0</c>).</summary>
    /// <returns>The contiguous tensor.</returns>
    public Tensor Contiguous() => _contiguous ? this : Clone();

    /// <summary>A copy with its own storage that stays in the graph (PyTorch's <c>t.clone()</c>, node <c>CloneBackward0</c>).</summary>
    /// <returns>The copy.</returns>
    public Tensor Clone()
    {
        var r = CloneData();
        if (_isInference && r._version is not null)
        {
            // PyTorch fills a clone of an inference tensor by an in-place copy that a normal tensor counts: it starts at version 1.
            r._version.Value = 1;
        }

        if (Tracks(this))
        {
            r.SetGradFn(new OpNode("CloneBackward0", static (n, g, gi) => gi[0] = g, this));
        }

        return r;
    }

    /// <summary>A view with dimensions <paramref name="dim0"/> and <paramref name="dim1"/> swapped (node <c>TransposeBackward0</c>).</summary>
    /// <param name="dim0">The first dimension.</param>
    /// <param name="dim1">The second dimension.</param>
    /// <returns>The view.</returns>
    public Tensor Transpose(int dim0, int dim1)
    {
        int a = ShapeUtil.NormalizeDim(dim0, Dim), b = ShapeUtil.NormalizeDim(dim1, Dim);
        var shape = (int[])_shape.Clone();
        var strides = (int[])_strides.Clone();
        (shape[a], shape[b]) = (shape[b], shape[a]);
        (strides[a], strides[b]) = (strides[b], strides[a]);
        return RecordView(Alias(shape, strides, _offset, isView: true), "TransposeBackward0",
            static (n, g, gi) => gi[0] = g.Transpose(n.Int0, n.Int1), a, b);
    }

    /// <summary>The transpose of a matrix (PyTorch's <c>t.T</c>/<c>t.t()</c>, node <c>TBackward0</c>); 0-D and 1-D tensors are returned as views unchanged.</summary>
    public Tensor T
    {
        get
        {
            if (Dim > 2)
            {
                throw new ArgumentException($"t() expects a tensor with <= 2 dimensions, but self is {Dim}D");
            }

            var shape = (int[])_shape.Clone();
            var strides = (int[])_strides.Clone();
            Array.Reverse(shape);
            Array.Reverse(strides);
            return RecordView(Alias(shape, strides, _offset, isView: true), "TBackward0", static (n, g, gi) => gi[0] = g.T);
        }
    }

    /// <summary>A view with dimensions reordered (PyTorch's <c>t.permute</c>, node <c>PermuteBackward0</c>).</summary>
    /// <param name="dims">The source dimension of each result dimension.</param>
    /// <returns>The view.</returns>
    public Tensor Permute(params int[] dims)
    {
        if (dims.Length != Dim)
        {
            throw new ArgumentException($"permute(sparse_coo): number of dimensions in the tensor input does not match the length of the desired ordering of dimensions i.e. input.dim() = {Dim} is not equal to len(dims) = {dims.Length}");
        }

        var shape = new int[Dim];
        var strides = new int[Dim];
        var inverse = new int[Dim];
        var seen = new bool[Dim];
        for (int i = 0; i < Dim; i++)
        {
            int d = ShapeUtil.NormalizeDim(dims[i], Dim);
            if (seen[d])
            {
                throw new ArgumentException("permute(): duplicate dims are not allowed.");
            }

            seen[d] = true;
            shape[i] = _shape[d];
            strides[i] = _strides[d];
            inverse[d] = i;
        }

        return RecordView(Alias(shape, strides, _offset, isView: true), "PermuteBackward0",
            static (n, g, gi) => gi[0] = g.Permute(n.Ints!), ints: inverse);
    }

    /// <summary>A view broadcast to <paramref name="shape"/> without copying (PyTorch's <c>t.expand</c>, node <c>ExpandBackward0</c>).</summary>
    /// <param name="shape">The target shape (−1 keeps a dimension).</param>
    /// <returns>The view.</returns>
    public Tensor Expand(params int[] shape)
    {
        if (shape.Length < Dim)
        {
            throw new ArgumentException($"expand(torch.DoubleTensor{{{ShapeUtil.Bracketed(_shape)}}}, size={ShapeUtil.Bracketed(shape)}): the number of sizes provided ({shape.Length}) must be greater or equal to the number of dimensions in the tensor ({Dim})");
        }

        var target = (int[])shape.Clone();
        int lead = target.Length - Dim;
        var strides = new int[target.Length];
        for (int i = 0; i < target.Length; i++)
        {
            int src = i - lead;
            if (src < 0)
            {
                strides[i] = 0;
                continue;
            }

            if (target[i] == -1)
            {
                target[i] = _shape[src];
            }

            if (_shape[src] == target[i])
            {
                strides[i] = _strides[src];
            }
            else if (_shape[src] == 1)
            {
                strides[i] = 0;
            }
            else
            {
                throw new ArgumentException($"The expanded size of the tensor ({target[i]}) must match the existing size ({_shape[src]}) at non-singleton dimension {i}.  Target sizes: {ShapeUtil.Bracketed(shape)}.  Tensor sizes: {ShapeUtil.Bracketed(_shape)}");
            }
        }

        if (ShapeUtil.SameShape(target, _shape))
        {
            return this;
        }

        return RecordView(Alias(target, strides, _offset, isView: true), "ExpandBackward0",
            static (n, g, gi) => gi[0] = g.SumToShape(n.InputShape(0)));
    }

    /// <summary>A view with a size-1 dimension inserted at <paramref name="dim"/> (node <c>UnsqueezeBackward0</c>).</summary>
    /// <param name="dim">The position of the new dimension.</param>
    /// <returns>The view.</returns>
    public Tensor Unsqueeze(int dim)
    {
        int d = ShapeUtil.NormalizeDim(dim, Dim + 1);
        var shape = new List<int>(_shape);
        var strides = new List<int>(_strides);
        shape.Insert(d, 1);
        strides.Insert(d, d < Dim ? _strides[d] * _shape[d] : 1);
        return RecordView(Alias(shape.ToArray(), strides.ToArray(), _offset, isView: true), "UnsqueezeBackward0",
            static (n, g, gi) => gi[0] = g.Squeeze(n.Int0), d);
    }

    /// <summary>A view without dimension <paramref name="dim"/> if its size is 1, else this tensor (node <c>SqueezeBackward1</c>).</summary>
    /// <param name="dim">The dimension.</param>
    /// <returns>The view.</returns>
    public Tensor Squeeze(int dim)
    {
        if (Dim == 0)
        {
            return this;
        }

        int d = ShapeUtil.NormalizeDim(dim, Dim);
        if (_shape[d] != 1)
        {
            return this;
        }

        var shape = new List<int>(_shape);
        var strides = new List<int>(_strides);
        shape.RemoveAt(d);
        strides.RemoveAt(d);
        return RecordView(Alias(shape.ToArray(), strides.ToArray(), _offset, isView: true), "SqueezeBackward1",
            static (n, g, gi) => gi[0] = g.Unsqueeze(n.Int0), d);
    }

    /// <summary>The view at <paramref name="index"/> along <paramref name="dim"/>, one dimension fewer (PyTorch's <c>t.select</c>/<c>t[i]</c>, node <c>SelectBackward0</c>).</summary>
    /// <param name="dim">The dimension.</param>
    /// <param name="index">The index (negative counts from the end).</param>
    /// <returns>The view.</returns>
    public Tensor Select(int dim, int index)
    {
        int d = ShapeUtil.NormalizeDim(dim, Dim);
        if (Dim == 0)
        {
            throw new ArgumentException("select() cannot be applied to a 0-dim tensor.");
        }

        int size = _shape[d];
        if (index < -size || index >= size)
        {
            throw new ArgumentOutOfRangeException(nameof(index), $"index {index} is out of bounds for dimension {d} with size {size}");
        }

        int i = index < 0 ? index + size : index;
        var shape = new List<int>(_shape);
        var strides = new List<int>(_strides);
        shape.RemoveAt(d);
        strides.RemoveAt(d);
        return RecordView(Alias(shape.ToArray(), strides.ToArray(), _offset + i * _strides[d], isView: true), "SelectBackward0",
            static (n, g, gi) => gi[0] = g.Unsqueeze(n.Int0).PadInto(n.InputShape(0), n.Int0, n.Int1), d, i);
    }

    /// <summary>The view of <paramref name="length"/> entries from <paramref name="start"/> along <paramref name="dim"/> (PyTorch's <c>t.narrow</c>, node <c>SliceBackward0</c>).</summary>
    /// <param name="dim">The dimension.</param>
    /// <param name="start">The first index (negative counts from the end).</param>
    /// <param name="length">The number of entries.</param>
    /// <returns>The view.</returns>
    public Tensor Narrow(int dim, int start, int length)
    {
        int d = ShapeUtil.NormalizeDim(dim, Dim);
        int size = _shape[d];
        int s = start < 0 ? start + size : start;
        if (s < 0 || length < 0 || s + length > size)
        {
            throw new ArgumentOutOfRangeException(nameof(length), $"start ({start}) + length ({length}) exceeds dimension size ({size}).");
        }

        var shape = (int[])_shape.Clone();
        shape[d] = length;
        return RecordView(Alias(shape, (int[])_strides.Clone(), _offset + s * _strides[d], isView: true), "SliceBackward0",
            static (n, g, gi) => gi[0] = g.PadInto(n.InputShape(0), n.Int0, n.Int1), d, s);
    }

    /// <summary>The view of entries <paramref name="start"/> ≤ i &lt; <paramref name="end"/> along <paramref name="dim"/> (Python's <c>t[start:end]</c>; bounds are clamped like Python's).</summary>
    /// <param name="dim">The dimension.</param>
    /// <param name="start">The first index (negative counts from the end).</param>
    /// <param name="end">The exclusive end (negative counts from the end); null for the end of the dimension.</param>
    /// <returns>The view.</returns>
    public Tensor Slice(int dim, int start, int? end = null)
    {
        int d = ShapeUtil.NormalizeDim(dim, Dim);
        int size = _shape[d];
        int s = Math.Clamp(start < 0 ? start + size : start, 0, size);
        int e = Math.Clamp(end is { } v ? (v < 0 ? v + size : v) : size, s, size);
        return Narrow(d, s, e - s);
    }

    /// <summary>
    /// Indexing along the leading dimensions, one index each (PyTorch's <c>t[i]</c>, <c>t[i, j]</c>): a view. Assigning
    /// copies the value into that view in place (PyTorch's <c>t[i] = v</c>, which bumps the version counter).
    /// </summary>
    /// <param name="indices">One index per leading dimension (negative counts from the end).</param>
    /// <returns>The view.</returns>
    [System.Runtime.CompilerServices.IndexerName("Index")]
    public Tensor this[params int[] indices]
    {
        get
        {
            var t = this;
            foreach (int i in indices)
            {
                t = t.Select(0, i);
            }

            return t;
        }

        set
        {
            ArgumentNullException.ThrowIfNull(value);
            this[indices].CopyFrom(value);
        }
    }

    /// <summary>A zero tensor of <paramref name="shape"/> with this gradient written at <paramref name="start"/> along <paramref name="dim"/>; differentiable (its backward narrows).</summary>
    internal Tensor PadInto(int[] shape, int dim, int start)
    {
        var result = Zeros(shape, DType);
        result.Narrow(dim, start, _shape[dim]).CopyDataFrom(this);
        if (Tracks(this))
        {
            result.SetGradFn(new OpNode("SliceBackwardBackward0", static (n, g, gi) => gi[0] = g.Narrow(n.Int0, n.Int1, n.InputShape(0)[n.Int0]), this) { Int0 = dim, Int1 = start });
        }

        return result;
    }
}

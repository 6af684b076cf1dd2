namespace StaticGrad;

public partial class Tensor
{
    /// <summary>
    /// The checks PyTorch makes before an in-place operation; returns whether the operation must be recorded
    /// (rebasing this tensor's history onto the in-place node).
    /// </summary>
    private bool BeginInPlace(Tensor? other)
    {
        if (!Autograd.IsGradEnabled)
        {
            return false;
        }

        if (_viewBase is { } viewBase && viewBase.IsLeaf && viewBase.RequiresGrad)
        {
            throw new InvalidOperationException(AutogradMessages.InPlaceOnViewOfLeaf);
        }

        if (_gradFn is null && _requiresGrad)
        {
            throw new InvalidOperationException(AutogradMessages.InPlaceOnLeaf);
        }

        bool record = (RequiresGrad || (other?.RequiresGrad ?? false)) && DType.IsFloatingPoint();
        if (record && _viewBase is not null)
        {
            throw new NotSupportedException(
                "StaticGrad does not record in-place operations on views of tensors that take part in a graph (PyTorch's CopySlices); apply the operation out of place, or on the base tensor.");
        }

        return record;
    }

    /// <summary>Bumps the version after the kernel ran; inference tensors outside inference mode fail here, after their data changed (as in PyTorch).</summary>
    private void EndInPlace()
    {
        if (_isInference && !Autograd.IsInferenceModeEnabled)
        {
            throw new InvalidOperationException(AutogradMessages.InferenceInPlace);
        }

        BumpVersion();
    }

    /// <summary>A stand-in for this tensor's state before the in-place operation: same geometry and graph edge.</summary>
    private Tensor OldSelf() => new(_storage, _shape, _strides, _offset, null, _isInference, null) { _gradFn = _gradFn, _requiresGrad = _requiresGrad, _accumulator = _accumulator };

    private void Rebase(OpNode node)
    {
        if (_retainsGrad && _gradFn is not null)
        {
            _gradFn.RetainGradTensor = null;
            node.RetainGradTensor = this;
        }

        _gradFn = node;
    }

    private static readonly BackwardFunction s_addInPlaceBackward = static (n, g, gi) =>
    {
        gi[0] = g;
        gi[1] = n.NeedsGrad(1) ? (n.Scalar == 1 ? g : g * n.Scalar) : null;
    };

    /// <summary>Adds <paramref name="alpha"/>·<paramref name="other"/> (broadcast) in place (PyTorch's <c>t.add_(other, alpha=…)</c>, node <c>AddBackward0</c>).</summary>
    /// <param name="other">The addend.</param>
    /// <param name="alpha">Its factor (multiplied first and rounded, then added, as PyTorch's default CPU kernel does).</param>
    /// <returns>This tensor.</returns>
    /// <exception cref="InvalidOperationException">See rules R27 and R35: a leaf that requires grad in grad mode, a view of one, or an inference tensor.</exception>
    public Tensor AddInPlace(Tensor other, double alpha = 1)
    {
        ArgumentNullException.ThrowIfNull(other);
        bool record = BeginInPlace(other);
        var node = record ? new OpNode("AddBackward0", s_addInPlaceBackward, OldSelf(), other) { Scalar = alpha } : null;
        ApplyInPlaceData(BinaryOp.Add, alpha == 1 ? other : other.DetachedTimes(alpha));
        EndInPlace();
        if (node is not null)
        {
            Rebase(node);
        }

        return this;
    }

    /// <summary>Subtracts <paramref name="alpha"/>·<paramref name="other"/> in place (PyTorch's <c>t.sub_</c>, node <c>SubBackward0</c>).</summary>
    /// <inheritdoc cref="AddInPlace(Tensor, double)"/>
    public Tensor SubInPlace(Tensor other, double alpha = 1)
    {
        ArgumentNullException.ThrowIfNull(other);
        bool record = BeginInPlace(other);
        var node = record ? new OpNode("SubBackward0", s_addInPlaceBackward, OldSelf(), other) { Scalar = -alpha } : null;
        ApplyInPlaceData(BinaryOp.Sub, alpha == 1 ? other : other.DetachedTimes(alpha));
        EndInPlace();
        if (node is not null)
        {
            Rebase(node);
        }

        return this;
    }

    /// <summary>Multiplies by <paramref name="other"/> (broadcast) in place (PyTorch's <c>t.mul_</c>, node <c>MulBackward0</c>).</summary>
    /// <param name="other">The factor.</param>
    /// <returns>This tensor.</returns>
    /// <exception cref="InvalidOperationException">See <see cref="AddInPlace(Tensor, double)"/>.</exception>
    public Tensor MulInPlace(Tensor other)
    {
        ArgumentNullException.ThrowIfNull(other);
        bool record = BeginInPlace(other);
        OpNode? node = null;
        if (record)
        {
            node = new OpNode("MulBackward0", static (n, g, gi) =>
            {
                gi[0] = n.NeedsGrad(0) ? g * n.Saved1 : null;
                gi[1] = n.NeedsGrad(1) ? g * n.Saved0 : null;
            }, OldSelf(), other);
            if (node.NeedsGrad(1))
            {
                node.Save0(CloneData());
            }

            if (node.NeedsGrad(0))
            {
                node.Save1(other);
            }
        }

        ApplyInPlaceData(BinaryOp.Mul, other);
        EndInPlace();
        if (node is not null)
        {
            Rebase(node);
        }

        return this;
    }

    /// <summary>Divides by <paramref name="other"/> (broadcast) in place (PyTorch's <c>t.div_</c>, node <c>DivBackward0</c>).</summary>
    /// <param name="other">The divisor.</param>
    /// <returns>This tensor.</returns>
    /// <exception cref="InvalidOperationException">See <see cref="AddInPlace(Tensor, double)"/>.</exception>
    public Tensor DivInPlace(Tensor other)
    {
        ArgumentNullException.ThrowIfNull(other);
        bool record = BeginInPlace(other);
        OpNode? node = null;
        if (record)
        {
            node = new OpNode("DivBackward0", static (n, g, gi) =>
            {
                var b = n.Saved1;
                gi[0] = n.NeedsGrad(0) ? g / b : null;
                gi[1] = n.NeedsGrad(1) ? (g * n.Saved0 / (b * b)).Neg() : null;
            }, OldSelf(), other);
            if (node.NeedsGrad(1))
            {
                node.Save0(CloneData());
            }

            node.Save1(other);
        }

        ApplyInPlaceData(BinaryOp.Div, other);
        EndInPlace();
        if (node is not null)
        {
            Rebase(node);
        }

        return this;
    }

    /// <summary>Adds a scalar in place (PyTorch's <c>t.add_(s)</c>).</summary>
    /// <param name="value">The scalar.</param>
    /// <returns>This tensor.</returns>
    public Tensor AddInPlace(double value) => AddInPlace(Full(Array.Empty<int>(), value, DType));

    /// <summary>Subtracts a scalar in place (PyTorch's <c>t.sub_(s)</c>).</summary>
    /// <inheritdoc cref="AddInPlace(double)"/>
    public Tensor SubInPlace(double value) => SubInPlace(Full(Array.Empty<int>(), value, DType));

    /// <summary>Multiplies by a scalar in place (PyTorch's <c>t.mul_(s)</c>).</summary>
    /// <inheritdoc cref="AddInPlace(double)"/>
    public Tensor MulInPlace(double value) => MulInPlace(Full(Array.Empty<int>(), value, DType));

    /// <summary>Divides by a scalar in place (PyTorch's <c>t.div_(s)</c>).</summary>
    /// <inheritdoc cref="AddInPlace(double)"/>
    public Tensor DivInPlace(double value) => DivInPlace(Full(Array.Empty<int>(), value, DType));

    /// <summary>Sets every element to zero (PyTorch's <c>t.zero_()</c>, node <c>ZeroBackward0</c>).</summary>
    /// <returns>This tensor.</returns>
    public Tensor ZeroInPlace() => FillCore(0, "ZeroBackward0");

    /// <summary>Sets every element to <paramref name="value"/> (PyTorch's <c>t.fill_(v)</c>, node <c>FillBackward0</c>).</summary>
    /// <param name="value">The value.</param>
    /// <returns>This tensor.</returns>
    public Tensor FillInPlace(double value) => FillCore(value, "FillBackward0");

    private Tensor FillCore(double value, string name)
    {
        bool record = BeginInPlace(null);
        var node = record ? new OpNode(name, static (n, g, gi) => gi[0] = null, OldSelf()) : null;
        if (_contiguous)
        {
            FillStorage(_storage, _offset, _numel, value);
        }
        else
        {
            CopyDataFrom(Full(Array.Empty<int>(), value, DType));
        }

        EndInPlace();
        if (node is not null)
        {
            Rebase(node);
        }

        return this;
    }

    /// <summary>
    /// Copies <paramref name="source"/> (broadcast and converted to this dtype) into this tensor (PyTorch's
    /// <c>t.copy_(src)</c>, node <c>CopyBackwards</c>); the usual way to set weights is inside <c>Autograd.NoGrad()</c>.
    /// </summary>
    /// <param name="source">The values.</param>
    /// <returns>This tensor.</returns>
    /// <exception cref="InvalidOperationException">See <see cref="AddInPlace(Tensor, double)"/>.</exception>
    public Tensor CopyFrom(Tensor source)
    {
        ArgumentNullException.ThrowIfNull(source);
        if (!ShapeUtil.SameShape(ShapeUtil.Broadcast(_shape, source._shape), _shape))
        {
            throw new ArgumentException($"output with shape {ShapeUtil.Bracketed(_shape)} doesn't match the broadcast shape {ShapeUtil.Bracketed(ShapeUtil.Broadcast(_shape, source._shape))}", nameof(source));
        }

        bool record = BeginInPlace(source);
        var node = record ? new OpNode("CopyBackwards", static (n, g, gi) => { gi[0] = null; gi[1] = g; }, OldSelf(), source) : null;
        CopyDataFrom(ReferenceEquals(source._storage, _storage) ? source.CloneData() : source);
        EndInPlace();
        if (node is not null)
        {
            Rebase(node);
        }

        return this;
    }

    /// <summary>Clamps every element into [<paramref name="min"/>, <paramref name="max"/>] in place (PyTorch's <c>t.clamp_</c>, node <c>ClampBackward1</c>).</summary>
    /// <param name="min">The lower bound, or null.</param>
    /// <param name="max">The upper bound, or null.</param>
    /// <returns>This tensor.</returns>
    public Tensor ClampInPlace(double? min = null, double? max = null)
    {
        bool record = BeginInPlace(null);
        Tensor clamped;
        OpNode? node = null;
        if (record)
        {
            var old = OldSelf();
            var before = CloneData();
            before._gradFn = old._gradFn;
            before._requiresGrad = old._requiresGrad;
            before._accumulator = old._accumulator;
            clamped = before.Clamp(min, max);
            node = (OpNode?)clamped._gradFn;
        }
        else
        {
            using (Autograd.NoGrad())
            {
                clamped = Detach().Clamp(min, max);
            }
        }

        CopyDataFrom(clamped);
        EndInPlace();
        if (node is not null)
        {
            Rebase(node);
        }

        return this;
    }

    private Tensor DetachedTimes(double alpha) =>
        BinaryKernels.RunScalar(BinaryOp.Mul, this, alpha, scalarFirst: false, DType.IsFloatingPoint() ? DType : DType.Float64);
}

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
        if (record && _viewBase is { } baseTensor)
        {
            CurrentGradFn();
            if (!IsDirectViewOf(baseTensor))
            {
                if (!baseTensor._contiguous)
                {
                    throw new NotSupportedException(
                        "StaticGrad records in-place operations on a view of a graph tensor only when the view's base is contiguous; apply the operation out of place, or on the base tensor.");
                }

                RegenerateViewHistory(baseTensor);
            }
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
        if (_viewBase is { } baseTensor)
        {
            RebaseView(baseTensor, node);
            return;
        }

        if (_retainsGrad && _gradFn is not null)
        {
            _gradFn.RetainGradTensor = null;
            node.RetainGradTensor = this;
        }

        _gradFn = node;
    }

    /// <summary>
    /// Whether this view's recorded history leads straight to <paramref name="baseTensor"/>'s current history, so that
    /// an in-place change of the view can be recorded on the base as PyTorch's <c>CopySlices</c>.
    /// </summary>
    private bool IsDirectViewOf(Tensor baseTensor)
    {
        if (!baseTensor._contiguous)
        {
            return false;
        }

        var baseEdge = baseTensor.Edge;
        return _gradFn is null
            ? baseEdge is null
            : _gradFn is OpNode viewNode && viewNode.Next.Length == 1 && ReferenceEquals(viewNode.Next[0], baseEdge);
    }

    /// <summary>
    /// Gives a view whose recorded history does not lead straight to its base's current history (a view of a view, or
    /// a view taken before the base changed in place) the history PyTorch regenerates for it: <c>AsStridedBackward0</c>
    /// of the base, so that the in-place change can be recorded on the base as <c>CopySlices</c>.
    /// </summary>
    private void RegenerateViewHistory(Tensor baseTensor)
    {
        _viewHistoryVersion = VersionOrZero;
        if (!baseTensor.RequiresGrad || !baseTensor._contiguous)
        {
            // A base without history gives its views none; a non-contiguous base keeps the views' own history.
            if (!baseTensor.RequiresGrad)
            {
                _gradFn = null;
            }

            return;
        }

        var geometry = new Tensor(_storage, _shape, _strides, _offset, null, _isInference, null);
        _gradFn = new OpNode("AsStridedBackward0", s_asStridedBackward, baseTensor) { Constant = geometry, Int0 = _offset - baseTensor._offset };
    }

    /// <summary>
    /// Records an in-place change of this view (node <paramref name="regionNode"/>, whose "self" input is the view's old
    /// value) on the base: the base's history becomes <c>CopySlices</c>, which sends the gradient of the view's region
    /// through <paramref name="regionNode"/> and the rest to the base's old history; the view becomes
    /// <c>AsStridedBackward0</c> of the new base.
    /// </summary>
    private void RebaseView(Tensor baseTensor, OpNode regionNode)
    {
        var regionCarrier = OldSelf();
        regionCarrier._gradFn = regionNode;
        var geometry = new Tensor(_storage, _shape, _strides, _offset, null, _isInference, null);
        int relative = _offset - baseTensor._offset;
        var copySlicesNode = new OpNode("CopySlices", static (n, g, gi) =>
        {
            var gc = g.Contiguous();
            var region = n.Constant!;
            gi[1] = n.NeedsGrad(1) ? gc.AsStridedView(region._shape, region._strides, n.Int0) : null;
            if (n.NeedsGrad(0))
            {
                var mask = OnesLike(gc);
                mask.Alias(region._shape, region._strides, mask._offset + n.Int0, isView: false).CopyDataFrom(Full(Array.Empty<int>(), 0.0, mask.DType));
                gi[0] = gc * mask;
            }
        }, baseTensor.OldSelf(), regionCarrier)
        { Constant = geometry, Int0 = relative };
        baseTensor._gradFn = copySlicesNode;
        _gradFn = new OpNode("AsStridedBackward0", s_asStridedBackward, baseTensor) { Constant = geometry, Int0 = relative };
        _viewHistoryVersion = VersionOrZero;
    }

    /// <summary>
    /// This tensor's history; for a view whose base changed in place since that history was recorded (the shared
    /// version counter moved), first regenerates it as PyTorch does, so that gradients see the change.
    /// </summary>
    internal GradNode? CurrentGradFn()
    {
        if (_viewBase is { } baseTensor && _version is { } version && version.Value != _viewHistoryVersion)
        {
            RegenerateViewHistory(baseTensor);
        }

        return _gradFn;
    }

    private static readonly BackwardFunction s_asStridedBackward = static (n, g, gi) =>
        gi[0] = g.StridedScatter(n.InputShape(0), n.Constant!._shape, n.Constant!._strides, n.Int0);

    /// <summary>A view of this contiguous tensor with explicit geometry (offset relative to this tensor), recorded as <c>AsStridedBackward0</c>.</summary>
    internal Tensor AsStridedView(int[] shape, int[] strides, int relativeOffset)
    {
        var view = Alias(shape, strides, _offset + relativeOffset, isView: true);
        if (Tracks(this))
        {
            var geometry = new Tensor(_storage, shape, strides, _offset + relativeOffset, null, _isInference, null);
            view.SetGradFn(new OpNode("AsStridedBackward0", s_asStridedBackward, this) { Constant = geometry, Int0 = relativeOffset });
        }

        return view;
    }

    /// <summary>Zeros of <paramref name="baseShape"/> with this tensor written into the strided region; the adjoint of <see cref="AsStridedView"/>.</summary>
    internal Tensor StridedScatter(int[] baseShape, int[] shape, int[] strides, int relativeOffset)
    {
        var result = Zeros(baseShape, DType);
        result.Alias(shape, strides, relativeOffset, isView: false).CopyDataFrom(this);
        if (Tracks(this))
        {
            result.SetGradFn(new OpNode("AsStridedScatterBackward0", static (n, g, gi) =>
            {
                var region = n.Constant!;
                gi[0] = g.Contiguous().AsStridedView(region._shape, region._strides, n.Int0);
            }, this)
            { Constant = new Tensor(_storage, shape, strides, 0, null, _isInference, null), Int0 = relativeOffset });
        }

        return result;
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

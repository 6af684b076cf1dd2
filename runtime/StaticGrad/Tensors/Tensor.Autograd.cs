namespace StaticGrad;

public partial class Tensor
{
    private bool _requiresGrad;
    internal GradNode? _gradFn;
    private bool _retainsGrad;
    private AccumulateGrad? _accumulator;
    internal bool _isInference;

    /// <summary>The accumulated gradient without the non-leaf warning.</summary>
    internal Tensor? GradRaw;

    /// <summary>How many pending gradient buffers of the running backward pass hold this tensor (pinned when the caller owns it).</summary>
    internal int EngineRefs;

    /// <summary>Whether the engine may add another gradient into this buffer in place, as PyTorch's input buffers do.</summary>
    internal bool CanTakeInPlaceGradient(Tensor grad) =>
        _viewBase is null && _contiguous && !_isInference && _gradFn is null && grad.DType == DType && ShapeUtil.SameShape(grad._shape, _shape);

    /// <summary>
    /// Whether gradients are computed for this tensor: the leaf flag, or true for every tensor with a
    /// <see cref="GradFn"/>. Setting it is allowed only on leaves (PyTorch's <c>t.requires_grad = v</c>).
    /// </summary>
    /// <exception cref="InvalidOperationException">
    /// The tensor is not a leaf (either value), the dtype is not floating point, or it is an inference tensor outside
    /// inference mode (value true).
    /// </exception>
    public bool RequiresGrad
    {
        get => _requiresGrad || _gradFn is not null;
        set
        {
            if (_gradFn is not null)
            {
                throw new InvalidOperationException(value ? AutogradMessages.RequiresGradNonLeaf : AutogradMessages.RequiresGradNonLeafWithHint);
            }

            if (value && !DType.IsFloatingPoint())
            {
                throw new InvalidOperationException(AutogradMessages.OnlyFloatingCanRequireGradSetter);
            }

            SetRequiresGradCore(value);
        }
    }

    /// <summary>
    /// PyTorch's <c>t.requires_grad_(value)</c>: sets the flag on a leaf and returns this tensor. On a non-leaf,
    /// <c>true</c> is a silent no-op and <c>false</c> raises (PyTorch's asymmetry).
    /// </summary>
    /// <param name="value">The new flag.</param>
    /// <returns>This tensor.</returns>
    /// <exception cref="InvalidOperationException">
    /// <paramref name="value"/> is false on a non-leaf, the dtype is not floating point, or an inference tensor is made to
    /// require grad outside inference mode.
    /// </exception>
    public Tensor SetRequiresGrad(bool value = true)
    {
        if (_gradFn is not null)
        {
            if (!value)
            {
                throw new InvalidOperationException(AutogradMessages.RequiresGradNonLeafWithHint);
            }

            return this;
        }

        if (value && !DType.IsFloatingPoint())
        {
            throw new InvalidOperationException(AutogradMessages.OnlyFloatingCanRequireGradMethod);
        }

        SetRequiresGradCore(value);
        return this;
    }

    private void SetRequiresGradCore(bool value)
    {
        if (value && _isInference && !Autograd.IsInferenceModeEnabled)
        {
            throw new InvalidOperationException(AutogradMessages.InferenceRequiresGrad);
        }

        _requiresGrad = value;
    }

    /// <summary>Whether this tensor has no <see cref="GradFn"/> (PyTorch's <c>t.is_leaf</c>): user-made tensors, constants, detached results.</summary>
    public bool IsLeaf => _gradFn is null;

    /// <summary>The backward node that produced this tensor (PyTorch's <c>t.grad_fn</c>), or null for a leaf.</summary>
    public GradNode? GradFn => CurrentGradFn();

    /// <summary>Whether <see cref="RetainGrad"/> was called on this non-leaf (PyTorch's <c>t.retains_grad</c>).</summary>
    public bool RetainsGrad => _retainsGrad;

    /// <summary>
    /// The gradient accumulated by backward passes (PyTorch's <c>t.grad</c>), or null. Reading it on a non-leaf that
    /// does not retain its gradient returns null and raises PyTorch's warning through <see cref="Autograd.Warning"/>.
    /// </summary>
    /// <exception cref="ArgumentException">The assigned gradient's dtype or shape differs from this tensor's.</exception>
    public Tensor? Grad
    {
        get
        {
            var grad = HandOutGrad();
            if (grad is null && _gradFn is not null && !_retainsGrad)
            {
                Autograd.Warn(AutogradMessages.NonLeafGradAccess);
            }

            return grad;
        }

        set
        {
            if (value is not null)
            {
                if (value.DType != DType)
                {
                    throw new ArgumentException(AutogradMessages.GradAssignDType(value.DType, DType), nameof(value));
                }

                if (!ShapeUtil.SameShape(value._shape, _shape))
                {
                    throw new ArgumentException(AutogradMessages.GradAssignSize(value._shape, _shape), nameof(value));
                }
            }

            GradRaw = value;
        }
    }

    /// <summary>
    /// Makes a backward pass store this non-leaf's gradient in <see cref="Grad"/> (PyTorch's <c>t.retain_grad()</c>);
    /// a no-op on leaves.
    /// </summary>
    /// <exception cref="InvalidOperationException">The tensor does not require grad.</exception>
    public void RetainGrad()
    {
        if (!RequiresGrad)
        {
            throw new InvalidOperationException(AutogradMessages.RetainGradWithoutGrad);
        }

        if (_gradFn is null || _retainsGrad)
        {
            return;
        }

        _retainsGrad = true;
        _gradFn.RetainGradTensor = this;
    }

    /// <summary>
    /// A new leaf that shares this tensor's storage and version counter but does not require grad (PyTorch's
    /// <c>t.detach()</c>): gradients do not flow through it, and in-place changes through either are seen by both.
    /// </summary>
    /// <returns>The detached alias.</returns>
    public Tensor Detach() => Alias(_shape, _strides, _offset, isView: false);

    /// <summary>Detaches this tensor from the graph in place and returns it (PyTorch's <c>t.detach_()</c>).</summary>
    /// <returns>This tensor, now a leaf that does not require grad.</returns>
    /// <exception cref="InvalidOperationException">The tensor is a view.</exception>
    public Tensor DetachInPlace()
    {
        if (_viewBase is not null)
        {
            throw new InvalidOperationException(AutogradMessages.DetachViewInPlace);
        }

        if (_gradFn is not null && _gradFn.RetainGradTensor == this)
        {
            _gradFn.RetainGradTensor = null;
        }

        _gradFn = null;
        _requiresGrad = false;
        _retainsGrad = false;
        return this;
    }

    /// <summary>
    /// PyTorch's legacy <c>t.data</c>: a leaf that shares storage but has a FRESH version counter, so in-place
    /// changes through it escape the saved-tensor check (prefer <see cref="Detach"/>). Assigning replaces this
    /// tensor's storage and shape and keeps its autograd state.
    /// </summary>
    public Tensor Data
    {
        get => new(_storage, _shape, _strides, _offset, null, _isInference, null);
        set
        {
            ArgumentNullException.ThrowIfNull(value);
            _storage = value._storage;
            _shape = value._shape;
            _strides = value._strides;
            _offset = value._offset;
            _numel = value._numel;
            _contiguous = value._contiguous;
        }
    }

    /// <summary>
    /// Computes the gradient of this tensor with respect to the graph leaves and accumulates it into their
    /// <see cref="Grad"/> (PyTorch's <c>t.backward(gradient, retain_graph, create_graph, inputs)</c>).
    /// </summary>
    /// <param name="gradient">
    /// The vector of the vector-Jacobian product, of this tensor's shape; may be omitted only for a one-element tensor.
    /// </param>
    /// <param name="retainGraph">Keep the saved tensors for another backward pass (defaults to <paramref name="createGraph"/>).</param>
    /// <param name="inputs">If given, only these tensors receive gradients.</param>
    /// <param name="createGraph">Record the backward computation so that higher-order gradients can be taken.</param>
    /// <exception cref="InvalidOperationException">See the specification's rules R12, R13, R17, R23, R29.</exception>
    /// <exception cref="ArgumentException"><paramref name="gradient"/> has another shape.</exception>
    public void Backward(Tensor? gradient = null, bool? retainGraph = null, IEnumerable<Tensor>? inputs = null, bool createGraph = false)
    {
        if (createGraph)
        {
            Engine.WarnCreateGraphOnce();
        }

        Engine.Run(new[] { this }, new[] { gradient }, retainGraph ?? createGraph, createGraph, inputs?.ToArray(), capture: false, allowUnused: true);
    }

    internal AccumulateGrad GetAccumulator() => _accumulator ??= new AccumulateGrad(this);

    /// <summary>The edge of the graph a gradient for this tensor flows into, or null when it needs none.</summary>
    internal GradNode? Edge => CurrentGradFn() ?? (_requiresGrad ? GetAccumulator() : null);

    internal void SetGradFn(GradNode node)
    {
        _gradFn = node;
        _viewHistoryVersion = VersionOrZero;
    }
}

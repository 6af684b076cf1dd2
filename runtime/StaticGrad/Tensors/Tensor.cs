namespace StaticGrad;

/// <summary>
/// A strided n-dimensional array of <see cref="DType"/> elements with PyTorch's autograd semantics: leaves,
/// <see cref="RequiresGrad"/>, a recorded graph (<see cref="GradFn"/>) and gradient accumulation into
/// <see cref="Grad"/>. Views (<see cref="Transpose"/>, <see cref="Select"/>, <see cref="View(int[])"/>, …) and
/// <see cref="Detach"/> results share storage and the version counter with their source.
/// </summary>
/// <remarks>
/// The class is not sealed so that <c>StaticGrad.Nn.Parameter</c> can be a <see cref="Tensor"/>; it wraps data through
/// the protected constructor <see cref="Tensor(Tensor, bool)"/>.
/// </remarks>
public partial class Tensor
{
    internal Storage _storage;
    internal int[] _shape;
    internal int[] _strides;
    internal int _offset;
    internal int _numel;
    internal bool _contiguous;
    internal VersionCounter? _version;
    internal Tensor? _viewBase;

    /// <summary>The version at which a view's recorded history was last made current (see <c>CurrentGradFn</c>).</summary>
    internal int _viewHistoryVersion;

    internal Tensor(Storage storage, int[] shape, int[] strides, int offset, VersionCounter? version, Tensor? viewBase = null)
        : this(storage, shape, strides, offset, version, Autograd.IsInferenceModeEnabled, viewBase)
    {
    }

    internal Tensor(Storage storage, int[] shape, int[] strides, int offset, VersionCounter? version, bool isInference, Tensor? viewBase)
    {
        _storage = storage;
        _shape = shape;
        _strides = strides;
        _offset = offset;
        _numel = ShapeUtil.NumElements(shape);
        _contiguous = ShapeUtil.IsContiguous(shape, strides);
        _isInference = isInference;
        _version = isInference ? null : (version ?? new VersionCounter());
        _viewBase = viewBase;
        _viewHistoryVersion = _version?.Value ?? 0;
    }

    /// <summary>A tensor over the same storage and version counter with another geometry; a view when <paramref name="isView"/>.</summary>
    internal Tensor Alias(int[] shape, int[] strides, int offset, bool isView) =>
        new(_storage, shape, strides, offset, _version, _isInference, isView ? (_viewBase ?? this) : null);

    /// <summary>A new contiguous tensor over <paramref name="storage"/>, made in the current grad/inference mode.</summary>
    internal Tensor(Storage storage, int[] shape)
        : this(storage, shape, ShapeUtil.ContiguousStrides(shape), 0, null)
    {
    }

    /// <summary>
    /// Wraps <paramref name="data"/> as a new leaf that shares its storage and version counter (like PyTorch's
    /// <c>nn.Parameter(data, requires_grad)</c>, which is built on <c>data.detach()</c>).
    /// </summary>
    /// <param name="data">The tensor whose storage the new leaf shares.</param>
    /// <param name="requiresGrad">Whether the new leaf requires grad.</param>
    /// <exception cref="ArgumentException">
    /// <paramref name="requiresGrad"/> is true and the dtype is not floating point ("Only Tensors of floating point and
    /// complex dtype can require gradients").
    /// </exception>
    protected Tensor(Tensor data, bool requiresGrad)
    {
        ArgumentNullException.ThrowIfNull(data);
        _storage = data._storage;
        _shape = data._shape;
        _strides = data._strides;
        _offset = data._offset;
        _numel = data._numel;
        _contiguous = data._contiguous;
        _isInference = data._isInference;
        _version = data._version;
        _viewBase = data._viewBase;
        if (requiresGrad)
        {
            if (!DType.IsFloatingPoint())
            {
                throw new ArgumentException(AutogradMessages.OnlyFloatingCanRequireGradFactory);
            }

            _requiresGrad = true;
        }
    }

    /// <summary>The element type.</summary>
    public DType DType => _storage.DType;

    /// <summary>The size of each dimension (PyTorch's <c>t.shape</c>); a copy, so callers may keep it.</summary>
    public int[] Shape => (int[])_shape.Clone();

    /// <summary>The number of dimensions (PyTorch's <c>t.dim()</c>).</summary>
    public int Dim => _shape.Length;

    /// <summary>The number of elements (PyTorch's <c>t.numel()</c>).</summary>
    public int NumElements => _numel;

    /// <summary>The size of dimension <paramref name="dim"/> (negative counts from the end).</summary>
    /// <param name="dim">The dimension.</param>
    /// <returns>The size.</returns>
    public int Size(int dim) => _shape[ShapeUtil.NormalizeDim(dim, _shape.Length)];

    /// <summary>The stride of each dimension in elements.</summary>
    public int[] Strides => (int[])_strides.Clone();

    /// <summary>Whether the elements are laid out row-major without gaps.</summary>
    public bool IsContiguous => _contiguous;

    /// <summary>Whether this tensor is a view of another tensor's storage (a slice, transpose, reshape view, …).</summary>
    public bool IsView => _viewBase is not null;

    /// <summary>Whether this tensor was created in inference mode (PyTorch's <c>t.is_inference()</c>).</summary>
    public bool IsInference => _isInference;

    /// <summary>
    /// The version counter (PyTorch's <c>t._version</c>): bumped by every in-place operation and shared with views and
    /// <see cref="Detach"/> results.
    /// </summary>
    /// <exception cref="InvalidOperationException">The tensor is an inference tensor.</exception>
    public int Version => _version?.Value ?? throw new InvalidOperationException(AutogradMessages.InferenceNoVersionCounter);

    internal int VersionOrZero => _version?.Value ?? 0;

    internal void BumpVersion()
    {
        if (_version is not null)
        {
            _version.Value++;
        }
    }
}

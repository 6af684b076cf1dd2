namespace StaticGrad;

/// <summary>
/// A tensor a backward node keeps for later (PyTorch's <c>SavedVariable</c>): it remembers the version at save time
/// so that backward detects in-place changes, and it is released after a backward pass without <c>retainGraph</c>.
/// </summary>
internal sealed class SavedTensor
{
    private Tensor? _tensor;
    private readonly int _savedVersion;
    private readonly bool _isOutput;
    private readonly bool _wasNonLeaf;
    private readonly string? _producerName;

    public SavedTensor(Tensor tensor, bool isOutput, GradNode? owner)
    {
        if (tensor._isInference && !Autograd.IsInferenceModeEnabled)
        {
            throw new InvalidOperationException(AutogradMessages.InferenceSaved);
        }

        _tensor = tensor;
        _savedVersion = tensor.VersionOrZero;
        _isOutput = isOutput;
        _wasNonLeaf = !isOutput && tensor._gradFn is not null;
        _producerName = isOutput ? owner?.Name : null;
    }

    public bool IsReleased => _tensor is null;

    public void Release() => _tensor = null;

    public Tensor Unpack(string ownerName)
    {
        var t = _tensor ?? throw new InvalidOperationException(AutogradMessages.BackwardTwice);
        if (_wasNonLeaf && t._gradFn is null)
        {
            throw new InvalidOperationException(AutogradMessages.SavedTensorDetachedInPlace);
        }

        int current = t.VersionOrZero;
        if (current != _savedVersion)
        {
            bool anomaly = Autograd.IsAnomalyEnabled;
            if (anomaly)
            {
                Autograd.Warn(AutogradMessages.AnomalyDetected(ownerName));
            }

            // PyTorch names a saved input's CURRENT grad_fn (the node of the in-place change, or CopySlices when the
            // change went through a view of its base), and a saved output's producer.
            var producer = _isOutput ? _producerName : _wasNonLeaf ? t._gradFn?.Name : null;
            throw new InvalidOperationException(AutogradMessages.ModifiedByInPlace(t.DType, t._shape, producer, current, _savedVersion, anomaly));
        }

        return t;
    }
}

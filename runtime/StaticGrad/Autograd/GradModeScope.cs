namespace StaticGrad;

/// <summary>
/// Restores the previous gradient and inference mode of the current flow of control when disposed. Returned by
/// <see cref="Autograd.NoGrad"/>, <see cref="Autograd.EnableGrad"/>, <see cref="Autograd.SetGradEnabled"/> and
/// <see cref="Autograd.InferenceMode"/>; use it with <c>using</c>.
/// </summary>
public readonly struct GradModeScope : IDisposable
{
    private readonly bool _previousEnabled;
    private readonly bool _previousInference;
    private readonly bool _active;

    private GradModeScope(bool previousEnabled, bool previousInference)
    {
        _previousEnabled = previousEnabled;
        _previousInference = previousInference;
        _active = true;
    }

    internal static GradModeScope Enter(bool enabled, bool inference)
    {
        var scope = new GradModeScope(Autograd.IsGradEnabled, Autograd.IsInferenceModeEnabled);
        Autograd.SetModesCore(enabled, inference);
        return scope;
    }

    /// <summary>Restores the modes that were in force when the scope was entered.</summary>
    public void Dispose()
    {
        if (_active)
        {
            Autograd.SetModesCore(_previousEnabled, _previousInference);
        }
    }
}

/// <summary>Restores the previous anomaly-detection setting when disposed. Returned by <see cref="Autograd.DetectAnomaly"/>.</summary>
public readonly struct AnomalyModeScope : IDisposable
{
    private readonly bool _previous;
    private readonly bool _active;

    internal AnomalyModeScope(bool previous)
    {
        _previous = previous;
        _active = true;
    }

    /// <summary>Restores the setting that was in force when the scope was entered.</summary>
    public void Dispose()
    {
        if (_active)
        {
            Autograd.SetAnomalyCore(_previous);
        }
    }
}

/// <summary>A PyTorch <c>UserWarning</c> raised by the runtime (see <see cref="Autograd.Warning"/>).</summary>
public sealed class AutogradWarningEventArgs : EventArgs
{
    /// <summary>Creates the event data.</summary>
    /// <param name="message">PyTorch's warning text.</param>
    public AutogradWarningEventArgs(string message) => Message = message;

    /// <summary>PyTorch's warning text (without PyTorch's build-dependent "Triggered internally at" suffix).</summary>
    public string Message { get; }
}

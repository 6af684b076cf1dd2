namespace StaticGrad;

/// <summary>
/// Restores the previous gradient mode of the current thread when disposed. Returned by
/// <see cref="Autograd.NoGrad"/>; use it with <c>using</c>.
/// </summary>
public readonly struct GradModeScope : IDisposable
{
    private readonly bool _previous;
    private readonly bool _active;

    private GradModeScope(bool previous)
    {
        _previous = previous;
        _active = true;
    }

    internal static GradModeScope Enter(bool enabled)
    {
        var scope = new GradModeScope(Autograd.IsGradEnabled);
        Autograd.SetGradEnabledCore(enabled);
        return scope;
    }

    /// <summary>Restores the gradient mode that was in force when the scope was entered.</summary>
    public void Dispose()
    {
        if (_active)
        {
            Autograd.SetGradEnabledCore(_previous);
        }
    }
}

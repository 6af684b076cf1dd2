namespace StaticGrad.Tests.Oracle.Harness;

using Autograd = StaticGrad.Autograd;

/// <summary>
/// Records the runtime's PyTorch-style warnings (<see cref="Autograd.Warning"/>) raised on the current thread while
/// it is open; warnings of tests running in parallel on other threads are ignored.
/// </summary>
internal sealed class WarningCapture : IDisposable
{
    private readonly int _thread = Environment.CurrentManagedThreadId;
    private readonly List<string> _messages = new();

    private WarningCapture() => Autograd.Warning += OnWarning;

    public IReadOnlyList<string> Messages => _messages.ToList();

    public static WarningCapture Start() => new();

    public void Dispose() => Autograd.Warning -= OnWarning;

    private void OnWarning(object? sender, AutogradWarningEventArgs e)
    {
        if (Environment.CurrentManagedThreadId == _thread)
        {
            _messages.Add(e.Message);
        }
    }
}

namespace StaticGrad;

/// <summary>
/// Gradient-mode control and the differentiation markers that mean the same thing at run time (on tensors) and at
/// compile time (inside <see cref="DifferentiableAttribute">[Differentiable]</see> bodies).
/// </summary>
public static partial class Autograd
{
    private static volatile bool s_anomalyEnabled;

    /// <summary>
    /// Whether operations on tensors record the graph in the current flow of control (PyTorch's
    /// <c>torch.is_grad_enabled()</c>; see <see cref="GradModeState"/> for how the mode follows <c>await</c>).
    /// </summary>
    public static bool IsGradEnabled => (GradModeState.Current & GradModeState.GradDisabled) == 0;

    /// <summary>Whether the current flow of control is inside <see cref="InferenceMode"/> (PyTorch's <c>torch.is_inference_mode_enabled()</c>).</summary>
    public static bool IsInferenceModeEnabled => (GradModeState.Current & GradModeState.Inference) != 0;

    /// <summary>Whether anomaly detection is on (PyTorch's <c>torch.is_anomaly_enabled()</c>); it changes the hint of the in-place error.</summary>
    public static bool IsAnomalyEnabled => s_anomalyEnabled;

    /// <summary>
    /// Raised for PyTorch's <c>UserWarning</c>s (reading <c>Grad</c> of a non-leaf, <c>createGraph</c> with
    /// <c>Backward</c>, anomaly reports). Handlers run on the thread that caused the warning.
    /// </summary>
    public static event EventHandler<AutogradWarningEventArgs>? Warning;

    /// <summary>
    /// Disables gradient recording in the current flow of control until the returned scope is disposed
    /// (PyTorch's <c>with torch.no_grad():</c>). Inside a [Differentiable] body, statements in
    /// <c>using (Autograd.NoGrad()) { … }</c> contribute no derivative.
    /// </summary>
    /// <returns>The scope that restores the previous mode.</returns>
    public static GradModeScope NoGrad() => GradModeScope.Enter(enabled: false, IsInferenceModeEnabled);

    /// <summary>Enables gradient recording in the current flow of control until the returned scope is disposed (PyTorch's <c>torch.enable_grad()</c>).</summary>
    /// <returns>The scope that restores the previous mode.</returns>
    public static GradModeScope EnableGrad() => GradModeScope.Enter(enabled: true, IsInferenceModeEnabled);

    /// <summary>
    /// Sets gradient recording in the current flow of control now (PyTorch's <c>torch.set_grad_enabled(mode)</c>): used as a plain
    /// call it stays in force until changed again; used with <c>using</c> it is restored when the scope is disposed.
    /// </summary>
    /// <param name="enabled">Whether to record.</param>
    /// <returns>The scope that restores the previous mode when disposed.</returns>
    public static GradModeScope SetGradEnabled(bool enabled) => GradModeScope.Enter(enabled, IsInferenceModeEnabled);

    /// <summary>
    /// Enters inference mode in the current flow of control until the returned scope is disposed (PyTorch's
    /// <c>torch.inference_mode(mode)</c>): with <paramref name="mode"/> true, nothing is recorded and new tensors
    /// are inference tensors; with false, normal recording is restored inside an inference scope.
    /// </summary>
    /// <param name="mode">Whether inference mode is on inside the scope.</param>
    /// <returns>The scope that restores the previous mode.</returns>
    public static GradModeScope InferenceMode(bool mode = true) => GradModeScope.Enter(enabled: !mode, inference: mode);

    /// <summary>
    /// Turns anomaly detection on or off for the process until the returned scope is disposed (PyTorch's
    /// <c>torch.autograd.set_detect_anomaly(mode)</c>).
    /// </summary>
    /// <param name="mode">Whether anomaly detection is on.</param>
    /// <returns>The scope that restores the previous setting.</returns>
    public static AnomalyModeScope DetectAnomaly(bool mode = true)
    {
        var scope = new AnomalyModeScope(s_anomalyEnabled);
        s_anomalyEnabled = mode;
        return scope;
    }

    /// <summary>
    /// The identity whose derivative is zero (PyTorch's <c>x.detach()</c> on a scalar). Inside a [Differentiable]
    /// body the generated backward treats the result as a constant.
    /// </summary>
    /// <param name="value">The value.</param>
    /// <returns><paramref name="value"/>.</returns>
    public static double Detach(double value) => value;

    /// <inheritdoc cref="Detach(double)"/>
    public static float Detach(float value) => value;

    /// <inheritdoc cref="Detach(double)"/>
    /// <remarks>
    /// For generic-math [Differentiable] methods: without it a body over <c>T : IFloatingPointIeee754&lt;T&gt;</c> could not
    /// detach a value at all (found in session 22 by the random programs' generic twins). Overload resolution picks the
    /// double and float overloads for those types.
    /// </remarks>
    public static T Detach<T>(T value)
        where T : System.Numerics.IFloatingPointIeee754<T> => value;

    internal static void SetGradEnabledCore(bool enabled) => SetModesCore(enabled, IsInferenceModeEnabled);

    internal static void SetModesCore(bool enabled, bool inference) =>
        GradModeState.Set((enabled ? 0 : GradModeState.GradDisabled) | (inference ? GradModeState.Inference : 0));

    internal static void SetAnomalyCore(bool enabled) => s_anomalyEnabled = enabled;

    internal static void Warn(string message) => Warning?.Invoke(null, new AutogradWarningEventArgs(message));
}

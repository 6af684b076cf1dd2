namespace StaticGrad;

/// <summary>
/// Gradient-mode control and the differentiation markers that mean the same thing at run time (on tensors) and at
/// compile time (inside <see cref="DifferentiableAttribute">[Differentiable]</see> bodies).
/// </summary>
public static partial class Autograd
{
    [ThreadStatic]
    private static bool t_gradDisabled;

    /// <summary>Whether operations on tensors record the graph on this thread (PyTorch's <c>torch.is_grad_enabled()</c>).</summary>
    public static bool IsGradEnabled => !t_gradDisabled;

    /// <summary>
    /// Disables gradient recording on this thread until the returned scope is disposed
    /// (PyTorch's <c>with torch.no_grad():</c>). Inside a [Differentiable] body, statements in
    /// <c>using (Autograd.NoGrad()) { … }</c> contribute no derivative.
    /// </summary>
    public static GradModeScope NoGrad() => GradModeScope.Enter(enabled: false);

    /// <summary>
    /// The identity whose derivative is zero (PyTorch's <c>x.detach()</c> on a scalar). Inside a [Differentiable]
    /// body the generated backward treats the result as a constant.
    /// </summary>
    public static double Detach(double value) => value;

    /// <inheritdoc cref="Detach(double)"/>
    public static float Detach(float value) => value;

    internal static void SetGradEnabledCore(bool enabled) => t_gradDisabled = !enabled;
}

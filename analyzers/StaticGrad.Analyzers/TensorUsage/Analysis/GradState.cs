namespace StaticGrad.Analyzers.TensorUsage.Analysis;

/// <summary>What is known about a tensor's place in the autograd graph (SPEC §0.1: <c>is_leaf</c>, <c>requires_grad</c>).</summary>
internal enum GradState : byte
{
    /// <summary>Not known on every path: no rule fires on it.</summary>
    Unknown,

    /// <summary>A leaf with <c>requires_grad == false</c>: a constant for autograd.</summary>
    UntrackedLeaf,

    /// <summary>A leaf with <c>requires_grad == true</c>: it receives <c>Grad</c>.</summary>
    TrackedLeaf,

    /// <summary>The result of a recorded operation: it has a <c>GradFn</c> and requires grad.</summary>
    NonLeaf,
}

/// <summary>Whether a tensor's dtype can require gradients (SPEC R10).</summary>
internal enum DTypeKind : byte
{
    Unknown,
    Floating,
    NonFloating,
}

/// <summary>A three-valued boolean for facts that may differ between paths.</summary>
internal enum Tri : byte
{
    Maybe,
    No,
    Yes,
}

/// <summary>The thread's gradient mode at a program point (SPEC R31–R36).</summary>
internal enum GradMode : byte
{
    Unknown,
    Enabled,
    Disabled,

    /// <summary>Inside <c>Autograd.InferenceMode()</c>: grad disabled and results are inference tensors.</summary>
    Inference,

    /// <summary>
    /// Grad disabled (<c>NoGrad</c> entered from an unknown mode), but inference mode may be on. <see cref="Enabled"/>
    /// and <see cref="Disabled"/> both mean inference mode is off, which the inference-tensor rule relies on.
    /// </summary>
    DisabledMaybeInference,
}

/// <summary>Questions about a <see cref="GradMode"/> that several transfer functions ask.</summary>
internal static class GradModes
{
    /// <summary>Whether operations certainly record nothing.</summary>
    public static bool IsGradOff(this GradMode mode) => mode is GradMode.Disabled or GradMode.Inference or GradMode.DisabledMaybeInference;

    /// <summary>Whether tensors created now are certainly (Yes) or certainly not (No) inference tensors.</summary>
    public static Tri CreatesInference(this GradMode mode) => mode switch
    {
        GradMode.Inference => Tri.Yes,
        GradMode.Enabled or GradMode.Disabled => Tri.No,
        _ => Tri.Maybe,
    };

    /// <summary>Whether inference mode is certainly off (outside every <c>InferenceMode()</c> scope).</summary>
    public static bool IsOutsideInferenceMode(this GradMode mode) => mode is GradMode.Enabled or GradMode.Disabled;
}

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
}

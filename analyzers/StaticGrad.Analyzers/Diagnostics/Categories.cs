namespace StaticGrad.Analyzers.Diagnostics;

/// <summary>Diagnostic categories, one per family of rules.</summary>
internal static class Categories
{
    /// <summary>Misuse of tensors that PyTorch reports only at run time.</summary>
    public const string TensorUsage = "StaticGrad.TensorUsage";

    /// <summary>Patterns that run without an error but silently do something else than intended.</summary>
    public const string TensorUsageSilent = "StaticGrad.TensorUsage.Silent";
}

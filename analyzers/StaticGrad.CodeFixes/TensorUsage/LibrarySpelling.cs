using Microsoft.CodeAnalysis;
using StaticGrad.Analyzers.TensorUsage.Analysis;

namespace StaticGrad.CodeFixes.TensorUsage;

/// <summary>
/// The names a fix writes, in the library of the diagnosed code: the analyzer marks TorchSharp diagnostics with a
/// property, and the fix writes <c>detach()</c> where it would write <c>Detach()</c> for StaticGrad.
/// </summary>
internal static class LibrarySpelling
{
    public static bool IsTorchSharp(Diagnostic diagnostic) =>
        diagnostic.Properties.TryGetValue(DiagnosticSink.LibraryProperty, out var library) && library == "TorchSharp";

    /// <summary>The member's name in the diagnosed library (<paramref name="staticGrad"/> is StaticGrad's spelling).</summary>
    public static string Member(Diagnostic diagnostic, string staticGrad) => !IsTorchSharp(diagnostic) ? staticGrad : staticGrad switch
    {
        "Detach" => "detach",
        "SetRequiresGrad" => "requires_grad_",
        "RetainGrad" => "retain_grad",
        "Grad" => "grad",
        "Backward" => "backward",
        "ZeroGrad" => "zero_grad",
        "Step" => "step",
        "Item" => "item<float>",
        _ => staticGrad,
    };

    /// <summary>Whether a type is the tensor type of either library.</summary>
    public static bool IsTensorType(ITypeSymbol? type) => type?.ToDisplayString() is "StaticGrad.Tensor" or "TorchSharp.torch.Tensor";
}

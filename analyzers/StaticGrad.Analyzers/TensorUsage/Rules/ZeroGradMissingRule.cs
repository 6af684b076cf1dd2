using Microsoft.CodeAnalysis;
using StaticGrad.Analyzers.Diagnostics;

namespace StaticGrad.Analyzers.TensorUsage.Rules;

/// <summary>SG0016: a loop that runs Backward() and an optimizer's Step() but never clears gradients: they accumulate.</summary>
internal static class ZeroGradMissingRule
{
    public static readonly DiagnosticDescriptor Descriptor = new(
        RuleIds.ZeroGradMissingInLoop,
        title: "Training loop never clears gradients",
        messageFormat: "This loop calls Backward() and '{0}.Step()' but nothing in it clears gradients, so each Step() applies the sum of the gradients of every iteration so far; call {0}.ZeroGrad() in the loop (before Backward() or after Step())",
        category: Categories.TensorUsage,
        defaultSeverity: DiagnosticSeverity.Warning,
        isEnabledByDefault: true,
        description: "Backward() adds into Grad. Without ZeroGrad() in each iteration, gradients from earlier batches are applied again at every step.",
        helpLinkUri: HelpLinks.For(RuleIds.ZeroGradMissingInLoop));
}

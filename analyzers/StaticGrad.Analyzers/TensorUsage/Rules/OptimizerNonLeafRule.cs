using Microsoft.CodeAnalysis;
using StaticGrad.Analyzers.Diagnostics;
using StaticGrad.Analyzers.TensorUsage.Analysis;

namespace StaticGrad.Analyzers.TensorUsage.Rules;

/// <summary>SG0012: an optimizer is given a computed (non-leaf) tensor (SPEC R37).</summary>
internal static class OptimizerNonLeafRule
{
    public static readonly DiagnosticDescriptor Descriptor = new(
        RuleIds.OptimizerNonLeaf,
        title: "Optimizer given a non-leaf tensor",
        messageFormat: "'{0}' is computed from tensors that require grad (a non-leaf), so the optimizer rejects it: \"{1}\"; pass the leaf tensors it was computed from (tensors created with requiresGrad: true, or Parameters)",
        category: Categories.TensorUsage,
        defaultSeverity: DiagnosticSeverity.Error,
        isEnabledByDefault: true,
        description: "Optimizers update leaves in place; a non-leaf is rebuilt by every forward pass, so updating it has no lasting effect. A non-leaf that retains its gradient is accepted.",
        helpLinkUri: HelpLinks.For(RuleIds.OptimizerNonLeaf));

    public static void Check(SyntaxNode node, string name, TensorFact parameter, DiagnosticSink sink)
    {
        if (parameter.State == GradState.NonLeaf && parameter.RetainsGrad == Tri.No)
        {
            sink.Report(Descriptor, node, name, PyTorchMessages.OptimizerNonLeaf);
        }
    }
}

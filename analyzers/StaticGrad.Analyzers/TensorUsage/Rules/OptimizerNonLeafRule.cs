using Microsoft.CodeAnalysis;
using StaticGrad.Analyzers.Diagnostics;
using StaticGrad.Analyzers.TensorUsage.Analysis;

namespace StaticGrad.Analyzers.TensorUsage.Rules;

/// <summary>SG0013: a non-leaf tensor that does not retain its gradient listed among an optimizer's parameters (SPEC R37).</summary>
internal static class OptimizerNonLeafRule
{
    public static readonly DiagnosticDescriptor Descriptor = new(
        RuleIds.OptimizerNonLeaf,
        title: "An optimizer cannot optimize a non-leaf tensor",
        messageFormat: "'{0}' is computed from tensors that require grad (a non-leaf), so the optimizer's constructor throws: \"{1}\"; optimize the leaf tensors it is computed from, or use {0}.Detach().SetRequiresGrad() to make a new leaf",
        category: Categories.TensorUsage,
        defaultSeverity: DiagnosticSeverity.Error,
        isEnabledByDefault: true,
        description: "Optimizers update parameters in place, which autograd allows only for leaves. A non-leaf is accepted only if RetainGrad() was called on it.",
        helpLinkUri: HelpLinks.For(RuleIds.OptimizerNonLeaf));

    public static void Check(SyntaxNode node, string name, TensorFact parameter, DiagnosticSink sink)
    {
        if (parameter.State == GradState.NonLeaf && parameter.RetainsGrad == Tri.No)
        {
            sink.Report(Descriptor, node, name, PyTorchMessages.OptimizerNonLeaf);
        }
    }
}

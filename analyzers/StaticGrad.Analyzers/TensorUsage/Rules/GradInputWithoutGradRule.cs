using Microsoft.CodeAnalysis;
using StaticGrad.Analyzers.Diagnostics;
using StaticGrad.Analyzers.TensorUsage.Analysis;

namespace StaticGrad.Analyzers.TensorUsage.Rules;

/// <summary>SG0008: <c>Autograd.Grad</c> with respect to a tensor that does not require grad (SPEC R20).</summary>
internal static class GradInputWithoutGradRule
{
    public static readonly DiagnosticDescriptor Descriptor = new(
        RuleIds.GradInputWithoutGrad,
        title: "Autograd.Grad with respect to a tensor that does not require grad",
        messageFormat: "'{0}' does not require grad, so Autograd.Grad with respect to it throws: \"{1}\"; differentiate with respect to a tensor created with requiresGrad: true",
        category: Categories.TensorUsage,
        defaultSeverity: DiagnosticSeverity.Error,
        isEnabledByDefault: true,
        description: "Every input of Autograd.Grad must require grad; a constant has no gradient to return.",
        helpLinkUri: HelpLinks.For(RuleIds.GradInputWithoutGrad));

    public static void Check(SyntaxNode node, string inputName, TensorFact input, DiagnosticSink sink)
    {
        if (input.State == GradState.UntrackedLeaf)
        {
            sink.Report(Descriptor, node, inputName, PyTorchMessages.InputWithoutGrad);
        }
    }
}

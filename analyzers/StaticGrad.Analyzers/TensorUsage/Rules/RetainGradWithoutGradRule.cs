using Microsoft.CodeAnalysis;
using StaticGrad.Analyzers.Diagnostics;
using StaticGrad.Analyzers.TensorUsage.Analysis;

namespace StaticGrad.Analyzers.TensorUsage.Rules;

/// <summary>SG0007: <c>RetainGrad()</c> on a tensor that does not require grad throws (SPEC R16).</summary>
internal static class RetainGradWithoutGradRule
{
    public static readonly DiagnosticDescriptor Descriptor = new(
        RuleIds.RetainGradWithoutGrad,
        title: "RetainGrad() on a tensor that does not require grad",
        messageFormat: "'{0}' does not require grad, so RetainGrad() throws: \"{1}\"; remove the call, or compute the tensor from one that requires grad",
        category: Categories.TensorUsage,
        defaultSeverity: DiagnosticSeverity.Error,
        isEnabledByDefault: true,
        description: "Only tensors that take part in a graph can retain a gradient. On a leaf that requires grad the call is a no-op.",
        helpLinkUri: HelpLinks.For(RuleIds.RetainGradWithoutGrad));

    public static void Check(SyntaxNode node, string receiverName, TensorFact receiver, DiagnosticSink sink)
    {
        if (receiver.State == GradState.UntrackedLeaf)
        {
            sink.Report(Descriptor, node, receiverName, PyTorchMessages.RetainGradWithoutGrad);
        }
    }
}

using Microsoft.CodeAnalysis;
using StaticGrad.Analyzers.Diagnostics;
using StaticGrad.Analyzers.TensorUsage.Analysis;

namespace StaticGrad.Analyzers.TensorUsage.Rules;

/// <summary>SG0009: <c>Backward()</c> without a gradient on a tensor known to have more than one element (SPEC R12).</summary>
internal static class ImplicitBackwardNonScalarRule
{
    public static readonly DiagnosticDescriptor Descriptor = new(
        RuleIds.ImplicitBackwardNonScalar,
        title: "Backward() without a gradient on a tensor with more than one element",
        messageFormat: "'{0}' has {1} elements, so Backward() without a gradient throws: \"{2}\"; reduce it to one element first (for example {0}.Sum().Backward()) or pass a gradient of the same shape",
        category: Categories.TensorUsage,
        defaultSeverity: DiagnosticSeverity.Error,
        isEnabledByDefault: true,
        description: "The implicit gradient (ones) is created only for single-element outputs; the rank does not matter, the number of elements does.",
        helpLinkUri: HelpLinks.For(RuleIds.ImplicitBackwardNonScalar));

    public static void Check(in BackwardCall call, DiagnosticSink sink)
    {
        // A root that does not require grad fails first with SG0002's message (R13 is checked before R12).
        if (!call.HasGradient && call.Receiver.Numel > 1 && call.Receiver.State != GradState.UntrackedLeaf)
        {
            sink.Report(Descriptor, call.Node, call.ReceiverName, call.Receiver.Numel, PyTorchMessages.ImplicitNonScalar);
        }
    }
}

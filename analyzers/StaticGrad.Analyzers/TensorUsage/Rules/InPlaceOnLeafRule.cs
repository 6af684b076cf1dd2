using Microsoft.CodeAnalysis;
using StaticGrad.Analyzers.Diagnostics;
using StaticGrad.Analyzers.TensorUsage.Analysis;

namespace StaticGrad.Analyzers.TensorUsage.Rules;

/// <summary>SG0006: an in-place operation on a leaf that requires grad, with grad mode on (SPEC R27).</summary>
internal static class InPlaceOnLeafRule
{
    public static readonly DiagnosticDescriptor Descriptor = new(
        RuleIds.InPlaceOnLeafRequiringGrad,
        title: "In-place operation on a leaf tensor that requires grad",
        messageFormat: "'{0}' is a leaf tensor that requires grad, so '{1}' outside NoGrad throws: \"{2}\"; put manual updates inside a using (Autograd.NoGrad()) block, or use an out-of-place operation",
        category: Categories.TensorUsage,
        defaultSeverity: DiagnosticSeverity.Error,
        isEnabledByDefault: true,
        description: "Autograd cannot record an in-place change of a leaf that requires grad. Parameter updates belong inside a NoGrad scope, where the same call is allowed.",
        helpLinkUri: HelpLinks.For(RuleIds.InPlaceOnLeafRequiringGrad));

    public static void Check(in InPlaceCall call, DiagnosticSink sink)
    {
        if (call.Receiver.State == GradState.TrackedLeaf && call.Mode == GradMode.Enabled)
        {
            sink.Report(Descriptor, call.Node, call.ReceiverName, call.MethodName, PyTorchMessages.InPlaceOnLeaf);
        }
    }
}

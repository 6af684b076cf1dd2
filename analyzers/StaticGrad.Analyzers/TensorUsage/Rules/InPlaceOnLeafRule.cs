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
        messageFormat: "'{0}' is {3}, so '{1}' outside NoGrad throws: \"{2}\"; put manual updates inside a using (Autograd.NoGrad()) block, or use an out-of-place operation",
        category: Categories.TensorUsage,
        defaultSeverity: DiagnosticSeverity.Error,
        isEnabledByDefault: true,
        description: "Autograd cannot record an in-place change of a leaf that requires grad, nor of a view of one. Parameter updates belong inside a NoGrad scope, where the same call is allowed.",
        helpLinkUri: HelpLinks.For(RuleIds.InPlaceOnLeafRequiringGrad));

    /// <summary>The same error through a view (Slice, View, Select …) made in grad mode of such a leaf (R27, M19).</summary>
    public static void CheckView(in InPlaceCall call, string leaf, DiagnosticSink sink) =>
        sink.Report(Descriptor, call.Node, call.ReceiverName, call.MethodName, PyTorchMessages.InPlaceOnViewOfLeaf, "a view of '" + leaf + "', a leaf tensor that requires grad");

    public static void Check(in InPlaceCall call, DiagnosticSink sink)
    {
        if (call.Receiver.State == GradState.TrackedLeaf && call.Mode == GradMode.Enabled)
        {
            sink.Report(Descriptor, call.Node, call.ReceiverName, call.MethodName, PyTorchMessages.InPlaceOnLeaf, "a leaf tensor that requires grad");
        }
    }
}

using Microsoft.CodeAnalysis;
using StaticGrad.Analyzers.Diagnostics;
using StaticGrad.Analyzers.TensorUsage.Analysis;

namespace StaticGrad.Analyzers.TensorUsage.Rules;

/// <summary>SG0002: <c>Backward()</c> on a tensor that does not require grad (SPEC R13, R31, R44).</summary>
internal static class BackwardWithoutGradRule
{
    public static readonly DiagnosticDescriptor Descriptor = new(
        RuleIds.BackwardWithoutGrad,
        title: "Backward() on a tensor that does not require grad",
        messageFormat: "'{0}' does not require grad (it was never made to, was detached, was computed under NoGrad or InferenceMode, or only from frozen tensors), so Backward() throws: \"{1}\"; compute it from a tensor with RequiresGrad = true, outside NoGrad",
        category: Categories.TensorUsage,
        defaultSeverity: DiagnosticSeverity.Error,
        isEnabledByDefault: true,
        description: "A root of backward must have a grad_fn or require grad itself. Constants, detached tensors and results computed with grad disabled have neither.",
        helpLinkUri: HelpLinks.For(RuleIds.BackwardWithoutGrad));

    public static void Check(in BackwardCall call, DiagnosticSink sink)
    {
        if (call.Receiver.State == GradState.UntrackedLeaf)
        {
            sink.Report(Descriptor, call.Node, call.ReceiverName, PyTorchMessages.NoGradFn);
        }
    }

    /// <summary>A root of <c>Autograd.Backward(tensors)</c>: PyTorch names its index in the message.</summary>
    public static void CheckRoot(SyntaxNode node, string name, TensorFact root, int index, DiagnosticSink sink)
    {
        if (root.State == GradState.UntrackedLeaf)
        {
            var message = "element " + index.ToString(System.Globalization.CultureInfo.InvariantCulture) + " of tensors does not require grad and does not have a grad_fn";
            sink.Report(Descriptor, node, name, message);
        }
    }
}

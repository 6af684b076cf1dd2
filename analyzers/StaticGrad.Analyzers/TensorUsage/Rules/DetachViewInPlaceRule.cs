using Microsoft.CodeAnalysis;
using StaticGrad.Analyzers.Diagnostics;
using StaticGrad.Analyzers.TensorUsage.Analysis;

namespace StaticGrad.Analyzers.TensorUsage.Rules;

/// <summary>SG0018: <c>DetachInPlace()</c> on a view throws, whatever the grad mode and the tensor's state (SPEC R23, M20).</summary>
internal static class DetachViewInPlaceRule
{
    public static readonly DiagnosticDescriptor Descriptor = new(
        RuleIds.DetachViewInPlace,
        title: "DetachInPlace() on a view",
        messageFormat: "'{0}' is a view (Slice, View, Select …), so DetachInPlace() throws: \"{1}\"; use '{0}.Detach()', which returns a new tensor",
        category: Categories.TensorUsage,
        defaultSeverity: DiagnosticSeverity.Error,
        isEnabledByDefault: true,
        description: "A view shares its base's storage and autograd history; PyTorch refuses to detach it in place. Detach() makes a new tensor that shares the data and does not require grad.",
        helpLinkUri: HelpLinks.For(RuleIds.DetachViewInPlace));

    public static void Check(SyntaxNode node, string receiverName, TensorFact receiver, DiagnosticSink sink)
    {
        if (receiver.View == Tri.Yes)
        {
            sink.Report(Descriptor, node, receiverName, PyTorchMessages.DetachViewInPlace);
        }
    }
}

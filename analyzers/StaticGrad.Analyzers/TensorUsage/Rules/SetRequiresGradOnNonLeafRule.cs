using Microsoft.CodeAnalysis;
using StaticGrad.Analyzers.Diagnostics;
using StaticGrad.Analyzers.TensorUsage.Analysis;

namespace StaticGrad.Analyzers.TensorUsage.Rules;

/// <summary>SG0010: <c>SetRequiresGrad(true)</c> on a computed tensor is a silent no-op (SPEC R8, S1).</summary>
internal static class SetRequiresGradOnNonLeafRule
{
    public static readonly DiagnosticDescriptor Descriptor = new(
        RuleIds.SetRequiresGradOnNonLeafIsNoOp,
        title: "SetRequiresGrad(true) on a non-leaf tensor does nothing",
        messageFormat: "SetRequiresGrad(true) on '{0}' does nothing: it is computed from tensors that require grad (a non-leaf) and already requires grad; remove the call, or use {0}.Detach().SetRequiresGrad() to start a new leaf",
        category: Categories.TensorUsageSilent,
        defaultSeverity: DiagnosticSeverity.Info,
        isEnabledByDefault: true,
        description: "PyTorch's requires_grad_(True) returns silently on a non-leaf (unlike the property setter, which raises). The call has no effect.",
        helpLinkUri: HelpLinks.For(RuleIds.SetRequiresGradOnNonLeafIsNoOp));

    public static void Check(in RequiresGradChange change, DiagnosticSink sink)
    {
        if (change.Api == RequiresGradApi.Method && change.Value == true && change.Receiver.State == GradState.NonLeaf)
        {
            sink.Report(Descriptor, change.Node, change.ReceiverName);
        }
    }
}

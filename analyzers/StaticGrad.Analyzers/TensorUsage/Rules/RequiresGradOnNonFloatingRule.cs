using Microsoft.CodeAnalysis;
using StaticGrad.Analyzers.Diagnostics;
using StaticGrad.Analyzers.TensorUsage.Analysis;

namespace StaticGrad.Analyzers.TensorUsage.Rules;

/// <summary>SG0003: only floating-point tensors can require grad (SPEC R10; three APIs, three messages).</summary>
internal static class RequiresGradOnNonFloatingRule
{
    public static readonly DiagnosticDescriptor Descriptor = new(
        RuleIds.RequiresGradOnNonFloating,
        title: "Integer and bool tensors cannot require grad",
        messageFormat: "'{0}' has an integer or bool dtype, which cannot require gradients: \"{1}\"; use floating-point data (double[] or float[]) or a floating dtype, or leave it untracked",
        category: Categories.TensorUsage,
        defaultSeverity: DiagnosticSeverity.Error,
        isEnabledByDefault: true,
        description: "Gradients are defined only for floating-point (and complex) dtypes. Setting requires grad to false on an integer tensor is allowed.",
        helpLinkUri: HelpLinks.For(RuleIds.RequiresGradOnNonFloating));

    public static void Check(in RequiresGradChange change, DiagnosticSink sink)
    {
        if (change.Value != true || change.Receiver.DType != DTypeKind.NonFloating)
        {
            return;
        }

        var message = change.Api switch
        {
            RequiresGradApi.Setter => PyTorchMessages.OnlyFloatingSetter,
            RequiresGradApi.Method => PyTorchMessages.OnlyFloatingMethod,
            _ => PyTorchMessages.OnlyFloatingFactory,
        };
        sink.Report(Descriptor, change.Node, change.ReceiverName, message);
    }
}

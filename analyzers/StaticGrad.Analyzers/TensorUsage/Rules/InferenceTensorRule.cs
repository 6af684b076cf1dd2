using Microsoft.CodeAnalysis;
using StaticGrad.Analyzers.Diagnostics;
using StaticGrad.Analyzers.TensorUsage.Analysis;

namespace StaticGrad.Analyzers.TensorUsage.Rules;

/// <summary>
/// SG0011: a tensor created under <c>Autograd.InferenceMode()</c> used outside it in a way the runtime refuses (SPEC
/// R35, R26): made to require grad, changed in place, saved for backward by a recorded operation, or asked for its version.
/// </summary>
internal static class InferenceTensorRule
{
    public static readonly DiagnosticDescriptor Descriptor = new(
        RuleIds.InferenceTensorOutsideInferenceMode,
        title: "Inference tensor used outside InferenceMode",
        messageFormat: "'{0}' was created under Autograd.InferenceMode(), so {1} throws: \"{2}\"; use {0}.Clone() (a normal tensor) here, or compute '{0}' under Autograd.NoGrad() instead of InferenceMode()",
        category: Categories.TensorUsage,
        defaultSeverity: DiagnosticSeverity.Error,
        isEnabledByDefault: true,
        description: "Inference tensors have no version counter and no autograd metadata. Outside inference mode they cannot require grad, cannot be changed in place, and cannot be saved by an operation that autograd records. A Clone() made outside inference mode is a normal tensor.",
        helpLinkUri: HelpLinks.For(RuleIds.InferenceTensorOutsideInferenceMode));

    /// <summary><c>RequiresGrad = true</c> or <c>SetRequiresGrad(true)</c> on an inference leaf outside inference mode.</summary>
    public static void CheckRequiresGrad(in RequiresGradChange change, GradMode mode, DiagnosticSink sink)
    {
        // The runtime checks non-leaf and dtype first (SG0001, SG0003, or a silent no-op), then the inference flag.
        if (change.Value == true && change.Api != RequiresGradApi.Creation && change.Receiver.Inference == Tri.Yes && mode.IsOutsideInferenceMode()
            && change.Receiver.State is GradState.UntrackedLeaf or GradState.TrackedLeaf && change.Receiver.DType != DTypeKind.NonFloating)
        {
            var what = change.Api == RequiresGradApi.Setter ? "setting RequiresGrad = true outside it" : "SetRequiresGrad(true) outside it";
            sink.Report(Descriptor, change.Node, change.ReceiverName, what, PyTorchMessages.InferenceRequiresGrad);
        }
    }

    /// <summary>An in-place operation on an inference tensor outside inference mode (the runtime raises after the kernel ran).</summary>
    public static void CheckInPlace(in InPlaceCall call, DiagnosticSink sink)
    {
        // A leaf that requires grad fails earlier in grad mode with SG0006's message.
        var failsEarlier = call.Receiver.State != GradState.UntrackedLeaf && call.Mode != GradMode.Disabled;
        if (call.Receiver.Inference == Tri.Yes && call.Mode.IsOutsideInferenceMode() && !failsEarlier)
        {
            sink.Report(Descriptor, call.Node, call.ReceiverName, "'" + call.MethodName + "' outside it", PyTorchMessages.InferenceInPlace);
        }
    }

    /// <summary>A recorded operation that saves the inference operand for backward (because another operand requires grad).</summary>
    public static void CheckSaved(SyntaxNode node, string operandName, string operation, DiagnosticSink sink) =>
        sink.Report(Descriptor, node, operandName, "'" + operation + "' outside it (it saves the operand for backward because another operand requires grad)", PyTorchMessages.InferenceSaved);

    /// <summary>Reading <c>Version</c>: inference tensors have no version counter (inside inference mode too).</summary>
    public static void CheckVersion(SyntaxNode node, string receiverName, TensorFact receiver, DiagnosticSink sink)
    {
        if (receiver.Inference == Tri.Yes)
        {
            sink.Report(Descriptor, node, receiverName, "reading its Version (inside InferenceMode too)", PyTorchMessages.InferenceVersion);
        }
    }
}

using Microsoft.CodeAnalysis;

namespace StaticGrad.Analyzers.TensorUsage.Analysis;

/// <summary>How a requires-grad flag is being changed (the three APIs raise different messages, SPEC R10).</summary>
internal enum RequiresGradApi : byte
{
    /// <summary><c>t.RequiresGrad = v</c> (PyTorch's property setter).</summary>
    Setter,

    /// <summary><c>t.SetRequiresGrad(v)</c> (PyTorch's <c>requires_grad_</c>).</summary>
    Method,

    /// <summary><c>requiresGrad: true</c> of a factory or of <c>new Parameter(...)</c>.</summary>
    Creation,
}

/// <summary>A change of a tensor's requires-grad flag, seen by the rules with the receiver's state before it.</summary>
/// <param name="Node">Where to report.</param>
/// <param name="ReceiverName">How the receiver is written in the source.</param>
/// <param name="Receiver">The receiver's state before the change.</param>
/// <param name="Value">The new value when it is a constant.</param>
/// <param name="Api">Which API changes it.</param>
internal readonly record struct RequiresGradChange(SyntaxNode Node, string ReceiverName, TensorFact Receiver, bool? Value, RequiresGradApi Api);

/// <summary>A call of <c>Backward</c>, with the state of the root and of the freed graph nodes.</summary>
internal readonly record struct BackwardCall(SyntaxNode Node, string ReceiverName, TensorFact Receiver, bool HasGradient, FlowState State);

/// <summary>An in-place operation (<c>…InPlace</c>, <c>CopyFrom</c>) on a tensor under the current grad mode.</summary>
internal readonly record struct InPlaceCall(SyntaxNode Node, string ReceiverName, string MethodName, TensorFact Receiver, GradMode Mode);

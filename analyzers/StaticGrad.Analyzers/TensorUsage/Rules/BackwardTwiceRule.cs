using System.Linq;
using Microsoft.CodeAnalysis;
using StaticGrad.Analyzers.Diagnostics;
using StaticGrad.Analyzers.TensorUsage.Analysis;

namespace StaticGrad.Analyzers.TensorUsage.Rules;

/// <summary>
/// SG0005: a backward through a graph whose saved tensors an earlier backward released (SPEC R17, R18). Only graphs
/// with a node that saves tensors fail; <c>(x + 1).Sum()</c> can be backpropagated repeatedly.
/// </summary>
internal static class BackwardTwiceRule
{
    public static readonly DiagnosticDescriptor Descriptor = new(
        RuleIds.BackwardTwice,
        title: "Second backward through a graph whose saved tensors were freed",
        messageFormat: "The graph of '{0}' contains operations that save tensors, and an earlier Backward() without retainGraph: true already freed them, so this call throws: \"{1}\"; pass retainGraph: true to the earlier Backward(), or compute the graph again",
        category: Categories.TensorUsage,
        defaultSeverity: DiagnosticSeverity.Warning,
        isEnabledByDefault: true,
        description: "Backward releases the tensors that the graph's nodes saved (inputs of mul, matmul, pow; results of exp, tanh, sigmoid, ...) unless retainGraph is true. A later backward through such a node fails.",
        helpLinkUri: HelpLinks.For(RuleIds.BackwardTwice));

    public static void Check(in BackwardCall call, DiagnosticSink sink)
    {
        if (call.Receiver.State == GradState.NonLeaf && call.Receiver.SavingNodes.Any(call.State.Freed.Contains))
        {
            sink.Report(Descriptor, call.Node, call.ReceiverName, PyTorchMessages.BackwardTwice);
        }
    }
}

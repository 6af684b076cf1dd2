using System.Globalization;
using Microsoft.CodeAnalysis;
using StaticGrad.Analyzers.Diagnostics;
using StaticGrad.Analyzers.TensorUsage.Analysis;

namespace StaticGrad.Analyzers.TensorUsage.Rules;

/// <summary>
/// SG0014: a gradient whose number of elements differs from the tensor's, passed to <c>Backward(gradient)</c> or
/// assigned to <c>Grad</c> (SPEC R14, R47). Shapes must be equal; differing element counts prove they are not.
/// </summary>
internal static class GradientSizeMismatchRule
{
    public static readonly DiagnosticDescriptor Descriptor = new(
        RuleIds.GradientSizeMismatch,
        title: "Gradient with another number of elements than the tensor",
        messageFormat: "'{0}' has {1} elements but the gradient '{2}' has {3}, so {4} throws: \"{5}\"; give a gradient of exactly {0}'s shape (for example Tensor.OnesLike({0}))",
        category: Categories.TensorUsage,
        defaultSeverity: DiagnosticSeverity.Error,
        isEnabledByDefault: true,
        description: "The gradient of a vector-Jacobian product and an assigned Grad must have exactly the tensor's shape; broadcasting is not applied.",
        helpLinkUri: HelpLinks.For(RuleIds.GradientSizeMismatch));

    /// <summary><c>t.Backward(gradient)</c> on a tensor that requires grad (otherwise SG0002's error comes first).</summary>
    public static void CheckBackward(SyntaxNode node, string receiverName, TensorFact receiver, string gradientName, TensorFact gradient, DiagnosticSink sink)
    {
        if (receiver.RequiresGrad && Differ(receiver, gradient))
        {
            sink.Report(Descriptor, node, receiverName, Count(receiver), gradientName, Count(gradient), "Backward()", "Mismatch in shape: grad_output[0] has a shape of torch.Size([…]) and output[0] has a shape of torch.Size([…]).");
        }
    }

    /// <summary><c>t.Grad = g</c>.</summary>
    public static void CheckAssignment(SyntaxNode node, string receiverName, TensorFact receiver, string gradientName, TensorFact gradient, DiagnosticSink sink)
    {
        if (Differ(receiver, gradient))
        {
            sink.Report(Descriptor, node, receiverName, Count(receiver), gradientName, Count(gradient), "assigning Grad", "attempting to assign a gradient of size '[…]' to a tensor of size '[…]'. Please ensure that the gradient and the tensor are the same size");
        }
    }

    private static bool Differ(TensorFact tensor, TensorFact gradient) => tensor.Numel >= 0 && gradient.Numel >= 0 && tensor.Numel != gradient.Numel;

    private static string Count(TensorFact fact) => fact.Numel.ToString(CultureInfo.InvariantCulture);
}

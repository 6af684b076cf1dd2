using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using StaticGrad.Analyzers.Diagnostics;
using StaticGrad.Analyzers.TensorUsage.Analysis;

namespace StaticGrad.Analyzers.TensorUsage.Rules;

/// <summary>SG0001: changing <c>RequiresGrad</c> of a computed tensor throws (SPEC R7, R8).</summary>
internal static class RequiresGradOnNonLeafRule
{
    /// <summary>Property telling the fixer which API was used ("Setter" or "Method").</summary>
    public const string ApiProperty = "Api";

    /// <summary>Property with the new value ("true", "false", or empty when not constant).</summary>
    public const string ValueProperty = "Value";

    public static readonly DiagnosticDescriptor Descriptor = new(
        RuleIds.RequiresGradOnNonLeaf,
        title: "RequiresGrad can only be changed on leaf tensors",
        messageFormat: "'{0}' is computed from tensors that require grad (a non-leaf), so changing its RequiresGrad throws: \"{1}\"; call Detach() to get a new leaf tensor and set RequiresGrad on that",
        category: Categories.TensorUsage,
        defaultSeverity: DiagnosticSeverity.Error,
        isEnabledByDefault: true,
        description: "PyTorch raises when requires_grad is set (to either value) on a tensor that has a grad_fn, and when requires_grad_(False) is called on it. Detach() returns a leaf that shares the data.",
        helpLinkUri: HelpLinks.For(RuleIds.RequiresGradOnNonLeaf));

    public static void Check(in RequiresGradChange change, DiagnosticSink sink)
    {
        if (change.Receiver.State != GradState.NonLeaf || change.Api == RequiresGradApi.Creation)
        {
            return;
        }

        if (change.Api == RequiresGradApi.Method && change.Value != false)
        {
            return;
        }

        var properties = ImmutableDictionary<string, string?>.Empty
            .Add(ApiProperty, change.Api.ToString())
            .Add(ValueProperty, change.Value switch { true => "true", false => "false", _ => string.Empty });
        var message = change.Api == RequiresGradApi.Setter && change.Value == true ? PyTorchMessages.LeafOnly : PyTorchMessages.LeafOnlyWithHint;
        sink.Report(Descriptor, change.Node, properties, null, change.ReceiverName, message);
    }
}

using System.Collections.Generic;
using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using StaticGrad.Analyzers.Diagnostics;
using StaticGrad.Analyzers.TensorUsage.Analysis;

namespace StaticGrad.Analyzers.TensorUsage.Rules;

/// <summary>SG0004: reading <c>Grad</c> of a non-leaf that does not retain its gradient gives null (SPEC R16).</summary>
internal static class GradOfNonLeafRule
{
    /// <summary>Property with the name of the local whose definition the fixer inserts <c>RetainGrad()</c> after.</summary>
    public const string VariableProperty = "Variable";

    public static readonly DiagnosticDescriptor Descriptor = new(
        RuleIds.GradOfNonLeaf,
        title: "Grad of a non-leaf tensor that does not retain its gradient is always null",
        messageFormat: "'{0}' is not a leaf tensor and RetainGrad() was not called on it, so its Grad is null after Backward() (PyTorch warns: \"{1}\"); call {0}.RetainGrad() before Backward(), or read the Grad of the leaf tensor",
        category: Categories.TensorUsage,
        defaultSeverity: DiagnosticSeverity.Warning,
        isEnabledByDefault: true,
        description: "Backward populates Grad only for leaves that require grad and for non-leaves on which RetainGrad() was called.",
        helpLinkUri: HelpLinks.For(RuleIds.GradOfNonLeaf));

    /// <param name="node">The <c>Grad</c> access.</param>
    /// <param name="receiverName">The receiver as written.</param>
    /// <param name="receiver">The receiver's state.</param>
    /// <param name="variable">The local the receiver reads, when it is one.</param>
    /// <param name="definition">The statement that assigned the local its current value, when known on every path.</param>
    /// <param name="sink">Where to report.</param>
    public static void Check(SyntaxNode node, string receiverName, TensorFact receiver, string? variable, SyntaxNode? definition, DiagnosticSink sink)
    {
        if (receiver.State != GradState.NonLeaf || receiver.RetainsGrad != Tri.No)
        {
            return;
        }

        var properties = ImmutableDictionary<string, string?>.Empty;
        IEnumerable<Location>? additional = null;
        if (variable is not null && definition is not null)
        {
            properties = properties.Add(VariableProperty, variable);
            additional = new[] { definition.GetLocation() };
        }

        sink.Report(Descriptor, node, properties, additional, receiverName, PyTorchMessages.NonLeafGrad);
    }
}

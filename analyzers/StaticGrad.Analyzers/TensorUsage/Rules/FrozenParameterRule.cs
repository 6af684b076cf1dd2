using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using StaticGrad.Analyzers.Diagnostics;

namespace StaticGrad.Analyzers.TensorUsage.Rules;

/// <summary>
/// SG0012: <c>Step()</c> of an optimizer after one of its parameters was frozen while it held a gradient, with no
/// <c>ZeroGrad()</c> in between: the optimizer ignores <c>RequiresGrad</c> and applies the stale gradient (SPEC R41, S9).
/// </summary>
internal static class FrozenParameterRule
{
    public static readonly DiagnosticDescriptor Descriptor = new(
        RuleIds.FrozenParameterKeepsStaleGrad,
        title: "A frozen parameter still holds its gradient, so Step() keeps updating it",
        messageFormat: "'{0}' was frozen (RequiresGrad = false) after Backward() gave it a gradient, and nothing cleared that gradient before this Step(); the optimizer ignores RequiresGrad and updates every parameter whose Grad is not null, so '{0}' keeps moving; call ZeroGrad() (or set {0}.Grad = null) after freezing it",
        category: Categories.TensorUsageSilent,
        defaultSeverity: DiagnosticSeverity.Info,
        isEnabledByDefault: true,
        description: "Freezing a parameter does not clear its Grad. Optimizer.Step() looks only at Grad (as PyTorch's optimizers do), so a stale gradient keeps updating the frozen parameter, and momentum or weight decay move it even with a zero gradient.",
        helpLinkUri: HelpLinks.For(RuleIds.FrozenParameterKeepsStaleGrad));

    /// <summary>Property with the frozen parameter's name: the fixer clears its gradient before the step.</summary>
    public const string ParameterProperty = "Parameter";

    public static void Report(SyntaxNode step, string parameterName, Analysis.DiagnosticSink sink) =>
        sink.Report(Descriptor, step, ImmutableDictionary<string, string?>.Empty.Add(ParameterProperty, parameterName), null, parameterName);
}

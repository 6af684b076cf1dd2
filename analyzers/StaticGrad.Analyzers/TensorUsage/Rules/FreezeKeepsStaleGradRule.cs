using Microsoft.CodeAnalysis;
using StaticGrad.Analyzers.Diagnostics;
using StaticGrad.Analyzers.TensorUsage.Analysis;

namespace StaticGrad.Analyzers.TensorUsage.Rules;

/// <summary>
/// SG0011: a tensor frozen after a backward keeps its gradient, and an optimizer step applies it (SPEC R41, S9):
/// optimizers look at <c>Grad</c>, never at <c>RequiresGrad</c>.
/// </summary>
internal static class FreezeKeepsStaleGradRule
{
    public static readonly DiagnosticDescriptor Descriptor = new(
        RuleIds.FreezeKeepsStaleGrad,
        title: "Frozen parameter keeps its stale gradient and still moves",
        messageFormat: "The tensor frozen at line {0} still holds the gradient of the earlier Backward(), and optimizers ignore RequiresGrad: this Step() keeps applying that stale gradient; call ZeroGrad() (or set its Grad to null) after freezing",
        category: Categories.TensorUsageSilent,
        defaultSeverity: DiagnosticSeverity.Info,
        isEnabledByDefault: true,
        description: "Setting RequiresGrad = false does not clear Grad. Optimizers skip only parameters whose Grad is null, so the frozen parameter keeps being updated until its gradient is cleared.",
        helpLinkUri: HelpLinks.For(RuleIds.FreezeKeepsStaleGrad));

    public static void Check(SyntaxNode step, SyntaxNode? staleFreeze, DiagnosticSink sink)
    {
        if (staleFreeze is not null)
        {
            var line = staleFreeze.GetLocation().GetLineSpan().StartLinePosition.Line + 1;
            sink.Report(Descriptor, step, line.ToString(System.Globalization.CultureInfo.InvariantCulture));
        }
    }
}

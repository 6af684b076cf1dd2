using Microsoft.CodeAnalysis;
using StaticGrad.Analyzers.Diagnostics;

namespace StaticGrad.Analyzers.TensorUsage.Rules;

/// <summary>
/// SG0017: a loss that requires grad added to a tensor declared outside the loop, which is only read for its value:
/// each iteration's graph stays reachable from the sum, so memory grows with every iteration (PyTorch's classic
/// <c>total_loss += loss</c> leak).
/// </summary>
internal static class LossAccumulatedRule
{
    public const string OperandProperty = "Operand";

    public static readonly DiagnosticDescriptor Descriptor = new(
        RuleIds.LossAccumulatedWithGraph,
        title: "Loss accumulated across iterations keeps every iteration's graph",
        messageFormat: "'{0}' requires grad and is added to '{1}', which outlives the loop and is only read for its value: '{1}' keeps the graph of every iteration alive, so memory grows each iteration; add {2}.Detach() (or {2}.Item() to a double) instead",
        category: Categories.TensorUsage,
        defaultSeverity: DiagnosticSeverity.Warning,
        isEnabledByDefault: true,
        description: "A sum of losses that is never differentiated does not need their graphs. Detach each loss (or take its Item()) before adding it.",
        helpLinkUri: HelpLinks.For(RuleIds.LossAccumulatedWithGraph));
}

using Microsoft.CodeAnalysis;
using StaticGrad.Analyzers.Diagnostics;

namespace StaticGrad.Analyzers.TensorUsage.Rules;

/// <summary>
/// SG0015: a layer of a module replaced after an optimizer was built from the module's parameters, and the optimizer
/// then stepped: it holds the old layer's parameters, so the new layer never trains.
/// </summary>
internal static class OptimizerMissesReplacedLayerRule
{
    /// <summary>The diagnostic property that names the optimizer's local (for the code fix).</summary>
    public const string OptimizerProperty = "Optimizer";

    public static readonly DiagnosticDescriptor Descriptor = new(
        RuleIds.OptimizerMissesReplacedLayer,
        title: "Layer replaced after the optimizer was built",
        messageFormat: "'{0}' is replaced after '{1}' was built from {2}.Parameters(), and '{1}.Step()' runs later: the optimizer holds the old layer's parameters, so the new '{0}' is never updated; build the optimizer after replacing the layer",
        category: Categories.TensorUsage,
        defaultSeverity: DiagnosticSeverity.Warning,
        isEnabledByDefault: true,
        description: "An optimizer copies the list of parameters it is given. A layer assigned later is not in that list.",
        helpLinkUri: HelpLinks.For(RuleIds.OptimizerMissesReplacedLayer));
}

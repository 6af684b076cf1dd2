using System.Collections.Generic;
using System.Linq;
using System.Threading;
using Microsoft.CodeAnalysis;
using StaticGrad.Compiler.Model;

namespace StaticGrad.Compiler.Lowering;

/// <summary>
/// The [DerivativeOf] rules that referenced assemblies ship. A compilation that declares rules gets one
/// <c>[assembly: DerivativeRules(typeof(T))]</c> per rule-declaring type from the generator (see
/// <see cref="Emit.RuleRegistryEmitter"/>); here those attributes are read back from the references, and only the
/// listed types are searched, so the cost does not grow with the size of the framework.
/// </summary>
public static class ReferencedRules
{
    public const string RegistryAttribute = "StaticGrad.CompilerServices.DerivativeRulesAttribute";

    /// <summary>
    /// The valid rules of every referenced assembly that this compilation can call, ordered by target so that the
    /// result is the same value from one run to the next (the generator compares it to skip unchanged work).
    /// </summary>
    public static EquatableArray<RuleSpec> Collect(Compilation compilation, CancellationToken cancellationToken)
    {
        var rules = new List<RuleSpec>();
        foreach (var assembly in compilation.SourceModule.ReferencedAssemblySymbols)
        {
            cancellationToken.ThrowIfCancellationRequested();
            foreach (var attribute in assembly.GetAttributes())
            {
                if (!SymbolNames.Is(attribute.AttributeClass, RegistryAttribute)
                    || attribute.ConstructorArguments.Length != 1
                    || attribute.ConstructorArguments[0].Value is not INamedTypeSymbol rulesType)
                {
                    continue;
                }

                foreach (var method in rulesType.GetMembers().OfType<IMethodSymbol>())
                {
                    // An internal rule of another assembly cannot be called from the code generated here.
                    if (compilation.IsSymbolAccessibleWithin(method, compilation.Assembly) && RuleLowering.Lower(method).Rule is { } rule)
                    {
                        rules.Add(rule);
                    }
                }
            }
        }

        return rules
            .OrderBy(r => r.TargetKey, System.StringComparer.Ordinal)
            .ThenBy(r => r.Rule, System.StringComparer.Ordinal)
            .ToEquatableArray();
    }

    /// <summary>
    /// One rule list from the referenced and the compilation's own rules; for the same target the compilation's own
    /// rule wins (the rule lookup keeps the last one per target), so a project can replace a library's rule.
    /// </summary>
    public static EquatableArray<RuleSpec> Merge(EquatableArray<RuleSpec> referenced, EquatableArray<RuleSpec> own) =>
        referenced.Count == 0 ? own : referenced.Concat(own).ToEquatableArray();
}

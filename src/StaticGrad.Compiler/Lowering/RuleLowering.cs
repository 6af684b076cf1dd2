using System.Collections.Generic;
using System.Linq;
using Microsoft.CodeAnalysis;
using StaticGrad.Compiler.IR;
using StaticGrad.Compiler.Model;
using StaticGrad.Compiler.Reverse;

namespace StaticGrad.Compiler.Lowering;

/// <summary>The result of reading one [DerivativeOf] rule: the rule, or why it is invalid (SG1007).</summary>
public sealed record RuleLoweringResult(RuleSpec? Rule, DiagnosticInfo? Diagnostic);

/// <summary>
/// Reads and checks a <c>[DerivativeOf(typeof(T), nameof(M))]</c> rule. Its signature is the backward contract:
/// M's parameters, then one adjoint per floating parameter (<c>ref T</c> for scalars, <c>Span&lt;T&gt;</c> for
/// arrays and spans), then the seed; it returns M's value.
/// </summary>
public static class RuleLowering
{
    public static RuleLoweringResult Lower(IMethodSymbol rule)
    {
        var location = LocationInfo.From(rule.Locations.FirstOrDefault());
        var attribute = rule.GetAttributes().FirstOrDefault(a => SymbolNames.Is(a.AttributeClass, Symbols.DerivativeOfAttribute));
        if (attribute is null)
        {
            return new RuleLoweringResult(null, null);
        }

        RuleLoweringResult Invalid(string reason) =>
            new(null, DiagnosticInfo.Create("SG1007", location, rule.Name, reason));

        if (attribute.ConstructorArguments.Length != 2
            || attribute.ConstructorArguments[0].Value is not INamedTypeSymbol declaringType
            || attribute.ConstructorArguments[1].Value is not string methodName)
        {
            return Invalid("the attribute needs the declaring type and the method name, e.g. [DerivativeOf(typeof(Helpers), nameof(Helpers.Softplus))]");
        }

        if (!rule.IsStatic || rule.IsGenericMethod)
        {
            return Invalid("a rule must be a static, non-generic method");
        }

        var candidates = declaringType.GetMembers(methodName).OfType<IMethodSymbol>().Where(m => m.MethodKind == MethodKind.Ordinary).ToList();
        if (candidates.Count == 0)
        {
            return Invalid("'" + declaringType.ToDisplayString() + "' has no method named '" + methodName + "'");
        }

        var expectations = new List<string>();
        foreach (var target in candidates)
        {
            if (!TypeMapping.IsFloating(target.ReturnType) || target.IsGenericMethod || target.Parameters.Any(p => p.RefKind != RefKind.None || TypeMapping.ToIrType(p.Type) is null))
            {
                expectations.Add("'" + Symbols.Display(target) + "' cannot have a rule: it must return double or float and take double, float, int, long or bool values, arrays or spans by value");
                continue;
            }

            if (Matches(rule, target))
            {
                var spec = new RuleSpec(
                    Symbols.Key(target),
                    rule.ContainingType.ToDisplayString(SymbolDisplayFormat.FullyQualifiedFormat) + "." + rule.Name,
                    target.Parameters.Select(Symbols.RulePassing).ToEquatableArray());
                return new RuleLoweringResult(spec, null);
            }

            expectations.Add("expected 'static " + ExpectedSignature(target, rule.Name) + "'");
        }

        return Invalid("its signature does not match; " + string.Join("; or ", expectations));
    }

    private static bool Matches(IMethodSymbol rule, IMethodSymbol target)
    {
        var expected = new List<(RefKind Kind, string Type)>();
        expected.AddRange(target.Parameters.Select(p => (RefKind.None, Type(p.Type))));
        foreach (var parameter in target.Parameters)
        {
            var type = TypeMapping.ToIrType(parameter.Type)!;
            if (type.IsFloating)
            {
                expected.Add((RefKind.Ref, type.CSharp));
            }
            else if (type.IsFloatingCollection)
            {
                expected.Add((RefKind.None, "global::System.Span<" + type.ScalarKeyword + ">"));
            }
        }

        expected.Add((RefKind.None, Type(target.ReturnType)));
        return SymbolEqualityComparer.Default.Equals(rule.ReturnType, target.ReturnType)
            && rule.Parameters.Length == expected.Count
            && rule.Parameters.Select(p => (p.RefKind, Type(p.Type))).SequenceEqual(expected);
    }

    private static string Type(ITypeSymbol type) => TypeMapping.ToIrType(type)?.CSharp ?? type.ToDisplayString(SymbolDisplayFormat.FullyQualifiedFormat);

    private static string ExpectedSignature(IMethodSymbol target, string name)
    {
        var parameters = target.Parameters.Select(p => p.Type.ToDisplayString() + " " + p.Name).ToList();
        foreach (var parameter in target.Parameters)
        {
            var type = TypeMapping.ToIrType(parameter.Type)!;
            if (type.IsFloating)
            {
                parameters.Add("ref " + type.ScalarKeyword + " " + ReverseModeTransformer.AdjointName(parameter.Name));
            }
            else if (type.IsFloatingCollection)
            {
                parameters.Add("Span<" + type.ScalarKeyword + "> " + ReverseModeTransformer.AdjointName(parameter.Name));
            }
        }

        parameters.Add(target.ReturnType.ToDisplayString() + " seed");
        return target.ReturnType.ToDisplayString() + " " + name + "(" + string.Join(", ", parameters) + ")";
    }
}

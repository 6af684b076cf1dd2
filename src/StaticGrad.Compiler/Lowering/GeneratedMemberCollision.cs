using System.Collections.Generic;
using System.Linq;
using Microsoft.CodeAnalysis;
using StaticGrad.Compiler.Model;

namespace StaticGrad.Compiler.Lowering;

/// <summary>
/// SG1020: a member the generator would add next to a [Differentiable] method (<c>{Name}Backward</c>,
/// <c>{Name}Tangent</c>, …) whose name the user's type already uses. Reported once at the method, which then gets no
/// output, instead of a CS0102/CS0111 inside a generated file (which hides the rest of the build's diagnostics).
/// An opt-in output left to the project default (<c>StaticGradForward</c>, <c>StaticGradTensor</c>, which lowering
/// cannot see) is not reported: when its name is taken it is simply not generated (<see cref="TakenDefaultNames"/>).
/// </summary>
internal static class GeneratedMemberCollision
{
    /// <summary>The attribute every generated member carries: the analyzer sees the generated members, which are no clash.</summary>
    private const string GeneratorName = "StaticGrad.Generator";

    /// <summary>The members generated for a scalar-bodied method: the backward, and the opt-in ones the attribute asks for.</summary>
    public static IEnumerable<string> ScalarMembers(IMethodSymbol method, bool hessian, bool hasNoGradFloating)
    {
        var names = new List<string> { "Backward" };
        if (hasNoGradFloating)
        {
            names.Add("BackwardIncludingNoGrad");
        }

        if (OutputOptIn.Explicit(method, OutputOptIn.Forward) == true)
        {
            names.AddRange(TangentSuffixes(hasNoGradFloating));
        }

        if (hessian)
        {
            names.AddRange(new[] { "Jvp", "JvpBackward", "HessianVector", "Hessian" });
        }

        if (OutputOptIn.Explicit(method, OutputOptIn.Jacobian) == true)
        {
            names.Add("Jacobian");
        }

        return names.Select(suffix => method.Name + suffix);
    }

    /// <summary>The members generated for a Tensor-bodied method: the backward, and the fused node when the attribute asks for it.</summary>
    public static IEnumerable<string> TensorMembers(IMethodSymbol method) =>
        new[] { "Backward" }.Concat(OutputOptIn.Explicit(method, OutputOptIn.Tensor) == true ? FusedSuffixes : Enumerable.Empty<string>()).Select(suffix => method.Name + suffix);

    /// <summary>
    /// Names of outputs the project default decides (<c>Forward</c> or <c>Tensor</c> not written on the attribute) that a
    /// user member already has: the emitters leave those outputs out.
    /// </summary>
    public static EquatableArray<string> TakenDefaultNames(IMethodSymbol method, bool tensorBodied, bool hasNoGradFloating)
    {
        var property = tensorBodied ? OutputOptIn.Tensor : OutputOptIn.Forward;
        if (method.ContainingType is not { } type || OutputOptIn.Explicit(method, property) is not null)
        {
            return EquatableArray<string>.Empty;
        }

        return (tensorBodied ? FusedSuffixes : TangentSuffixes(hasNoGradFloating))
            .Select(suffix => method.Name + suffix)
            .Where(name => UserMember(type, name) is not null)
            .ToEquatableArray();
    }

    private static readonly string[] FusedSuffixes = { "Fused", "FusedNode" };

    private static IEnumerable<string> TangentSuffixes(bool hasNoGradFloating) =>
        hasNoGradFloating ? new[] { "Tangent", "TangentIncludingNoGrad" } : new[] { "Tangent" };

    /// <summary>Reports SG1020 for the first generated name a user member of the type (or a visible inherited one) already has.</summary>
    public static void Check(IMethodSymbol method, IEnumerable<string> generated, LocationInfo? location, LoweringContext context)
    {
        if (method.ContainingType is not { } type)
        {
            return;
        }

        // A base type's [Differentiable] method of the same name and parameters gets the same generated members (the
        // generator's output for it is not in the compilation it sees): this method's would hide them (CS0108 in a
        // generated file) and a call through the base type would run the base's backward.
        if (InheritedDifferentiable(type, method) is { } hidden)
        {
            context.Report("SG1020", location, method.Name, method.Name + "Backward", "the one generated for the inherited [Differentiable] method '" + hidden.ContainingType.Name + "." + hidden.Name + "'");
            return;
        }

        foreach (var name in generated)
        {
            if (UserMember(type, name) is { } member)
            {
                var inherited = !SymbolEqualityComparer.Default.Equals(member.ContainingType, type);
                context.Report("SG1020", location, method.Name, name, (inherited ? "an inherited " : Article(member)) + Kind(member));
                return;
            }
        }
    }

    private static IMethodSymbol? InheritedDifferentiable(INamedTypeSymbol type, IMethodSymbol method)
    {
        for (var baseType = type.BaseType; baseType is not null; baseType = baseType.BaseType)
        {
            foreach (var member in baseType.GetMembers(method.Name))
            {
                if (member is IMethodSymbol candidate && candidate.DeclaredAccessibility != Accessibility.Private &&
                    candidate.IsStatic == method.IsStatic && candidate.Parameters.Length == method.Parameters.Length &&
                    candidate.Parameters.Zip(method.Parameters, (a, b) => a.RefKind == b.RefKind && SymbolEqualityComparer.Default.Equals(a.Type, b.Type)).All(same => same) &&
                    Symbols.HasAttribute(candidate, Symbols.DifferentiableAttribute))
                {
                    return candidate;
                }
            }
        }

        return null;
    }

    private static ISymbol? UserMember(INamedTypeSymbol type, string name)
    {
        foreach (var member in type.GetMembers(name))
        {
            if (!IsGenerated(member) && !member.IsImplicitlyDeclared)
            {
                return member;
            }
        }

        // An inherited member of that name would be hidden (CS0108) or clash with an override.
        for (var baseType = type.BaseType; baseType is not null; baseType = baseType.BaseType)
        {
            var inherited = baseType.GetMembers(name).FirstOrDefault(m => m.DeclaredAccessibility != Accessibility.Private && !IsGenerated(m));
            if (inherited is not null)
            {
                return inherited;
            }
        }

        return null;
    }

    private static bool IsGenerated(ISymbol member) =>
        member.GetAttributes().Any(a =>
            SymbolNames.Is(a.AttributeClass, "System.CodeDom.Compiler.GeneratedCodeAttribute") &&
            a.ConstructorArguments.Length > 0 &&
            a.ConstructorArguments[0].Value as string == GeneratorName);

    private static string Article(ISymbol member) => member is IEventSymbol ? "an " : "a ";

    private static string Kind(ISymbol member) => member switch
    {
        IMethodSymbol => "method",
        IPropertySymbol => "property",
        IFieldSymbol => "field",
        IEventSymbol => "event",
        INamedTypeSymbol => "nested type",
        _ => "member",
    };
}

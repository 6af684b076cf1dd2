using System;
using System.Collections.Generic;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace StaticGrad.Analyzers.TensorUsage.Analysis;

/// <summary>
/// Every place that can name a member: a private member only inside its type's declarations (all partial parts and
/// nested types); a member that no other assembly can see (some link of it and its containing types is neither
/// public nor protected, and the assembly gives its internals to no other) anywhere in the compilation's trees. The
/// compilation-wide index of identifiers is built once, the first time a non-private member is asked about.
/// </summary>
internal sealed class MemberReferences
{
    private readonly Compilation _compilation;
    private readonly Lazy<Dictionary<string, List<SimpleNameSyntax>>> _byName;
    private readonly Lazy<bool> _internalsVisibleToOthers;

    public MemberReferences(Compilation compilation)
    {
        _compilation = compilation;
        _byName = new Lazy<Dictionary<string, List<SimpleNameSyntax>>>(Index);
        _internalsVisibleToOthers = new Lazy<bool>(() =>
            compilation.Assembly.GetAttributes().Any(a => a.AttributeClass is { Name: "InternalsVisibleToAttribute" }));
    }

    /// <summary>The names in source that may refer to <paramref name="member"/>, or null when code outside the compilation may name it.</summary>
    public IEnumerable<SimpleNameSyntax>? Of(ISymbol member)
    {
        if (member.DeclaredAccessibility == Accessibility.Private)
        {
            return member.ContainingType.DeclaringSyntaxReferences
                .SelectMany(r => r.GetSyntax().DescendantNodes())
                .OfType<SimpleNameSyntax>()
                .Where(n => n.Identifier.ValueText == member.Name);
        }

        return VisibleOutside(member) ? null : Named(member.Name);
    }

    /// <summary>Every simple name spelled <paramref name="name"/> in the compilation.</summary>
    public IReadOnlyList<SimpleNameSyntax> Named(string name) =>
        _byName.Value.TryGetValue(name, out var names) ? names : Array.Empty<SimpleNameSyntax>();

    /// <summary>Every method declared in the compilation's source.</summary>
    public IEnumerable<MethodDeclarationSyntax> Methods() =>
        _compilation.SyntaxTrees.SelectMany(t => t.GetRoot().DescendantNodes()).OfType<MethodDeclarationSyntax>();

    private bool VisibleOutside(ISymbol member)
    {
        if (_internalsVisibleToOthers.Value)
        {
            return true;
        }

        for (ISymbol? current = member; current is not null and not INamespaceSymbol; current = current.ContainingType)
        {
            if (current.DeclaredAccessibility is not (Accessibility.Public or Accessibility.Protected or Accessibility.ProtectedOrInternal))
            {
                return false;
            }
        }

        return true;
    }

    private Dictionary<string, List<SimpleNameSyntax>> Index()
    {
        var index = new Dictionary<string, List<SimpleNameSyntax>>(StringComparer.Ordinal);
        foreach (var tree in _compilation.SyntaxTrees)
        {
            foreach (var node in tree.GetRoot().DescendantNodes())
            {
                if (node is SimpleNameSyntax name)
                {
                    if (!index.TryGetValue(name.Identifier.ValueText, out var list))
                    {
                        index[name.Identifier.ValueText] = list = new List<SimpleNameSyntax>();
                    }

                    list.Add(name);
                }
            }
        }

        return index;
    }
}

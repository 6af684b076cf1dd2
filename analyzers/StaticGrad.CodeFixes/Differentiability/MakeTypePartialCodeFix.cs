using System.Composition;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace StaticGrad.CodeFixes.Differentiability;

/// <summary>
/// Fixes SG1003 by adding <c>partial</c> to the type of the [Differentiable] method and to every enclosing type that
/// lacks it (the generator can only add the backward to a type whose every level is partial).
/// </summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(MakeTypePartialCodeFix))]
[Shared]
public sealed class MakeTypePartialCodeFix : StaticGradCodeFix
{
    /// <summary>Creates the fix.</summary>
    public MakeTypePartialCodeFix()
        : base("SG1003", "SG1003.MakePartial")
    {
    }

    /// <inheritdoc />
    protected override CodeAction? CreateFix(in FixInput input, Diagnostic diagnostic)
    {
        var types = input.Root.FindToken(diagnostic.Location.SourceSpan.Start).Parent?
            .AncestorsAndSelf()
            .OfType<TypeDeclarationSyntax>()
            .Where(t => !t.Modifiers.Any(SyntaxKind.PartialKeyword))
            .ToArray();
        if (types is not { Length: > 0 })
        {
            return null;
        }

        var title = types.Length == 1
            ? "Make '" + types[0].Identifier.Text + "' partial"
            : "Make '" + string.Join("', '", Enumerable.Reverse(types).Select(t => t.Identifier.Text)) + "' partial";
        var root = input.Root;
        return ReplaceRoot(title, input.Document, () => root.ReplaceNodes(types, (_, rewritten) => AddPartial(rewritten)));
    }

    /// <summary><c>partial</c> goes last among the modifiers, right before the type keyword, as C# requires.</summary>
    private static TypeDeclarationSyntax AddPartial(TypeDeclarationSyntax type)
    {
        if (type.Modifiers.Any(SyntaxKind.PartialKeyword))
        {
            return type;
        }

        if (type.Modifiers.Count == 0)
        {
            var keyword = type.Keyword;
            var partial = SyntaxFactory.Token(keyword.LeadingTrivia, SyntaxKind.PartialKeyword, SyntaxFactory.TriviaList(SyntaxFactory.Space));
            return type.WithKeyword(keyword.WithLeadingTrivia(SyntaxTriviaList.Empty)).WithModifiers(SyntaxFactory.TokenList(partial));
        }

        return type.WithModifiers(type.Modifiers.Add(SyntaxFactory.Token(SyntaxKind.PartialKeyword).WithTrailingTrivia(SyntaxFactory.Space)));
    }
}

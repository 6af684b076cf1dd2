using System.Composition;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Simplification;

namespace StaticGrad.CodeFixes.Differentiability;

/// <summary>
/// Fixes SG1001 by marking the callee <c>[Differentiable]</c>, when it is declared in source with a body, in a type
/// whose every level is partial, and with a signature the generator accepts (so the fix cannot trade SG1001 for
/// SG1003, SG1004 or SG1008).
/// </summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(MarkCalleeDifferentiableCodeFix))]
[Shared]
public sealed class MarkCalleeDifferentiableCodeFix : StaticGradCodeFix
{
    /// <summary>Creates the fix.</summary>
    public MarkCalleeDifferentiableCodeFix()
        : base("SG1001", "SG1001.MarkDifferentiable")
    {
    }

    /// <inheritdoc />
    protected override CodeAction? CreateFix(in FixInput input, Diagnostic diagnostic)
    {
        var cancellationToken = input.CancellationToken;
        var invocation = input.Root.FindNode(diagnostic.Location.SourceSpan, getInnermostNodeForTie: true).FirstAncestorOrSelf<InvocationExpressionSyntax>();
        if (invocation is null
            || input.Model.GetSymbolInfo(invocation, cancellationToken).Symbol is not IMethodSymbol callee
            || callee.DeclaringSyntaxReferences.Length != 1
            || callee.DeclaringSyntaxReferences[0].GetSyntax(cancellationToken) is not MethodDeclarationSyntax declaration
            || !CanBeDifferentiable(callee, declaration))
        {
            return null;
        }

        // The callee may live in another document of the project.
        var document = input.Document.Project.Solution.GetDocument(declaration.SyntaxTree);
        return document is null ? null : ChangeDocument("Mark '" + callee.Name + "' [Differentiable]", ct => MarkAsync(document, declaration, ct));
    }

    private static bool CanBeDifferentiable(IMethodSymbol callee, MethodDeclarationSyntax declaration) =>
        (declaration.Body is not null || declaration.ExpressionBody is not null)
        && !callee.IsGenericMethod
        && IsFloating(callee.ReturnType)
        && callee.Parameters.All(p => p.RefKind == RefKind.None && !p.IsParams && IsSupported(p.Type))
        && declaration.Ancestors().OfType<TypeDeclarationSyntax>().All(t => t.Modifiers.Any(SyntaxKind.PartialKeyword))
        && !callee.GetAttributes().Any(a => a.AttributeClass?.ToDisplayString() == "StaticGrad.DifferentiableAttribute");

    private static bool IsFloating(ITypeSymbol type) => type.SpecialType is SpecialType.System_Double or SpecialType.System_Single;

    private static bool IsSupported(ITypeSymbol type) => type switch
    {
        IArrayTypeSymbol { Rank: 1 } array => IsFloating(array.ElementType),
        INamedTypeSymbol { IsGenericType: true } span when span.ConstructedFrom.ToDisplayString() is "System.Span<T>" or "System.ReadOnlySpan<T>" => IsFloating(span.TypeArguments[0]),
        _ => IsFloating(type) || type.SpecialType is SpecialType.System_Int32 or SpecialType.System_Int64 or SpecialType.System_Boolean,
    };

    private static async Task<Document> MarkAsync(Document document, MethodDeclarationSyntax declaration, CancellationToken cancellationToken)
    {
        var root = await document.GetSyntaxRootAsync(cancellationToken).ConfigureAwait(false);
        if (root?.FindNode(declaration.Span) is not MethodDeclarationSyntax method)
        {
            return document;
        }

        // The attribute takes the method's leading trivia (comments, indentation); the method's first token keeps the indentation.
        var first = method.GetFirstToken();
        var leading = first.LeadingTrivia;
        var indentation = leading.Count > 0 && leading[leading.Count - 1].IsKind(SyntaxKind.WhitespaceTrivia) ? SyntaxFactory.TriviaList(leading[leading.Count - 1]) : SyntaxTriviaList.Empty;
        var newLine = root.DescendantTrivia().FirstOrDefault(t => t.IsKind(SyntaxKind.EndOfLineTrivia));
        var attribute = SyntaxFactory.AttributeList(SyntaxFactory.SingletonSeparatedList(
                SyntaxFactory.Attribute(SyntaxFactory.ParseName("global::StaticGrad.Differentiable").WithAdditionalAnnotations(Simplifier.Annotation))))
            .WithLeadingTrivia(leading)
            .WithTrailingTrivia(newLine.IsKind(SyntaxKind.EndOfLineTrivia) ? newLine : SyntaxFactory.EndOfLine("\n"));
        var stripped = method.ReplaceToken(first, first.WithLeadingTrivia(indentation));
        var marked = stripped.WithAttributeLists(stripped.AttributeLists.Insert(0, attribute));
        return document.WithSyntaxRoot(root.ReplaceNode(method, marked));
    }
}

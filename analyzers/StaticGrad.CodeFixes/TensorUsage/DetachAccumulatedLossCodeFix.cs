using System.Composition;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using StaticGrad.Analyzers.Diagnostics;

namespace StaticGrad.CodeFixes.TensorUsage;

/// <summary>
/// Fixes SG0017 by detaching what is added to the running total (<c>total += loss.Detach();</c>, TorchSharp:
/// <c>loss.detach()</c>): the total keeps the value and no longer holds every iteration's graph. The loss itself is
/// untouched, so a <c>Backward()</c> on it still works.
/// </summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(DetachAccumulatedLossCodeFix))]
[Shared]
public sealed class DetachAccumulatedLossCodeFix : StaticGradCodeFix
{
    /// <summary>Creates the fix.</summary>
    public DetachAccumulatedLossCodeFix()
        : base(RuleIds.LossAccumulatedWithGraph, RuleIds.LossAccumulatedWithGraph + ".Detach")
    {
    }

    /// <inheritdoc />
    protected override CodeAction? CreateFix(in FixInput input, Diagnostic diagnostic)
    {
        var node = input.Root.FindNode(diagnostic.Location.SourceSpan, getInnermostNodeForTie: true);
        var assignment = node.AncestorsAndSelf().OfType<AssignmentExpressionSyntax>().FirstOrDefault();
        var added = assignment switch
        {
            { RawKind: (int)SyntaxKind.AddAssignmentExpression } => assignment.Right,
            { RawKind: (int)SyntaxKind.SimpleAssignmentExpression, Right: BinaryExpressionSyntax { RawKind: (int)SyntaxKind.AddExpression } sum } => sum.Right,
            _ => null,
        };
        if (added is null)
        {
            return null;
        }

        var root = input.Root;
        var detach = LibrarySpelling.Member(diagnostic, "Detach");
        return ReplaceRoot($"Add {added}.{detach}() to the total", input.Document, () => root.ReplaceNode(added, Detached(added, detach)));
    }

    private static ExpressionSyntax Detached(ExpressionSyntax added, string detach)
    {
        var receiver = added is IdentifierNameSyntax or MemberAccessExpressionSyntax or InvocationExpressionSyntax or ElementAccessExpressionSyntax or ParenthesizedExpressionSyntax
            ? added.WithoutTrivia()
            : SyntaxFactory.ParenthesizedExpression(added.WithoutTrivia());
        return CallStatement.Call(receiver, detach).WithTriviaFrom(added);
    }
}

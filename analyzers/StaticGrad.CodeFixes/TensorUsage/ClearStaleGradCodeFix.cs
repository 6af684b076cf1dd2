using System.Composition;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using StaticGrad.Analyzers.Diagnostics;
using StaticGrad.Analyzers.TensorUsage.Rules;

namespace StaticGrad.CodeFixes.TensorUsage;

/// <summary>
/// Fixes SG0012 by inserting <c>p.Grad = null;</c> before the <c>Step()</c>: only the frozen parameter's stale
/// gradient is cleared, unlike <c>ZeroGrad()</c>, which would also drop the fresh gradients of the trainable ones.
/// </summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(ClearStaleGradCodeFix))]
[Shared]
public sealed class ClearStaleGradCodeFix : StaticGradCodeFix
{
    /// <summary>Creates the fix.</summary>
    public ClearStaleGradCodeFix()
        : base(RuleIds.FrozenParameterKeepsStaleGrad, RuleIds.FrozenParameterKeepsStaleGrad + ".ClearGrad")
    {
    }

    /// <inheritdoc />
    protected override CodeAction? CreateFix(in FixInput input, Diagnostic diagnostic)
    {
        if (!diagnostic.Properties.TryGetValue(FrozenParameterRule.ParameterProperty, out var parameter) || parameter is null)
        {
            return null;
        }

        var step = input.Root.FindNode(diagnostic.Location.SourceSpan, getInnermostNodeForTie: true);
        if (step.FirstAncestorOrSelf<StatementSyntax>() is not ExpressionStatementSyntax statement || statement.Parent is not (BlockSyntax or SwitchSectionSyntax))
        {
            return null;
        }

        var root = input.Root;
        var grad = LibrarySpelling.Member(diagnostic, "Grad");
        return ReplaceRoot($"Set {parameter}.{grad} = null before {LibrarySpelling.Member(diagnostic, "Step")}()", input.Document, () => Insert(root, statement, parameter, grad));
    }

    private static SyntaxNode Insert(SyntaxNode root, StatementSyntax before, string parameter, string grad)
    {
        var clear = SyntaxFactory.ExpressionStatement(
                SyntaxFactory.AssignmentExpression(
                    SyntaxKind.SimpleAssignmentExpression,
                    SyntaxFactory.MemberAccessExpression(SyntaxKind.SimpleMemberAccessExpression, SyntaxFactory.IdentifierName(parameter), SyntaxFactory.IdentifierName(grad)),
                    SyntaxFactory.LiteralExpression(SyntaxKind.NullLiteralExpression)))
            .NormalizeWhitespace()
            .WithLeadingTrivia(before.GetLeadingTrivia().Where(t => t.IsKind(SyntaxKind.WhitespaceTrivia)))
            .WithTrailingTrivia(before.GetTrailingTrivia().Where(t => t.IsKind(SyntaxKind.EndOfLineTrivia)));
        return root.InsertNodesBefore(before, new[] { clear });
    }
}

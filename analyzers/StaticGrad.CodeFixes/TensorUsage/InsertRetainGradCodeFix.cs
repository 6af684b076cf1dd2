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
/// Fixes SG0004 by inserting <c>y.RetainGrad();</c> right after the statement that computed <c>y</c>: that is
/// before any backward through it, so the gradient is kept (SPEC R16).
/// </summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(InsertRetainGradCodeFix))]
[Shared]
public sealed class InsertRetainGradCodeFix : StaticGradCodeFix
{
    /// <summary>Creates the fix.</summary>
    public InsertRetainGradCodeFix()
        : base(RuleIds.GradOfNonLeaf, RuleIds.GradOfNonLeaf + ".RetainGrad")
    {
    }

    /// <inheritdoc />
    protected override CodeAction? CreateFix(in FixInput input, Diagnostic diagnostic)
    {
        if (!diagnostic.Properties.TryGetValue(GradOfNonLeafRule.VariableProperty, out var variable) || variable is null || diagnostic.AdditionalLocations.Count == 0)
        {
            return null;
        }

        var definition = input.Root.FindNode(diagnostic.AdditionalLocations[0].SourceSpan, getInnermostNodeForTie: true);
        var statement = definition.AncestorsAndSelf().OfType<StatementSyntax>().FirstOrDefault();
        if (statement is not (LocalDeclarationStatementSyntax or ExpressionStatementSyntax) || statement.Parent is not (BlockSyntax or SwitchSectionSyntax))
        {
            return null;
        }

        var root = input.Root;
        var retainGrad = LibrarySpelling.Member(diagnostic, "RetainGrad");
        return ReplaceRoot($"Call {variable}.{retainGrad}() before {LibrarySpelling.Member(diagnostic, "Backward")}()", input.Document, () => Insert(root, statement, variable, retainGrad));
    }

    private static SyntaxNode Insert(SyntaxNode root, StatementSyntax after, string variable, string retainGrad) =>
        root.InsertNodesAfter(after, new[] { CallStatement.Like(after, SyntaxFactory.IdentifierName(variable), retainGrad) });
}

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
/// Fixes SG0016 by inserting <c>opt.ZeroGrad();</c> (TorchSharp: <c>opt.zero_grad();</c>) as the first statement of
/// the loop that steps <c>opt</c>: each iteration then starts from cleared gradients, as PyTorch's training loops do.
/// </summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(InsertZeroGradCodeFix))]
[Shared]
public sealed class InsertZeroGradCodeFix : StaticGradCodeFix
{
    /// <summary>Creates the fix.</summary>
    public InsertZeroGradCodeFix()
        : base(RuleIds.ZeroGradMissingInLoop, RuleIds.ZeroGradMissingInLoop + ".ZeroGrad")
    {
    }

    /// <inheritdoc />
    protected override CodeAction? CreateFix(in FixInput input, Diagnostic diagnostic)
    {
        var node = input.Root.FindNode(diagnostic.Location.SourceSpan, getInnermostNodeForTie: true);
        if (node.AncestorsAndSelf().OfType<InvocationExpressionSyntax>().FirstOrDefault() is not { Expression: MemberAccessExpressionSyntax { Expression: var optimizer } })
        {
            return null;
        }

        var body = node.Ancestors().TakeWhile(a => a is not (AnonymousFunctionExpressionSyntax or LocalFunctionStatementSyntax or MemberDeclarationSyntax)).Select(LoopBody).FirstOrDefault(b => b is not null);
        if (body is null || body.Statements.Count == 0)
        {
            return null;
        }

        var root = input.Root;
        var zeroGrad = LibrarySpelling.Member(diagnostic, "ZeroGrad");
        return ReplaceRoot($"Call {optimizer}.{zeroGrad}() at the start of the loop", input.Document, () => Insert(root, body.Statements[0], optimizer.WithoutTrivia(), zeroGrad));
    }

    private static BlockSyntax? LoopBody(SyntaxNode node) => node switch
    {
        ForStatementSyntax { Statement: BlockSyntax block } => block,
        ForEachStatementSyntax { Statement: BlockSyntax block } => block,
        WhileStatementSyntax { Statement: BlockSyntax block } => block,
        DoStatementSyntax { Statement: BlockSyntax block } => block,
        _ => null,
    };

    private static SyntaxNode Insert(SyntaxNode root, StatementSyntax first, ExpressionSyntax optimizer, string zeroGrad) =>
        root.InsertNodesBefore(first, new[] { CallStatement.Like(first, optimizer, zeroGrad) });
}

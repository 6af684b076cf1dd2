using System.Composition;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using StaticGrad.Analyzers.Diagnostics;
using StaticGrad.Analyzers.TensorUsage.Rules;

namespace StaticGrad.CodeFixes.TensorUsage;

/// <summary>
/// Fixes SG0001 with <c>Detach()</c> (SPEC R21): <c>y.RequiresGrad = true;</c> becomes
/// <c>y = y.Detach().SetRequiresGrad();</c> (a new leaf that requires grad), <c>y.RequiresGrad = false;</c> and
/// <c>y.SetRequiresGrad(false);</c> become <c>y = y.Detach();</c>, and <c>y.SetRequiresGrad(false)</c> used as a value
/// becomes <c>y.Detach()</c>.
/// </summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(DetachInsteadOfRequiresGradCodeFix))]
[Shared]
public sealed class DetachInsteadOfRequiresGradCodeFix : StaticGradCodeFix
{
    /// <summary>Creates the fix.</summary>
    public DetachInsteadOfRequiresGradCodeFix()
        : base(RuleIds.RequiresGradOnNonLeaf, RuleIds.RequiresGradOnNonLeaf + ".Detach")
    {
    }

    /// <inheritdoc />
    protected override CodeAction? CreateFix(in FixInput input, Diagnostic diagnostic)
    {
        var node = input.Root.FindNode(diagnostic.Location.SourceSpan, getInnermostNodeForTie: true);
        var value = diagnostic.Properties.TryGetValue(RequiresGradOnNonLeafRule.ValueProperty, out var v) ? v : null;
        var detach = LibrarySpelling.Member(diagnostic, "Detach");
        var setRequiresGrad = LibrarySpelling.Member(diagnostic, "SetRequiresGrad");
        if (Rewrite(node, value, input.Model, detach, setRequiresGrad, input.CancellationToken) is not { } change)
        {
            return null;
        }

        var title = value == "false" || node is InvocationExpressionSyntax ? $"Use {detach}() to get a tensor that does not require grad" : $"Use {detach}() to start a new leaf tensor";
        var root = input.Root;
        return ReplaceRoot(title, input.Document, () => root.ReplaceNode(change.Old, change.New));
    }

    private static (SyntaxNode Old, SyntaxNode New)? Rewrite(SyntaxNode node, string? value, SemanticModel model, string detach, string setRequiresGrad, CancellationToken cancellationToken)
    {
        switch (node)
        {
            case AssignmentExpressionSyntax { Left: MemberAccessExpressionSyntax { Expression: IdentifierNameSyntax receiver } } assignment
                when assignment.Parent is ExpressionStatementSyntax statement && IsReassignableTensor(receiver, model, cancellationToken):
            {
                ExpressionSyntax detached = Detach(receiver, detach);
                if (value != "false")
                {
                    var arguments = value == "true" ? SyntaxFactory.ArgumentList() : SyntaxFactory.ArgumentList(SyntaxFactory.SingletonSeparatedList(SyntaxFactory.Argument(assignment.Right.WithoutTrivia())));
                    detached = SyntaxFactory.InvocationExpression(SyntaxFactory.MemberAccessExpression(SyntaxKind.SimpleMemberAccessExpression, detached, SyntaxFactory.IdentifierName(setRequiresGrad)), arguments);
                }

                return (statement, Reassign(statement, receiver, detached));
            }

            case InvocationExpressionSyntax { Expression: MemberAccessExpressionSyntax { Expression: var target } } invocation:
                if (invocation.Parent is ExpressionStatementSyntax call && target is IdentifierNameSyntax name && IsReassignableTensor(name, model, cancellationToken))
                {
                    return (call, Reassign(call, name, Detach(name, detach)));
                }

                return (invocation, Detach(target, detach).WithTriviaFrom(invocation));

            default:
                return null;
        }
    }

    private static InvocationExpressionSyntax Detach(ExpressionSyntax receiver, string detach) =>
        SyntaxFactory.InvocationExpression(SyntaxFactory.MemberAccessExpression(SyntaxKind.SimpleMemberAccessExpression, receiver.WithoutTrivia(), SyntaxFactory.IdentifierName(detach)));

    private static ExpressionStatementSyntax Reassign(ExpressionStatementSyntax statement, IdentifierNameSyntax receiver, ExpressionSyntax value) =>
        SyntaxFactory.ExpressionStatement(SyntaxFactory.AssignmentExpression(SyntaxKind.SimpleAssignmentExpression, receiver.WithoutTrivia(), value))
            .WithTriviaFrom(statement);

    /// <summary>Only a local or parameter declared as <c>Tensor</c> can hold the detached tensor.</summary>
    private static bool IsReassignableTensor(IdentifierNameSyntax name, SemanticModel model, CancellationToken cancellationToken)
    {
        var type = model.GetSymbolInfo(name, cancellationToken).Symbol switch
        {
            ILocalSymbol { IsRef: false, IsConst: false, IsUsing: false } local => local.Type,
            IParameterSymbol { RefKind: RefKind.None } parameter => parameter.Type,
            _ => null,
        };
        return LibrarySpelling.IsTensorType(type);
    }
}

using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace StaticGrad.CodeFixes.TensorUsage;

/// <summary>The call <c>receiver.member()</c> that fixes write, and its statement laid out on its own line like a neighbour.</summary>
internal static class CallStatement
{
    public static ExpressionStatementSyntax Like(StatementSyntax neighbour, ExpressionSyntax receiver, string member) =>
        SyntaxFactory.ExpressionStatement(Call(receiver, member))
            .WithLeadingTrivia(neighbour.GetLeadingTrivia().Where(t => t.IsKind(SyntaxKind.WhitespaceTrivia)))
            .WithTrailingTrivia(neighbour.GetTrailingTrivia().Where(t => t.IsKind(SyntaxKind.EndOfLineTrivia)));

    /// <summary><c>receiver.member()</c>.</summary>
    public static InvocationExpressionSyntax Call(ExpressionSyntax receiver, string member) =>
        SyntaxFactory.InvocationExpression(SyntaxFactory.MemberAccessExpression(SyntaxKind.SimpleMemberAccessExpression, receiver, SyntaxFactory.IdentifierName(member)));
}

using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace StaticGrad.CodeFixes.TensorUsage;

/// <summary>The statement <c>receiver.member();</c> that fixes insert, laid out on its own line like its neighbour.</summary>
internal static class CallStatement
{
    public static ExpressionStatementSyntax Like(StatementSyntax neighbour, ExpressionSyntax receiver, string member) =>
        SyntaxFactory.ExpressionStatement(
                SyntaxFactory.InvocationExpression(
                    SyntaxFactory.MemberAccessExpression(SyntaxKind.SimpleMemberAccessExpression, receiver, SyntaxFactory.IdentifierName(member))))
            .WithLeadingTrivia(neighbour.GetLeadingTrivia().Where(t => t.IsKind(SyntaxKind.WhitespaceTrivia)))
            .WithTrailingTrivia(neighbour.GetTrailingTrivia().Where(t => t.IsKind(SyntaxKind.EndOfLineTrivia)));
}

using System.Composition;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Simplification;

namespace StaticGrad.CodeFixes.Differentiability;

/// <summary>
/// Fixes SG1001 by declaring that no gradient flows through the call: each floating argument that is not a constant
/// is wrapped in <c>Autograd.Detach(…)</c>. Offered only when every argument is a scalar (Detach has no array form),
/// so that after the fix no active value reaches the call.
/// </summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(DetachArgumentsCodeFix))]
[Shared]
public sealed class DetachArgumentsCodeFix : StaticGradCodeFix
{
    /// <summary>Creates the fix.</summary>
    public DetachArgumentsCodeFix()
        : base("SG1001", "SG1001.Detach")
    {
    }

    /// <inheritdoc />
    protected override CodeAction? CreateFix(in FixInput input, Diagnostic diagnostic)
    {
        var model = input.Model;
        var cancellationToken = input.CancellationToken;
        var invocation = input.Root.FindNode(diagnostic.Location.SourceSpan, getInnermostNodeForTie: true).FirstAncestorOrSelf<InvocationExpressionSyntax>();
        if (invocation is null)
        {
            return null;
        }

        var arguments = invocation.ArgumentList.Arguments;
        var types = arguments.Select(a => model.GetTypeInfo(a.Expression, cancellationToken).ConvertedType).ToArray();
        if (arguments.Any(a => !a.RefKindKeyword.IsKind(SyntaxKind.None)) || types.Any(t => t is null || !IsScalar(t)))
        {
            return null;
        }

        var toDetach = arguments
            .Where((a, i) => IsFloating(types[i]!) && model.GetConstantValue(a.Expression, cancellationToken) is { HasValue: false } && !IsDetach(a.Expression, model))
            .ToArray();
        if (toDetach.Length == 0)
        {
            return null;
        }

        var root = input.Root;
        return ReplaceRoot(
            toDetach.Length == 1 ? "Wrap the argument in Autograd.Detach" : "Wrap the arguments in Autograd.Detach",
            input.Document,
            () => root.ReplaceNodes(toDetach, (_, argument) => argument.WithExpression(Detach(argument.Expression))));
    }

    private static bool IsFloating(ITypeSymbol type) => type.SpecialType is SpecialType.System_Double or SpecialType.System_Single;

    private static bool IsScalar(ITypeSymbol type) =>
        IsFloating(type) || type.SpecialType is SpecialType.System_Int32 or SpecialType.System_Int64 or SpecialType.System_Boolean;

    private static bool IsDetach(ExpressionSyntax expression, SemanticModel model) =>
        model.GetSymbolInfo(expression).Symbol is IMethodSymbol { Name: "Detach" } method
        && method.ContainingType.ToDisplayString() == "StaticGrad.Autograd";

    private static ExpressionSyntax Detach(ExpressionSyntax expression) =>
        SyntaxFactory.InvocationExpression(
                SyntaxFactory.ParseExpression("global::StaticGrad.Autograd.Detach").WithAdditionalAnnotations(Simplifier.Annotation),
                SyntaxFactory.ArgumentList(SyntaxFactory.SingletonSeparatedList(SyntaxFactory.Argument(expression.WithoutTrivia()))))
            .WithTriviaFrom(expression);
}

using System.Collections.Immutable;
using System.Composition;
using System.Linq;
using System.Threading.Tasks;
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
public sealed class DetachArgumentsCodeFix : CodeFixProvider
{
    private const string EquivalenceKey = "SG1001.Detach";

    /// <inheritdoc />
    public override ImmutableArray<string> FixableDiagnosticIds { get; } = ImmutableArray.Create("SG1001");

    /// <inheritdoc />
    public override FixAllProvider GetFixAllProvider() => WellKnownFixAllProviders.BatchFixer;

    /// <inheritdoc />
    public override async Task RegisterCodeFixesAsync(CodeFixContext context)
    {
        var root = await context.Document.GetSyntaxRootAsync(context.CancellationToken).ConfigureAwait(false);
        var model = await context.Document.GetSemanticModelAsync(context.CancellationToken).ConfigureAwait(false);
        if (root is null || model is null)
        {
            return;
        }

        foreach (var diagnostic in context.Diagnostics)
        {
            var invocation = root.FindNode(diagnostic.Location.SourceSpan, getInnermostNodeForTie: true).FirstAncestorOrSelf<InvocationExpressionSyntax>();
            if (invocation is null)
            {
                continue;
            }

            var arguments = invocation.ArgumentList.Arguments;
            var types = arguments.Select(a => model.GetTypeInfo(a.Expression, context.CancellationToken).ConvertedType).ToArray();
            if (arguments.Any(a => !a.RefKindKeyword.IsKind(SyntaxKind.None)) || types.Any(t => t is null || !IsScalar(t)))
            {
                continue;
            }

            var toDetach = arguments
                .Where((a, i) => IsFloating(types[i]!) && model.GetConstantValue(a.Expression, context.CancellationToken) is { HasValue: false } && !IsDetach(a.Expression, model))
                .ToArray();
            if (toDetach.Length == 0)
            {
                continue;
            }

            context.RegisterCodeFix(
                CodeAction.Create(
                    toDetach.Length == 1 ? "Wrap the argument in Autograd.Detach" : "Wrap the arguments in Autograd.Detach",
                    _ => Task.FromResult(context.Document.WithSyntaxRoot(root.ReplaceNodes(toDetach, (_, argument) => argument.WithExpression(Detach(argument.Expression))))),
                    EquivalenceKey),
                diagnostic);
        }
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

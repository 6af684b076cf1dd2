using System;
using System.Collections.Immutable;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;

namespace StaticGrad.CodeFixes;

/// <summary>What a fix sees of the document it is offered in: loaded once per request, shared by its diagnostics.</summary>
/// <param name="Document">The document with the diagnostics.</param>
/// <param name="Root">Its syntax root.</param>
/// <param name="Model">Its semantic model.</param>
/// <param name="CancellationToken">The request's cancellation.</param>
public readonly record struct FixInput(Document Document, SyntaxNode Root, SemanticModel Model, CancellationToken CancellationToken);

/// <summary>
/// The registration every StaticGrad code fix shares: one diagnostic id, one equivalence key (so Fix All groups the
/// same fix), the batch Fix All provider, and loading the root and the semantic model once for all diagnostics of
/// a request. A derived fix only says which action, if any, it offers for one diagnostic.
/// </summary>
public abstract class StaticGradCodeFix : CodeFixProvider
{
    /// <param name="diagnosticId">The id the fix repairs.</param>
    /// <param name="equivalenceKey">Identifies this fix among the fixes of the same id (Fix All applies one kind).</param>
    protected StaticGradCodeFix(string diagnosticId, string equivalenceKey)
    {
        FixableDiagnosticIds = ImmutableArray.Create(diagnosticId);
        EquivalenceKey = equivalenceKey;
    }

    /// <inheritdoc />
    public sealed override ImmutableArray<string> FixableDiagnosticIds { get; }

    /// <summary>The equivalence key of every action this fix registers.</summary>
    protected string EquivalenceKey { get; }

    /// <inheritdoc />
    public sealed override FixAllProvider GetFixAllProvider() => WellKnownFixAllProviders.BatchFixer;

    /// <inheritdoc />
    public sealed override async Task RegisterCodeFixesAsync(CodeFixContext context)
    {
        var root = await context.Document.GetSyntaxRootAsync(context.CancellationToken).ConfigureAwait(false);
        var model = await context.Document.GetSemanticModelAsync(context.CancellationToken).ConfigureAwait(false);
        if (root is null || model is null)
        {
            return;
        }

        var input = new FixInput(context.Document, root, model, context.CancellationToken);
        foreach (var diagnostic in context.Diagnostics)
        {
            if (CreateFix(input, diagnostic) is { } action)
            {
                context.RegisterCodeFix(action, diagnostic);
            }
        }
    }

    /// <summary>The action offered for <paramref name="diagnostic"/>, or null when this fix does not apply to it.</summary>
    /// <param name="input">The document, its root and semantic model.</param>
    /// <param name="diagnostic">One of the request's diagnostics.</param>
    /// <returns>The action, or null.</returns>
    protected abstract CodeAction? CreateFix(in FixInput input, Diagnostic diagnostic);

    /// <summary>An action that replaces the document's root with the one <paramref name="rewrite"/> computes when it is applied.</summary>
    /// <param name="title">The title shown in the IDE.</param>
    /// <param name="document">The document to change.</param>
    /// <param name="rewrite">Computes the new root.</param>
    /// <returns>The action.</returns>
    protected CodeAction ReplaceRoot(string title, Document document, Func<SyntaxNode> rewrite) =>
        CodeAction.Create(title, _ => Task.FromResult(document.WithSyntaxRoot(rewrite())), EquivalenceKey);

    /// <summary>An action that changes a document (possibly another one than the diagnostic's) asynchronously.</summary>
    /// <param name="title">The title shown in the IDE.</param>
    /// <param name="change">Computes the changed document.</param>
    /// <returns>The action.</returns>
    protected CodeAction ChangeDocument(string title, Func<CancellationToken, Task<Document>> change) =>
        CodeAction.Create(title, change, EquivalenceKey);
}

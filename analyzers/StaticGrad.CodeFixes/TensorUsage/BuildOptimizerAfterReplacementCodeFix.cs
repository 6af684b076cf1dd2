using System.Composition;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using StaticGrad.Analyzers.Diagnostics;
using StaticGrad.Analyzers.TensorUsage.Rules;

namespace StaticGrad.CodeFixes.TensorUsage;

/// <summary>
/// Fixes SG0015 by moving the optimizer's declaration (<c>var opt = new Sgd(model.Parameters(), …);</c>, TorchSharp:
/// <c>var opt = torch.optim.SGD(model.parameters(), …);</c>) to just after the statement that replaces the layer, so
/// the optimizer is built from the new layer's parameters. The user's code moves as written, in either library's
/// names. Offered only when no statement between the two uses the optimizer (moving it would change what they do).
/// </summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(BuildOptimizerAfterReplacementCodeFix))]
[Shared]
public sealed class BuildOptimizerAfterReplacementCodeFix : StaticGradCodeFix
{
    /// <summary>Creates the fix.</summary>
    public BuildOptimizerAfterReplacementCodeFix()
        : base(RuleIds.OptimizerMissesReplacedLayer, RuleIds.OptimizerMissesReplacedLayer + ".MoveOptimizer")
    {
    }

    /// <inheritdoc />
    protected override CodeAction? CreateFix(in FixInput input, Diagnostic diagnostic)
    {
        if (!diagnostic.Properties.TryGetValue(OptimizerMissesReplacedLayerRule.OptimizerProperty, out var optimizer) || optimizer is null)
        {
            return null;
        }

        var node = input.Root.FindNode(diagnostic.Location.SourceSpan, getInnermostNodeForTie: true);
        if (node.AncestorsAndSelf().OfType<ExpressionStatementSyntax>().FirstOrDefault() is not { Parent: BlockSyntax block } replacement)
        {
            return null;
        }

        var statements = block.Statements;
        var at = statements.IndexOf(replacement);
        var declarationIndex = -1;
        for (var i = 0; i < at; i++)
        {
            if (statements[i] is LocalDeclarationStatementSyntax { Declaration.Variables: [var single] } && single.Identifier.ValueText == optimizer)
            {
                declarationIndex = i;
            }
        }

        if (declarationIndex < 0 || statements.Skip(declarationIndex + 1).Take(at - declarationIndex - 1).Any(s => Mentions(s, optimizer)))
        {
            return null;
        }

        var root = input.Root;
        var declaration = statements[declarationIndex];
        return ReplaceRoot($"Build '{optimizer}' after replacing the layer", input.Document, () =>
        {
            var moved = statements.RemoveAt(declarationIndex).Insert(at, declaration);
            return root.ReplaceNode(block, block.WithStatements(moved));
        });
    }

    private static bool Mentions(SyntaxNode statement, string name) =>
        statement.DescendantNodes().OfType<IdentifierNameSyntax>().Any(identifier => identifier.Identifier.ValueText == name);
}

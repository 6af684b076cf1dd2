using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using StaticGrad.Compiler;
using StaticGrad.Compiler.Diagnostics;
using StaticGrad.Compiler.Lowering;

namespace StaticGrad.Generator.Tests.Correctness.Harness;

/// <summary>
/// Why the compiler core refused a method: the generator reports nothing (diagnostics are the analyzer's), so the
/// tests ask the core directly, the same lowering and checks the generator and the analyzer run.
/// </summary>
public static class CompilerExplanation
{
    /// <summary>The SG1xxx findings of each [Differentiable] method in <paramref name="keys"/>, formatted with their line.</summary>
    public static Dictionary<string, List<string>> Explain(Compilation compilation, ISet<string> keys)
    {
        var result = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        foreach (var tree in compilation.SyntaxTrees)
        {
            var model = compilation.GetSemanticModel(tree);
            foreach (var declaration in tree.GetRoot().DescendantNodes().OfType<MethodDeclarationSyntax>())
            {
                var key = (declaration.Parent as TypeDeclarationSyntax)?.Identifier.Text + "." + declaration.Identifier.Text;
                if (!keys.Contains(key) || model.GetDeclaredSymbol(declaration) is not IMethodSymbol symbol ||
                    !symbol.GetAttributes().Any(a => a.AttributeClass?.Name == nameof(DifferentiableAttribute)))
                {
                    continue;
                }

                var lowered = MethodLowering.Lower(symbol, declaration, model, CancellationToken.None);
                var findings = lowered.Diagnostics.Select(d => Format(d.Id, d.Arguments.ToArray(), d.Location?.LineSpan.Start.Line)).ToList();
                if (lowered.Spec is { } spec && !spec.HasErrors)
                {
                    var differentiated = Differentiator.Differentiate(spec, Array.Empty<StaticGrad.Compiler.Model.RuleSpec>());
                    findings.AddRange(differentiated.Diagnostics.Select(d => Format(d.Id, d.Arguments.ToArray(), lowered.Sites[d.Site].LineSpan.Start.Line)));
                }

                result[key] = findings;
            }
        }

        return result;
    }

    private static string Format(string id, string[] arguments, int? line)
    {
        var descriptor = DiagnosticDescriptors.ById(id);
        var message = string.Format(System.Globalization.CultureInfo.InvariantCulture, descriptor.MessageFormat.ToString(System.Globalization.CultureInfo.InvariantCulture), arguments);
        return $"{id} ({descriptor.DefaultSeverity}) line {(line ?? -1) + 1}: {message}";
    }
}

using System;
using System.Linq;
using System.Runtime.CompilerServices;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using StaticGrad.Compiler.Model;

namespace StaticGrad.Compiler.Lowering;

/// <summary>
/// One lowering per method in a compiler process where it is safe. The generator lowers every [Differentiable]
/// method of the compilation it is given; the differentiability analyzer then lowers the same declarations again in
/// the compilation the generated files were added to. In a command-line or server build both run in one process on
/// the same syntax-tree objects, and binding the body (<c>GetOperation</c>) is most of a lowering's cost, so the
/// analyzer takes the generator's result for the very same declaration node when that result is <em>clean</em> (no
/// finding, and no identifier in the declaration that ends like a generated member's name) and the analyzer's
/// compilation is the generator's plus this generator's files and nothing else.
/// </summary>
/// <remarks>
/// Why a clean result holds in the extended compilation: the generated files only add members to the user's partial
/// types (no usings, no base types), named <c>{Name}Backward</c>, <c>…Tangent</c>, … (SG1020 reports a user or
/// inherited member that already has such a name) or, for the Tensor overload, the method's own name with
/// <c>Tensor</c> parameters, which never wins overload resolution over a floating parameter that already applied.
/// A body that bound without an error can only bind differently through a name the generated code declares, and a
/// declaration that mentions such a name is lowered again. Any other case (a finding, other source trees or other
/// generators' files, an edited file elsewhere in an IDE session, a node the tree recreated) is lowered again as
/// before. Results are plain data, nothing from Roslyn; the generator's compilation is held weakly.
/// </remarks>
public static class SharedLowering
{
    private static readonly ConditionalWeakTable<SyntaxNode, Entry> s_clean = new();

    private static readonly string[] GeneratedSuffixes =
        { "Backward", "IncludingNoGrad", "Tangent", "Jvp", "Hessian", "HessianVector", "Fused", "FusedNode" };

    /// <summary>The folder segment of this generator's files in a compilation (assembly name, then the generator's type).</summary>
    private const string GeneratedFolder = "StaticGrad.Generator.DifferentiableGenerator";

    /// <summary>The generator's lowering: <see cref="MethodLowering.Lower"/>, remembering a clean result for the analyzer.</summary>
    public static LoweringResult Lower(IMethodSymbol method, SyntaxNode declaration, SemanticModel semanticModel, CancellationToken cancellationToken)
    {
        var result = MethodLowering.Lower(method, declaration, semanticModel, cancellationToken);
        if (result.Spec is not null && result.Diagnostics.Count == 0 && !MentionsGeneratedName(declaration))
        {
            lock (s_clean)
            {
                s_clean.Remove(declaration);
                s_clean.Add(declaration, new Entry(new WeakReference<Compilation>(semanticModel.Compilation), result));
            }
        }

        return result;
    }

    /// <summary>The generator's clean result for this declaration node, if this process lowered it in a compilation that <paramref name="compilation"/> only extends by this generator's files.</summary>
    public static LoweringResult? Clean(SyntaxNode declaration, Compilation compilation) =>
        s_clean.TryGetValue(declaration, out var entry) && entry.Source.TryGetTarget(out var source) && Extends(compilation, source)
            ? entry.Result
            : null;

    private static bool Extends(Compilation compilation, Compilation source)
    {
        if (ReferenceEquals(compilation, source))
        {
            return true;
        }

        var trees = compilation.SyntaxTrees.ToList();
        var sourceTrees = source.SyntaxTrees.ToList();
        if (trees.Count < sourceTrees.Count || !compilation.Options.Equals(source.Options)
            || !compilation.References.SequenceEqual(source.References))
        {
            return false;
        }

        for (var i = 0; i < sourceTrees.Count; i++)
        {
            if (!ReferenceEquals(trees[i], sourceTrees[i]))
            {
                return false;
            }
        }

        return trees.Skip(sourceTrees.Count).All(t => t.FilePath.Replace('\\', '/').Split('/').Contains(GeneratedFolder));
    }

    private static bool MentionsGeneratedName(SyntaxNode declaration) =>
        declaration.DescendantTokens().Any(t => t.IsKind(SyntaxKind.IdentifierToken) && GeneratedSuffixes.Any(s => t.ValueText.EndsWith(s, StringComparison.Ordinal)));

    private sealed class Entry(WeakReference<Compilation> source, LoweringResult result)
    {
        public WeakReference<Compilation> Source { get; } = source;

        public LoweringResult Result { get; } = result;
    }
}

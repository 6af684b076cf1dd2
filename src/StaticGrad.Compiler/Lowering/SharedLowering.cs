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
/// before. Results are plain data, nothing from Roslyn; what the generator's compilation was made of is held weakly.
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
                s_clean.Add(declaration, new Entry(Snapshot.Of(semanticModel.Compilation), result));
            }
        }

        return result;
    }

    /// <summary>The generator's clean result for this declaration node, if this process lowered it in a compilation that <paramref name="compilation"/> only extends by this generator's files.</summary>
    public static LoweringResult? Clean(SyntaxNode declaration, Compilation compilation) =>
        s_clean.TryGetValue(declaration, out var entry) && entry.Source.IsExtendedBy(compilation) ? entry.Result : null;

    private static bool MentionsGeneratedName(SyntaxNode declaration) =>
        declaration.DescendantTokens().Any(t => t.IsKind(SyntaxKind.IdentifierToken) && GeneratedSuffixes.Any(s => t.ValueText.EndsWith(s, StringComparison.Ordinal)));

    private sealed class Entry(Snapshot source, LoweringResult result)
    {
        public Snapshot Source { get; } = source;

        public LoweringResult Result { get; } = result;
    }

    /// <summary>
    /// What the generator's compilation was made of, without holding it (the compiler drops it before the analyzers
    /// run): its syntax trees and references, weakly, and its options. One per compilation, shared by its methods.
    /// </summary>
    private sealed class Snapshot
    {
        private static Snapshot? s_last;

        private readonly WeakReference<Compilation> _compilation;
        private readonly WeakReference<SyntaxTree>[] _trees;
        private readonly WeakReference<MetadataReference>[] _references;
        private readonly CompilationOptions _options;

        private Snapshot(Compilation compilation)
        {
            _compilation = new WeakReference<Compilation>(compilation);
            _trees = compilation.SyntaxTrees.Select(t => new WeakReference<SyntaxTree>(t)).ToArray();
            _references = compilation.References.Select(r => new WeakReference<MetadataReference>(r)).ToArray();
            _options = compilation.Options;
        }

        public static Snapshot Of(Compilation compilation)
        {
            var last = s_last;
            if (last is not null && last._compilation.TryGetTarget(out var known) && ReferenceEquals(known, compilation))
            {
                return last;
            }

            return s_last = new Snapshot(compilation);
        }

        /// <summary>Whether <paramref name="compilation"/> is this one plus files of this generator only.</summary>
        public bool IsExtendedBy(Compilation compilation)
        {
            var trees = compilation.SyntaxTrees.ToList();
            var references = compilation.References.ToList();
            if (trees.Count < _trees.Length || references.Count != _references.Length || !compilation.Options.Equals(_options))
            {
                return false;
            }

            for (var i = 0; i < _trees.Length; i++)
            {
                if (!_trees[i].TryGetTarget(out var tree) || !ReferenceEquals(tree, trees[i]))
                {
                    return false;
                }
            }

            for (var i = 0; i < _references.Length; i++)
            {
                if (!_references[i].TryGetTarget(out var reference) || !ReferenceEquals(reference, references[i]))
                {
                    return false;
                }
            }

            return trees.Skip(_trees.Length).All(t => t.FilePath.Replace('\\', '/').Split('/').Contains(GeneratedFolder));
        }
    }
}

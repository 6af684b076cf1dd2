using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace StaticGrad.Analyzers.TensorUsage.Analysis.Interprocedural;

/// <summary>
/// The operation trees of method bodies the analyzer driver has already bound, shared per compilation by every
/// analyzer of this assembly, and one semantic model per tree. A summary or a training-loop rule that reads a
/// helper's body takes the driver's tree when the driver has handed it to an operation-block action, instead of
/// binding the body again through a semantic model inside the analyzer's callback (measured: binding callees was
/// about half of the analyzers' own time on the cost benchmark's projects). Only the bodies of methods whose signature
/// carries a tensor are offered, and the table dies with its compilation (a weak table keyed by it).
/// </summary>
internal sealed class BoundBodies
{
    private static readonly ConditionalWeakTable<Compilation, BoundBodies> All = new();

    private readonly Compilation _compilation;
    // Sized so that a 5 000-line project's tensor methods (about 210 on the cost benchmark's) add without a growth,
    // which takes every stripe's lock while the driver's threads offer bodies.
    private readonly ConcurrentDictionary<SyntaxNode, IOperation> _roots = new(32, 1024);
    private readonly ConcurrentDictionary<SyntaxTree, SemanticModel> _models = new();

    private BoundBodies(Compilation compilation) => _compilation = compilation;

    /// <summary>The bodies of one compilation (created on first use).</summary>
    public static BoundBodies For(Compilation compilation) => All.GetValue(compilation, c => new BoundBodies(c));

    /// <summary>Keeps the root (<see cref="IMethodBodyOperation"/> or <see cref="IConstructorBodyOperation"/>) the driver bound.</summary>
    public void Offer(IOperation root)
    {
        if (root.Kind is OperationKind.MethodBody or OperationKind.ConstructorBody)
        {
            _roots.TryAdd(root.Syntax, root);
        }
    }

    /// <summary>The operation of a declaration: the driver's tree when there is one, else bound through the tree's model.</summary>
    public IOperation? OperationOf(SyntaxNode declaration, CancellationToken cancellationToken)
    {
        if (_roots.TryGetValue(declaration, out var root))
        {
            return root;
        }

        WalkCounts.BodyBound();
        return ModelOf(declaration.SyntaxTree).GetOperation(declaration, cancellationToken);
    }

    /// <summary>One semantic model per tree for the compilation, shared by the analyzers.</summary>
    public SemanticModel ModelOf(SyntaxTree tree) =>
#pragma warning disable RS1030 // Helpers' bodies are in other methods' trees; one model per tree is cached for the compilation.
        _models.GetOrAdd(tree, t => _compilation.GetSemanticModel(t));
#pragma warning restore RS1030
}

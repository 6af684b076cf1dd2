using System.Collections.Generic;
using System.Runtime.CompilerServices;
using Microsoft.CodeAnalysis;

namespace StaticGrad.Analyzers.TensorUsage.Analysis;

/// <summary>
/// Numbers the abstract objects and graph nodes of one function: one id per creating operation, and one per pair of
/// origins that a join merges. Ids are never reused, so two different objects never share an id by accident.
/// </summary>
internal sealed class OriginTable
{
    // Sized for a typical function: growing from empty reallocated the buckets several times per analysis.
    private readonly Dictionary<IOperation, int> _sites = new(32, OperationIdentity.Instance);
    private readonly Dictionary<(int, int), int> _synthetic = new();
    private readonly Dictionary<int, (int Left, int Right)> _parts = new();
    private int _next = 1;

    [MethodImpl(Jit.Optimized)]
    public int Site(IOperation operation)
    {
        if (!_sites.TryGetValue(operation, out var id))
        {
            _sites[operation] = id = _next++;
        }

        return id;
    }

    /// <summary>
    /// The origin of a variable that holds the object of <paramref name="left"/> on one path and of
    /// <paramref name="right"/> on the other. An origin that already stands for the other one is reused: at a loop
    /// head, the object made in the body joins the merged origin of the previous iterations, and the fixpoint
    /// converges instead of numbering a new merge each iteration (it used to reach the widening bound, which forgot
    /// everything, grad mode included).
    /// </summary>
    public int Synthetic(int left, int right)
    {
        if (Covers(left, right))
        {
            return left;
        }

        if (Covers(right, left))
        {
            return right;
        }

        var key = left < right ? (left, right) : (right, left);
        if (!_synthetic.TryGetValue(key, out var id))
        {
            _synthetic[key] = id = _next++;
            _parts[id] = key;
        }

        return id;
    }

    /// <summary>Whether the merged origin <paramref name="merged"/> includes <paramref name="origin"/> (parts always have smaller ids, so this ends).</summary>
    /// <summary>
    /// Operations compared by reference, hashed by their syntax node: Roslyn's own maps have already hashed the
    /// node, while hashing a fresh operation object for the first time is one of the analysis's hot spots.
    /// </summary>
    private sealed class OperationIdentity : IEqualityComparer<IOperation>
    {
        public static readonly OperationIdentity Instance = new();

        public bool Equals(IOperation? x, IOperation? y) => ReferenceEquals(x, y);

        public int GetHashCode(IOperation obj) => RuntimeHelpers.GetHashCode(obj.Syntax) * 31 + (int)obj.Kind;
    }

    private bool Covers(int merged, int origin) =>
        merged == origin || (_parts.TryGetValue(merged, out var parts) && (Covers(parts.Left, origin) || Covers(parts.Right, origin)));
}

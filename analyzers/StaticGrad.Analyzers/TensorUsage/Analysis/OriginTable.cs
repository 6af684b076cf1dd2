using System.Collections.Generic;
using Microsoft.CodeAnalysis;

namespace StaticGrad.Analyzers.TensorUsage.Analysis;

/// <summary>
/// Numbers the abstract objects and graph nodes of one function: one id per creating operation, and one per pair of
/// origins that a join merges. Ids are never reused, so two different objects never share an id by accident.
/// </summary>
internal sealed class OriginTable
{
    private readonly Dictionary<IOperation, int> _sites = new();
    private readonly Dictionary<(int, int), int> _synthetic = new();
    private int _next = 1;

    public int Site(IOperation operation)
    {
        if (!_sites.TryGetValue(operation, out var id))
        {
            _sites[operation] = id = _next++;
        }

        return id;
    }

    public int Synthetic(int left, int right)
    {
        var key = left < right ? (left, right) : (right, left);
        if (!_synthetic.TryGetValue(key, out var id))
        {
            _synthetic[key] = id = _next++;
        }

        return id;
    }
}

using System.Collections.Generic;
using System.Collections.Immutable;
using System.Runtime.CompilerServices;
using Microsoft.CodeAnalysis;

namespace StaticGrad.Analyzers.TensorUsage.Analysis;

/// <summary>
/// The abstract state at a program point: the values of locals, parameters and flow captures, the thread's grad
/// mode (with the mode each open scope restores), and the graph nodes whose saved tensors a backward certainly
/// freed. Every part is a "must" fact: a join keeps only what holds on
/// both paths.
/// </summary>
internal sealed class FlowState
{
    public FlowState(
        Dictionary<object, AbstractValue> variables,
        GradMode mode,
        Dictionary<int, GradMode> scopeRestores,
        ImmutableHashSet<int> freed)
    {
        Variables = variables;
        Mode = mode;
        ScopeRestores = scopeRestores;
        Freed = freed;
    }

    public Dictionary<object, AbstractValue> Variables { get; }

    public GradMode Mode { get; set; }

    /// <summary>For each grad-mode scope entered on this path (by the id of its call), the mode its disposal restores.</summary>
    public Dictionary<int, GradMode> ScopeRestores { get; }

    /// <summary>Saving graph nodes whose saved tensors a backward without <c>retainGraph</c> released.</summary>
    public ImmutableHashSet<int> Freed { get; set; }

    /// <summary>
    /// Whether no run reaches this point: a call of a method that never returns (an endless loop, a throw on every path)
    /// came before. Nothing is reported here, and a join takes the other path's state as it is.
    /// </summary>
    public bool Dead { get; set; }

    public static FlowState Entry(GradMode mode) =>
        new(new Dictionary<object, AbstractValue>(VariableKeyComparer.Instance), mode, new Dictionary<int, GradMode>(), ImmutableHashSet<int>.Empty);

    [MethodImpl(Jit.Optimized)]
    public FlowState Clone()
    {
        WalkCounts.StateCloned();
        return new(new Dictionary<object, AbstractValue>(Variables, VariableKeyComparer.Instance), Mode, new Dictionary<int, GradMode>(ScopeRestores), Freed) { Dead = Dead };
    }

    /// <summary>The state where nothing is known about the given variables (the entry of a catch handler).</summary>
    public static FlowState Top(IEnumerable<object> keys)
    {
        var state = Entry(GradMode.Unknown);
        foreach (var key in keys)
        {
            state.Variables[key] = AbstractValue.UnknownTensor;
        }

        return state;
    }

    /// <summary>
    /// Replaces each variable's value by <paramref name="update"/>'s (which returns the same object when nothing
    /// changes), copying keys only when something does: the transfer functions call this for every operation.
    /// </summary>
    [MethodImpl(Jit.Optimized)]
    public void Update<T>(T context, System.Func<AbstractValue, T, object, AbstractValue> update)
    {
        List<KeyValuePair<object, AbstractValue>>? changes = null;
        foreach (var pair in Variables)
        {
            var next = update(pair.Value, context, pair.Key);
            if (!ReferenceEquals(next, pair.Value))
            {
                (changes ??= new List<KeyValuePair<object, AbstractValue>>()).Add(new KeyValuePair<object, AbstractValue>(pair.Key, next));
            }
        }

        if (changes is not null)
        {
            foreach (var change in changes)
            {
                Variables[change.Key] = change.Value;
            }
        }
    }

    [MethodImpl(Jit.Optimized)]
    public AbstractValue Get(object key) => Variables.TryGetValue(key, out var value) ? value : AbstractValue.UnknownTensor;

    /// <summary>
    /// Joins two states. A variable bound on one side only is dropped: definite assignment guarantees that it is
    /// written again before it is read (it was declared inside a loop body or a branch).
    /// </summary>
    [MethodImpl(Jit.Optimized)]
    public FlowState Join(FlowState other, OriginTable origins)
    {
        if (Dead != other.Dead)
        {
            // A path no run takes adds nothing: the state is the other path's.
            return (Dead ? other : this).Clone();
        }

        WalkCounts.StateJoined();
        var variables = new Dictionary<object, AbstractValue>(Variables.Count, VariableKeyComparer.Instance);
        var sameOrigins = true;
        foreach (var pair in Variables)
        {
            if (other.Variables.TryGetValue(pair.Key, out var right))
            {
                variables[pair.Key] = JoinValues(pair.Value, right);
                sameOrigins &= pair.Value.Origin == right.Origin;
            }
        }

        // When both paths agree on every variable's object there is nothing to merge (the usual case at a loop head).
        if (!sameOrigins)
        {
            var originPairs = new Dictionary<object, (int Left, int Right)>(variables.Count, VariableKeyComparer.Instance);
            foreach (var pair in variables)
            {
                originPairs[pair.Key] = (Variables[pair.Key].Origin, other.Variables[pair.Key].Origin);
            }

            ResolveOrigins(variables, originPairs, origins);
        }

        var restores = new Dictionary<int, GradMode>(ScopeRestores);
        foreach (var pair in other.ScopeRestores)
        {
            restores[pair.Key] = restores.TryGetValue(pair.Key, out var mode) && mode != pair.Value ? GradMode.Unknown : pair.Value;
        }

        return new FlowState(
            variables,
            Mode == other.Mode ? Mode : GradMode.Unknown,
            restores,
            Freed.IsEmpty || ReferenceEquals(Freed, other.Freed) ? Freed : other.Freed.IsEmpty ? other.Freed : Freed.Intersect(other.Freed))
        {
            Dead = Dead,
        };
    }

    [MethodImpl(Jit.Optimized)]
    private static AbstractValue JoinValues(AbstractValue left, AbstractValue right)
    {
        if (left.Equals(right))
        {
            return left;
        }

        if (left.Kind != right.Kind)
        {
            return left.Kind == ValueKind.Tensor || right.Kind == ValueKind.Tensor ? AbstractValue.UnknownTensor : AbstractValue.Other;
        }

        return new AbstractValue(
            left.Kind,
            left.Fact.Join(right.Fact),
            left.Origin,
            left.ScopeSite == right.ScopeSite ? left.ScopeSite : -1,
            left.Definition == right.Definition ? left.Definition : null);
    }

    /// <summary>
    /// Gives each joined variable an origin that keeps aliasing sound: variables that hold the same objects on both
    /// paths share an origin; when the object of one path would end up under two origins (or mixed with external
    /// objects), every variable involved becomes external and unknown.
    /// </summary>
    private static void ResolveOrigins(Dictionary<object, AbstractValue> variables, Dictionary<object, (int Left, int Right)> originPairs, OriginTable origins)
    {
        var result = new Dictionary<object, int>(VariableKeyComparer.Instance);
        var leftTargets = new Dictionary<int, HashSet<int>>();
        var rightTargets = new Dictionary<int, HashSet<int>>();
        foreach (var pair in originPairs)
        {
            var (left, right) = pair.Value;
            var joined = left == right ? left
                : left == AbstractValue.External || right == AbstractValue.External ? AbstractValue.External
                : origins.Synthetic(left, right);
            result[pair.Key] = joined;
            Add(leftTargets, left, joined);
            Add(rightTargets, right, joined);
        }

        var conflicting = new HashSet<int>();
        AddConflicts(leftTargets, conflicting);
        AddConflicts(rightTargets, conflicting);

        foreach (var pair in result)
        {
            var value = variables[pair.Key];
            var sides = originPairs[pair.Key];
            if (conflicting.Contains(pair.Value) || conflicting.Contains(sides.Left) || conflicting.Contains(sides.Right))
            {
                // Every holder of an object involved becomes external, so a later change through any of them forgets
                // the others' facts: the autograd state joined from both paths still holds (a conditional operator whose
                // value is a local on one path, `total = flag ? total + term : total`, lost it before session 12).
                // What belongs to one object's identity (the leaf of a view, optimizer and gradient bookkeeping) does not.
                variables[pair.Key] = value.IsTensor
                    ? value with { Origin = AbstractValue.External, Fact = value.Fact with { ViewBase = 0, Optimized = Tri.Maybe, HasGrad = Tri.Maybe, StaleFrozen = Tri.Maybe } }
                    : value with { Origin = AbstractValue.External };
            }
            else if (pair.Value != value.Origin)
            {
                variables[pair.Key] = value with { Origin = pair.Value };
            }
        }
    }

    /// <summary>An origin of one side that ends up under two origins, or mixed with external objects, conflicts (a loop per side: a Concat of the two boxed both enumerators).</summary>
    private static void AddConflicts(Dictionary<int, HashSet<int>> targetsBySide, HashSet<int> conflicting)
    {
        foreach (var targets in targetsBySide)
        {
            if (targets.Key != AbstractValue.External && (targets.Value.Count > 1 || targets.Value.Contains(AbstractValue.External)))
            {
                conflicting.UnionWith(targets.Value);
                conflicting.Add(targets.Key);
            }
        }
    }

    private static void Add(Dictionary<int, HashSet<int>> map, int key, int value)
    {
        if (!map.TryGetValue(key, out var set))
        {
            map[key] = set = new HashSet<int>();
        }

        set.Add(value);
    }

    [MethodImpl(Jit.Optimized)]
    public bool IsSameAs(FlowState other)
    {
        if (Mode != other.Mode || Dead != other.Dead || ScopeRestores.Count != other.ScopeRestores.Count || Variables.Count != other.Variables.Count
            || !(ReferenceEquals(Freed, other.Freed) || Freed.SetEquals(other.Freed)))
        {
            return false;
        }

        // Loops, not All(...): each call of a loop's convergence test allocated two closures and two boxed enumerators.
        foreach (var pair in ScopeRestores)
        {
            if (!other.ScopeRestores.TryGetValue(pair.Key, out var mode) || mode != pair.Value)
            {
                return false;
            }
        }

        foreach (var pair in Variables)
        {
            if (!other.Variables.TryGetValue(pair.Key, out var value) || !value.Equals(pair.Value))
            {
                return false;
            }
        }

        return true;
    }
}

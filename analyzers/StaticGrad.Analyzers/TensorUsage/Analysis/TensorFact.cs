using System.Collections.Immutable;
using System.Runtime.CompilerServices;

namespace StaticGrad.Analyzers.TensorUsage.Analysis;

/// <summary>
/// The abstract value of one tensor object: everything the rules need, each part a small lattice whose join
/// forgets what the paths disagree on.
/// </summary>
/// <param name="State">Leaf or not, requires grad or not.</param>
/// <param name="DType">Whether the dtype can require grad.</param>
/// <param name="RetainsGrad">Whether <c>RetainGrad()</c> was called (or <c>Grad</c> assigned) on it.</param>
/// <param name="Numel">The number of elements, or -1 when not known.</param>
/// <param name="SavingNodes">Graph nodes that save tensors and certainly lie in this tensor's history.</param>
/// <param name="Inference">Whether it certainly is (Yes) or is not (No) an inference tensor.</param>
/// <param name="Optimized">Whether it was listed among the parameters of an optimizer built in this method.</param>
/// <param name="HasGrad">Whether it holds a gradient: a backward ran while it required grad, or one was assigned (No after ZeroGrad).</param>
/// <param name="StaleFrozen">Whether it was frozen while registered and holding a gradient, and nothing cleared the gradient since.</param>
/// <param name="View">Whether it certainly is (Yes) a view of another tensor (Slice, View, Select …).</param>
/// <param name="ViewBase">For a view made in grad mode of a leaf that requires grad, the origin of that leaf (0: none known).</param>
/// <param name="Via">Where the state comes from when another method decided it ("'Evaluate', which runs under NoGrad"), for messages.</param>
internal sealed record TensorFact(
    GradState State,
    DTypeKind DType,
    Tri RetainsGrad,
    int Numel,
    ImmutableHashSet<int> SavingNodes,
    Tri Inference,
    Tri Optimized = Tri.Maybe,
    Tri HasGrad = Tri.Maybe,
    Tri StaleFrozen = Tri.Maybe,
    string? Via = null,
    Tri View = Tri.Maybe,
    int ViewBase = 0)
{
    public static readonly TensorFact Unknown = new(GradState.Unknown, DTypeKind.Unknown, Tri.Maybe, -1, ImmutableHashSet<int>.Empty, Tri.Maybe);

    /// <summary>A leaf that certainly does or does not require grad (a factory result, a detached tensor).</summary>
    public static TensorFact Leaf(bool requiresGrad, DTypeKind dtype, int numel) =>
        new(requiresGrad ? GradState.TrackedLeaf : GradState.UntrackedLeaf, dtype, Tri.No, numel, ImmutableHashSet<int>.Empty, Tri.No);

    /// <summary>Whether the tensor certainly requires grad.</summary>
    public bool RequiresGrad => State is GradState.TrackedLeaf or GradState.NonLeaf;

    [MethodImpl(Jit.Optimized)]
    public TensorFact Join(TensorFact other)
    {
        if (ReferenceEquals(this, other))
        {
            return this;
        }

        return new TensorFact(
            State == other.State ? State : GradState.Unknown,
            DType == other.DType ? DType : DTypeKind.Unknown,
            RetainsGrad == other.RetainsGrad ? RetainsGrad : Tri.Maybe,
            Numel == other.Numel ? Numel : -1,
            SavingNodes.Count == 0 || other.SavingNodes.Count == 0 ? ImmutableHashSet<int>.Empty : SavingNodes.Intersect(other.SavingNodes),
            Inference == other.Inference ? Inference : Tri.Maybe,
            Optimized == other.Optimized ? Optimized : Tri.Maybe,
            HasGrad == other.HasGrad ? HasGrad : Tri.Maybe,
            StaleFrozen == other.StaleFrozen ? StaleFrozen : Tri.Maybe,
            Via == other.Via ? Via : null,
            View == other.View ? View : Tri.Maybe,
            ViewBase == other.ViewBase ? ViewBase : 0);
    }

    /// <summary>This fact with the optimizer facts of <paramref name="before"/> (a transfer that rebuilt the fact keeps them).</summary>
    public TensorFact WithOptimizerFactsOf(TensorFact before) =>
        this with { Optimized = before.Optimized, HasGrad = before.HasGrad, StaleFrozen = before.StaleFrozen };

    [MethodImpl(Jit.Optimized)]
    public bool Equals(TensorFact? other) =>
        other is not null
        && State == other.State
        && DType == other.DType
        && RetainsGrad == other.RetainsGrad
        && Numel == other.Numel
        && Inference == other.Inference
        && Optimized == other.Optimized
        && HasGrad == other.HasGrad
        && StaleFrozen == other.StaleFrozen
        && Via == other.Via
        && View == other.View
        && ViewBase == other.ViewBase
        && SavingNodes.SetEquals(other.SavingNodes);

    [MethodImpl(Jit.Optimized)]
    public override int GetHashCode() =>
        ((((((int)State * 31) + (int)DType) * 31 + (int)RetainsGrad) * 31 + Numel) * 31 + SavingNodes.Count) * 31 + (int)Inference + ((int)Optimized << 8) + ((int)HasGrad << 10) + ((int)StaleFrozen << 12) + ((int)View << 14) + (ViewBase << 16);
}

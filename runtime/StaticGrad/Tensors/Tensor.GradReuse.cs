namespace StaticGrad;

public partial class Tensor
{
    private const int GradOwned = 1;
    private const int GradHandedOut = 2;
    private const int GradSpared = 3;

    /// <summary>
    /// For a tensor that is some leaf's gradient: whether the leaf owns it alone (a backward pass made it, and it was
    /// never handed to user code), was handed out through <see cref="Grad"/>, or was kept as the leaf's spare.
    /// </summary>
    private int _gradUse; // 0: not owned (made by the user, or shared)

    /// <summary>
    /// The gradient <c>ZeroGrad</c> cleared while this leaf owned it alone: the next backward pass writes the new gradient
    /// into its storage instead of making a new one, so a training loop that sets gradients to none each step (PyTorch's
    /// default) does not hand a large array to the collector every step. No one else can see that storage.
    /// </summary>
    private Tensor? _spareGrad;

    /// <summary>
    /// Marks a gradient a backward pass just stored in a leaf as owned by the leaf alone, when it is: its storage was
    /// made by the pass (<see cref="Storage.FromArena"/>) and this is the only tensor over it that left the pass.
    /// </summary>
    internal void MarkGradOwnedIfAlone()
    {
        if (_storage.FromArena && !_storage.EscapedTwice && _viewBase is null && _contiguous && _offset == 0)
        {
            _gradUse = GradOwned;
        }
    }

    /// <summary>
    /// Hands <see cref="GradRaw"/> to user code: from now on the leaf no longer owns it alone. Null when a concurrent
    /// <see cref="ClearGradKeepingStorage"/> spared the tensor first; the caller then reads <see cref="GradRaw"/> again.
    /// </summary>
    private Tensor? HandOutGrad()
    {
        while (true)
        {
            var grad = Volatile.Read(ref GradRaw);
            if (grad is null)
            {
                return null;
            }

            // A spared gradient was unpublished before it was spared, so reading GradRaw again sees null or a newer one.
            if (Interlocked.CompareExchange(ref grad._gradUse, GradHandedOut, GradOwned) != GradSpared)
            {
                return grad;
            }
        }
    }

    /// <summary>Sets the gradient to none (PyTorch's <c>grad = None</c>), keeping it as the spare when the leaf owned it alone.</summary>
    internal void ClearGradKeepingStorage()
    {
        var grad = GradRaw;
        Volatile.Write(ref GradRaw, null);
        // EscapedTwice again: a view of the storage may have left the pass after the leaf took the gradient.
        if (grad is not null && !grad._storage.EscapedTwice && Interlocked.CompareExchange(ref grad._gradUse, GradSpared, GradOwned) == GradOwned)
        {
            _spareGrad = grad;
        }
    }

    /// <summary>
    /// A new gradient tensor holding a copy of <paramref name="incoming"/> over the spare's storage, or null when there
    /// is no spare of this shape and dtype. Its version is <paramref name="version"/>: the stolen buffer's, or 1 for
    /// PyTorch's copied gradient, so the reuse cannot be told from what PyTorch does.
    /// </summary>
    internal Tensor? TakeSpareGrad(Tensor incoming, int version)
    {
        var spare = Interlocked.Exchange(ref _spareGrad, null);
        if (spare is null)
        {
            return null;
        }

        if (spare.DType != incoming.DType || !ShapeUtil.SameShape(spare._shape, incoming._shape))
        {
            return null;
        }

        var grad = new Tensor(spare._storage, spare._shape);
        grad.CopyDataFrom(incoming);
        if (grad._version is not null)
        {
            grad._version.Value = version;
        }
        grad._gradUse = GradOwned;
        return grad;
    }
}

namespace StaticGrad;

/// <summary>
/// The backward engine: validates the roots as PyTorch's <c>_make_grads</c> does, orders the graph topologically
/// with an explicit stack (deep graphs cannot overflow the call stack), and runs each node once its gradient is
/// complete.
/// </summary>
internal static class Engine
{
    private const int Pinned = 1 << 24;
    private static int s_pass;
    private static int s_createGraphWarned;

    public static void WarnCreateGraphOnce()
    {
        if (Interlocked.Exchange(ref s_createGraphWarned, 1) == 0)
        {
            Autograd.Warn(AutogradMessages.CreateGraphWarning);
        }
    }

    public static Tensor?[] Run(
        IReadOnlyList<Tensor> roots,
        IReadOnlyList<Tensor?>? gradients,
        bool retainGraph,
        bool createGraph,
        IReadOnlyList<Tensor>? inputs,
        bool capture,
        bool allowUnused)
    {
        if (gradients is not null && gradients.Count != roots.Count)
        {
            throw new ArgumentException(string.Create(System.Globalization.CultureInfo.InvariantCulture,
                $"grad can be implicitly created only for scalar outputs; got {gradients.Count} gradients for {roots.Count} outputs"));
        }

        var rootGrads = new Tensor?[roots.Count];
        for (int i = 0; i < roots.Count; i++)
        {
            var root = roots[i];
            var g = gradients?[i];
            if (g is not null)
            {
                if (!ShapeUtil.SameShape(g._shape, root._shape))
                {
                    throw new ArgumentException(AutogradMessages.GradShapeMismatch(i, g._shape, root._shape));
                }

                rootGrads[i] = g.DType == root.DType ? g : g.ToDTypeData(root.DType);
                Pin(rootGrads[i]!);
            }
            else if (root.RequiresGrad)
            {
                if (root._numel != 1)
                {
                    throw new InvalidOperationException(AutogradMessages.ImplicitGradNonScalar);
                }

                rootGrads[i] = Tensor.OnesLike(root);
            }
        }

        for (int i = 0; i < roots.Count; i++)
        {
            if (!roots[i].RequiresGrad)
            {
                throw new InvalidOperationException(AutogradMessages.ElementDoesNotRequireGrad(i));
            }
        }

        GradNode[]? targetNodes = null;
        if (inputs is not null)
        {
            targetNodes = new GradNode[inputs.Count];
            for (int i = 0; i < inputs.Count; i++)
            {
                var input = inputs[i];
                if (!input.RequiresGrad)
                {
                    throw new InvalidOperationException(AutogradMessages.InputDoesNotRequireGrad);
                }

                targetNodes[i] = input.Edge!;
            }
        }

        var scope = createGraph ? Autograd.EnableGrad() : Autograd.NoGrad();
        var order = new List<GradNode>();

        // A pass that records a graph saves its gradients in that graph, so only a plain pass returns them early.
        var arena = createGraph ? null : StorageArena.Open();
        bool completed = false;
        try
        {
            int pass = Interlocked.Increment(ref s_pass);
            int targetMark = -pass;
            if (targetNodes is not null)
            {
                foreach (var t in targetNodes)
                {
                    t.VisitMark = targetMark;
                }
            }

            var needed = TopologicalOrder(roots, order, pass, targetMark, targetNodes is not null);
            bool inPlace = !createGraph;
            for (int i = 0; i < roots.Count; i++)
            {
                var edge = roots[i].Edge!;
                Add(edge, rootGrads[i]!, inPlace);
            }

            var captured = capture ? new Tensor?[inputs!.Count] : Array.Empty<Tensor?>();
            foreach (var node in order)
            {
                var g = node.PendingGrad;
                node.PendingGrad = null;
                if (g is null || !needed.Contains(node))
                {
                    continue;
                }

                g.EngineRefs--;

                if (targetNodes is not null)
                {
                    bool isTarget = false;
                    for (int i = 0; i < targetNodes.Length; i++)
                    {
                        if (ReferenceEquals(targetNodes[i], node))
                        {
                            isTarget = true;
                            if (capture)
                            {
                                captured[i] = captured[i] is null ? g : captured[i]! + g;
                                Pin(captured[i]!);
                                captured[i]!._storage.MarkEscaped();
                            }
                            else if (node is not AccumulateGrad)
                            {
                                AccumulateGrad.Accumulate(inputs![i], g);
                            }
                        }
                    }

                    if (node is AccumulateGrad && (capture || !isTarget))
                    {
                        continue;
                    }
                }

                if (!capture && node.RetainGradTensor is { } retained)
                {
                    AccumulateRetained(retained, g);
                }

                var gradInputs = node.Next.Length == 0 ? Array.Empty<Tensor?>() : new Tensor?[node.Next.Length];
                if (arena is null || node is OpNode or AccumulateGrad)
                {
                    node.Apply(g, gradInputs, retainGraph);
                }
                else
                {
                    ApplyUserNode(node, g, gradInputs, retainGraph);
                }

                for (int i = 0; i < gradInputs.Length; i++)
                {
                    var next = node.Next[i];
                    var gi = gradInputs[i];
                    if (next is not null && gi is not null)
                    {
                        Add(next, gi, inPlace);
                    }
                }
            }

            if (capture && !allowUnused)
            {
                foreach (var c in captured)
                {
                    if (c is null)
                    {
                        throw new InvalidOperationException(AutogradMessages.UnusedInput);
                    }
                }
            }

            completed = true;
            return captured;
        }
        finally
        {
            arena?.Close(release: completed);
            foreach (var node in order)
            {
                if (node.PendingGrad is { } leftover)
                {
                    leftover.EngineRefs--;
                }

                node.PendingGrad = null;
            }

            scope.Dispose();
        }
    }

    /// <summary>
    /// Runs a node whose backward is user code (a <see cref="CustomFunction"/>): it may keep the gradient it gets or the
    /// ones it returns, so their storages escape the pass, and what it allocates is left to the collector.
    /// </summary>
    private static void ApplyUserNode(GradNode node, Tensor g, Tensor?[] gradInputs, bool retainGraph)
    {
        g._storage.MarkEscaped();
        using (StorageArena.Suspend())
        {
            node.Apply(g, gradInputs, retainGraph);
        }

        foreach (var gi in gradInputs)
        {
            if (gi is not null)
            {
                gi._storage.MarkEscaped();
            }
        }
    }

    /// <summary>Marks a tensor the caller owns (a given gradient, a returned result) so that the engine never writes into it.</summary>
    private static void Pin(Tensor t)
    {
        if (t.EngineRefs < Pinned / 2)
        {
            t.EngineRefs += Pinned;
        }
    }

    /// <summary>
    /// Adds a gradient into a node's input buffer. Like PyTorch's InputBuffer, the second contribution is added in place
    /// (bumping the buffer's version) when no one else holds the buffer; otherwise a new sum is made.
    /// </summary>
    private static void Add(GradNode node, Tensor grad, bool inPlace)
    {
        var old = node.PendingGrad;
        if (old is null)
        {
            node.PendingGrad = grad;
            grad.EngineRefs++;
            return;
        }

        if (inPlace && old.EngineRefs == 1 && old.CanTakeInPlaceGradient(grad))
        {
            old.AccumulateInPlaceRaw(grad);
            return;
        }

        old.EngineRefs--;
        var sum = old + grad;
        sum.EngineRefs++;
        node.PendingGrad = sum;
    }

    private static void AccumulateRetained(Tensor tensor, Tensor g)
    {
        var grad = g.DType == tensor.DType ? g : g.ToDTypeData(tensor.DType);
        tensor.GradRaw = tensor.GradRaw is null
            ? (Autograd.IsGradEnabled ? grad : grad.CloneData())
            : tensor.GradRaw + grad;
        tensor.GradRaw._storage.MarkEscaped();
    }

    /// <summary>
    /// Fills <paramref name="order"/> with the nodes reachable from the roots, each after every node that sends it a
    /// gradient (reverse post-order of an iterative depth-first search), and returns the nodes that lead to a target
    /// (all of them when there are no targets).
    /// </summary>
    private static HashSet<GradNode> TopologicalOrder(IReadOnlyList<Tensor> roots, List<GradNode> order, int pass, int targetMark, bool hasTargets)
    {
        var needed = new HashSet<GradNode>(ReferenceEqualityComparer.Instance);
        var stack = new Stack<(GradNode Node, int Child)>();
        foreach (var root in roots)
        {
            var start = root.Edge!;
            if (start.VisitMark == pass)
            {
                continue;
            }

            bool startIsTarget = start.VisitMark == targetMark;
            start.VisitMark = pass;
            if (!hasTargets || startIsTarget)
            {
                needed.Add(start);
            }

            stack.Push((start, 0));
            while (stack.Count > 0)
            {
                var (node, child) = stack.Pop();
                if (child < node.Next.Length)
                {
                    stack.Push((node, child + 1));
                    var next = node.Next[child];
                    if (next is not null && next.VisitMark != pass)
                    {
                        if (!hasTargets || next.VisitMark == targetMark)
                        {
                            needed.Add(next);
                        }

                        next.VisitMark = pass;
                        next.PendingGrad = null;
                        stack.Push((next, 0));
                    }

                    continue;
                }

                order.Add(node);
                if (hasTargets && !needed.Contains(node))
                {
                    foreach (var next in node.Next)
                    {
                        if (next is not null && needed.Contains(next))
                        {
                            needed.Add(node);
                            break;
                        }
                    }
                }
            }
        }

        order.Reverse();
        return needed;
    }
}

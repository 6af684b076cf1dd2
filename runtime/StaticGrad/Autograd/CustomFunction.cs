using System.Globalization;

namespace StaticGrad;

/// <summary>
/// A user-defined operation with a hand-written backward, recorded as ONE node of the graph (PyTorch's
/// <c>torch.autograd.Function</c>). Generated code uses it too: a <c>[Differentiable]</c> method lifted to tensors
/// records one <see cref="CustomFunction"/> whose backward calls the generated gradient.
/// </summary>
/// <remarks>
/// <para>The pattern, one instance per call:</para>
/// <code>
/// sealed class Cube : CustomFunction
/// {
///     private Cube(Tensor x) : base("CubeBackward", x) { }
///
///     public static Tensor Apply(Tensor x)
///     {
///         Tensor y;
///         using (Autograd.NoGrad()) { y = x * x * x; }       // the forward is never recorded
///         if (!ShouldRecord(x)) { return y; }                 // NoGrad, or no input requires grad: an untracked leaf
///         var node = new Cube(x);
///         node.SaveForBackward(x);
///         return node.Record(y);
///     }
///
///     protected override void Backward(Tensor gradOutput, Tensor?[] gradInputs)
///     {
///         var x = Saved(0);
///         gradInputs[0] = gradOutput * x * x * 3.0;
///     }
/// }
/// </code>
/// <para>
/// The engine treats the node like a built-in one: gradients from several uses of the output are summed before
/// <see cref="Backward"/> runs; gradients that <see cref="Backward"/> returns in a broadcast shape are summed back to
/// each input's shape and converted to its dtype; leaves accumulate into <see cref="Tensor.Grad"/>; saved tensors
/// are checked against in-place changes and freed after a backward pass without <c>retainGraph</c>.
/// </para>
/// </remarks>
public abstract class CustomFunction : GradNode
{
    private readonly int[][] _inputShapes;
    private readonly DType[] _inputDTypes;
    private SavedTensor[] _saved = Array.Empty<SavedTensor>();
    private Tensor?[] _savedSources = Array.Empty<Tensor?>();
    private bool _recorded;

    /// <summary>
    /// Creates the node with one edge per input: the input's own node, or none where the input does not require grad
    /// (pass <c>x.Detach()</c> for an input whose gradient must not flow).
    /// </summary>
    /// <param name="name">The node's name, shown by <see cref="Tensor.GradFn"/> (PyTorch's class name, e.g. <c>SoftplusBackward</c>).</param>
    /// <param name="inputs">The tensors the output is computed from, in the order <see cref="Backward"/> fills their gradients.</param>
    protected CustomFunction(string name, params Tensor[] inputs)
        : base(name ?? throw new ArgumentNullException(nameof(name)), Edges(inputs))
    {
        _inputShapes = new int[inputs.Length][];
        _inputDTypes = new DType[inputs.Length];
        for (int i = 0; i < inputs.Length; i++)
        {
            _inputShapes[i] = inputs[i]._shape;
            _inputDTypes[i] = inputs[i].DType;
        }
    }

    /// <summary>The number of inputs (the length of the gradient array <see cref="Backward"/> fills).</summary>
    public int InputCount => _inputShapes.Length;

    /// <summary>
    /// Whether an operation on <paramref name="inputs"/> is recorded: grad mode is on and at least one input requires
    /// grad. When false, compute the result and return it as it is (an untracked leaf).
    /// </summary>
    /// <param name="inputs">The operation's inputs.</param>
    /// <returns>Whether to create the node.</returns>
    public static bool ShouldRecord(params Tensor[] inputs)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        if (!Autograd.IsGradEnabled)
        {
            return false;
        }

        foreach (var t in inputs)
        {
            if (t.RequiresGrad)
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Whether a gradient for input <paramref name="input"/> is needed (PyTorch's <c>ctx.needs_input_grad</c>).</summary>
    /// <param name="input">The input's index.</param>
    /// <returns>True when the input requires grad; <see cref="Backward"/> may leave the other entries null.</returns>
    protected bool NeedsInputGrad(int input) => Next[input] is not null;

    /// <summary>The shape of input <paramref name="input"/> when the node was created.</summary>
    /// <param name="input">The input's index.</param>
    /// <returns>A copy of the shape.</returns>
    protected int[] InputShape(int input) => (int[])_inputShapes[input].Clone();

    /// <summary>
    /// Keeps tensors for <see cref="Backward"/> (PyTorch's <c>ctx.save_for_backward</c>). Their versions are remembered,
    /// so that an in-place change before the backward pass raises PyTorch's "modified by an inplace operation" error.
    /// </summary>
    /// <param name="tensors">The tensors, read back with <see cref="Saved"/> in the same order.</param>
    /// <exception cref="InvalidOperationException">A tensor is an inference tensor outside inference mode.</exception>
    protected void SaveForBackward(params Tensor[] tensors)
    {
        ArgumentNullException.ThrowIfNull(tensors);
        _saved = new SavedTensor[tensors.Length];
        _savedSources = new Tensor?[tensors.Length];
        for (int i = 0; i < tensors.Length; i++)
        {
            _saved[i] = new SavedTensor(tensors[i], isOutput: false, this);
            _savedSources[i] = tensors[i];
        }
    }

    /// <summary>Tensor <paramref name="index"/> of <see cref="SaveForBackward"/> (PyTorch's <c>ctx.saved_tensors[index]</c>).</summary>
    /// <param name="index">The position in the <see cref="SaveForBackward"/> call.</param>
    /// <returns>The saved tensor.</returns>
    /// <exception cref="InvalidOperationException">
    /// The graph was freed by an earlier backward pass without <c>retainGraph</c>, or the tensor was modified in place.
    /// </exception>
    protected Tensor Saved(int index) => _saved[index].Unpack(Name);

    /// <inheritdoc/>
    public override IReadOnlyList<Tensor> SavedTensors
    {
        get
        {
            var result = new Tensor[_saved.Length];
            for (int i = 0; i < result.Length; i++)
            {
                result[i] = Saved(i);
            }

            return result;
        }
    }

    /// <summary>
    /// Makes <paramref name="output"/> the result of this node: a non-leaf whose <see cref="Tensor.GradFn"/> is this
    /// node. When grad mode is off or no input requires grad, nothing is recorded and <paramref name="output"/> is
    /// returned as the untracked leaf it is.
    /// </summary>
    /// <param name="output">The result, computed under <see cref="Autograd.NoGrad"/> (a fresh leaf that does not require grad).</param>
    /// <returns><paramref name="output"/>.</returns>
    /// <exception cref="ArgumentException"><paramref name="output"/> already belongs to a graph, or is not floating point.</exception>
    /// <exception cref="InvalidOperationException">The node already recorded an output.</exception>
    public Tensor Record(Tensor output)
    {
        ArgumentNullException.ThrowIfNull(output);
        if (output.RequiresGrad)
        {
            throw new ArgumentException(
                "the output of a CustomFunction must be computed without recording (under Autograd.NoGrad()); it already requires grad", nameof(output));
        }

        if (!Autograd.IsGradEnabled || !AnyEdge())
        {
            return output;
        }

        if (!output.DType.IsFloatingPoint())
        {
            throw new ArgumentException(AutogradMessages.OnlyFloatingCanRequireGradFactory, nameof(output));
        }

        if (_recorded)
        {
            throw new InvalidOperationException(Name + " already recorded an output; create one node per call");
        }

        _recorded = true;
        for (int i = 0; i < _saved.Length; i++)
        {
            // An output saved before it was recorded is re-saved as the node's output, so that an in-place change of it
            // is reported as "output 0 of <Name>", as PyTorch does.
            if (ReferenceEquals(_savedSources[i], output))
            {
                _saved[i] = new SavedTensor(output, isOutput: true, this);
            }
        }

        _savedSources = Array.Empty<Tensor?>();

        output.SetGradFn(this);
        return output;
    }

    /// <summary>
    /// Computes the gradient of each input from the gradient of the output (PyTorch's <c>Function.backward</c>). Write
    /// <c>gradInputs[i]</c> for the inputs where <see cref="NeedsInputGrad"/> is true; leave the others null. A gradient
    /// may have the input's shape or any shape the input broadcasts to: it is summed back to the input's shape.
    /// </summary>
    /// <param name="gradOutput">The gradient of the output, of the output's shape (the sum over all its uses).</param>
    /// <param name="gradInputs">One entry per input, all null on entry.</param>
    protected abstract void Backward(Tensor gradOutput, Tensor?[] gradInputs);

    internal sealed override void Apply(Tensor gradOutput, Tensor?[] gradInputs, bool keepSaved)
    {
        Backward(gradOutput, gradInputs);
        for (int i = 0; i < gradInputs.Length; i++)
        {
            var g = gradInputs[i];
            if (g is null)
            {
                continue;
            }

            if (Next[i] is null)
            {
                gradInputs[i] = null;
                continue;
            }

            var shape = _inputShapes[i];
            if (!ShapeUtil.SameShape(g._shape, shape))
            {
                if (!BroadcastsTo(shape, g._shape))
                {
                    throw new InvalidOperationException(string.Create(CultureInfo.InvariantCulture,
                        $"Function {Name} returned an invalid gradient at index {i} - got {ShapeUtil.Bracketed(g._shape)} but expected shape compatible with {ShapeUtil.Bracketed(shape)}"));
                }

                g = g.SumToShape(shape);
            }

            if (g.DType != _inputDTypes[i])
            {
                g = g.ToDType(_inputDTypes[i]);
            }

            gradInputs[i] = g;
        }

        if (!keepSaved)
        {
            ReleaseSaved();
        }
    }

    internal sealed override void ReleaseSaved()
    {
        foreach (var s in _saved)
        {
            s.Release();
        }
    }

    private bool AnyEdge()
    {
        foreach (var next in Next)
        {
            if (next is not null)
            {
                return true;
            }
        }

        return false;
    }

    private static GradNode?[] Edges(Tensor[] inputs)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        var edges = new GradNode?[inputs.Length];
        for (int i = 0; i < inputs.Length; i++)
        {
            var input = inputs[i] ?? throw new ArgumentNullException(nameof(inputs));
            edges[i] = input.Edge;
        }

        return edges;
    }

    /// <summary>Whether a tensor of <paramref name="shape"/> broadcasts to <paramref name="target"/>.</summary>
    private static bool BroadcastsTo(int[] shape, int[] target)
    {
        if (shape.Length > target.Length)
        {
            return false;
        }

        int lead = target.Length - shape.Length;
        for (int i = 0; i < shape.Length; i++)
        {
            if (shape[i] != 1 && shape[i] != target[lead + i])
            {
                return false;
            }
        }

        return true;
    }
}

namespace StaticGrad;

/// <summary>Computes input gradients from the output gradient; writes null where no gradient flows.</summary>
internal delegate void BackwardFunction(OpNode node, Tensor grad, Tensor?[] gradInputs);

/// <summary>
/// The backward node of one tensor operation: a PyTorch name, the edges to its inputs, what it saved and a static
/// backward function. One class for every op keeps the tape lean: no closure is allocated per operation.
/// </summary>
internal sealed class OpNode : GradNode
{
    private readonly BackwardFunction _backward;
    private readonly int[][] _inputShapes;
    private readonly DType[] _inputDTypes;
    private SavedTensor? _saved0;
    private SavedTensor? _saved1;

    public OpNode(string name, BackwardFunction backward, Tensor a)
        : base(name, new[] { a.Edge })
    {
        _backward = backward;
        _inputShapes = new[] { a._shape };
        _inputDTypes = new[] { a.DType };
    }

    public OpNode(string name, BackwardFunction backward, Tensor a, Tensor b)
        : base(name, new[] { a.Edge, b.Edge })
    {
        _backward = backward;
        _inputShapes = new[] { a._shape, b._shape };
        _inputDTypes = new[] { a.DType, b.DType };
    }

    public OpNode(string name, BackwardFunction backward, Tensor a, Tensor b, Tensor c)
        : base(name, new[] { a.Edge, b.Edge, c.Edge })
    {
        _backward = backward;
        _inputShapes = new[] { a._shape, b._shape, c._shape };
        _inputDTypes = new[] { a.DType, b.DType, c.DType };
    }

    public double Scalar;
    public double Scalar2;
    public int Int0;
    public int Int1;
    public bool Flag;
    public int[]? Ints;
    public Tensor? Constant;

    public bool NeedsGrad(int input) => Next[input] is not null;

    public int[] InputShape(int input) => _inputShapes[input];

    public DType InputDType(int input) => _inputDTypes[input];

    public void Save0(Tensor t, bool isOutput = false) => _saved0 = new SavedTensor(t, isOutput, this);

    public void Save1(Tensor t, bool isOutput = false) => _saved1 = new SavedTensor(t, isOutput, this);

    public Tensor Saved0 => _saved0!.Unpack(Name);

    public Tensor Saved1 => _saved1!.Unpack(Name);

    public override IReadOnlyList<Tensor> SavedTensors
    {
        get
        {
            if (_saved0 is null)
            {
                return Array.Empty<Tensor>();
            }

            return _saved1 is null ? new[] { Saved0 } : new[] { Saved0, Saved1 };
        }
    }

    internal override void Apply(Tensor gradOutput, Tensor?[] gradInputs, bool keepSaved)
    {
        _backward(this, gradOutput, gradInputs);
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

            if (!ShapeUtil.SameShape(g._shape, _inputShapes[i]))
            {
                g = g.SumToShape(_inputShapes[i]);
            }

            if (g.DType != _inputDTypes[i] && _inputDTypes[i].IsFloatingPoint())
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

    internal override void ReleaseSaved()
    {
        _saved0?.Release();
        _saved1?.Release();
    }
}

namespace StaticGrad.CompilerServices;

/// <summary>
/// Reads the arguments of one output element of a broadcast elementwise operation: each input is converted once to a
/// contiguous buffer of <typeparamref name="T"/>, then indexed directly (same shape), at 0 (one element) or through
/// an index map (other broadcasts).
/// </summary>
internal sealed class BroadcastGather<T>
    where T : unmanaged
{
    private readonly T[][] _buffers;
    private readonly int[] _offsets;
    private readonly int[]?[] _maps;
    private readonly bool[] _single;

    public BroadcastGather(IReadOnlyList<Tensor> inputs, int[] shape, DType dtype)
    {
        Count = ShapeUtil.NumElements(shape);
        _buffers = new T[inputs.Count][];
        _offsets = new int[inputs.Count];
        _maps = new int[]?[inputs.Count];
        _single = new bool[inputs.Count];
        for (int i = 0; i < inputs.Count; i++)
        {
            var input = inputs[i];
            var data = input.DType == dtype ? input.ContiguousData() : input.ToDTypeData(dtype);
            _buffers[i] = data.Buffer<T>();
            _offsets[i] = data._offset;
            _single[i] = input.NumElements == 1;
            if (!_single[i] && !ShapeUtil.SameShape(input._shape, shape))
            {
                _maps[i] = IndexMap(input._shape, shape);
            }
        }
    }

    /// <summary>The number of output elements.</summary>
    public int Count { get; }

    /// <summary>The position in input <paramref name="input"/>'s contiguous elements that output element <paramref name="element"/> reads.</summary>
    public int Index(int input, int element) => _single[input] ? 0 : _maps[input] is { } map ? map[element] : element;

    public void Load(int element, Span<T> args)
    {
        for (int i = 0; i < args.Length; i++)
        {
            args[i] = _buffers[i][_offsets[i] + Index(i, element)];
        }
    }

    /// <summary>For each element of <paramref name="target"/> (row-major), the element of a contiguous <paramref name="shape"/> it broadcasts from.</summary>
    private static int[] IndexMap(int[] shape, int[] target)
    {
        var strides = ShapeUtil.BroadcastStrides(shape, ShapeUtil.ContiguousStrides(shape), target);
        var map = new int[ShapeUtil.NumElements(target)];
        var coordinate = new int[target.Length];
        int offset = 0;
        for (int e = 0; e < map.Length; e++)
        {
            map[e] = offset;
            for (int d = target.Length - 1; d >= 0; d--)
            {
                coordinate[d]++;
                offset += strides[d];
                if (coordinate[d] < target[d])
                {
                    break;
                }

                offset -= strides[d] * coordinate[d];
                coordinate[d] = 0;
            }
        }

        return map;
    }
}

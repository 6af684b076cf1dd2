using System.Numerics;

namespace StaticGrad.Optim;

/// <summary>
/// A parameter-sized copy of a tensor's elements in its own precision (float32 math for float32 parameters, as
/// PyTorch's kernels do), on which the update rules run element by element.
/// </summary>
internal sealed class ElementData
{
    private readonly int[] _shape;

    private ElementData(double[]? doubles, float[]? floats, int[] shape)
    {
        Doubles = doubles;
        Floats = floats;
        _shape = shape;
    }

    public double[]? Doubles { get; }

    public float[]? Floats { get; }

    /// <summary>The elements of <paramref name="tensor"/>, converted to <paramref name="dtype"/> (the parameter's) if given.</summary>
    public static ElementData Read(Tensor tensor, DType? dtype = null)
    {
        var type = dtype ?? tensor.DType;
        return type switch
        {
            DType.Float64 => new ElementData(tensor.ToArray(), null, tensor.Shape),
            DType.Float32 => new ElementData(null, tensor.ToArray<float>(), tensor.Shape),
            _ => throw new ArgumentException($"optimizers update floating point tensors, not {type.TorchName()}"),
        };
    }

    public static ElementData Zeros(Tensor like) => like.DType == DType.Float32
        ? new ElementData(null, new float[like.NumElements], like.Shape)
        : new ElementData(new double[like.NumElements], null, like.Shape);

    public ElementData Copy() => new((double[]?)Doubles?.Clone(), (float[]?)Floats?.Clone(), _shape);

    /// <summary>this = −this.</summary>
    public void Negate() => Map(static x => -x, static x => -x);

    /// <summary>this = fma(alpha, other, this) (PyTorch's <c>add_(other, alpha=alpha)</c>).</summary>
    public void AddScaled(double alpha, ElementData other)
    {
        if (Doubles is { } d)
        {
            AddScaledCore(d, alpha, other.Doubles!);
        }
        else
        {
            AddScaledCore(Floats!, (float)alpha, other.Floats!);
        }
    }

    /// <summary>Writes the elements into <paramref name="existing"/> in place, or into a new tensor if it is null.</summary>
    public Tensor Store(Tensor? existing)
    {
        var tensor = Doubles is { } d ? Tensor.FromArray(d, _shape) : Tensor.FromArray(Floats!, _shape);
        if (existing is null)
        {
            return tensor;
        }

        existing.CopyFrom(tensor);
        return existing;
    }

    /// <summary>Writes the elements into <paramref name="target"/> with one in-place copy (one version bump, as <c>add_</c>).</summary>
    public void WriteTo(Tensor target) => Store(target);

    private void Map(Func<double, double> onDouble, Func<float, float> onFloat)
    {
        if (Doubles is { } d)
        {
            for (var i = 0; i < d.Length; i++)
            {
                d[i] = onDouble(d[i]);
            }
        }
        else
        {
            var f = Floats!;
            for (var i = 0; i < f.Length; i++)
            {
                f[i] = onFloat(f[i]);
            }
        }
    }

    private static void AddScaledCore<T>(T[] x, T alpha, T[] other)
        where T : IFloatingPointIeee754<T>
    {
        for (var i = 0; i < x.Length; i++)
        {
            x[i] = T.FusedMultiplyAdd(alpha, other[i], x[i]);
        }
    }
}

namespace StaticGrad;

public partial class Tensor
{
    /// <summary>
    /// A float64 tensor holding a copy of <paramref name="data"/> (PyTorch's <c>torch.tensor(data, requires_grad=…)</c>).
    /// </summary>
    /// <param name="data">The elements, row-major.</param>
    /// <param name="shape">The shape; a 1-D tensor of all elements when null.</param>
    /// <param name="requiresGrad">Whether the new leaf requires grad.</param>
    /// <returns>The tensor.</returns>
    /// <exception cref="ArgumentException">The shape does not match the number of elements.</exception>
    public static Tensor FromArray(double[] data, int[]? shape = null, bool requiresGrad = false) =>
        FromStorage(new Storage((double[])data.Clone(), DType.Float64), data.Length, shape, requiresGrad);

    /// <summary>A float32 tensor holding a copy of <paramref name="data"/>.</summary>
    /// <inheritdoc cref="FromArray(double[], int[], bool)"/>
    public static Tensor FromArray(float[] data, int[]? shape = null, bool requiresGrad = false) =>
        FromStorage(new Storage((float[])data.Clone(), DType.Float32), data.Length, shape, requiresGrad);

    /// <summary>An int64 tensor holding a copy of <paramref name="data"/>; <paramref name="requiresGrad"/> true raises PyTorch's dtype error.</summary>
    /// <inheritdoc cref="FromArray(double[], int[], bool)"/>
    public static Tensor FromArray(long[] data, int[]? shape = null, bool requiresGrad = false) =>
        FromStorage(new Storage((long[])data.Clone(), DType.Int64), data.Length, shape, requiresGrad);

    /// <summary>A bool tensor holding a copy of <paramref name="data"/>; <paramref name="requiresGrad"/> true raises PyTorch's dtype error.</summary>
    /// <inheritdoc cref="FromArray(double[], int[], bool)"/>
    public static Tensor FromArray(bool[] data, int[]? shape = null, bool requiresGrad = false) =>
        FromStorage(new Storage((bool[])data.Clone(), DType.Bool), data.Length, shape, requiresGrad);

    /// <summary>A 0-dimensional float64 tensor.</summary>
    /// <param name="value">The value.</param>
    /// <param name="requiresGrad">Whether the new leaf requires grad.</param>
    /// <returns>The tensor.</returns>
    public static Tensor Scalar(double value, bool requiresGrad = false) =>
        FromStorage(new Storage(new[] { value }, DType.Float64), 1, Array.Empty<int>(), requiresGrad);

    /// <summary>A 0-dimensional tensor of <paramref name="dtype"/>.</summary>
    /// <param name="value">The value (converted to the dtype).</param>
    /// <param name="dtype">The dtype.</param>
    /// <param name="requiresGrad">Whether the new leaf requires grad.</param>
    /// <returns>The tensor.</returns>
    public static Tensor Scalar(double value, DType dtype, bool requiresGrad = false) => Full(Array.Empty<int>(), value, dtype, requiresGrad);

    /// <summary>A tensor of zeros (PyTorch's <c>torch.zeros</c>). The default dtype is float64.</summary>
    /// <param name="shape">The shape.</param>
    /// <param name="dtype">The dtype.</param>
    /// <param name="requiresGrad">Whether the new leaf requires grad.</param>
    /// <returns>The tensor.</returns>
    public static Tensor Zeros(int[] shape, DType dtype = DType.Float64, bool requiresGrad = false) =>
        FromStorage(Storage.Allocate(dtype, CheckedNumel(shape)), -1, shape, requiresGrad);

    /// <summary>A tensor of ones (PyTorch's <c>torch.ones</c>).</summary>
    /// <inheritdoc cref="Zeros(int[], DType, bool)"/>
    public static Tensor Ones(int[] shape, DType dtype = DType.Float64, bool requiresGrad = false) => Full(shape, 1.0, dtype, requiresGrad);

    /// <summary>A tensor filled with <paramref name="value"/> (PyTorch's <c>torch.full</c>).</summary>
    /// <param name="shape">The shape.</param>
    /// <param name="value">The fill value.</param>
    /// <param name="dtype">The dtype.</param>
    /// <param name="requiresGrad">Whether the new leaf requires grad.</param>
    /// <returns>The tensor.</returns>
    public static Tensor Full(int[] shape, double value, DType dtype = DType.Float64, bool requiresGrad = false)
    {
        var storage = Storage.Allocate(dtype, CheckedNumel(shape));
        FillStorage(storage, 0, storage.Length, value);
        return FromStorage(storage, -1, shape, requiresGrad);
    }

    /// <summary>Values from <paramref name="start"/> up to (excluding) <paramref name="end"/> in steps of <paramref name="step"/> (PyTorch's <c>torch.arange</c>).</summary>
    /// <param name="start">The first value.</param>
    /// <param name="end">The exclusive end.</param>
    /// <param name="step">The step (non-zero).</param>
    /// <param name="dtype">The dtype.</param>
    /// <param name="requiresGrad">Whether the new leaf requires grad.</param>
    /// <returns>The 1-D tensor.</returns>
    public static Tensor Arange(double start, double end, double step = 1, DType dtype = DType.Float64, bool requiresGrad = false)
    {
        if (step == 0)
        {
            throw new ArgumentException("step must be nonzero", nameof(step));
        }

        int n = Math.Max(0, (int)Math.Ceiling((end - start) / step));
        var storage = Storage.Allocate(dtype, n);
        for (int i = 0; i < n; i++)
        {
            storage.SetDouble(i, start + i * step);
        }

        return FromStorage(storage, n, new[] { n }, requiresGrad);
    }

    /// <summary>The values 0, 1, …, <paramref name="end"/> − 1.</summary>
    /// <param name="end">The exclusive end.</param>
    /// <param name="dtype">The dtype.</param>
    /// <returns>The 1-D tensor.</returns>
    public static Tensor Arange(int end, DType dtype = DType.Int64) => Arange(0, end, 1, dtype);

    /// <summary>Standard normal samples (PyTorch's <c>torch.randn</c>), deterministic for a given generator state.</summary>
    /// <param name="shape">The shape.</param>
    /// <param name="generator">The random source; <see cref="RandomGenerator.Default"/> when null.</param>
    /// <param name="dtype">The floating dtype.</param>
    /// <param name="requiresGrad">Whether the new leaf requires grad.</param>
    /// <returns>The tensor.</returns>
    public static Tensor Randn(int[] shape, RandomGenerator? generator = null, DType dtype = DType.Float64, bool requiresGrad = false)
    {
        var g = generator ?? RandomGenerator.Default;
        var storage = Storage.Allocate(dtype, CheckedNumel(shape));
        for (int i = 0; i < storage.Length; i++)
        {
            storage.SetDouble(i, g.NextNormal());
        }

        return FromStorage(storage, -1, shape, requiresGrad);
    }

    /// <summary>Uniform samples in [0, 1) (PyTorch's <c>torch.rand</c>), deterministic for a given generator state.</summary>
    /// <inheritdoc cref="Randn(int[], RandomGenerator, DType, bool)"/>
    public static Tensor Rand(int[] shape, RandomGenerator? generator = null, DType dtype = DType.Float64, bool requiresGrad = false)
    {
        var g = generator ?? RandomGenerator.Default;
        var storage = Storage.Allocate(dtype, CheckedNumel(shape));
        for (int i = 0; i < storage.Length; i++)
        {
            storage.SetDouble(i, g.NextUniform());
        }

        return FromStorage(storage, -1, shape, requiresGrad);
    }

    /// <summary>Standard normal samples from a generator seeded with <paramref name="seed"/>.</summary>
    /// <param name="shape">The shape.</param>
    /// <param name="seed">The seed.</param>
    /// <param name="dtype">The floating dtype.</param>
    /// <param name="requiresGrad">Whether the new leaf requires grad.</param>
    /// <returns>The tensor.</returns>
    public static Tensor Randn(int[] shape, long seed, DType dtype = DType.Float64, bool requiresGrad = false) =>
        Randn(shape, new RandomGenerator(seed), dtype, requiresGrad);

    /// <summary>Uniform samples in [0, 1) from a generator seeded with <paramref name="seed"/>.</summary>
    /// <inheritdoc cref="Randn(int[], long, DType, bool)"/>
    public static Tensor Rand(int[] shape, long seed, DType dtype = DType.Float64, bool requiresGrad = false) =>
        Rand(shape, new RandomGenerator(seed), dtype, requiresGrad);

    /// <summary>Zeros with the shape and dtype of <paramref name="like"/> (PyTorch's <c>torch.zeros_like</c>).</summary>
    /// <param name="like">The model tensor.</param>
    /// <param name="requiresGrad">Whether the new leaf requires grad.</param>
    /// <returns>The tensor.</returns>
    public static Tensor ZerosLike(Tensor like, bool requiresGrad = false) => Zeros(like._shape, like.DType, requiresGrad);

    /// <summary>Ones with the shape and dtype of <paramref name="like"/> (PyTorch's <c>torch.ones_like</c>).</summary>
    /// <inheritdoc cref="ZerosLike(Tensor, bool)"/>
    public static Tensor OnesLike(Tensor like, bool requiresGrad = false) => Full(like._shape, 1.0, like.DType, requiresGrad);

    /// <summary><paramref name="value"/> with the shape and dtype of <paramref name="like"/> (PyTorch's <c>torch.full_like</c>).</summary>
    /// <param name="like">The model tensor.</param>
    /// <param name="value">The fill value.</param>
    /// <param name="requiresGrad">Whether the new leaf requires grad.</param>
    /// <returns>The tensor.</returns>
    public static Tensor FullLike(Tensor like, double value, bool requiresGrad = false) => Full(like._shape, value, like.DType, requiresGrad);

    private static int CheckedNumel(int[] shape)
    {
        ArgumentNullException.ThrowIfNull(shape);
        foreach (int d in shape)
        {
            if (d < 0)
            {
                throw new ArgumentException($"Trying to create tensor with negative dimension {d}: {ShapeUtil.Bracketed(shape)}", nameof(shape));
            }
        }

        return ShapeUtil.NumElements(shape);
    }

    private static Tensor FromStorage(Storage storage, int length, int[]? shape, bool requiresGrad)
    {
        int[] s = shape is null ? new[] { length } : (int[])shape.Clone();
        if (CheckedNumel(s) != storage.Length)
        {
            throw new ArgumentException($"shape '{ShapeUtil.Bracketed(s)}' is invalid for input of size {storage.Length}", nameof(shape));
        }

        if (requiresGrad && !storage.DType.IsFloatingPoint())
        {
            throw new ArgumentException(AutogradMessages.OnlyFloatingCanRequireGradFactory, nameof(requiresGrad));
        }

        return new Tensor(storage, s) { _requiresGrad = requiresGrad };
    }

    internal static void FillStorage(Storage storage, int offset, int length, double value)
    {
        switch (storage.DType)
        {
            case DType.Float64: storage.As<double>().AsSpan(offset, length).Fill(value); break;
            case DType.Float32: storage.As<float>().AsSpan(offset, length).Fill((float)value); break;
            case DType.Int64: storage.As<long>().AsSpan(offset, length).Fill((long)value); break;
            default: storage.As<bool>().AsSpan(offset, length).Fill(value != 0); break;
        }
    }
}

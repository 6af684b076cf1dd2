namespace StaticGrad.Tests.Oracle.Harness;

using Autograd = StaticGrad.Autograd;

/// <summary>Short tensor constructors mirroring <c>oracle_cases.py</c>'s <c>T(data, rg)</c> (float64 unless stated).</summary>
internal static class Make
{
    /// <summary>A float64 vector (PyTorch's <c>T([...], rg)</c>).</summary>
    public static Tensor T(double[] values, bool rg = false) => Tensor.FromArray(values, requiresGrad: rg);

    /// <summary>A float64 matrix from rows (PyTorch's <c>T([[...], [...]], rg)</c>).</summary>
    public static Tensor M(double[][] rows, bool rg = false)
    {
        var columns = rows.Length == 0 ? 0 : rows[0].Length;
        return Tensor.FromArray(rows.SelectMany(r => r).ToArray(), new[] { rows.Length, columns }, rg);
    }

    /// <summary>A float64 scalar (PyTorch's <c>T(2.0, rg)</c>).</summary>
    public static Tensor S(double value, bool rg = false) => Tensor.Scalar(value, rg);

    /// <summary>A float32 vector (PyTorch's <c>torch.tensor([...])</c> with the default dtype, as in the seed documents).</summary>
    public static Tensor F32(float[] values, bool rg = false) => Tensor.FromArray(values, requiresGrad: rg);

    /// <summary>An int64 vector (PyTorch's <c>torch.tensor([1, 2])</c>).</summary>
    public static Tensor I64(long[] values) => Tensor.FromArray(values);

    /// <summary>PyTorch's <c>set_(param, values)</c>: overwrite without tracking (bumps the version, as <c>copy_</c>).</summary>
    public static void Set(Tensor parameter, Tensor values)
    {
        using (Autograd.NoGrad())
        {
            parameter.CopyFrom(values);
        }
    }
}

using System.Globalization;
using System.Text;

namespace StaticGrad;

public partial class Tensor
{
    /// <summary>The value of a one-element tensor as a double (PyTorch's <c>t.item()</c>).</summary>
    /// <returns>The value.</returns>
    /// <exception cref="InvalidOperationException">The tensor has more or fewer than one element.</exception>
    public double Item()
    {
        if (_numel != 1)
        {
            throw new InvalidOperationException($"a Tensor with {_numel} elements cannot be converted to Scalar");
        }

        return _storage.GetDouble(_offset);
    }

    /// <summary>The element at <paramref name="indices"/> (one per dimension, negative counts from the end) as a double, without allocating.</summary>
    /// <param name="indices">The indices.</param>
    /// <returns>The value.</returns>
    public double At(params int[] indices)
    {
        ArgumentNullException.ThrowIfNull(indices);
        if (indices.Length != Dim)
        {
            throw new ArgumentException($"expected {Dim} indices but got {indices.Length}", nameof(indices));
        }

        int offset = _offset;
        for (int d = 0; d < indices.Length; d++)
        {
            int i = indices[d];
            int size = _shape[d];
            if (i < -size || i >= size)
            {
                throw new ArgumentOutOfRangeException(nameof(indices), $"index {i} is out of bounds for dimension {d} with size {size}");
            }

            offset += (i < 0 ? i + size : i) * _strides[d];
        }

        return _storage.GetDouble(offset);
    }

    /// <summary>The elements in row-major order as doubles (PyTorch's <c>t.flatten().tolist()</c>; bool is 0/1).</summary>
    /// <returns>A new array.</returns>
    public double[] ToArray()
    {
        var c = DType == DType.Float64 ? ContiguousData() : ToDTypeData(DType.Float64);
        return c.ContiguousSpan<double>().ToArray();
    }

    /// <summary>
    /// The elements in row-major order as <typeparamref name="T"/>: <see cref="double"/>, <see cref="float"/>,
    /// <see cref="long"/> or <see cref="bool"/>, converted from the tensor's dtype.
    /// </summary>
    /// <typeparam name="T">The element type.</typeparam>
    /// <returns>A new array.</returns>
    public T[] ToArray<T>()
        where T : unmanaged
    {
        var target = typeof(T) == typeof(double) ? DType.Float64
            : typeof(T) == typeof(float) ? DType.Float32
            : typeof(T) == typeof(long) ? DType.Int64
            : typeof(T) == typeof(bool) ? DType.Bool
            : throw new NotSupportedException($"ToArray<{typeof(T).Name}>: use double, float, long or bool");
        var c = DType == target ? ContiguousData() : ToDTypeData(target);
        return c.ContiguousSpan<T>().ToArray();
    }

    /// <summary>PyTorch's representation, e.g. <c>tensor([1., 2.], dtype=torch.float64, requires_grad=True)</c> or <c>… grad_fn=&lt;MulBackward0&gt;)</c>.</summary>
    /// <returns>The text.</returns>
    public override string ToString()
    {
        var values = ToArray();
        bool integral = !DType.IsFloatingPoint();
        bool allWhole = true;
        foreach (double v in values)
        {
            if (double.IsFinite(v) && v != Math.Floor(v))
            {
                allWhole = false;
                break;
            }
        }

        var texts = new string[values.Length];
        int width = 0;
        for (int i = 0; i < values.Length; i++)
        {
            texts[i] = FormatValue(values[i], integral, allWhole);
            width = Math.Max(width, texts[i].Length);
        }

        var sb = new StringBuilder("tensor(");
        int position = 0;
        AppendLevel(sb, texts, width, 0, ref position);
        if (DType == DType.Float64)
        {
            sb.Append(", dtype=torch.float64");
        }
        else if (DType == DType.Bool)
        {
            sb.Append(", dtype=torch.bool");
        }

        if (_gradFn is not null)
        {
            sb.Append(", grad_fn=<").Append(_gradFn.Name).Append('>');
        }
        else if (_requiresGrad)
        {
            sb.Append(", requires_grad=True");
        }

        return sb.Append(')').ToString();
    }

    private void AppendLevel(StringBuilder sb, string[] texts, int width, int dim, ref int position)
    {
        if (dim == Dim)
        {
            sb.Append(' ', width - texts[position].Length).Append(texts[position]);
            position++;
            return;
        }

        sb.Append('[');
        for (int i = 0; i < _shape[dim]; i++)
        {
            if (i > 0)
            {
                // PyTorch puts rows on new lines aligned under the first bracket, with a blank line between blocks.
                sb.Append(',');
                if (dim == Dim - 1)
                {
                    sb.Append(' ');
                }
                else
                {
                    sb.Append('\n', Dim - dim - 1).Append(' ', "tensor(".Length + dim + 1);
                }
            }

            AppendLevel(sb, texts, width, dim + 1, ref position);
        }

        sb.Append(']');
    }

    private string FormatValue(double v, bool integral, bool allWhole)
    {
        if (DType == DType.Bool)
        {
            return v != 0 ? "True" : "False";
        }

        if (integral)
        {
            return ((long)v).ToString(CultureInfo.InvariantCulture);
        }

        if (double.IsNaN(v))
        {
            return "nan";
        }

        if (double.IsInfinity(v))
        {
            return v > 0 ? "inf" : "-inf";
        }

        return allWhole
            ? v.ToString("0", CultureInfo.InvariantCulture) + "."
            : v.ToString("0.0000", CultureInfo.InvariantCulture);
    }
}

using System.Globalization;
using System.Text;

namespace StaticGrad;

/// <summary>Shape, stride and broadcasting arithmetic.</summary>
internal static class ShapeUtil
{
    public static int NumElements(ReadOnlySpan<int> shape)
    {
        int n = 1;
        foreach (int d in shape)
        {
            n *= d;
        }

        return n;
    }

    private static readonly int[] s_unitStride = { 1 };

    public static int[] ContiguousStrides(int[] shape)
    {
        // Stride arrays are never mutated after construction, so the common 0-D and 1-D cases share one instance.
        if (shape.Length == 0)
        {
            return Array.Empty<int>();
        }

        if (shape.Length == 1)
        {
            return s_unitStride;
        }

        var strides = new int[shape.Length];
        int s = 1;
        for (int i = shape.Length - 1; i >= 0; i--)
        {
            strides[i] = s;
            s *= Math.Max(shape[i], 1);
        }

        return strides;
    }

    public static bool IsContiguous(int[] shape, int[] strides)
    {
        int expected = 1;
        for (int i = shape.Length - 1; i >= 0; i--)
        {
            if (shape[i] != 1 && strides[i] != expected)
            {
                return false;
            }

            expected *= shape[i];
        }

        return true;
    }

    public static int NormalizeDim(int dim, int rank)
    {
        int r = Math.Max(rank, 1);
        if (dim < -r || dim >= r)
        {
            throw new ArgumentOutOfRangeException(nameof(dim), string.Create(CultureInfo.InvariantCulture,
                $"Dimension out of range (expected to be in range of [{-r}, {r - 1}], but got {dim})"));
        }

        return dim < 0 ? dim + r : dim;
    }

    public static bool SameShape(int[] a, int[] b) => a.AsSpan().SequenceEqual(b);

    public static int[] Broadcast(int[] a, int[] b)
    {
        if (SameShape(a, b))
        {
            return a;
        }

        int rank = Math.Max(a.Length, b.Length);
        var result = new int[rank];
        for (int i = 0; i < rank; i++)
        {
            int da = i - (rank - a.Length) >= 0 ? a[i - (rank - a.Length)] : 1;
            int db = i - (rank - b.Length) >= 0 ? b[i - (rank - b.Length)] : 1;
            if (da != db && da != 1 && db != 1)
            {
                throw new ArgumentException(string.Create(CultureInfo.InvariantCulture,
                    $"The size of tensor a ({da}) must match the size of tensor b ({db}) at non-singleton dimension {i}"));
            }

            result[i] = da == 1 ? db : da;
        }

        return result;
    }

    /// <summary>Strides that read a tensor of <paramref name="shape"/> as if it had <paramref name="target"/>'s shape (0 on broadcast dimensions).</summary>
    public static int[] BroadcastStrides(int[] shape, int[] strides, int[] target)
    {
        var result = new int[target.Length];
        int lead = target.Length - shape.Length;
        for (int i = 0; i < shape.Length; i++)
        {
            result[lead + i] = shape[i] == 1 && target[lead + i] != 1 ? 0 : strides[i];
        }

        return result;
    }

    /// <summary>PyTorch's <c>torch.Size([2, 3])</c>.</summary>
    public static string TorchSize(int[] shape) => "torch.Size(" + Bracketed(shape) + ")";

    /// <summary>PyTorch's <c>[2, 3]</c>.</summary>
    public static string Bracketed(int[] shape)
    {
        var sb = new StringBuilder("[");
        for (int i = 0; i < shape.Length; i++)
        {
            if (i > 0)
            {
                sb.Append(", ");
            }

            sb.Append(shape[i].ToString(CultureInfo.InvariantCulture));
        }

        return sb.Append(']').ToString();
    }

    public static int[] InferShape(int[] shape, int numel)
    {
        var result = (int[])shape.Clone();
        int infer = -1;
        int known = 1;
        for (int i = 0; i < result.Length; i++)
        {
            if (result[i] == -1)
            {
                if (infer >= 0)
                {
                    throw new ArgumentException("only one dimension can be inferred");
                }

                infer = i;
            }
            else if (result[i] < 0)
            {
                throw new ArgumentException(string.Create(CultureInfo.InvariantCulture, $"invalid shape dimension {result[i]}"));
            }
            else
            {
                known *= result[i];
            }
        }

        if (infer >= 0 && known != 0 && numel % known == 0)
        {
            result[infer] = numel / known;
        }
        else if (infer >= 0 || known != numel)
        {
            throw new ArgumentException(string.Create(CultureInfo.InvariantCulture,
                $"shape '{Bracketed(shape)}' is invalid for input of size {numel}"));
        }

        return result;
    }
}

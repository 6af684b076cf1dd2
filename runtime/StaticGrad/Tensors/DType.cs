namespace StaticGrad;

/// <summary>The element type of a <see cref="Tensor"/> (PyTorch's <c>torch.dtype</c>).</summary>
public enum DType
{
    /// <summary>32-bit IEEE float (<c>torch.float32</c>, PyTorch's default floating dtype).</summary>
    Float32,

    /// <summary>64-bit IEEE float (<c>torch.float64</c>).</summary>
    Float64,

    /// <summary>64-bit signed integer (<c>torch.int64</c>): indices, <c>ArgMax</c> results.</summary>
    Int64,

    /// <summary>Boolean (<c>torch.bool</c>): results of comparisons.</summary>
    Bool,
}

/// <summary>Properties of <see cref="DType"/> values.</summary>
public static class DTypeExtensions
{
    /// <summary>Whether tensors of this dtype can require gradients (floating point only).</summary>
    public static bool IsFloatingPoint(this DType dtype) => dtype is DType.Float32 or DType.Float64;

    /// <summary>The size in bytes of one element.</summary>
    public static int ElementSize(this DType dtype) => dtype switch
    {
        DType.Float32 => 4,
        DType.Float64 => 8,
        DType.Int64 => 8,
        _ => 1,
    };

    /// <summary>PyTorch's printed name, e.g. <c>torch.float64</c>.</summary>
    public static string TorchName(this DType dtype) => dtype switch
    {
        DType.Float32 => "torch.float32",
        DType.Float64 => "torch.float64",
        DType.Int64 => "torch.int64",
        _ => "torch.bool",
    };

    /// <summary>PyTorch's legacy CPU tensor type name used in autograd messages, e.g. <c>torch.DoubleTensor</c>.</summary>
    public static string LegacyTypeName(this DType dtype) => dtype switch
    {
        DType.Float32 => "torch.FloatTensor",
        DType.Float64 => "torch.DoubleTensor",
        DType.Int64 => "torch.LongTensor",
        _ => "torch.BoolTensor",
    };

    /// <summary>The dtype PyTorch's type promotion gives to a binary operation on tensors of these two dtypes.</summary>
    public static DType Promote(DType a, DType b)
    {
        if (a == b)
        {
            return a;
        }

        if (a == DType.Float64 || b == DType.Float64)
        {
            return DType.Float64;
        }

        if (a == DType.Float32 || b == DType.Float32)
        {
            return DType.Float32;
        }

        return DType.Int64;
    }

    internal static string ScalarTypeName(this DType dtype) => dtype switch
    {
        DType.Float32 => "Float",
        DType.Float64 => "Double",
        DType.Int64 => "Long",
        _ => "Bool",
    };

    internal static string TypeMetaName(this DType dtype) => dtype switch
    {
        DType.Float32 => "float",
        DType.Float64 => "double",
        DType.Int64 => "long int",
        _ => "bool",
    };
}

using System.Globalization;

namespace StaticGrad.Nn;

/// <summary>
/// The layers' operations as functions of tensors (PyTorch's <c>torch.nn.functional</c>): the modules
/// (<c>Conv2d</c>, <c>BatchNorm2d</c>, …) hold the parameters and buffers and call these.
/// </summary>
public static partial class Functional
{
    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);

    private static string Dims(Tensor t) => ShapeUtil.Bracketed(t._shape);

    private static string TypeName(DType dtype) => dtype switch
    {
        DType.Float32 => "float",
        DType.Float64 => "double",
        DType.Int64 => "long",
        _ => "bool",
    };

    /// <summary>Rejects tensors whose dtype is not <paramref name="expected"/>, naming them as PyTorch's layer checks do.</summary>
    private static void RequireDType(Tensor? t, DType expected, string what)
    {
        if (t is not null && t.DType != expected)
        {
            throw new ArgumentException(Invariant($"Input type ({TypeName(expected)}) and {what} type ({TypeName(t.DType)}) should be the same"));
        }
    }

    /// <summary>
    /// Refuses a <c>createGraph</c> backward pass (the engine runs backward functions with grad mode on only then):
    /// the layers' backward kernels compute plain numbers, so second-order gradients through them would silently be
    /// missing, where PyTorch would give them.
    /// </summary>
    private static void RequireFirstOrder(OpNode node)
    {
        if (Autograd.IsGradEnabled)
        {
            throw new NotSupportedException(node.Name + " does not support double backward: a backward pass with createGraph: true cannot go through it.");
        }
    }

    /// <summary>Rejects non-floating inputs of layers that only compute in floating point.</summary>
    private static void RequireFloating(Tensor input, string op)
    {
        if (!input.DType.IsFloatingPoint())
        {
            throw new ArgumentException(Invariant($"\"{op}\" not implemented for '{input.DType.TorchName()["torch.".Length..]}'"));
        }
    }
}

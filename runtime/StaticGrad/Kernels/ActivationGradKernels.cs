using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace StaticGrad;

/// <summary>The activations whose backward <see cref="ActivationGradKernels"/> fuses into one pass.</summary>
internal enum ActivationGrad
{
    /// <summary>g where y &gt; 0, else 0 (y is the saved output).</summary>
    Relu,

    /// <summary>g·(1 − y²) (y is the saved output).</summary>
    Tanh,

    /// <summary>g·(y·(1 − y)) (y is the saved output).</summary>
    Sigmoid,
}

/// <summary>
/// Fused, vectorised backward passes of the elementwise activations from their saved output: one read of g and y,
/// one write, no temporaries (the composite form allocated a bool mask and a conversion for ReLU, two temporaries for
/// tanh and sigmoid). Each element is rounded exactly as the composite form rounds it, so results are unchanged.
/// </summary>
internal static class ActivationGradKernels
{
    /// <summary>The input gradient, or null when the composite (differentiable) form must run: a recorded double backward, or mixed dtypes.</summary>
    public static Tensor? TryRun(ActivationGrad kind, Tensor g, Tensor y)
    {
        if ((Autograd.IsGradEnabled && (g.RequiresGrad || y.RequiresGrad)) || g.DType != y.DType || !ShapeUtil.SameShape(g._shape, y._shape))
        {
            return null;
        }

        var result = Tensor.EmptyUninitialized(y._shape, y.DType);
        switch (y.DType)
        {
            case DType.Float64: Run(kind, g.ContiguousSpan<double>(), y.ContiguousSpan<double>(), result.MutableSpan<double>()); break;
            case DType.Float32: Run(kind, g.ContiguousSpan<float>(), y.ContiguousSpan<float>(), result.MutableSpan<float>()); break;
            default: return null;
        }

        GC.KeepAlive(g);
        GC.KeepAlive(y);
        return result;
    }

    private static void Run<T>(ActivationGrad kind, ReadOnlySpan<T> g, ReadOnlySpan<T> y, Span<T> d)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int i = 0;
        if (Vector.IsHardwareAccelerated && g.Length >= Vector<T>.Count)
        {
            var gv = MemoryMarshal.Cast<T, Vector<T>>(g);
            var yv = MemoryMarshal.Cast<T, Vector<T>>(y);
            var dv = MemoryMarshal.Cast<T, Vector<T>>(d);
            var one = Vector<T>.One;
            for (int v = 0; v < dv.Length; v++)
            {
                dv[v] = kind switch
                {
                    ActivationGrad.Relu => Vector.ConditionalSelect(Vector.GreaterThan(yv[v], Vector<T>.Zero), gv[v], Vector<T>.Zero),
                    ActivationGrad.Tanh => gv[v] * (one - (yv[v] * yv[v])),
                    _ => gv[v] * (yv[v] * (one - yv[v])),
                };
            }

            i = dv.Length * Vector<T>.Count;
        }

        for (; i < d.Length; i++)
        {
            d[i] = Scalar(kind, g[i], y[i]);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static T Scalar<T>(ActivationGrad kind, T g, T y)
        where T : IFloatingPointIeee754<T> => kind switch
        {
            ActivationGrad.Relu => y > T.Zero ? g : T.Zero,
            ActivationGrad.Tanh => g * (T.One - (y * y)),
            _ => g * (y * (T.One - y)),
        };
}

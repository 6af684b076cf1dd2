using System.Numerics;
using System.Numerics.Tensors;

namespace StaticGrad;

/// <summary>
/// Max and adaptive average pooling over the last two dimensions of a contiguous tensor, one <c>H×W</c> plane at a
/// time. Max pooling records, for each output, the flat index in its plane of the element it took (PyTorch's
/// <c>indices</c>), which is all its backward needs.
/// </summary>
internal static class PoolingKernels
{
    /// <summary>
    /// The maximum of each window, −∞ padding, the first maximum on ties and NaN winning over numbers, as PyTorch's CPU
    /// kernel does.
    /// </summary>
    public static void MaxForward<T>(ReadOnlySpan<T> x, Span<T> y, Span<int> indices, int planes, int height, int width, in SlidingWindow2d w, int outH, int outW)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int plane = height * width, outPlane = outH * outW;
        for (int p = 0; p < planes; p++)
        {
            var src = x.Slice(p * plane, plane);
            for (int oh = 0; oh < outH; oh++)
            {
                int hStart = (oh * w.StrideH) - w.PadH;
                int hEnd = Math.Min(hStart + ((w.KernelH - 1) * w.DilationH) + 1, height);
                while (hStart < 0)
                {
                    hStart += w.DilationH;
                }

                for (int ow = 0; ow < outW; ow++)
                {
                    int wStart = (ow * w.StrideW) - w.PadW;
                    int wEnd = Math.Min(wStart + ((w.KernelW - 1) * w.DilationW) + 1, width);
                    while (wStart < 0)
                    {
                        wStart += w.DilationW;
                    }

                    int best = (hStart * width) + wStart;
                    var max = T.NegativeInfinity;
                    for (int ih = hStart; ih < hEnd; ih += w.DilationH)
                    {
                        for (int iw = wStart; iw < wEnd; iw += w.DilationW)
                        {
                            var v = src[(ih * width) + iw];
                            if (v > max || T.IsNaN(v))
                            {
                                max = v;
                                best = (ih * width) + iw;
                            }
                        }
                    }

                    int o = (p * outPlane) + (oh * outW) + ow;
                    y[o] = max;
                    indices[o] = best;
                }
            }
        }
    }

    /// <summary>Adds each output gradient to the input element its window took.</summary>
    public static void MaxBackward<T>(ReadOnlySpan<T> g, ReadOnlySpan<int> indices, Span<T> gradInput, int planes, int plane, int outPlane)
        where T : unmanaged, INumber<T>
    {
        for (int p = 0; p < planes; p++)
        {
            var dst = gradInput.Slice(p * plane, plane);
            int start = p * outPlane;
            for (int o = 0; o < outPlane; o++)
            {
                dst[indices[start + o]] += g[start + o];
            }
        }
    }

    /// <summary>The window of output <paramref name="index"/> along one dimension: <c>[⌊i·in/out⌋, ⌈(i+1)·in/out⌉)</c>.</summary>
    public static (int Start, int End) AdaptiveRange(int index, int input, int output) =>
        ((int)((long)index * input / output), (int)((((long)(index + 1) * input) + output - 1) / output));

    /// <summary>The mean of each adaptive window (windows may overlap, and repeat when the output is larger).</summary>
    public static void AdaptiveAverageForward<T>(ReadOnlySpan<T> x, Span<T> y, int planes, int height, int width, int outH, int outW)
        where T : unmanaged, INumber<T>
    {
        int plane = height * width, outPlane = outH * outW;
        for (int p = 0; p < planes; p++)
        {
            var src = x.Slice(p * plane, plane);
            for (int oh = 0; oh < outH; oh++)
            {
                var (h0, h1) = AdaptiveRange(oh, height, outH);
                for (int ow = 0; ow < outW; ow++)
                {
                    var (w0, w1) = AdaptiveRange(ow, width, outW);
                    var sum = T.Zero;
                    for (int ih = h0; ih < h1; ih++)
                    {
                        sum += TensorPrimitives.Sum(src.Slice((ih * width) + w0, w1 - w0));
                    }

                    y[(p * outPlane) + (oh * outW) + ow] = sum / T.CreateTruncating((h1 - h0) * (w1 - w0));
                }
            }
        }
    }

    /// <summary>Spreads each output gradient evenly over its window.</summary>
    public static void AdaptiveAverageBackward<T>(ReadOnlySpan<T> g, Span<T> gradInput, int planes, int height, int width, int outH, int outW)
        where T : unmanaged, INumber<T>
    {
        int plane = height * width, outPlane = outH * outW;
        for (int p = 0; p < planes; p++)
        {
            var dst = gradInput.Slice(p * plane, plane);
            for (int oh = 0; oh < outH; oh++)
            {
                var (h0, h1) = AdaptiveRange(oh, height, outH);
                for (int ow = 0; ow < outW; ow++)
                {
                    var (w0, w1) = AdaptiveRange(ow, width, outW);
                    var share = g[(p * outPlane) + (oh * outW) + ow] / T.CreateTruncating((h1 - h0) * (w1 - w0));
                    for (int ih = h0; ih < h1; ih++)
                    {
                        var row = dst.Slice((ih * width) + w0, w1 - w0);
                        TensorPrimitives.Add(row, share, row);
                    }
                }
            }
        }
    }
}

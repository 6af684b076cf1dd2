using System.Globalization;

namespace StaticGrad;

/// <summary>
/// The window a 2-D convolution or pooling slides over an image: kernel size, stride, zero (or −∞) padding on both
/// sides and dilation, per spatial dimension, with PyTorch's output-size rule.
/// </summary>
internal readonly record struct SlidingWindow2d(int KernelH, int KernelW, int StrideH, int StrideW, int PadH, int PadW, int DilationH, int DilationW)
{
    /// <summary>The output height for an input of height <paramref name="height"/> (PyTorch's <c>pooling_output_shape</c>).</summary>
    public int OutputHeight(int height, bool ceilMode = false) => OutputSize(height, KernelH, StrideH, PadH, DilationH, ceilMode);

    /// <summary>The output width for an input of width <paramref name="width"/>.</summary>
    public int OutputWidth(int width, bool ceilMode = false) => OutputSize(width, KernelW, StrideW, PadW, DilationW, ceilMode);

    /// <summary>Rejects non-positive kernels, strides and dilations and negative padding with PyTorch's messages.</summary>
    public void Validate(string op)
    {
        if (KernelH <= 0 || KernelW <= 0)
        {
            throw new ArgumentException(Invariant($"{op}: kernel size should be greater than zero, but got kH: {KernelH} kW: {KernelW}"));
        }

        if (StrideH <= 0 || StrideW <= 0)
        {
            throw new ArgumentException(Invariant($"{op}: stride should be greater than zero, but got dH: {StrideH} dW: {StrideW}"));
        }

        if (DilationH <= 0 || DilationW <= 0)
        {
            throw new ArgumentException(Invariant($"{op}: dilation should be greater than zero, but got dilationH: {DilationH} dilationW: {DilationW}"));
        }

        if (PadH < 0 || PadW < 0)
        {
            throw new ArgumentException(Invariant($"{op}: negative padding is not supported, got padH: {PadH} padW: {PadW}"));
        }
    }

    private static int OutputSize(int input, int kernel, int stride, int pad, int dilation, bool ceilMode)
    {
        long span = (long)input + (2L * pad) - ((long)dilation * (kernel - 1)) - 1 + (ceilMode ? stride - 1 : 0);
        long size = (long)Math.Floor(span / (double)stride) + 1;
        if (ceilMode && (size - 1) * stride >= input + pad)
        {
            // The last window must start inside the input or the left padding, never entirely in the right padding.
            size--;
        }

        return (int)size;
    }

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}

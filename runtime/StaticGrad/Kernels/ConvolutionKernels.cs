using System.Numerics;
using System.Numerics.Tensors;

namespace StaticGrad;

/// <summary>
/// The data movement around a convolution done as a matrix product. For one group, <see cref="Im2Col{T}"/> lays the
/// input windows out as a column matrix <c>[Cg·kh·kw, N·L]</c> (a row per kernel tap, a column per output position of
/// every image, L = outH·outW) so that the whole batch is one product <c>W[Og, Cg·kh·kw] · cols</c>; the product's
/// rows <c>[Og, N·L]</c> are then scattered to NCHW. With unit width stride a row of taps is a shifted copy of an
/// input row, so the copies are span copies and the backward's <see cref="Col2Im{T}"/> span additions.
/// </summary>
internal static class ConvolutionKernels
{
    /// <summary>Writes the column matrix of channels <c>[group·Cg, (group+1)·Cg)</c> of a contiguous NCHW input.</summary>
    public static void Im2Col<T>(ReadOnlySpan<T> input, Span<T> cols, int n, int channels, int height, int width, int group, int groupChannels, in SlidingWindow2d w, int outH, int outW)
        where T : unmanaged, INumber<T>
    {
        int positions = outH * outW, columns = n * positions, plane = height * width;
        foreach (var tap in Taps(group, groupChannels, width, w, outW))
        {
            var dst = cols.Slice(tap.Row * columns, columns);
            for (int b = 0; b < n; b++)
            {
                var src = input.Slice(((b * channels) + tap.Channel) * plane, plane);
                for (int oh = 0; oh < outH; oh++)
                {
                    var d = dst.Slice((b * positions) + (oh * outW), outW);
                    int ih = (oh * w.StrideH) + tap.RowShift;
                    if ((uint)ih >= (uint)height || tap.Lo >= tap.Hi)
                    {
                        d.Clear();
                        continue;
                    }

                    Zero(d[..tap.Lo]);
                    Zero(d[tap.Hi..]);
                    var line = src.Slice(ih * width, width);
                    if (w.StrideW == 1)
                    {
                        Copy(line.Slice(tap.Lo + tap.ColShift, tap.Hi - tap.Lo), d[tap.Lo..tap.Hi]);
                        continue;
                    }

                    for (int ow = tap.Lo; ow < tap.Hi; ow++)
                    {
                        d[ow] = line[(ow * w.StrideW) + tap.ColShift];
                    }
                }
            }
        }
    }

    /// <summary>Adds a column matrix of one group back onto the input positions it was read from (the adjoint of <see cref="Im2Col{T}"/>).</summary>
    public static void Col2Im<T>(ReadOnlySpan<T> cols, Span<T> gradInput, int n, int channels, int height, int width, int group, int groupChannels, in SlidingWindow2d w, int outH, int outW)
        where T : unmanaged, INumber<T>
    {
        int positions = outH * outW, columns = n * positions, plane = height * width;
        foreach (var tap in Taps(group, groupChannels, width, w, outW))
        {
            var src = cols.Slice(tap.Row * columns, columns);
            for (int b = 0; b < n && tap.Lo < tap.Hi; b++)
            {
                var dst = gradInput.Slice(((b * channels) + tap.Channel) * plane, plane);
                for (int oh = 0; oh < outH; oh++)
                {
                    int ih = (oh * w.StrideH) + tap.RowShift;
                    if ((uint)ih >= (uint)height)
                    {
                        continue;
                    }

                    var s = src.Slice((b * positions) + (oh * outW), outW);
                    var line = dst.Slice(ih * width, width);
                    if (w.StrideW == 1)
                    {
                        AddTo(s[tap.Lo..tap.Hi], line.Slice(tap.Lo + tap.ColShift, tap.Hi - tap.Lo));
                        continue;
                    }

                    for (int ow = tap.Lo; ow < tap.Hi; ow++)
                    {
                        line[(ow * w.StrideW) + tap.ColShift] += s[ow];
                    }
                }
            }
        }
    }

    /// <summary>
    /// Copies the product rows <c>[Og, N·L]</c> of one group into the NCHW output's channels of that group, adding the
    /// bias of each channel when there is one.
    /// </summary>
    public static void ScatterOutput<T>(ReadOnlySpan<T> product, Span<T> output, ReadOnlySpan<T> bias, int n, int outChannels, int group, int groupOut, int positions)
        where T : unmanaged, INumber<T>
    {
        int columns = n * positions;
        for (int o = 0; o < groupOut; o++)
        {
            int channel = (group * groupOut) + o;
            for (int b = 0; b < n; b++)
            {
                var src = product.Slice((o * columns) + (b * positions), positions);
                var dst = output.Slice(((b * outChannels) + channel) * positions, positions);
                if (bias.IsEmpty)
                {
                    src.CopyTo(dst);
                }
                else
                {
                    TensorPrimitives.Add(src, bias[channel], dst);
                }
            }
        }
    }

    /// <summary>The inverse of <see cref="ScatterOutput{T}"/> without bias: one group's NCHW gradient rows as <c>[Og, N·L]</c>.</summary>
    public static void GatherOutput<T>(ReadOnlySpan<T> output, Span<T> product, int n, int outChannels, int group, int groupOut, int positions)
        where T : unmanaged, INumber<T>
    {
        int columns = n * positions;
        for (int o = 0; o < groupOut; o++)
        {
            int channel = (group * groupOut) + o;
            for (int b = 0; b < n; b++)
            {
                output.Slice(((b * outChannels) + channel) * positions, positions).CopyTo(product.Slice((o * columns) + (b * positions), positions));
            }
        }
    }

    /// <summary>The bias gradient: the sum of an NCHW gradient over the batch and the positions of each channel.</summary>
    public static void SumPerChannel<T>(ReadOnlySpan<T> grad, Span<T> result, int n, int channels, int positions)
        where T : unmanaged, INumber<T>
    {
        result.Clear();
        for (int b = 0; b < n; b++)
        {
            for (int c = 0; c < channels; c++)
            {
                result[c] += TensorPrimitives.Sum(grad.Slice(((b * channels) + c) * positions, positions));
            }
        }
    }

    // Feature maps of small networks have rows of a few elements, where a call to memmove or a vectorised primitive
    // costs more than the work; wide rows use them.
    private const int ShortRow = 16;

    private static void Copy<T>(ReadOnlySpan<T> source, Span<T> destination)
    {
        if (destination.Length >= ShortRow)
        {
            source.CopyTo(destination);
            return;
        }

        for (int i = 0; i < destination.Length && i < source.Length; i++)
        {
            destination[i] = source[i];
        }
    }

    private static void Zero<T>(Span<T> destination)
        where T : unmanaged, INumber<T>
    {
        for (int i = 0; i < destination.Length; i++)
        {
            destination[i] = T.Zero;
        }
    }

    private static void AddTo<T>(ReadOnlySpan<T> source, Span<T> destination)
        where T : unmanaged, INumber<T>
    {
        if (destination.Length >= ShortRow)
        {
            TensorPrimitives.Add(destination, source, destination);
            return;
        }

        for (int i = 0; i < destination.Length && i < source.Length; i++)
        {
            destination[i] += source[i];
        }
    }

    /// <summary>
    /// The kernel taps of one group in column-matrix row order (channel, then kernel row, then kernel column): each
    /// tap's input channel, its offsets from an output position's window origin, and the output columns whose input
    /// column is inside the image.
    /// </summary>
    private static Tap[] Taps(int group, int groupChannels, int width, in SlidingWindow2d w, int outW)
    {
        var taps = new Tap[groupChannels * w.KernelH * w.KernelW];
        int row = 0;
        for (int c = 0; c < groupChannels; c++)
        {
            for (int ki = 0; ki < w.KernelH; ki++)
            {
                for (int kj = 0; kj < w.KernelW; kj++, row++)
                {
                    int colShift = (kj * w.DilationW) - w.PadW;
                    var (lo, hi) = ValidRange(colShift, w.StrideW, width, outW);
                    taps[row] = new Tap(row, (group * groupChannels) + c, (ki * w.DilationH) - w.PadH, colShift, lo, hi);
                }
            }
        }

        return taps;
    }

    /// <summary>The output columns <c>[lo, hi)</c> whose input column <c>ow·stride + shift</c> lies inside <c>[0, width)</c>.</summary>
    private static (int Lo, int Hi) ValidRange(int shift, int stride, int width, int outW)
    {
        int lo = shift >= 0 ? 0 : (-shift + stride - 1) / stride;
        int last = width - 1 - shift;
        int hi = last < 0 ? 0 : Math.Min(outW, (last / stride) + 1);
        return (Math.Min(lo, outW), hi);
    }

    private readonly record struct Tap(int Row, int Channel, int RowShift, int ColShift, int Lo, int Hi);
}

using System.Numerics;
using System.Numerics.Tensors;

namespace StaticGrad;

/// <summary>
/// Batch normalisation over a contiguous <c>[N, C, S]</c> layout (S the product of the spatial sizes): each channel
/// is N spans of S elements, so every statistic and update is a span operation. Statistics are accumulated in double.
/// </summary>
internal static class BatchNormKernels
{
    /// <summary>The mean and the biased variance of each channel (two passes, for accuracy).</summary>
    public static void Statistics<T>(ReadOnlySpan<T> x, int n, int channels, int spatial, Span<double> mean, Span<double> variance)
        where T : unmanaged, INumber<T>
    {
        double count = (double)n * spatial;
        for (int c = 0; c < channels; c++)
        {
            double sum = 0;
            for (int b = 0; b < n; b++)
            {
                sum += double.CreateTruncating(TensorPrimitives.Sum(Plane(x, b, c, channels, spatial)));
            }

            double m = sum / count;
            var centre = T.CreateTruncating(m);
            double squares = 0;
            for (int b = 0; b < n; b++)
            {
                var plane = Plane(x, b, c, channels, spatial);
                for (int i = 0; i < plane.Length; i++)
                {
                    double d = double.CreateTruncating(plane[i] - centre);
                    squares += d * d;
                }
            }

            mean[c] = m;
            variance[c] = squares / count;
        }
    }

    /// <summary><c>y = x·scale[c] + shift[c]</c> for every element of channel c.</summary>
    public static void Affine<T>(ReadOnlySpan<T> x, Span<T> y, int n, int channels, int spatial, ReadOnlySpan<double> scale, ReadOnlySpan<double> shift)
        where T : unmanaged, INumber<T>
    {
        for (int b = 0; b < n; b++)
        {
            for (int c = 0; c < channels; c++)
            {
                int start = ((b * channels) + c) * spatial;
                var dst = y.Slice(start, spatial);
                TensorPrimitives.Multiply(x.Slice(start, spatial), T.CreateTruncating(scale[c]), dst);
                TensorPrimitives.Add(dst, T.CreateTruncating(shift[c]), dst);
            }
        }
    }

    /// <summary>Per channel, <c>Σ g</c> and <c>Σ g·(x − mean)</c> (zero when <paramref name="x"/> is empty).</summary>
    public static void GradientSums<T>(ReadOnlySpan<T> g, ReadOnlySpan<T> x, int n, int channels, int spatial, ReadOnlySpan<double> mean, Span<double> sumG, Span<double> sumGCentred)
        where T : unmanaged, INumber<T>
    {
        for (int c = 0; c < channels; c++)
        {
            double sg = 0, sgx = 0;
            for (int b = 0; b < n; b++)
            {
                var gp = Plane(g, b, c, channels, spatial);
                sg += double.CreateTruncating(TensorPrimitives.Sum(gp));
                if (!x.IsEmpty)
                {
                    sgx += double.CreateTruncating(TensorPrimitives.Dot(gp, Plane(x, b, c, channels, spatial)));
                }
            }

            sumG[c] = sg;
            sumGCentred[c] = x.IsEmpty ? 0 : sgx - (mean[c] * sg);
        }
    }

    /// <summary><c>dx = g·a[c] + x·b[c] + k[c]</c>, the shape every batch-norm input gradient takes per channel.</summary>
    public static void InputGradient<T>(ReadOnlySpan<T> g, ReadOnlySpan<T> x, Span<T> dx, int n, int channels, int spatial, ReadOnlySpan<double> a, ReadOnlySpan<double> b, ReadOnlySpan<double> k)
        where T : unmanaged, INumber<T>
    {
        for (int i = 0; i < n; i++)
        {
            for (int c = 0; c < channels; c++)
            {
                int start = ((i * channels) + c) * spatial;
                var dst = dx.Slice(start, spatial);
                TensorPrimitives.Multiply(g.Slice(start, spatial), T.CreateTruncating(a[c]), dst);
                if (b[c] != 0)
                {
                    TensorPrimitives.MultiplyAdd(x.Slice(start, spatial), T.CreateTruncating(b[c]), dst, dst);
                }

                if (k[c] != 0)
                {
                    TensorPrimitives.Add(dst, T.CreateTruncating(k[c]), dst);
                }
            }
        }
    }

    private static ReadOnlySpan<T> Plane<T>(ReadOnlySpan<T> x, int b, int c, int channels, int spatial) =>
        x.Slice(((b * channels) + c) * spatial, spatial);
}

using StaticGrad;

namespace FineTune;

/// <summary>
/// Seeded 1×16×16 image tasks drawn with a little noise. The first (bars) teaches a backbone oriented-edge features;
/// the second (shapes) is a new task those features help with: a plus is a horizontal and a vertical bar, a cross two
/// diagonals, a blob no bar at all.
/// </summary>
public static class SyntheticImages
{
    /// <summary>The height and width of every image.</summary>
    public const int Size = 16;

    /// <summary>The classes of <see cref="Bars"/>: the bar's orientation.</summary>
    public static readonly string[] BarClasses = ["horizontal", "diagonal", "vertical", "anti-diagonal"];

    /// <summary>The classes of <see cref="Shapes"/>.</summary>
    public static readonly string[] ShapeClasses = ["plus", "cross", "blob"];

    private static readonly (double X, double Y)[] Directions = [(1, 0), (Math.Sqrt(0.5), Math.Sqrt(0.5)), (0, 1), (Math.Sqrt(0.5), -Math.Sqrt(0.5))];

    /// <summary>One bar per image at a random place and length; the label is its orientation.</summary>
    /// <param name="count">The number of images.</param>
    /// <param name="generator">The random source.</param>
    /// <param name="dtype">The images' dtype.</param>
    /// <returns>Images <c>[count, 1, 16, 16]</c> and int64 labels <c>[count]</c>.</returns>
    public static (Tensor Images, Tensor Labels) Bars(int count, RandomGenerator generator, DType dtype) =>
        Draw(count, BarClasses.Length, generator, dtype, (pixels, label, rng) =>
            Bar(pixels, Centre(rng), Directions[label], 3 + (3 * rng.NextUniform())));

    /// <summary>A plus, a cross or a blob per image at a random place and size; the label is the shape.</summary>
    /// <param name="count">The number of images.</param>
    /// <param name="generator">The random source.</param>
    /// <param name="dtype">The images' dtype.</param>
    /// <returns>Images <c>[count, 1, 16, 16]</c> and int64 labels <c>[count]</c>.</returns>
    public static (Tensor Images, Tensor Labels) Shapes(int count, RandomGenerator generator, DType dtype) =>
        Draw(count, ShapeClasses.Length, generator, dtype, (pixels, label, rng) =>
        {
            var centre = Centre(rng);
            var arm = 3 + (2 * rng.NextUniform());
            switch (label)
            {
                case 0:
                    Bar(pixels, centre, Directions[0], arm);
                    Bar(pixels, centre, Directions[2], arm);
                    break;
                case 1:
                    Bar(pixels, centre, Directions[1], arm);
                    Bar(pixels, centre, Directions[3], arm);
                    break;
                default:
                    int radius = 1 + (int)(2 * rng.NextUniform());
                    for (int y = -radius; y <= radius; y++)
                    {
                        for (int x = -radius; x <= radius; x++)
                        {
                            Set(pixels, (int)Math.Round(centre.X) + x, (int)Math.Round(centre.Y) + y);
                        }
                    }

                    break;
            }
        });

    private static (Tensor Images, Tensor Labels) Draw(int count, int classes, RandomGenerator rng, DType dtype, Action<double[], int, RandomGenerator> paint)
    {
        const int Pixels = Size * Size;
        var images = new double[count * Pixels];
        var labels = new long[count];
        var pixels = new double[Pixels];
        for (int i = 0; i < count; i++)
        {
            Array.Clear(pixels);
            int label = (int)(rng.NextUniform() * classes);
            paint(pixels, label, rng);
            for (int p = 0; p < Pixels; p++)
            {
                images[(i * Pixels) + p] = pixels[p] + (0.25 * rng.NextNormal());
            }

            labels[i] = label;
        }

        return (Tensor.FromArray(images, [count, 1, Size, Size]).ToDType(dtype), Tensor.FromArray(labels));
    }

    private static (double X, double Y) Centre(RandomGenerator rng) => (4 + (7 * rng.NextUniform()), 4 + (7 * rng.NextUniform()));

    private static void Bar(double[] pixels, (double X, double Y) centre, (double X, double Y) direction, double halfLength)
    {
        for (double t = -halfLength; t <= halfLength; t += 0.25)
        {
            Set(pixels, (int)Math.Round(centre.X + (t * direction.X)), (int)Math.Round(centre.Y + (t * direction.Y)));
        }
    }

    private static void Set(double[] pixels, int x, int y)
    {
        if ((uint)x < Size && (uint)y < Size)
        {
            pixels[(y * Size) + x] = 1;
        }
    }
}

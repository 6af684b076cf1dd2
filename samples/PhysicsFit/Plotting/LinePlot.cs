using System.Globalization;

namespace PhysicsFit.Plotting;

/// <summary>
/// A minimal x–y plot: series are collected first, so that the axes can span all of them, then drawn with a frame,
/// grid lines and numbered ticks into a <see cref="Canvas"/>.
/// </summary>
public sealed class LinePlot
{
    private const int Left = 60;
    private const int Right = 20;
    private const int Top = 20;
    private const int Bottom = 40;

    private readonly List<(double[] X, double[] Y, Rgba Color, bool Dashed, bool Markers)> _series = [];

    public LinePlot(int width, int height)
    {
        Width = width;
        Height = height;
    }

    public int Width { get; }

    public int Height { get; }

    public void Curve(double[] x, double[] y, Rgba color, bool dashed = false) => Add(x, y, color, dashed, markers: false);

    public void Markers(double[] x, double[] y, Rgba color) => Add(x, y, color, dashed: false, markers: true);

    public Canvas Render()
    {
        var canvas = new Canvas(Width, Height, new Rgba(255, 255, 255));
        var (xMin, xMax) = Range(_series.SelectMany(s => s.X));
        var (yMin, yMax) = Range(_series.SelectMany(s => s.Y));
        double Px(double x) => Left + ((x - xMin) / (xMax - xMin) * (Width - Left - Right));
        double Py(double y) => Height - Bottom - ((y - yMin) / (yMax - yMin) * (Height - Top - Bottom));

        var grid = new Rgba(225, 225, 225);
        var ink = new Rgba(40, 40, 40);
        foreach (var tick in Ticks(xMin, xMax))
        {
            canvas.Line(Px(tick), Top, Px(tick), Height - Bottom, grid);
            var label = Label(tick);
            DigitFont.Draw(canvas, label, (int)Px(tick) - (DigitFont.Measure(label) / 2), Height - Bottom + 8, ink);
        }

        foreach (var tick in Ticks(yMin, yMax))
        {
            canvas.Line(Left, Py(tick), Width - Right, Py(tick), grid);
            var label = Label(tick);
            DigitFont.Draw(canvas, label, Left - 8 - DigitFont.Measure(label), (int)Py(tick) - DigitFont.GlyphHeight, ink);
        }

        canvas.Line(Left, Top, Left, Height - Bottom, ink);
        canvas.Line(Left, Height - Bottom, Width - Right, Height - Bottom, ink);
        foreach (var (xs, ys, color, dashed, markers) in _series)
        {
            for (var i = 0; i < xs.Length; i++)
            {
                if (markers)
                {
                    canvas.FillCircle(Px(xs[i]), Py(ys[i]), 3.5, color);
                }
                else if (i > 0)
                {
                    canvas.Line(Px(xs[i - 1]), Py(ys[i - 1]), Px(xs[i]), Py(ys[i]), color, thickness: 2, dashed);
                }
            }
        }

        return canvas;
    }

    public byte[] ToPng() => PngEncoder.Encode(Render());

    private void Add(double[] x, double[] y, Rgba color, bool dashed, bool markers)
    {
        ArgumentNullException.ThrowIfNull(x);
        ArgumentNullException.ThrowIfNull(y);
        if (x.Length != y.Length)
        {
            throw new ArgumentException("x and y must have the same length", nameof(y));
        }

        _series.Add((x, y, color, dashed, markers));
    }

    private static (double Min, double Max) Range(IEnumerable<double> values)
    {
        var min = values.Min();
        var max = values.Max();
        var pad = max > min ? (max - min) * 0.05 : 1;
        return (min - pad, max + pad);
    }

    /// <summary>Round tick values (steps of 1, 2 or 5 times a power of ten), about six per axis.</summary>
    private static IEnumerable<double> Ticks(double min, double max)
    {
        var raw = (max - min) / 6;
        var magnitude = Math.Pow(10, Math.Floor(Math.Log10(raw)));
        var step = new[] { 1.0, 2, 5, 10 }.Select(m => m * magnitude).First(s => s >= raw);
        for (var t = Math.Ceiling(min / step) * step; t <= max; t += step)
        {
            yield return Math.Abs(t) < step * 1e-9 ? 0 : t;
        }
    }

    private static string Label(double value) => value.ToString("0.##", CultureInfo.InvariantCulture);
}

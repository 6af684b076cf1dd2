namespace PhysicsFit.Plotting;

/// <summary>An RGBA raster with the few drawing primitives a line plot needs (pixels outside are clipped).</summary>
public sealed class Canvas
{
    private readonly byte[] _pixels;

    public Canvas(int width, int height, Rgba background)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(width);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(height);
        Width = width;
        Height = height;
        _pixels = new byte[width * height * 4];
        for (var i = 0; i < width * height; i++)
        {
            Write(i * 4, background);
        }
    }

    public int Width { get; }

    public int Height { get; }

    /// <summary>Rows of RGBA bytes, top to bottom (the PNG layout).</summary>
    public ReadOnlySpan<byte> Pixels => _pixels;

    public Rgba this[int x, int y]
    {
        get
        {
            var i = ((y * Width) + x) * 4;
            return new Rgba(_pixels[i], _pixels[i + 1], _pixels[i + 2], _pixels[i + 3]);
        }
    }

    public void Set(int x, int y, Rgba color)
    {
        if (x >= 0 && y >= 0 && x < Width && y < Height)
        {
            Write(((y * Width) + x) * 4, color);
        }
    }

    /// <summary>A line of the given thickness (a square pen moved along Bresenham's path); dashed skips every other 8 pixels.</summary>
    public void Line(double x0, double y0, double x1, double y1, Rgba color, int thickness = 1, bool dashed = false)
    {
        int ax = (int)Math.Round(x0), ay = (int)Math.Round(y0), bx = (int)Math.Round(x1), by = (int)Math.Round(y1);
        int dx = Math.Abs(bx - ax), dy = -Math.Abs(by - ay);
        int sx = ax < bx ? 1 : -1, sy = ay < by ? 1 : -1;
        var error = dx + dy;
        var step = 0;
        while (true)
        {
            if (!dashed || (step / 8) % 2 == 0)
            {
                Pen(ax, ay, color, thickness);
            }

            step++;
            if (ax == bx && ay == by)
            {
                break;
            }

            var e2 = 2 * error;
            if (e2 >= dy)
            {
                error += dy;
                ax += sx;
            }

            if (e2 <= dx)
            {
                error += dx;
                ay += sy;
            }
        }
    }

    public void FillCircle(double cx, double cy, double radius, Rgba color)
    {
        for (var y = (int)Math.Floor(cy - radius); y <= (int)Math.Ceiling(cy + radius); y++)
        {
            for (var x = (int)Math.Floor(cx - radius); x <= (int)Math.Ceiling(cx + radius); x++)
            {
                if (((x - cx) * (x - cx)) + ((y - cy) * (y - cy)) <= radius * radius)
                {
                    Set(x, y, color);
                }
            }
        }
    }

    private void Pen(int x, int y, Rgba color, int thickness)
    {
        var half = thickness / 2;
        for (var py = y - half; py < y - half + thickness; py++)
        {
            for (var px = x - half; px < x - half + thickness; px++)
            {
                Set(px, py, color);
            }
        }
    }

    private void Write(int i, Rgba color)
    {
        _pixels[i] = color.R;
        _pixels[i + 1] = color.G;
        _pixels[i + 2] = color.B;
        _pixels[i + 3] = color.A;
    }
}

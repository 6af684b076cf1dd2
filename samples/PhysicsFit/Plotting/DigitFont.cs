namespace PhysicsFit.Plotting;

/// <summary>A 3×5 pixel font for tick labels: digits, the minus sign and the decimal point.</summary>
public static class DigitFont
{
    public const int GlyphWidth = 3;
    public const int GlyphHeight = 5;

    // Each glyph is five rows of three bits, most significant bit on the left.
    private static readonly Dictionary<char, int[]> s_glyphs = new()
    {
        ['0'] = [7, 5, 5, 5, 7],
        ['1'] = [2, 6, 2, 2, 7],
        ['2'] = [7, 1, 7, 4, 7],
        ['3'] = [7, 1, 7, 1, 7],
        ['4'] = [5, 5, 7, 1, 1],
        ['5'] = [7, 4, 7, 1, 7],
        ['6'] = [7, 4, 7, 5, 7],
        ['7'] = [7, 1, 1, 1, 1],
        ['8'] = [7, 5, 7, 5, 7],
        ['9'] = [7, 5, 7, 1, 7],
        ['-'] = [0, 0, 7, 0, 0],
        ['.'] = [0, 0, 0, 0, 2],
    };

    /// <summary>Draws <paramref name="text"/> with its top-left corner at (x, y), each font pixel a <paramref name="scale"/>² square.</summary>
    /// <returns>The width drawn, in canvas pixels.</returns>
    public static int Draw(Canvas canvas, string text, int x, int y, Rgba color, int scale = 2)
    {
        ArgumentNullException.ThrowIfNull(canvas);
        ArgumentNullException.ThrowIfNull(text);
        var cursor = x;
        foreach (var c in text)
        {
            if (s_glyphs.TryGetValue(c, out var rows))
            {
                for (var row = 0; row < GlyphHeight; row++)
                {
                    for (var column = 0; column < GlyphWidth; column++)
                    {
                        if ((rows[row] >> (GlyphWidth - 1 - column) & 1) != 0)
                        {
                            for (var sy = 0; sy < scale; sy++)
                            {
                                for (var sx = 0; sx < scale; sx++)
                                {
                                    canvas.Set(cursor + (column * scale) + sx, y + (row * scale) + sy, color);
                                }
                            }
                        }
                    }
                }
            }

            cursor += (GlyphWidth + 1) * scale;
        }

        return cursor - x;
    }

    /// <summary>The width <see cref="Draw"/> would use.</summary>
    public static int Measure(string text, int scale = 2) => (text ?? string.Empty).Length * (GlyphWidth + 1) * scale;
}

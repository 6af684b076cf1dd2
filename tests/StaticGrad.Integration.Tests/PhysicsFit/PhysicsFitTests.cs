using System.Buffers.Binary;
using System.IO.Compression;
using PhysicsFit;
using PhysicsFit.Plotting;

namespace StaticGrad.Integration.Tests.PhysicsFit;

/// <summary>The PhysicsFit sample's integrator, fit and plot.</summary>
public class PhysicsFitTests
{
    [Fact]
    public void RungeKuttaIntegratorMatchesTheClosedFormSolution()
    {
        // RK4's global error is O(dt⁴): with dt ≤ 0.08 and ω = 2 it grows to about 1e-5 at t = 8.
        foreach (var time in new[] { 0.0, 0.5, 2.0, 5.0, 8.0 })
        {
            Assert.Equal(Oscillator.Exact(time, 4.0, 0.3), Oscillator.Position(time, 4.0, 0.3, 100), 5e-5);
        }
    }

    [Fact]
    public void LiftedIntegratorGradientsPassGradCheck()
    {
        var times = Tensor.FromArray(new[] { 0.5, 1.7, 3.0 });
        var stiffness = Tensor.Scalar(3.5, requiresGrad: true);
        var damping = Tensor.Scalar(0.4, requiresGrad: true);
        Assert.True(GradCheck.Check(i => Oscillator.Position(i[0], i[1], i[2], 20), new[] { times, stiffness, damping }).Passed);
    }

    [Fact]
    public void FitRecoversTheTrueParameters()
    {
        var options = new FitOptions();
        var result = OscillatorFit.Run(options);

        // With 60 points of noise sd 0.02 the least-squares estimate itself is off by about 0.01 in k and 0.005 in c;
        // the tolerances allow that, not a fit stuck away from the minimum.
        Assert.InRange(result.Stiffness, options.TrueStiffness - 0.03, options.TrueStiffness + 0.03);
        Assert.InRange(result.Damping, options.TrueDamping - 0.015, options.TrueDamping + 0.015);

        // At the minimum the residual is the noise: the mean squared error is close to the noise variance.
        Assert.InRange(result.FinalLoss, 0.5 * options.Noise * options.Noise, 1.5 * options.Noise * options.Noise);
        Assert.Equal(options.Observations, result.Fitted.Length);
    }

    [Fact]
    public void PlotIsAValidPng()
    {
        var plot = new LinePlot(320, 200);
        plot.Curve(new[] { 0.0, 1, 2 }, new[] { 1.0, -0.5, 0.25 }, new Rgba(214, 39, 40));
        plot.Markers(new[] { 0.0, 1, 2 }, new[] { 0.9, -0.4, 0.3 }, new Rgba(31, 119, 180));
        var png = plot.ToPng();

        Assert.True(png.AsSpan(0, 8).SequenceEqual(PngEncoder.Signature));
        var chunks = Chunks(png);
        Assert.Equal(new[] { "IHDR", "IDAT", "IEND" }, chunks.Select(c => c.Type));
        var header = chunks[0].Data;
        Assert.Equal(320, BinaryPrimitives.ReadInt32BigEndian(header));
        Assert.Equal(200, BinaryPrimitives.ReadInt32BigEndian(header.AsSpan(4)));
        Assert.Equal(8, header[8]);
        Assert.Equal(6, header[9]);

        // The image data inflates to one filter byte plus 4 bytes per pixel on each row.
        using var inflated = new MemoryStream();
        using (var zlib = new ZLibStream(new MemoryStream(chunks[1].Data), CompressionMode.Decompress))
        {
            zlib.CopyTo(inflated);
        }

        Assert.Equal(200 * (1 + (320 * 4)), inflated.Length);
    }

    [Fact]
    public void Crc32MatchesTheStandardCheckValue()
    {
        // The check value of CRC-32/ISO-HDLC for "123456789".
        Assert.Equal(0xCBF43926u, PngEncoder.Crc32("123456789"u8));
    }

    /// <summary>The chunks of a PNG, each verified against its CRC.</summary>
    private static List<(string Type, byte[] Data)> Chunks(byte[] png)
    {
        var chunks = new List<(string, byte[])>();
        var offset = 8;
        while (offset < png.Length)
        {
            var length = BinaryPrimitives.ReadInt32BigEndian(png.AsSpan(offset));
            var typeAndData = png.AsSpan(offset + 4, 4 + length);
            var crc = BinaryPrimitives.ReadUInt32BigEndian(png.AsSpan(offset + 8 + length));
            Assert.Equal(PngEncoder.Crc32(typeAndData), crc);
            chunks.Add((System.Text.Encoding.ASCII.GetString(typeAndData[..4]), typeAndData[4..].ToArray()));
            offset += 12 + length;
        }

        return chunks;
    }
}

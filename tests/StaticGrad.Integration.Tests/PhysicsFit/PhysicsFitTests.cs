using System.Buffers.Binary;
using PhysicsFit;

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
    public void FitRecordsTheLossOfEveryStepAndItDecreases()
    {
        var options = new FitOptions(Iterations: 60);
        var result = OscillatorFit.Run(options);

        Assert.Equal(options.Iterations + 1, result.Losses.Length);
        Assert.Equal(result.FinalLoss, result.Losses[^1]);
        Assert.True(result.Losses[^1] < 0.1 * result.Losses[0], $"loss went from {result.Losses[0]} to {result.Losses[^1]}");
    }

    [Fact]
    public void PlotIsAPngOfTheRequestedSize()
    {
        var options = new FitOptions();
        var result = new FitResult(
            4.0, 0.3, 4e-4,
            new[] { 0.0, 1, 2, 3 },
            new[] { 1.0, -0.5, 0.25, -0.1 },
            new[] { 1.0, 0.2, -0.3, 0.1 },
            new[] { 1.0, -0.45, 0.2, -0.12 },
            new[] { 0.1, 0.01, 5e-4, 4e-4 });

        var png = FitPlot.Png(result, options, width: 640, height: 300);

        // The PNG signature, then the IHDR chunk with the width and height (big-endian) ScottPlot was asked for.
        Assert.True(png.AsSpan(0, 8).SequenceEqual(new byte[] { 0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A }));
        Assert.Equal("IHDR", System.Text.Encoding.ASCII.GetString(png, 12, 4));
        Assert.Equal(640, BinaryPrimitives.ReadInt32BigEndian(png.AsSpan(16)));
        Assert.Equal(300, BinaryPrimitives.ReadInt32BigEndian(png.AsSpan(20)));
    }
}

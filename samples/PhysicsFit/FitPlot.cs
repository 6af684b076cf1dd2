using ScottPlot;
using static System.FormattableString;

namespace PhysicsFit;

/// <summary>
/// The sample's figure, drawn with ScottPlot (headless, through SkiaSharp): on the left the observations, the
/// starting curve and the fitted curve; on the right the loss per Adam step on a logarithmic axis.
/// </summary>
public static class FitPlot
{
    public static byte[] Png(FitResult result, FitOptions options, int width = 1200, int height = 500)
    {
        ArgumentNullException.ThrowIfNull(result);
        ArgumentNullException.ThrowIfNull(options);
        var figure = new Multiplot();
        figure.AddPlots(2);
        figure.Layout = new ScottPlot.MultiplotLayouts.Columns();
        Trajectories(figure.GetPlot(0), result, options);
        Loss(figure.GetPlot(1), result);
        using var image = figure.Render(width, height);
        return image.GetImageBytes(ImageFormat.Png);
    }

    private static void Trajectories(Plot plot, FitResult result, FitOptions options)
    {
        var palette = new ScottPlot.Palettes.Category10();
        var start = plot.Add.ScatterLine(result.Times, result.Initial, Colors.Gray);
        start.LinePattern = LinePattern.Dashed;
        start.LegendText = Invariant($"start (k = {options.InitialStiffness}, c = {options.InitialDamping})");

        var observed = plot.Add.ScatterPoints(result.Times, result.Observed, palette.GetColor(0));
        observed.LegendText = Invariant($"observations (noise sd {options.Noise})");

        var fitted = plot.Add.ScatterLine(result.Times, result.Fitted, palette.GetColor(3));
        fitted.LineWidth = 2;
        fitted.LegendText = Invariant($"fit (k = {result.Stiffness:F3}, c = {result.Damping:F3})");

        plot.Title("Damped oscillator x'' = -k x - c x'");
        plot.XLabel("time t");
        plot.YLabel("position x(t)");
        plot.ShowLegend(Alignment.UpperRight);
    }

    private static void Loss(Plot plot, FitResult result)
    {
        // ScottPlot draws a log axis as log10 of the data with ticks labelled back in the data's units.
        var steps = Enumerable.Range(0, result.Losses.Length).Select(i => (double)i).ToArray();
        var line = plot.Add.ScatterLine(steps, result.Losses.Select(Math.Log10).ToArray(), new ScottPlot.Palettes.Category10().GetColor(3));
        line.LegendText = "mean squared error";
        line.LineWidth = 2;
        plot.Axes.Left.TickGenerator = new ScottPlot.TickGenerators.NumericAutomatic
        {
            MinorTickGenerator = new ScottPlot.TickGenerators.LogMinorTickGenerator(),
            LabelFormatter = y => Invariant($"{Math.Pow(10, y):G2}"),
        };
        plot.Title("Loss per Adam step");
        plot.XLabel("step");
        plot.YLabel("loss (log scale)");
        plot.ShowLegend(Alignment.UpperRight);
    }
}

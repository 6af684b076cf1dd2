namespace StaticGrad.Benchmarks.Workloads.Rosenbrock;

/// <summary>Rosenbrock through StaticGrad's runtime tape, written as a PyTorch user would: vectorised over slices.</summary>
public static class RosenbrockTape
{
    public static double Gradient(double[] x, Span<double> gradient)
    {
        var n = x.Length;
        var t = Tensor.FromArray(x, requiresGrad: true);
        var head = t.Slice(0, 0, n - 1);
        var valley = t.Slice(0, 1) - head.Square();
        var slope = 1.0 - head;
        var f = (100.0 * valley.Square()).Sum() + slope.Square().Sum();
        f.Backward();
        t.Grad!.ToArray().CopyTo(gradient);
        return f.Item();
    }
}

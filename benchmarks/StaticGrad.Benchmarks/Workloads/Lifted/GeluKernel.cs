namespace StaticGrad.Benchmarks.Workloads.Lifted;

/// <summary>
/// GELU (tanh approximation) as a scalar [Differentiable] method, lifted by the generator to a Tensor overload that
/// records one GeluBackward node, and the same function built from runtime ops (nine recorded nodes).
/// </summary>
public static partial class GeluKernel
{
    /// <summary>√(2/π), the constant of the tanh approximation.</summary>
    public const double C = 0.7978845608028654;

    public const double Cubic = 0.044715;

    // Tensor = true: the lifted Tensor overload is what this workload times.
    [Differentiable(Tensor = true)]
    public static double Gelu(double x) => 0.5 * x * (1 + Math.Tanh(C * (x + Cubic * x * x * x)));

    public static Tensor GeluByOps(Tensor x) => 0.5 * x * (1.0 + (C * (x + Cubic * x * x * x)).Tanh());

    /// <summary>The benchmark's input: 10⁵ values spread over [−4, 4], where GELU bends.</summary>
    public static Tensor Input(int count, bool requiresGrad) =>
        ((Tensor.Arange(0, count) * (8.0 / count)) - 4.0).SetRequiresGrad(requiresGrad);
}

using StaticGrad.Benchmarks.Checking;

namespace StaticGrad.Benchmarks.Workloads.Gmm;

/// <summary>
/// Every implementation of the GMM gradient behind one signature: the objective's value returned, the gradient
/// written into one flat array ordered alphas, means, icf (ADBench's order).
/// </summary>
public static class GmmGradients
{
    /// <summary>Whether this build differentiates the objective with the generator (see GeneratedWorkloads.props).</summary>
#if GENERATED_GMM
    public const bool HasGenerated = true;
#else
    public const bool HasGenerated = false;
#endif

    public static double HandWritten(GmmInstance instance, Span<double> gradient)
    {
        Split(instance, gradient, out var dAlphas, out var dMeans, out var dIcf);
        return GmmHandGradient.Gradient(instance, dAlphas, dMeans, dIcf);
    }

#if GENERATED_GMM
    public static double Generated(GmmInstance instance, Span<double> gradient)
    {
        gradient.Clear();
        Split(instance, gradient, out var dAlphas, out var dMeans, out var dIcf);
        return GmmObjective.ObjectiveBackward(
            instance.Alphas, instance.Means, instance.Icf, instance.X, instance.D, instance.K, instance.N, instance.WishartGamma, instance.WishartM, GmmObjective.ConstantTerm(instance),
            dAlphas, dMeans, dIcf);
    }
#endif

    public static double FiniteDifferences(GmmInstance instance, Span<double> gradient)
    {
        Checking.FiniteDifferences.Central(() => GmmObjective.Evaluate(instance), [instance.Alphas, instance.Means, instance.Icf], gradient);
        return GmmObjective.Evaluate(instance);
    }

    private static void Split(GmmInstance instance, Span<double> gradient, out Span<double> dAlphas, out Span<double> dMeans, out Span<double> dIcf)
    {
        if (gradient.Length != instance.ParameterCount)
        {
            throw new ArgumentException($"The GMM gradient has {instance.ParameterCount} entries, got a buffer of {gradient.Length}.", nameof(gradient));
        }

        var means = instance.K * instance.D;
        dAlphas = gradient[..instance.K];
        dMeans = gradient.Slice(instance.K, means);
        dIcf = gradient[(instance.K + means)..];
    }
}

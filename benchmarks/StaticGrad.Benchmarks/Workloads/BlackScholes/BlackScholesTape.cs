namespace StaticGrad.Benchmarks.Workloads.BlackScholes;

/// <summary>
/// The Greeks through StaticGrad's runtime tape: 0-d tensors for the closed form (a scalar workload, where a tape
/// pays its per-operation cost in full), one vectorised graph over the paths for Monte-Carlo.
/// </summary>
public static class BlackScholesTape
{
    public static double Gradient(double[] option, double strike, Span<double> greeks)
    {
        var spot = Tensor.Scalar(option[0], requiresGrad: true);
        var volatility = Tensor.Scalar(option[1], requiresGrad: true);
        var rate = Tensor.Scalar(option[2], requiresGrad: true);
        var maturity = Tensor.Scalar(option[3], requiresGrad: true);
        var sqrtMaturity = maturity.Sqrt();
        var d1 = ((spot / strike).Log() + ((rate + (0.5 * volatility * volatility)) * maturity)) / (volatility * sqrtMaturity);
        var d2 = d1 - (volatility * sqrtMaturity);
        var price = (spot * NormalCdf(d1)) - (strike * (-rate * maturity).Exp() * NormalCdf(d2));
        price.Backward();
        greeks[0] = spot.Grad!.Item();
        greeks[1] = volatility.Grad!.Item();
        greeks[2] = rate.Grad!.Item();
        greeks[3] = maturity.Grad!.Item();
        return price.Item();
    }

    public static double MonteCarloGradient(double[] option, double strike, double[] normals, Span<double> greeks)
    {
        var spot = Tensor.Scalar(option[0], requiresGrad: true);
        var volatility = Tensor.Scalar(option[1], requiresGrad: true);
        var rate = Tensor.Scalar(option[2], requiresGrad: true);
        var maturity = Tensor.Scalar(option[3], requiresGrad: true);
        var z = Tensor.FromArray(normals);
        var drift = (rate - (0.5 * volatility * volatility)) * maturity;
        var terminal = spot * (drift + (volatility * maturity.Sqrt() * z)).Exp();

        // relu(S_T − K) has the branch's derivative: S_T's on paths in the money, zero elsewhere.
        var price = (-rate * maturity).Exp() * (terminal - strike).Relu().Mean();
        price.Backward();
        greeks[0] = spot.Grad!.Item();
        greeks[1] = volatility.Grad!.Item();
        greeks[2] = rate.Grad!.Item();
        greeks[3] = maturity.Grad!.Item();
        return price.Item();
    }

    /// <summary>
    /// Hart's Φ (the same rational function as <see cref="BlackScholes.NormalCdf"/>) in tensor operations; its
    /// |x| ≥ 7.07 branch is left out because the benchmarked option's d1 and d2 stay far inside it.
    /// </summary>
    private static Tensor NormalCdf(Tensor x)
    {
        if (Math.Abs(x.Item()) >= 7.07106781186547)
        {
            throw new ArgumentOutOfRangeException(nameof(x), x.Item(), "The tape's NormalCdf covers |x| < 7.07 only.");
        }

        var z = x.Abs();
        var numerator = (0.0352624965998911 * z) + 0.700383064443688;
        numerator = (numerator * z) + 6.37396220353165;
        numerator = (numerator * z) + 33.912866078383;
        numerator = (numerator * z) + 112.079291497871;
        numerator = (numerator * z) + 221.213596169931;
        numerator = (numerator * z) + 220.206867912376;
        var denominator = (0.0883883476483184 * z) + 1.75566716318264;
        denominator = (denominator * z) + 16.064177579207;
        denominator = (denominator * z) + 86.7807322029461;
        denominator = (denominator * z) + 296.564248779674;
        denominator = (denominator * z) + 637.333633378831;
        denominator = (denominator * z) + 793.826512519948;
        denominator = (denominator * z) + 440.413735824752;
        var tail = (-0.5 * z * z).Exp() * numerator / denominator;
        return x.Item() > 0.0 ? 1.0 - tail : tail;
    }
}

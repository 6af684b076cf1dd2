namespace StaticGrad.Benchmarks.Workloads.Gmm;

/// <summary>
/// The ADBench GMM log-likelihood with Wishart prior, written the way a user would write it for the generator:
/// loops over flat arrays, <see cref="Math"/> calls and local arrays. Called directly it is the objective that
/// the gradient ÷ objective ratios divide by.
/// </summary>
public static partial class GmmObjective
{
    /// <summary>The objective of <paramref name="instance"/> at its own parameters.</summary>
    public static double Evaluate(GmmInstance instance) =>
        Objective(instance.Alphas, instance.Means, instance.Icf, instance.X, instance.D, instance.K, instance.N, instance.WishartGamma, instance.WishartM, ConstantTerm(instance));

    /// <summary>
    /// The part of the objective that depends on no parameter: −(N·D/2)·log 2π − K·C with C the Wishart
    /// normalisation. It involves lgamma, which is why it is computed outside the differentiated body.
    /// </summary>
    public static double ConstantTerm(GmmInstance instance)
    {
        var d = instance.D;
        var nPrime = d + instance.WishartM + 1;
        var c = (nPrime * d * (Math.Log(instance.WishartGamma) - (0.5 * Math.Log(2.0)))) - LogMultivariateGamma(d, 0.5 * nPrime);
        return (-0.5 * instance.N * d * Math.Log(2.0 * Math.PI)) - (instance.K * c);
    }

    /// <summary>log Γ_D(a) = ¼·D(D−1)·log π + Σ_{j=1..D} lgamma(a + (1 − j)/2).</summary>
    public static double LogMultivariateGamma(int d, double a)
    {
        var result = 0.25 * d * (d - 1) * Math.Log(Math.PI);
        for (var j = 1; j <= d; j++)
        {
            result += LogGamma(a + (0.5 * (1 - j)));
        }

        return result;
    }

    /// <summary>log Γ(x) for x ≥ 0.5 by Lanczos' approximation (g = 7, 9 terms), relative error below 1e-15.</summary>
    public static double LogGamma(double x)
    {
        if (!(x >= 0.5))
        {
            throw new ArgumentOutOfRangeException(nameof(x), x, "LogGamma is implemented for x >= 0.5, which covers every Wishart normalisation.");
        }

        ReadOnlySpan<double> coefficients =
        [
            0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313, -176.61502916214059,
            12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6, 1.5056327351493116e-7,
        ];
        x -= 1.0;
        var sum = coefficients[0];
        for (var i = 1; i < coefficients.Length; i++)
        {
            sum += coefficients[i] / (x + i);
        }

        var t = x + 7.5;
        return (0.5 * Math.Log(2.0 * Math.PI)) + ((x + 0.5) * Math.Log(t)) - t + Math.Log(sum);
    }

    /// <summary>
    /// L(alphas, means, icf) for points <paramref name="x"/>; see ../shared/adbench/README.md. The lower triangle of
    /// Q_k is stored column by column after its D log-diagonal entries, as in ADBench.
    /// </summary>
#if GENERATED_GMM
    [Differentiable]
#endif
    public static double Objective(
        double[] alphas,
        double[] means,
        double[] icf,
        [NoGrad] double[] x,
        int d,
        int k,
        int n,
        [NoGrad] double wishartGamma,
        [NoGrad] double wishartM,
        [NoGrad] double constantTerm)
    {
        var icfSize = d * (d + 1) / 2;
        var diagonal = new double[k * d];
        var sumLogDiagonal = new double[k];
        for (var c = 0; c < k; c++)
        {
            var sum = 0.0;
            for (var j = 0; j < d; j++)
            {
                sum += icf[(c * icfSize) + j];
                diagonal[(c * d) + j] = Math.Exp(icf[(c * icfSize) + j]);
            }

            sumLogDiagonal[c] = sum;
        }

        var mainTerm = new double[k];
        var sumLogSumExp = 0.0;
        for (var i = 0; i < n; i++)
        {
            var point = i * d;
            for (var c = 0; c < k; c++)
            {
                // ‖Q_k (x_i − mu_k)‖², one row of Q_k at a time: row j has exp(q_j) on the diagonal and l entries to
                // its left; l_{j,col} sits at d + col·(2d − col − 1)/2 + j − col − 1, so consecutive columns are d − col − 2 apart.
                var mean = c * d;
                var squaredNorm = 0.0;
                for (var j = 0; j < d; j++)
                {
                    var row = diagonal[mean + j] * (x[point + j] - means[mean + j]);
                    var lower = (c * icfSize) + d + j - 1;
                    for (var col = 0; col < j; col++)
                    {
                        row += icf[lower] * (x[point + col] - means[mean + col]);
                        lower += d - col - 2;
                    }

                    squaredNorm += row * row;
                }

                mainTerm[c] = alphas[c] + sumLogDiagonal[c] - (0.5 * squaredNorm);
            }

            var max = mainTerm[0];
            for (var c = 1; c < k; c++)
            {
                max = Math.Max(max, mainTerm[c]);
            }

            var sumExp = 0.0;
            for (var c = 0; c < k; c++)
            {
                sumExp += Math.Exp(mainTerm[c] - max);
            }

            sumLogSumExp += Math.Log(sumExp) + max;
        }

        var maxAlpha = alphas[0];
        for (var c = 1; c < k; c++)
        {
            maxAlpha = Math.Max(maxAlpha, alphas[c]);
        }

        var sumExpAlpha = 0.0;
        for (var c = 0; c < k; c++)
        {
            sumExpAlpha += Math.Exp(alphas[c] - maxAlpha);
        }

        var logSumExpAlpha = Math.Log(sumExpAlpha) + maxAlpha;

        var prior = 0.0;
        for (var c = 0; c < k; c++)
        {
            var frobenius = 0.0;
            for (var j = 0; j < d; j++)
            {
                frobenius += diagonal[(c * d) + j] * diagonal[(c * d) + j];
            }

            for (var j = d; j < icfSize; j++)
            {
                frobenius += icf[(c * icfSize) + j] * icf[(c * icfSize) + j];
            }

            prior += (0.5 * wishartGamma * wishartGamma * frobenius) - (wishartM * sumLogDiagonal[c]);
        }

        return constantTerm + sumLogSumExp - (n * logSumExpAlpha) + prior;
    }
}

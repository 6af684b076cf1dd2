namespace StaticGrad.Benchmarks.Workloads.Gmm;

/// <summary>
/// The GMM gradient derived and written by hand, the limit the generated code is measured against. One pass over
/// the points: for each point the K main terms are computed with their Q·(x − mu) vectors kept, then the softmax
/// weights w_k scatter into the adjoints:
/// ∂/∂alpha_k = w_k, ∂/∂mu_k = w_k·Qᵀ Q (x − mu), ∂/∂q_j = w_k·(1 − (Qxc)_j·e^{q_j}·xc_j), ∂/∂l_rc = −w_k·(Qxc)_r·xc_c,
/// plus the alpha normaliser (−N·softmax(alpha)) and the Wishart prior (γ²e^{2q} − m, γ²l).
/// </summary>
public static class GmmHandGradient
{
    /// <summary>Returns the objective and WRITES its gradient (alphas, means, icf in ADBench's order).</summary>
    public static double Gradient(GmmInstance instance, Span<double> dAlphas, Span<double> dMeans, Span<double> dIcf)
    {
        int d = instance.D, k = instance.K, n = instance.N, icfSize = instance.IcfSize;
        double[] alphas = instance.Alphas, means = instance.Means, icf = instance.Icf, x = instance.X;
        dAlphas.Clear();
        dMeans.Clear();
        dIcf.Clear();

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

        var centered = new double[k * d];
        var transformed = new double[k * d];
        var mainTerm = new double[k];
        var transposeProduct = new double[d];
        var sumLogSumExp = 0.0;
        for (var i = 0; i < n; i++)
        {
            var point = x.AsSpan(i * d, d);
            var max = double.NegativeInfinity;
            for (var c = 0; c < k; c++)
            {
                var xc = centered.AsSpan(c * d, d);
                var qxc = transformed.AsSpan(c * d, d);
                var mean = means.AsSpan(c * d, d);
                var q = diagonal.AsSpan(c * d, d);
                var lower = icf.AsSpan((c * icfSize) + d, icfSize - d);
                for (var j = 0; j < d; j++)
                {
                    xc[j] = point[j] - mean[j];
                    qxc[j] = q[j] * xc[j];
                }

                var index = 0;
                for (var col = 0; col < d; col++)
                {
                    for (var row = col + 1; row < d; row++)
                    {
                        qxc[row] += lower[index++] * xc[col];
                    }
                }

                var squaredNorm = 0.0;
                for (var j = 0; j < d; j++)
                {
                    squaredNorm += qxc[j] * qxc[j];
                }

                mainTerm[c] = alphas[c] + sumLogDiagonal[c] - (0.5 * squaredNorm);
                max = Math.Max(max, mainTerm[c]);
            }

            var sumExp = 0.0;
            for (var c = 0; c < k; c++)
            {
                sumExp += Math.Exp(mainTerm[c] - max);
            }

            var logSumExp = Math.Log(sumExp) + max;
            sumLogSumExp += logSumExp;

            for (var c = 0; c < k; c++)
            {
                var weight = Math.Exp(mainTerm[c] - logSumExp);
                dAlphas[c] += weight;
                var xc = centered.AsSpan(c * d, d);
                var qxc = transformed.AsSpan(c * d, d);
                var q = diagonal.AsSpan(c * d, d);
                var lower = icf.AsSpan((c * icfSize) + d, icfSize - d);
                var dMean = dMeans.Slice(c * d, d);
                var dLogDiagonal = dIcf.Slice(c * icfSize, d);
                var dLower = dIcf.Slice((c * icfSize) + d, icfSize - d);

                // Qᵀ(Qxc): the diagonal part here, the lower triangle's part in the loop below.
                for (var j = 0; j < d; j++)
                {
                    transposeProduct[j] = q[j] * qxc[j];
                    dLogDiagonal[j] += weight * (1.0 - (qxc[j] * q[j] * xc[j]));
                }

                var index = 0;
                for (var col = 0; col < d; col++)
                {
                    var xcCol = xc[col];
                    var sum = 0.0;
                    for (var row = col + 1; row < d; row++)
                    {
                        sum += lower[index] * qxc[row];
                        dLower[index] -= weight * qxc[row] * xcCol;
                        index++;
                    }

                    transposeProduct[col] += sum;
                }

                for (var j = 0; j < d; j++)
                {
                    dMean[j] += weight * transposeProduct[j];
                }
            }
        }

        var maxAlpha = double.NegativeInfinity;
        for (var c = 0; c < k; c++)
        {
            maxAlpha = Math.Max(maxAlpha, alphas[c]);
        }

        var sumExpAlpha = 0.0;
        for (var c = 0; c < k; c++)
        {
            sumExpAlpha += Math.Exp(alphas[c] - maxAlpha);
        }

        var logSumExpAlpha = Math.Log(sumExpAlpha) + maxAlpha;
        for (var c = 0; c < k; c++)
        {
            dAlphas[c] -= n * Math.Exp(alphas[c] - logSumExpAlpha);
        }

        double gamma2 = instance.WishartGamma * instance.WishartGamma, m = instance.WishartM;
        var prior = 0.0;
        for (var c = 0; c < k; c++)
        {
            var frobenius = 0.0;
            for (var j = 0; j < d; j++)
            {
                var q = diagonal[(c * d) + j];
                frobenius += q * q;
                dIcf[(c * icfSize) + j] += (gamma2 * q * q) - m;
            }

            for (var j = d; j < icfSize; j++)
            {
                var l = icf[(c * icfSize) + j];
                frobenius += l * l;
                dIcf[(c * icfSize) + j] += gamma2 * l;
            }

            prior += (0.5 * gamma2 * frobenius) - (m * sumLogDiagonal[c]);
        }

        return GmmObjective.ConstantTerm(instance) + sumLogSumExp - (n * logSumExpAlpha) + prior;
    }
}

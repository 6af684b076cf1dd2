namespace StaticGrad.Generator.Tests.Robustness;

/// <summary>
/// A dense Hessian (row-major, n × n over a flat point) against central differences of the gradient that produced it:
/// column j is (∇f(p + h·e_j) − ∇f(p − h·e_j)) / 2h, h = 1e-5, each entry within 1e-5·max(1, |fd|) (a NaN never is).
/// </summary>
internal static class HessianProbeCheck
{
    /// <summary>The entries that disagree (empty when every one matches).</summary>
    public static List<string> Problems(Func<double[], double[]> gradient, double[] point, double[] hessian)
    {
        const double h = 1e-5;
        var n = point.Length;
        var problems = new List<string>();
        for (var j = 0; j < n; j++)
        {
            var plus = (double[])point.Clone();
            var minus = (double[])point.Clone();
            plus[j] += h;
            minus[j] -= h;
            var up = gradient(plus);
            var down = gradient(minus);
            for (var i = 0; i < n; i++)
            {
                var fd = (up[i] - down[i]) / (2 * h);
                if (!(Math.Abs(hessian[(i * n) + j] - fd) <= 1e-5 * Math.Max(1, Math.Abs(fd))))
                {
                    problems.Add($"H[{i},{j}] = {hessian[(i * n) + j]:R}, fd {fd:R}");
                }
            }
        }

        return problems;
    }
}

using StaticGrad.Generator.Tests.Forward;
using StaticGrad.Generator.Tests.Infrastructure;

namespace StaticGrad.Generator.Tests.RandomPrograms;

/// <summary>
/// Compiler bugs the random Hessian check (<see cref="RandomHessianTests"/>) found, minimised, each checked like
/// <see cref="HessianTests"/>: H·v and the dense Hessian against central differences of the generated gradient
/// (<see cref="HessianFiniteDifferences"/>: double step 1e-5, |a − b| ≤ 1e-6·max(1, |b|)). All cases share one compilation.
/// </summary>
public sealed class RandomHessianRegressions
{
    /// <summary>The random programs' own grid helpers (<c>RowsSum</c>, <c>GridSum</c>, …), with Hessians, and the cases.</summary>
    private static readonly string Source = RandomHessianTests.WithHessians(
        "using System;\nusing StaticGrad;\npublic static partial class Helpers\n{\n"
        + string.Concat(ProgramGenerator.GridHelpers().Select(h => h.Source))
        + "\n}\n") + Cases;

    private const string Cases = """
        public static partial class Programs
        {
            // Batch 20262010 P11: a local grid of constants handed whole to a Hessian helper. Its zero tangent in the
            // Jvp was a flat array of its length, which does not convert to the helper's double[][] (CS1503).
            [Differentiable(Hessian = true)]
            public static double ConstantGrids(double x, double y)
            {
                var g = new double[3][];
                for (int i = 0; i < 3; i++)
                {
                    g[i] = new double[2];
                    for (int j = 0; j < 2; j++)
                    {
                        g[i][j] = Math.Sin(0.3 + 0.5 * (i - j));
                    }
                }

                var k = new double[3, 2];
                for (int i = 0; i < 3; i++)
                {
                    for (int j = 0; j < 2; j++)
                    {
                        k[i, j] = 0.25 * (i + j);
                    }
                }

                return x * Helpers.RowsSum(g, y) + Helpers.GridSum(k, x * y);
            }
        }

        public static class Check
        {
            public static void GridsG(double[] p, double[] g) => Programs.ConstantGridsBackward(p[0], p[1], ref g[0], ref g[1]);
            public static double GridsHv(double[] p, double[] v, double[] hv) => Programs.ConstantGridsHessianVector(p[0], p[1], v[0], v[1], ref hv[0], ref hv[1]);
            public static void GridsH(double[] p, double[] h) => Programs.ConstantGridsHessian(p[0], p[1], h);
        }
        """;

    private static readonly Lazy<Type> s_check = new(() => GeneratorHarness.CompileAndLoad(Source).GetType("Check")!);

    [Theory]
    [InlineData("Grids", new[] { 0.7, -0.4 })]
    public void Hessian_matches_differences_of_the_gradient(string prefix, double[] point)
    {
        HessianFiniteDifferences.AssertHessianVector(s_check.Value, prefix, point, isFloat: false, prefix);
        HessianFiniteDifferences.AssertDenseHessian(s_check.Value, prefix, point, isFloat: false, prefix);
    }
}

namespace StaticGrad.Generator.Tests.Correctness.Corpus;

/// <summary>
/// The random-program regressions that need C# 12 (collection expressions): a source of their own, which the strict
/// consumer builds at older language versions leave out (it holds the marker <see cref="Marker"/>).
/// </summary>
internal static class RandomProgramSpreadRegressionCorpus
{
    public const string Marker = "// requires C# 12";

    public const string Source = """
        // requires C# 12
        using System;
        using StaticGrad;

        namespace Corpus;

        public static partial class RandomProgramRegressions
        {
            // Session 7, the spread productions: a parenthesized element of a collection expression with a spread
            // ('[.. a, (x0 + x1)]', '(c ? p : q)') has no operation of its own in the semantic model, so the spread
            // literal was refused (SG1010: not created with new T[n]) although the unparenthesized form is accepted.
            // domain: a[4]=-1..1
            [Differentiable]
            public static double SpreadWithParenthesizedElements(double x0, double x1, Span<double> a)
            {
                double[] sp = [(x0 * x1), .. a, (x0 > 5.0 ? -0.5 : x1), .. a];
                return SliceSum(sp, (x0 * 0.5)) * 0.25 + sp[^1] * sp[0];
            }

            // Session 8, the collection-argument productions: the same for a collection expression without a spread
            // ('SliceSum([(x0 * x1), x1], w)', 'double[] t = [(x0 + x1), x1]'), refused with SG1002.
            // domain: x0=-2..2 x1=-2..2
            [Differentiable]
            public static double CollectionWithParenthesizedElements(double x0, double x1)
            {
                double[] t = [(x0 + x1), x1, (x0 > 5.0 ? -0.5 : x0 * x1)];
                return SliceSum([(x0 * x1), (Math.Sin(x0) + t[2]), x1], (x0 * 0.5)) + FirstTimesSum([(x1 * t[0]), x0]) * t[2];
            }

            // domain: s[3]=-1..1
            [Differentiable]
            public static double FirstTimesSum(double[] s)
            {
                double r = 0.0;
                foreach (var e in s)
                {
                    r += e;
                }

                return s[0] * r;
            }
        }
        """;
}

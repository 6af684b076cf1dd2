using System.Text.RegularExpressions;
using StaticGrad.Generator.Tests.Correctness.Harness;

namespace StaticGrad.Generator.Tests.Correctness;

/// <summary>
/// Array-region analysis (issue 18): a local array that each iteration of a reduction loop writes whole before it
/// reads it (GMM's per-point <c>mainTerm</c>) no longer stops the loop from being fused, and its stores save nothing.
/// Every method is checked against central finite differences (tolerances of <see cref="FiniteDifferenceCheck"/>:
/// double |g − fd| ≤ 1e-6·max(1,|fd|) plus the rounding bound, float 2e-3), the shapes the analysis must refuse
/// included (read after the loop, read before the write, a partial or conditional write, a second store).
/// </summary>
public sealed partial class ArrayRegionTests
{
    private const int PointsPerFunction = 4;

    private const string Source = """
        using System;
        using StaticGrad;

        namespace Corpus;

        public static partial class Regions
        {
            // GMM's main loop: per point, scores for every cluster, then their log-sum-exp.
            // domain: x[5]=-1..1 w[3]=-1..1
            [Differentiable]
            public static double LogSumExpPerPoint(double[] x, double[] w)
            {
                var k = w.Length;
                var scores = new double[k];
                var total = 0.0;
                for (var i = 0; i < x.Length; i++)
                {
                    for (var c = 0; c < k; c++)
                    {
                        var u = (x[i] - w[c]) * (x[i] - w[c]);
                        scores[c] = Math.Sin(w[c]) - (0.5 * u);
                    }

                    var max = scores[0];
                    for (var c = 1; c < k; c++)
                    {
                        max = Math.Max(max, scores[c]);
                    }

                    var sumExp = 0.0;
                    for (var c = 0; c < k; c++)
                    {
                        sumExp += Math.Exp(scores[c] - max);
                    }

                    total += Math.Log(sumExp) + max;
                }

                return 2.0 * total;
            }

            // The bound is the array's own length; a builtin's value stored (Exp) is reused from the element.
            // domain: x[4]=-1..1 w[3]=-1..1
            [Differentiable]
            public static double LengthBound(double[] x, double[] w)
            {
                var t = new double[w.Length];
                var s = 0.0;
                for (var i = 0; i < x.Length; i++)
                {
                    for (var c = 0; c < t.Length; c++)
                    {
                        t[c] = Math.Exp(x[i] * w[c]);
                    }

                    s += (t[0] * t[t.Length - 1]) + (x[i] * t[1]);
                }

                return s;
            }

            // domain: x[4]=-1..1 w[3]=-1..1
            [Differentiable]
            public static float FloatScratch(float[] x, float[] w)
            {
                var t = new float[w.Length];
                var s = 0f;
                for (var i = 0; i < x.Length; i++)
                {
                    for (var c = 0; c < w.Length; c++)
                    {
                        t[c] = MathF.Tanh(x[i] + w[c]);
                    }

                    s += t[0] * t[2] - t[1];
                }

                return s;
            }

            // Not private: the array is read after the loop.
            // domain: x[4]=-1..1 w[3]=-1..1
            [Differentiable]
            public static double ReadAfterLoop(double[] x, double[] w)
            {
                var t = new double[w.Length];
                var s = 0.0;
                for (var i = 0; i < x.Length; i++)
                {
                    for (var c = 0; c < w.Length; c++)
                    {
                        t[c] = x[i] * w[c];
                    }

                    s += t[0] * t[1];
                }

                return s + t[2];
            }

            // Not private: each iteration reads what the previous one wrote before writing it again.
            // domain: x[4]=-1..1 w[3]=-1..1
            [Differentiable]
            public static double CarriedElement(double[] x, double[] w)
            {
                var t = new double[w.Length];
                var s = 0.0;
                for (var i = 0; i < x.Length; i++)
                {
                    s += t[1] * x[i];
                    for (var c = 0; c < w.Length; c++)
                    {
                        t[c] = x[i] * w[c] + 0.5;
                    }

                    s += t[0] * t[1];
                }

                return s;
            }

            // Not private: the writer starts at 1, so t[0] keeps its value from before the loop.
            // domain: x[4]=-1..1 w[3]=-1..1
            [Differentiable]
            public static double PartialWrite(double[] x, double[] w)
            {
                var t = new double[w.Length];
                var s = 0.0;
                for (var i = 0; i < x.Length; i++)
                {
                    for (var c = 1; c < w.Length; c++)
                    {
                        t[c] = x[i] * w[c];
                    }

                    s += (t[0] + 1.0) * t[1] * t[2];
                }

                return s;
            }

            // Not private: the element is written only when a condition holds.
            // domain: x[4]=-1..1 w[3]=-1..1
            [Differentiable]
            public static double ConditionalWrite(double[] x, double[] w)
            {
                var t = new double[w.Length];
                var s = 0.0;
                for (var i = 0; i < x.Length; i++)
                {
                    for (var c = 0; c < w.Length; c++)
                    {
                        if (x[i] > w[c])
                        {
                            t[c] = x[i] * w[c];
                        }
                    }

                    s += Math.Sin(t[0]) * t[1] + t[2];
                }

                return s;
            }

            // Not private: a second store overwrites an element the reverse still needs.
            // domain: x[4]=-1..1 w[3]=-1..1
            [Differentiable]
            public static double SecondStore(double[] x, double[] w)
            {
                var t = new double[w.Length];
                var s = 0.0;
                for (var i = 0; i < x.Length; i++)
                {
                    for (var c = 0; c < w.Length; c++)
                    {
                        t[c] = x[i] * w[c];
                    }

                    s += t[0] * t[0];
                    t[0] = t[0] * t[1];
                    s += t[0] * t[2];
                }

                return s;
            }

            // Not private: the writer loop reads the array it writes (a running prefix).
            // domain: x[4]=-1..1 w[3]=-1..1
            [Differentiable]
            public static double WriterReads(double[] x, double[] w)
            {
                var t = new double[w.Length];
                var s = 0.0;
                for (var i = 0; i < x.Length; i++)
                {
                    for (var c = 0; c < w.Length; c++)
                    {
                        t[c] = x[i] * w[c] + (c > 0 ? t[c - 1] : 0.0);
                    }

                    s += t[2] * t[1];
                }

                return s;
            }

            // The MLP's hidden layer: each element of h is written once (index b·hidden + j), so nothing is pushed.
            // An element is read before the nest writes it: the reverse must give it its zero back.
            // domain: w[6]=-1..1 x[4]=-1..1
            [Differentiable]
            public static double HiddenLayer(double[] w, double[] x)
            {
                var hidden = 3;
                var batch = 2;
                var h = new double[batch * hidden];
                var early = (h[4] + 1.0) * x[0];
                for (var b = 0; b < batch; b++)
                {
                    for (var j = 0; j < hidden; j++)
                    {
                        var z = (w[j] * x[b]) + (w[j + 3] * x[b + 2]);
                        h[(b * hidden) + j] = Math.Tanh(z);
                    }
                }

                var loss = early * early;
                for (var b = 0; b < batch; b++)
                {
                    for (var j = 0; j < hidden; j++)
                    {
                        loss += h[(b * hidden) + j] * h[j + (hidden * b)] * w[j];
                    }
                }

                return loss * loss;
            }

            // One loop, index i: written once.
            // domain: x[4]=-1..1
            [Differentiable]
            public static double SingleLoopOnce(double[] x)
            {
                var e = new double[x.Length];
                for (var i = 0; i < x.Length; i++)
                {
                    e[i] = Math.Exp(x[i] * x[0]);
                }

                var s = 0.0;
                for (var i = 0; i < e.Length; i++)
                {
                    s = (s * e[i]) + x[i];
                }

                return s;
            }

            // Not written once: b + j overlaps across iterations, so the old elements are saved.
            // domain: w[3]=-1..1 x[2]=-1..1
            [Differentiable]
            public static double OverlappingIndex(double[] w, double[] x)
            {
                var h = new double[4];
                for (var b = 0; b < 2; b++)
                {
                    for (var j = 0; j < 3; j++)
                    {
                        h[b + j] = Math.Sin(h[b + j] + (w[j] * x[b]));
                    }
                }

                return (h[0] * h[1]) + (h[2] * h[3]);
            }

            // Not written once: the nest runs again in every pass of the outer loop.
            // domain: w[3]=-1..1 x[2]=-1..1
            [Differentiable]
            public static double NestRepeated(double[] w, double[] x)
            {
                var h = new double[3];
                var s = 1.0;
                for (var pass = 0; pass < 2; pass++)
                {
                    for (var j = 0; j < 3; j++)
                    {
                        h[j] = Math.Sin((w[j] * x[pass]) + s);
                    }

                    s = s * (h[0] + h[1] * h[2]);
                }

                return s;
            }
        }
        """;

    private static readonly IReadOnlyList<MethodUnderTest> s_methods = MethodUnderTest.ReadAll(Source);

    private static readonly Lazy<CompiledBatch> s_batch = new(() => CompiledBatch.Compile(new[] { Source }, s_methods));

    public static TheoryData<string> Methods() => MethodUnderTest.Keys(s_methods);

    [Theory]
    [MemberData(nameof(Methods))]
    public void Gradient_matches_central_finite_differences(string key)
    {
        s_batch.Value.AssertGradientMatchesFiniteDifferences(s_methods.Single(m => m.Key == key), PointsPerFunction);
    }

    [GeneratedRegex(@"Push\(\w+\[")]
    private static partial Regex ElementPush();

    /// <summary>
    /// Where the analysis proves the array private, the main loop is fused and no element is pushed; everywhere else
    /// the loop keeps its reverse sweep and the stores their saves.
    /// </summary>
    [Theory]
    [InlineData("Regions.LogSumExpPerPoint", true)]
    [InlineData("Regions.LengthBound", true)]
    [InlineData("Regions.FloatScratch", true)]
    [InlineData("Regions.ReadAfterLoop", false)]
    [InlineData("Regions.CarriedElement", false)]
    [InlineData("Regions.PartialWrite", false)]
    [InlineData("Regions.ConditionalWrite", false)]
    [InlineData("Regions.SecondStore", false)]
    [InlineData("Regions.WriterReads", false)]
    public void Private_arrays_are_fused_without_saves(string key, bool isPrivate)
    {
        var source = s_batch.Value.GeneratedSource[key];
        var fused = source.Contains("// Written whole before it is read in each iteration", StringComparison.Ordinal);
        Assert.True(fused == isPrivate, $"{key}: private array expected {isPrivate}, got {fused}.\n{source}");
        Assert.True(source.Contains("// Fused:", StringComparison.Ordinal) == isPrivate, $"{key}: fused expected {isPrivate}.\n{source}");
        Assert.True(ElementPush().IsMatch(source) != isPrivate, $"{key}: element saves expected {!isPrivate}.\n{source}");
    }

    /// <summary>
    /// A store that writes each element of a fresh array once pushes nothing, and its reverse writes the creation's
    /// zero back; the overlapping and repeated nests keep their saves.
    /// </summary>
    [Theory]
    [InlineData("Regions.HiddenLayer", "h", true)]
    [InlineData("Regions.SingleLoopOnce", "e", true)]
    [InlineData("Regions.OverlappingIndex", "h", false)]
    [InlineData("Regions.NestRepeated", "h", false)]
    public void Elements_written_once_are_not_saved(string key, string array, bool once)
    {
        var source = s_batch.Value.GeneratedSource[key];
        // The array or an innermost loop's block-local copy of its reference (_h, _h_1).
        var name = @"\b_?" + array + @"(?:_\d+)?";
        // Saved on the tape or, since session 19, in a slot of a loop nest's buffer (_hSaved[…] = _h[…], _saves[…] = _h[…]).
        var pushed = Regex.IsMatch(source, @"(?:Push\(|(?:Saved|_saves)(?:_\d+)?\[[^\]]+\] = )" + name + @"\[");
        var zeroed = Regex.IsMatch(source, name + @"\[[^\]]+\] = 0\.0;");
        Assert.True(pushed != once && zeroed == once, $"{key}: written once expected {once}, pushed {pushed}, zero written back {zeroed}.\n{source}");
    }
}

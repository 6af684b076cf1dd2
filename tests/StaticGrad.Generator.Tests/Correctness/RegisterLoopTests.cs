using System.Text.RegularExpressions;
using StaticGrad.Generator.Tests.Correctness.Harness;

namespace StaticGrad.Generator.Tests.Correctness;

/// <summary>
/// Loops in registers (issue 18, session 12): a counted loop's reverse runs until its index is back at its start
/// instead of counting a trip counter kept on the tape, and an innermost loop works on block-local copies of the
/// scalars it writes. Every method is checked against central finite differences (tolerances of
/// <see cref="FiniteDifferenceCheck"/>), and the emitted shape is asserted: which loops keep a trip counter, which
/// work on copies. The shapes are the MLP's dot product, GMM's inner loop (an accumulator, a stride and an index
/// bounded by the outer index), starts that are a parameter or a non-zero constant, the loops that must keep and count
/// their counter (an index written in the body, a start that the loop changes, a step of 2), and time steps whose
/// index the reverse never reads (their trip count is taken after the forward loop).
/// </summary>
public sealed partial class RegisterLoopTests
{
    private const int PointsPerFunction = 5;

    private const string Source = """
        using System;
        using StaticGrad;

        namespace Corpus;

        public static partial class Loops
        {
            // The MLP's first layer: a dot product per neuron, then tanh.
            // domain: w[6]=-1..1 b[2]=-1..1 x[3]=-1..1
            [Differentiable]
            public static double Layer(double[] w, double[] b, [NoGrad] double[] x)
            {
                var loss = 0.0;
                for (var j = 0; j < 2; j++)
                {
                    var z = b[j];
                    for (var i = 0; i < 3; i++)
                    {
                        z += w[(j * 3) + i] * x[i];
                    }

                    loss += Math.Tanh(z) * Math.Tanh(z);
                }

                return loss;
            }

            // GMM's row: an accumulator, a stride advanced in the loop, an index bounded by the outer index.
            // domain: q[10]=-1..1 v[4]=-1..1
            [Differentiable]
            public static double Rows(double[] q, double[] v)
            {
                var norm = 0.0;
                for (var j = 0; j < 4; j++)
                {
                    var row = q[j] * v[j];
                    var lower = 4 + j - 1;
                    for (var col = 0; col < j; col++)
                    {
                        row += q[lower] * v[col];
                        lower += 4 - col - 2;
                    }

                    norm += row * row;
                }

                return Math.Log(1.0 + norm);
            }

            // Starts that are a parameter and a constant other than zero; the loop's value is read nonlinearly.
            // domain: a[6]=-1..1 d=1..3
            [Differentiable]
            public static double Starts(double[] a, int d)
            {
                var m = a[0];
                for (var c = 1; c < a.Length; c++)
                {
                    m = Math.Max(m, a[c]) * 0.9 + a[c] * 0.1;
                }

                var s = 0.0;
                for (var j = d; j < a.Length; j++)
                {
                    s = s * 0.5 + a[j] * m;
                }

                return s * s;
            }

            // An index the body writes and a step of 2 keep their trip counters; the start k, a local the loop does not
            // write, is kept by the reverse sweep (session 15), so that loop runs back to it.
            // domain: a[7]=-1..1 n=1..3
            [Differentiable]
            public static double Counters(double[] a, int n)
            {
                var p = 1.0;
                for (var i = 0; i < a.Length; i++)
                {
                    p = p * 0.5 + a[i] * p;
                    if (a[i] > 2.0)
                    {
                        i++;
                    }
                }

                var k = n;
                for (var i = k; i < a.Length; i++)
                {
                    p = p * a[i];
                }

                for (var i = 0; i < a.Length; i += 2)
                {
                    p = p * 0.5 + a[i] * a[i] * p;
                }

                return p;
            }

            // A break, an early exit through the condition, nested three deep, in float.
            // domain: a[8]=-1..1 x=0.5..1.5
            [Differentiable]
            public static float Nested(float[] a, float x)
            {
                var s = 0f;
                for (var i = 0; i < 2; i++)
                {
                    for (var j = 0; j < 2; j++)
                    {
                        var t = x;
                        for (var k = 0; k < 2 && t < 100f; k++)
                        {
                            t = t * a[(i * 4) + (j * 2) + k] + x;
                            if (t > 50f)
                            {
                                break;
                            }
                        }

                        s = s * t + x;
                    }
                }

                return s;
            }

            // Time steps whose index the reverse never reads: the trip counts are taken after the forward loops.
            // domain: x=-1..1 v=-1..1 k=0.5..2 steps=1..4
            [Differentiable]
            public static double TimeSteps(double x, double v, double k, int steps)
            {
                for (var t = 0; t < steps; t++)
                {
                    v = v - (k * x * 0.1);
                    x = x + (v * 0.1);
                }

                for (var t = 1; t < steps; t++)
                {
                    x = x + (Math.Sin(v) * 0.1);
                }

                return (0.5 * v * v) + (0.5 * k * x * x);
            }

            // A while loop written by hand.
            // domain: a[5]=-1..1
            [Differentiable]
            public static double WhileLoop(double[] a)
            {
                var s = 1.0;
                var i = 0;
                while (i < a.Length)
                {
                    s = s * a[i] + 0.5 * s;
                    i = i + 1;
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

    /// <summary>
    /// How many loops of the backward keep a trip counter, how many of them count it in the forward loop, and how many
    /// loops work on block-local copies.
    /// </summary>
    [Theory]
    [InlineData("Loops.Layer", 0, 0, 2)]
    [InlineData("Loops.Rows", 0, 0, 2)]
    [InlineData("Loops.Starts", 0, 0, 4)]
    [InlineData("Loops.Counters", 2, 2, 6)]
    // The break guards the increment (the normalised loop steps only when it did not break): a trip counter.
    [InlineData("Loops.Nested", 1, 1, 2)]
    [InlineData("Loops.TimeSteps", 2, 0, 4)]
    [InlineData("Loops.WhileLoop", 0, 0, 2)]
    public void Backward_counts_and_copies(string key, int counters, int incremented, int copied)
    {
        var source = s_batch.Value.GeneratedSource[key];
        var start = source.IndexOf("// Forward sweep", StringComparison.Ordinal);
        var body = source[start..];
        var counterLoops = Regex.Matches(body, @"for \(; _n\d+(?:_\d+)? > 0; _n\d+(?:_\d+)?--\)").Count;
        var increments = Regex.Matches(body, @"_n\d+(?:_\d+)?\+\+;").Count;
        var copies = Regex.Matches(body, "// In block-local copies of ").Count;
        Assert.True(
            counterLoops == counters && increments == incremented && copies == copied,
            $"{key}: {counterLoops} loops with a trip counter (expected {counters}), {increments} counted in the forward loop (expected {incremented}), {copies} on block-local copies (expected {copied}).\n{body}");
    }
}

using System.Text.RegularExpressions;
using StaticGrad.Generator.Tests.Correctness.Harness;

namespace StaticGrad.Generator.Tests.Correctness;

/// <summary>
/// A [Differentiable] callee written as the logistic function, <c>1 / (1 + Math.Exp(-z))</c>, is differentiated from
/// its value, σ′ = σ·(1 − σ) (session 16, <c>Derivatives/ResultRules.cs</c>): where the call is a statement's whole
/// right side in a loop, the reverse reads the target instead of calling the callee's backward (which evaluated
/// <c>exp</c> again). The adversarial shapes: the value overwritten before the reverse (not saved), the argument
/// overwritten by the call itself, stores into the array the argument reads, nested calls, products, break, continue,
/// early return, zero trips, nested loops, [NoGrad], float, hostile names, and bodies that look like the logistic but
/// are not (their backward must be kept). Every method is checked against central finite differences with the
/// tolerances of <see cref="FiniteDifferenceCheck"/> (double |g − fd| ≤ 1e-6·max(1, |fd|) plus the rounding bound,
/// float 2e-3); all methods share one generator run and one compilation.
/// </summary>
public sealed class LogisticResultFormTests
{
    private const int PointsPerFunction = 3;

    private const string Source = """
        using System;
        using StaticGrad;

        namespace Corpus;

        public static partial class Gates
        {
            [Differentiable]
            public static double Sigmoid(double z) => 1.0 / (1.0 + Math.Exp(-z));

            // The sum the other way round, an int literal, a statement body.
            [Differentiable]
            public static double Logistic(double z)
            {
                return 1 / (Math.Exp(-z) + 1);
            }

            [Differentiable]
            public static float SigmoidF(float z) => 1f / (1f + MathF.Exp(-z));

            // Look like the logistic but are not: their backward is kept.
            [Differentiable]
            public static double NotNegated(double z) => 1.0 / (1.0 + Math.Exp(z));

            [Differentiable]
            public static double Scaled(double z) => 2.0 / (1.0 + Math.Exp(-z));

            [Differentiable]
            public static double Shifted(double z, double w) => 1.0 / (1.0 + Math.Exp(-z - w));

            [Differentiable]
            public static double Frozen([NoGrad] double z) => 1.0 / (1.0 + Math.Exp(-z));

            // An LSTM cell's loop: gates from the state array, the state overwritten per element.
            // domain: w[12]=-1..1 state[8]=-1..1 n=0..4
            [Differentiable]
            public static double Cell(double[] w, double[] state, int n)
            {
                var s = new double[2 * n];
                for (int i = 0; i < 2 * n; i++)
                    s[i] = state[i];
                double total = 0;
                for (int i = 0; i < n; i++)
                {
                    var forget = Sigmoid(s[i] * w[i] + w[4 + i]);
                    var input = Logistic(s[n + i] * w[8 + i]);
                    var change = Math.Tanh(s[i] + w[i]);
                    s[n + i] = s[n + i] * forget + input * change;
                    s[i] = Sigmoid(s[n + i]) * Math.Tanh(s[n + i]);
                    total += s[i];
                }

                return total;
            }

            // Saturated outside a loop: exp(800 + x²) overflows, so σ = 0 and σ′ = 0; the callee's own backward (the
            // quotient rule on exp) gave 0·∞ = NaN here, and the forward sweep used to save its partial from it
            // (random programs, batch 20262154 P119).
            // domain: x=-1..1
            [Differentiable]
            public static double Saturated(double x) => Math.Atan(Sigmoid(-800.0 - x * x)) + x * Sigmoid(x);

            // The target overwritten in the same iteration without a save: the value must come from elsewhere.
            // domain: a[5]=-1..1 x=-1..1
            [Differentiable]
            public static double Overwritten(double[] a, double x)
            {
                double v = 0, total = 1;
                for (int i = 0; i < a.Length; i++)
                {
                    v = Sigmoid(a[i] * x);
                    total *= v;
                    v = v * x;
                    total *= v + 1;
                }

                return total;
            }

            // The argument is the target (restored before the partial is taken), and a store into the array read.
            // domain: a[5]=-1..1 x=-1..1
            [Differentiable]
            public static double SelfAndStore(double[] a, double x)
            {
                var b = new double[a.Length];
                for (int i = 0; i < a.Length; i++)
                    b[i] = a[i];
                for (int i = 0; i < b.Length; i++)
                {
                    x = Sigmoid(x + b[i]);
                    b[i] = Sigmoid(b[i] * x);
                }

                return x + b[0] * b[b.Length - 1];
            }

            // Nested calls, a product, a call inside ?:, break, continue, early return, a nested loop.
            // domain: a[6]=-1..1 x=-1..1 n=0..6
            [Differentiable]
            public static double Control(double[] a, double x, int n)
            {
                double total = 0;
                for (int i = 0; i < n; i++)
                {
                    if (a[i] > 0.8) break;
                    if (a[i] < -0.8) continue;
                    var g = Sigmoid(Sigmoid(a[i] * x) * x);
                    total += a[i] * Logistic(x - a[i]);
                    total += a[i] > 0 ? Sigmoid(g) : g;
                    for (int j = 0; j < 2; j++)
                    {
                        g = Sigmoid(g + x * j);
                        total += g;
                    }

                    if (total > 4) return total;
                }

                return total + Sigmoid(x);
            }

            // Bodies that are not the logistic, each the whole right side in a loop that is not fused (the value is
            // carried), where a logistic would be read from its target.
            // domain: a[4]=-1..1 x=-1..1
            [Differentiable]
            public static double Lookalikes(double[] a, double x)
            {
                double p = x, q = x, r = x, f = x;
                for (int i = 0; i < a.Length; i++)
                {
                    p = NotNegated(p * a[i] + x);
                    q = Scaled(q * a[i] - x);
                    r = Shifted(r * a[i], x);
                    f = Frozen(f * a[i] + x);
                }

                return p * q + r * f;
            }

            // Locals named like the temporaries the reverse binds the value to.
            // domain: a[4]=-1..1 _s0=-1..1
            [Differentiable]
            public static double HostileNames(double[] a, double _s0)
            {
                double _y0 = 0, _s1 = 1;
                for (int i = 0; i < a.Length; i++)
                {
                    _y0 = Sigmoid(a[i] * _s0);
                    _s1 *= _y0 + 0.5;
                }

                return _s1;
            }

            // domain: a[5]=-1..1 x=-1..1
            [Differentiable]
            public static float FloatGates(float[] a, float x)
            {
                float total = 1;
                for (int i = 0; i < a.Length; i++)
                {
                    var g = SigmoidF(a[i] * x);
                    total *= g + a[i];
                }

                return total;
            }
        }
        """;

    private static readonly IReadOnlyList<MethodUnderTest> s_methods = MethodUnderTest.ReadAll(Source);
    private static readonly Lazy<CompiledBatch> s_batch = new(() => CompiledBatch.Compile(new[] { Source }, s_methods));

    // Frozen has no parameter with a derivative of its own (Lookalikes checks the derivative through it).
    public static TheoryData<string> Methods() => MethodUnderTest.Keys(s_methods.Where(m => m.Key != "Gates.Frozen").ToList());

    [Theory]
    [MemberData(nameof(Methods))]
    public void Gradient_matches_central_finite_differences(string key)
    {
        s_batch.Value.AssertGradientMatchesFiniteDifferences(s_methods.Single(m => m.Key == key), PointsPerFunction);
    }

    /// <summary>How often a method's backward (either sweep) calls a callee's backward.</summary>
    [Theory]
    // Cell: the two whole-statement gates read their targets; Sigmoid(s[n + i]) is a factor (its backward returns the value).
    [InlineData("Gates.Cell", "SigmoidBackward", 1)]
    [InlineData("Gates.Cell", "LogisticBackward", 0)]
    // Saturated: the saturated gate from its value (no backward, no NaN); x * Sigmoid(x) is a factor, as in Cell.
    [InlineData("Gates.Saturated", "SigmoidBackward", 1)]
    [InlineData("Gates.Overwritten", "SigmoidBackward", 0)]
    [InlineData("Gates.SelfAndStore", "SigmoidBackward", 0)]
    [InlineData("Gates.FloatGates", "SigmoidFBackward", 0)]
    [InlineData("Gates.HostileNames", "SigmoidBackward", 0)]
    [InlineData("Gates.Lookalikes", "NotNegatedBackward", 1)]
    [InlineData("Gates.Lookalikes", "ScaledBackward", 1)]
    [InlineData("Gates.Lookalikes", "ShiftedBackward", 1)]
    [InlineData("Gates.Lookalikes", "FrozenBackward", 1)]
    public void Reverse_sweep_calls_the_backward(string key, string backward, int expected)
    {
        var source = s_batch.Value.GeneratedSource[key];
        var calls = Regex.Matches(source, @"\." + backward + @"\w*\(").Count;
        Assert.True(calls == expected, $"{key}: the backward calls {backward} {calls} times, expected {expected}.\n{source}");
    }

    [Fact]
    public void The_reverse_reads_the_gates_from_their_targets()
    {
        // forget and input: copied from the target before its restore, never computed again.
        var reverse = ReverseSweep("Gates.Cell");
        Assert.DoesNotContain("global::System.Math.Exp(", reverse, StringComparison.Ordinal);
        Assert.Matches(@"double _s\d+ = _y\d+;", reverse);
    }

    private static string ReverseSweep(string key)
    {
        var source = s_batch.Value.GeneratedSource[key];
        var start = source.IndexOf("// Reverse sweep", StringComparison.Ordinal);
        return source.Substring(start);
    }
}

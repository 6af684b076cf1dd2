using StaticGrad.Generator.Tests.Correctness.Harness;

namespace StaticGrad.Generator.Tests.Correctness;

/// <summary>
/// <c>Math</c> values inside loops kept for the reverse on the tape (session 18, LSTM's <c>h = o · tanh(c)</c>): a
/// library call the statement always evaluates and whose text the statement's reverse reads (a factor's partial, an
/// outer call's argument) is pushed after the statement and popped into a local at the start of its reverse, instead
/// of being evaluated again there. The adversarial shapes: arguments overwritten after the statement and by the
/// statement itself, stores into the array the call reads (aliased elements, the same element), <c>if</c> arms,
/// break and continue, nested loops (a fused loop's inner loop too), nested calls, two kept calls in one statement,
/// Tanh/Exp/Log/Sqrt/Sin/Cos factors, float, and locals named like the kept locals. Every method is checked against
/// central finite differences with the tolerances of <see cref="FiniteDifferenceCheck"/> (double
/// |g − fd| ≤ 1e-6·max(1, |fd|) plus the rounding bound, float 2e-3), which also fails a backward that leaves values
/// on the tape; all methods share one generator run and one compilation.
/// </summary>
public sealed class KeptBuiltinLoopTests
{
    private const int PointsPerFunction = 3;

    private const string Source = """
        using System;
        using StaticGrad;

        namespace Corpus;

        public static partial class Loops
        {
            // The LSTM cell's shape: tanh(c) a factor of the hidden state, c overwritten per element before.
            // domain: w[8]=-1..1 state[8]=-1..1 steps=0..3
            [Differentiable]
            public static double Cell(double[] w, double[] state, int steps)
            {
                var s = new double[8];
                for (int i = 0; i < 8; i++)
                    s[i] = state[i];
                for (int t = 0; t < steps; t++)
                {
                    for (int i = 0; i < 4; i++)
                    {
                        var change = Math.Tanh(s[i] * w[i] + w[4 + i]);
                        s[4 + i] = s[4 + i] * 0.5 + change * w[i];
                        s[i] = w[4 + i] * Math.Tanh(s[4 + i]);
                    }
                }

                return s[0] + s[1] * s[2] + s[3] * s[7];
            }

            // The call's argument is the statement's target, and overwritten again after it.
            // domain: a[5]=-1..1 x=-1..1
            [Differentiable]
            public static double Overwritten(double[] a, double x)
            {
                double y = 0, total = 0;
                for (int i = 0; i < a.Length; i++)
                {
                    x = x * Math.Cos(x + a[i]);
                    y = a[i] * Math.Exp(x * a[i]);
                    x = y * 0.5 + x;
                    total += y * x;
                }

                return total * x;
            }

            // Stores into the array the call reads: the same element, and elements that may coincide (j = i or not).
            // domain: a[5]=-1..1 x=-1..1
            [Differentiable]
            public static double Aliasing(double[] a, double x)
            {
                var b = new double[a.Length];
                for (int i = 0; i < a.Length; i++)
                    b[i] = a[i] * x;
                for (int i = 0; i < b.Length; i++)
                {
                    int j = (i * 3) % b.Length;
                    b[i] = b[i] * Math.Sin(b[i]);
                    b[j] = b[i] * Math.Exp(b[j] * x) + b[j];
                    b[(i + 1) % b.Length] = x * Math.Log(2.0 + b[i] * b[j] * b[i] * b[j]);
                }

                return b[0] + b[1] * b[2] + b[3] * b[4];
            }

            // if arms, break and continue: a value is pushed only in the arm that ran.
            // domain: a[6]=-1..1 x=-1..1 n=0..6
            [Differentiable]
            public static double Arms(double[] a, double x, int n)
            {
                double s = 1;
                for (int i = 0; i < n; i++)
                {
                    if (a[i] > 0.85) break;
                    if (a[i] < -0.85) continue;
                    if (a[i] > 0)
                        s = s * Math.Exp(a[i] * x);
                    else
                        s = x * Math.Tanh(s + a[i]) + s;
                    s = s * 0.9 + Math.Sin(x * a[i]) * a[i];
                }

                return s * x;
            }

            // Nested loops, nested calls and two kept calls in one statement.
            // domain: a[4]=-1..1 x=-1..1
            [Differentiable]
            public static double Nested(double[] a, double x)
            {
                double s = 0.5;
                for (int i = 0; i < a.Length; i++)
                {
                    for (int j = 0; j <= i; j++)
                    {
                        s = s * Math.Exp(Math.Sin(a[j] * x)) + Math.Cos(s) * Math.Log(1.5 + a[i]);
                        s = Math.Sqrt(1.0 + s * s) * x;
                    }
                }

                return s;
            }

            // A fused reduction loop with an inner loop: the inner statement runs many times per fused iteration.
            // domain: a[4]=-1..1 x=-1..1
            [Differentiable]
            public static double FusedInner(double[] a, double x)
            {
                double total = 0;
                for (int i = 0; i < a.Length; i++)
                {
                    double p = a[i];
                    for (int j = 0; j < 3; j++)
                        p = p * Math.Tanh(p + x) + a[i];
                    total += p;
                }

                return 2.0 * total;
            }

            // domain: a[5]=-1..1 x=-1..1
            [Differentiable]
            public static float FloatFactors(float[] a, float x)
            {
                var b = new float[a.Length];
                float s = 1f;
                for (int i = 0; i < a.Length; i++)
                {
                    s = s * MathF.Tanh(a[i] + x) + MathF.Exp(a[i] * s) * x;
                    b[i] = s * MathF.Log(2f + a[i]);
                }

                return s + b[0] * b[a.Length - 1];
            }

            // Locals named like the kept locals and the tape.
            // domain: a[4]=-1..1 _m0=-1..1
            [Differentiable]
            public static double HostileNames(double[] a, double _m0)
            {
                double _tape = 1, _m1 = 0;
                for (int i = 0; i < a.Length; i++)
                {
                    _m1 = _tape * Math.Exp(a[i] * _m0);
                    _tape = _m1 * Math.Tanh(_tape) + _m0;
                }

                return _tape + _m1;
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

    /// <summary>How many times the whole backward (both sweeps) calls a <c>Math</c> function.</summary>
    [Theory]
    // change's tanh is the whole value (read from its target); tanh(c), a factor, is popped: the forward's two calls only.
    [InlineData("Loops.Cell", "Tanh", 2)]
    [InlineData("Loops.Overwritten", "Cos", 1)]
    [InlineData("Loops.Overwritten", "Exp", 1)]
    [InlineData("Loops.Aliasing", "Sin", 1)]
    [InlineData("Loops.Aliasing", "Exp", 1)]
    // log′ reads the argument, not the value: the log is not pushed.
    [InlineData("Loops.Aliasing", "Log", 1)]
    [InlineData("Loops.Arms", "Exp", 1)]
    [InlineData("Loops.Arms", "Sin", 1)]
    [InlineData("Loops.Arms", "Tanh", 1)]
    [InlineData("Loops.Nested", "Exp", 1)]
    [InlineData("Loops.Nested", "Log", 1)]
    // Sqrt is one instruction: evaluated again in the reverse (once, bound for both partials) rather than pushed.
    [InlineData("Loops.Nested", "Sqrt", 2)]
    [InlineData("Loops.FusedInner", "Tanh", 1)]
    [InlineData("Loops.FloatFactors", "Tanh", 1)]
    [InlineData("Loops.FloatFactors", "Exp", 1)]
    [InlineData("Loops.HostileNames", "Tanh", 1)]
    public void Backward_calls_the_function(string key, string function, int expected) => KeptBuiltinTests.AssertBackwardCalls(s_batch.Value, key, function, expected);
}

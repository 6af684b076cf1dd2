using StaticGrad.Generator.Tests.Correctness.Harness;

namespace StaticGrad.Generator.Tests.Robustness;

/// <summary>
/// Session 19 (issue 18, LSTM): a counted loop outside every loop is a root of slots. A value saved under it and under
/// at least one more counted loop goes to the slot the loops' indices number, the saves of one loop body side by side
/// in one buffer rented before the root and returned after its reverse; the values a statement keeps of its library
/// calls (<c>tanh(c)</c>) lie beside them. Right only when each run of the statement has its own slot and the indices
/// hold their forward values where the value is read back: these methods break one condition at a time (break in an
/// inner loop, an early return from the root, a bound parameter the body lowers) and probe the rest (an LSTM cell over a
/// state array, continue, three nested loops from 1 to <c>n + 1</c>, zero trips, two sibling loops sharing an index
/// with different bounds, a helper call in the body, a kept call whose statement saves nothing, float, a root inside
/// an <c>if</c>, locals named as the generated buffers). One compilation; each backward against central finite
/// differences (tolerances of <see cref="FiniteDifferenceCheck"/>, which also fails a backward leaving values on the
/// tape) and, per method, how many buffers it rents and whether it still pops floating values from the tape.
/// </summary>
public sealed class Session19LoopSlotsAdversarialTests
{
    private const int PointsPerFunction = 3;

    private const string Source = """
        using System;
        using StaticGrad;

        namespace ReviewLoopSlots;

        public static partial class F
        {
            // domain: w[24]=-1..1 s0[12]=-1..1 seq[9]=-1..1 layers=2..2 hidden=3..3 steps=3..3
            [Differentiable]
            public static double Cell(double[] w, [NoGrad] double[] s0, [NoGrad] double[] seq, int layers, int hidden, int steps)
            {
                var state = new double[2 * layers * hidden];
                for (var i = 0; i < state.Length; i++)
                {
                    state[i] = s0[i];
                }

                var x = new double[hidden];
                var total = 0.0;
                for (var t = 0; t < steps - 1; t++)
                {
                    for (var i = 0; i < hidden; i++)
                    {
                        x[i] = seq[(t * hidden) + i];
                    }

                    for (var layer = 0; layer < layers; layer++)
                    {
                        var h = 2 * layer * hidden;
                        var c = h + hidden;
                        for (var i = 0; i < hidden; i++)
                        {
                            var forget = 1.0 / (1.0 + Math.Exp(-(x[i] * w[(layer * 12) + i])));
                            var change = Math.Tanh(state[h + i] * w[(layer * 12) + hidden + i]);
                            state[c + i] = (state[c + i] * forget) + (w[(layer * 12) + (2 * hidden) + i] * change);
                            state[h + i] = w[(layer * 12) + (3 * hidden) + i] * Math.Tanh(state[c + i]);
                            x[i] = state[h + i];
                        }
                    }

                    for (var i = 0; i < hidden; i++)
                    {
                        total += x[i] * seq[((t + 1) * hidden) + i];
                    }
                }

                return total;
            }

            // domain: a[8]=-1..1 x=-1..1 n=3..4
            [Differentiable]
            public static double BreakInInner(double[] a, double x, int n)
            {
                var total = 0.0;
                var v = x;
                for (var i = 0; i < 2; i++)
                {
                    for (var j = 0; j < n; j++)
                    {
                        v = Math.Sin(v * a[i + j]) + v;
                        if (v > 1.5)
                        {
                            break;
                        }
                    }

                    total += v * v;
                }

                return total;
            }

            // domain: a[8]=-1..1 x=-1..1 n=3..4
            [Differentiable]
            public static double ContinueInInner(double[] a, double x, int n)
            {
                var total = 0.0;
                var v = x;
                for (var i = 0; i < 2; i++)
                {
                    for (var j = 0; j < n; j++)
                    {
                        if (a[i + j] > 0.5)
                        {
                            continue;
                        }

                        v = Math.Cos(v * a[i + j]) * v;
                    }

                    total += v * v;
                }

                return total;
            }

            // domain: a[12]=-1..1 x=-1..1 n=2..3
            [Differentiable]
            public static double ThreeDeepFromOne(double[] a, double x, int n)
            {
                var v = x;
                for (var i = 1; i < n + 1; i++)
                {
                    for (var j = 1; j < n; j++)
                    {
                        for (var k = 0; k < 2; k++)
                        {
                            v = v * Math.Tanh(v + a[i + j + k]) + a[k];
                        }
                    }
                }

                return v;
            }

            // domain: a[8]=-1..1 x=-1..1 n=3..4
            [Differentiable]
            public static double EarlyReturn(double[] a, double x, int n)
            {
                var v = x;
                for (var i = 0; i < n; i++)
                {
                    for (var j = 0; j < 2; j++)
                    {
                        v = Math.Sin(v * a[i + j]) + v;
                    }

                    if (v > 2.0)
                    {
                        return v * v;
                    }
                }

                return v;
            }

            // domain: a[8]=-1..1 x=-1..1 n=2..3
            [Differentiable]
            public static double ZeroTrips(double[] a, double x, int n)
            {
                var v = x;
                for (var i = 0; i < n - 3; i++)
                {
                    for (var j = 0; j < n; j++)
                    {
                        v = Math.Sin(v * a[i + j]) + v;
                    }
                }

                return v * v + x;
            }

            // domain: a[8]=-1..1 x=-1..1 n=3..4
            [Differentiable]
            public static double BoundLowered(double[] a, double x, int n)
            {
                var v = x;
                for (var i = 0; i < 3; i++)
                {
                    for (var j = 0; j < n; j++)
                    {
                        v = Math.Sin(v * a[i + j]) + v;
                    }

                    n = n - 1;
                }

                return v;
            }

            // domain: a[10]=-1..1 x=-1..1 n=2..3
            [Differentiable]
            public static double SiblingsShareIndex(double[] a, double x, int n)
            {
                var v = x;
                int j;
                for (var i = 0; i < 2; i++)
                {
                    for (j = 0; j < n; j++)
                    {
                        v = Math.Sin(v * a[i + j]) + v;
                    }

                    for (j = 0; j < n + 2; j++)
                    {
                        v = Math.Cos(v * a[i + j]) * v;
                    }
                }

                return v;
            }

            // domain: a[8]=-1..1 x=-1..1 n=2..3
            [Differentiable]
            public static double HelperInBody(double[] a, double x, int n)
            {
                var v = x;
                for (var i = 0; i < 2; i++)
                {
                    for (var j = 0; j < n; j++)
                    {
                        v = Squash(v * a[i + j]) + (v * Math.Exp(Squash(v)));
                    }
                }

                return v;
            }

            [Differentiable]
            public static double Squash(double z) => z / (1.0 + (z * z));

            // domain: a[8]=-1..1 x=-1..1 n=2..3
            [Differentiable]
            public static double KeptWithoutSave(double[] a, double x, int n)
            {
                var sum = 0.0;
                for (var i = 0; i < 2; i++)
                {
                    for (var j = 0; j < n; j++)
                    {
                        sum += x * Math.Exp(a[i + j] * x);
                    }
                }

                return Math.Log(sum * sum + 1.0);
            }

            // domain: w[8]=-1..1 x=-1..1 n=2..3
            [Differentiable]
            public static float FloatCell(float[] w, float x, int n)
            {
                var state = new float[4];
                state[0] = x;
                for (var t = 0; t < 2; t++)
                {
                    for (var i = 0; i < n; i++)
                    {
                        var gate = MathF.Tanh(state[i % 2] * w[i + t]);
                        state[(i % 2) + 2] = (state[(i % 2) + 2] * gate) + w[i];
                        state[i % 2] = gate * MathF.Tanh(state[(i % 2) + 2]);
                    }
                }

                return state[0] + state[1] + state[2];
            }

            // domain: a[8]=-1..1 x=-1..1 n=2..3
            [Differentiable]
            public static double RootUnderBranch(double[] a, double x, int n)
            {
                var v = x;
                if (x > -2.0)
                {
                    for (var i = 0; i < 2; i++)
                    {
                        for (var j = 0; j < n; j++)
                        {
                            v = Math.Sin(v * a[i + j]) * Math.Exp(v);
                        }
                    }
                }

                return v;
            }

            // domain: a[8]=-1..1 x=-1..1 n=2..3
            [Differentiable]
            public static double HostileNames(double[] a, double x, int n)
            {
                var _saves = x;
                var _vSaved = 0.0;
                for (var _saves_1 = 0; _saves_1 < 2; _saves_1++)
                {
                    for (var j = 0; j < n; j++)
                    {
                        _vSaved = _saves * a[_saves_1 + j];
                        _saves = Math.Sin(_vSaved) * Math.Tanh(_saves);
                    }
                }

                return _saves + _vSaved;
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
        var batch = s_batch.Value;
        batch.AssertAcceptedAndGradientMatches(key, s_methods, PointsPerFunction);
    }

    /// <summary>How many slot buffers each backward rents, and whether it still pops floating values from the tape.</summary>
    [Theory]
    [InlineData("F.Cell", 2, false)]
    [InlineData("F.BreakInInner", 0, true)]
    [InlineData("F.ContinueInInner", 1, false)]
    [InlineData("F.ThreeDeepFromOne", 1, false)]
    [InlineData("F.EarlyReturn", 0, true)]
    [InlineData("F.ZeroTrips", 1, false)]
    [InlineData("F.BoundLowered", 0, true)]
    [InlineData("F.SiblingsShareIndex", 2, false)]
    [InlineData("F.HelperInBody", 1, false)]
    [InlineData("F.KeptWithoutSave", 1, false)]
    [InlineData("F.FloatCell", 1, false)]
    [InlineData("F.RootUnderBranch", 1, false)]
    [InlineData("F.HostileNames", 1, false)]
    public void Saves_under_a_counted_root_use_slots(string key, int buffers, bool pops) =>
        IterationSlotsAdversarialTests.AssertSlotBuffers(key, s_batch.Value.GeneratedSource[key], buffers, pops);
}

using System.Reflection;
using StaticGrad.Generator.Tests.Correctness.Harness;
using StaticGrad.Generator.Tests.Infrastructure;

namespace StaticGrad.Generator.Tests.Robustness;

/// <summary>
/// Session 23 (issue 18, gmm23d): inside a fused iteration, a counted leaf loop (no loop in its body) whose trip count
/// is read from constants and parameters no statement assigns saves its values, and the library calls it keeps, in
/// slots its index numbers, in a buffer rented once before the fused loop, instead of on the tape (GMM's log-sum-exp:
/// <c>ReverseModeTransformer.IterationSlots.cs</c>, <c>IsIterationStack</c>). Log-sum-exps of 0, 1, 2 and 5 terms per
/// point, from 1 (GMM's max), float, generic math, a bound <c>k + 1</c> and a constant bound, a saved product and two
/// saves in one loop, GMM's own shape (a term array written per point); fallbacks to the tape: a trip
/// count varying per outer iteration (0, 1, 2, 0, …), a trip count written inside the iteration (a local the iteration sets from k and lowers at i = 2, fused; the parameter
/// k itself lowered there, which refuses the fusion), a break in the loop,
/// a loop with a loop inside (the outer one's saves: MLP's shape), an early return after the point loop (not fused: its
/// loops take session 19's slots under a loop outside loops, checked bit for bit against the tape all the same); user names like the generated ones (<c>_tape</c>,
/// <c>_buf</c>, <c>_k</c>, <c>dx</c>, <c>seed</c>, <c>_result</c>, <c>_saves</c>, <c>_maxSaved</c>). Every method against central
/// finite differences (<see cref="FiniteDifferenceCheck"/>: double 1e-6 relative to max(1, |fd|), float 2e-3); each slot
/// method's value and adjoints equal bit for bit its tape twin's (the same method with its trip count copied to a local,
/// which keeps the tape: main's code for the loop), also with both arrays the same memory; the generic method equal bit
/// for bit to the plain one; an array too short throws in the backward what the primal throws, mid-loop.
/// </summary>
public sealed class Session23IterationStackTests
{
    private const int PointsPerFunction = 2;

    private const string Marker = "in a slot its index numbers";

    /// <summary>
    /// A sum over n points of a log-sum-exp of the point's <paramref name="bound"/> terms (the fused loop), with max
    /// starting at 0 (so 0 terms is defined). <paramref name="boundSetup"/> runs before the loops; the twin copies the
    /// trip count to a local first.
    /// </summary>
    private static string Lse(string name, string domain, string bound, string type = "double", string max = "Math.Max", string m = "Math", string extraParameters = "", string inIteration = "", string term = "x[(i * w) + c] * a[c]", string boundSetup = "", string from = "0", string beforeResult = "", string zero = "0", string one = "1") => $$"""

                // domain: {{domain}}
                [Differentiable]
                public static {{type}} {{name}}({{type}}[] x, {{type}}[] a, int n, int k, int w{{extraParameters}})
                {
        {{boundSetup}}            {{type}} s = {{zero}};
                    for (var i = 0; i < n; i++)
                    {
        {{inIteration}}                {{type}} mx = {{zero}};
                        for (var c = {{from}}; c < {{bound}}; c++)
                        {
                            mx = {{max}}(mx, {{term}});
                        }

                        {{type}} se = {{one}};
                        for (var c = {{from}}; c < {{bound}}; c++)
                        {
                            se = se + {{m}}.Exp({{term}} - mx);
                        }

                        s += {{m}}.Log(se) + mx;
                    }

        {{beforeResult}}            return s;
                }
        """;

    /// <summary>A method and its tape twin (the trip count in a local, which the slots do not take).</summary>
    private static string Pair(string name, string domain, string bound, string type = "double", string max = "Math.Max", string m = "Math", string term = "x[(i * w) + c] * a[c]", string from = "0", string beforeResult = "") =>
        Lse(name, domain, bound, type, max, m, term: term, from: from, beforeResult: beforeResult)
        + Lse(name + "Tape", domain, bound.Replace("k", "kLocal", StringComparison.Ordinal), type, max, m, term: term, from: from, beforeResult: beforeResult, boundSetup: "            var kLocal = k;\n");

    private static string Domain(int n, int k, int w) => $"x[{(n * w) + 2}]=-1..1 a[{w + 2}]=-1..1 n={n}..{n} k={k}..{k} w={w}..{w}";

    private static readonly string Source = """
        using System;
        using System.Linq;
        using StaticGrad;

        namespace Session23IterationStack;

        public static partial class G
        {
        """ + string.Concat(
        Pair("Lse0", Domain(3, 0, 2), "k"),
        Pair("Lse1", Domain(3, 1, 2), "k"),
        Pair("Lse2", Domain(3, 2, 2), "k"),
        Pair("Lse5", Domain(4, 5, 5), "k"),
        Pair("LseFrom1", Domain(4, 5, 5), "k", from: "1"),
        Pair("LsePlusOne", Domain(3, 3, 4), "k + 1"),
        Pair("FloatLse0", Domain(3, 0, 2), "k", "float", "MathF.Max", "MathF"),
        Pair("FloatLse1", Domain(3, 1, 2), "k", "float", "MathF.Max", "MathF"),
        Pair("FloatLse5", Domain(4, 5, 5), "k", "float", "MathF.Max", "MathF"),
        Pair("EarlyReturn4", Domain(3, 4, 4), "k", beforeResult: "            if (s > 1e6)\n            {\n                return 0.0;\n            }\n\n"),
        Lse("Constant3", Domain(3, 3, 3), "3"),
        Lse("VaryingTrips", Domain(5, 2, 2), "i % 3"),
        Lse("WrittenInside", Domain(4, 3, 3), "k", inIteration: "                if (i == 2)\n                {\n                    k = k - 1;\n                }\n\n"),
        Lse("WrittenLocal", Domain(4, 3, 3), "m", inIteration: "                var m = k;\n                if (i == 2)\n                {\n                    m = m - 1;\n                }\n\n"),
        Lse("ThrowsMidLoop", Domain(3, 4, 4), "k")) + """

            // A saved product and two saves in one loop (a value the update overwrites and a kept Exp).
            // domain: x[14]=-1..1 a[6]=-1..1 n=3..3 k=4..4
            [Differentiable]
            public static double TwoSaves(double[] x, double[] a, int n, int k)
            {
                var s = 0.0;
                for (var i = 0; i < n; i++)
                {
                    var p = 1.0;
                    var q = 0.0;
                    for (var c = 0; c < k; c++)
                    {
                        p = p * Math.Cos(x[(i * k) + c] * a[c]);
                        q = q + Math.Exp(p * a[c]);
                    }

                    s += p + Math.Log(q);
                }

                return s;
            }

            // A break in the loop: a second conjunct, the tape.
            // domain: x[14]=-1..1 a[6]=-1..1 n=3..3 k=4..4
            [Differentiable]
            public static double BreakInLoop(double[] x, double[] a, int n, int k)
            {
                var s = 0.0;
                for (var i = 0; i < n; i++)
                {
                    var mx = 0.0;
                    for (var c = 0; c < k; c++)
                    {
                        if (x[(i * k) + c] > 0.8)
                        {
                            break;
                        }

                        mx = Math.Max(mx, x[(i * k) + c] * a[c]);
                    }

                    s += Math.Exp(mx);
                }

                return s;
            }

            // Nested inner loops: the outer one's save (a loop in its body, MLP's shape) stays on the tape.
            // domain: x[26]=-1..1 a[6]=-1..1 n=2..2 k=3..3 m=4..4
            [Differentiable]
            public static double Nested(double[] x, double[] a, int n, int k, int m)
            {
                var s = 0.0;
                for (var i = 0; i < n; i++)
                {
                    var mx = 0.0;
                    for (var c = 0; c < k; c++)
                    {
                        var z = 0.0;
                        for (var e = 0; e < m; e++)
                        {
                            z += x[(i * 12) + (c * m) + e] * a[e];
                        }

                        mx = Math.Max(mx, Math.Sin(z));
                    }

                    s += Math.Exp(mx);
                }

                return s;
            }

            // GMM's shape: a term array written whole per point, then its log-sum-exp from 1.
            // domain: x[14]=-1..1 mu[6]=-1..1 alphas[6]=-1..1 n=3..3 k=4..4 d=1..1
            [Differentiable]
            public static double GmmLike(double[] x, double[] mu, double[] alphas, int n, int k, int d)
            {
                var t = new double[k];
                var s = 0.0;
                for (var i = 0; i < n; i++)
                {
                    for (var c = 0; c < k; c++)
                    {
                        var r = x[(i * k) + c] - mu[c];
                        t[c] = alphas[c] - (0.5 * r * r * d);
                    }

                    var max = t[0];
                    for (var c = 1; c < k; c++)
                    {
                        max = Math.Max(max, t[c]);
                    }

                    var sumExp = 0.0;
                    for (var c = 0; c < k; c++)
                    {
                        sumExp += Math.Exp(t[c] - max);
                    }

                    s += Math.Log(sumExp) + max;
                }

                return s;
            }

            // User names like the generated ones.
            // domain: _tape[14]=-1..1 _buf[6]=-1..1 seed=0.5..1.5 _k=4..4 n=3..3
            [Differentiable]
            public static double HostileNames(double[] _tape, double[] _buf, double seed, int _k, int n)
            {
                var _result = 0.0;
                for (var dx = 0; dx < n; dx++)
                {
                    var _saves = 0.0;
                    for (var _c = 0; _c < _k; _c++)
                    {
                        _saves = Math.Max(_saves, seed * _tape[(dx * _k) + _c] * _buf[_c]);
                    }

                    var _maxSaved = 1.0;
                    for (var _c = 0; _c < _k; _c++)
                    {
                        _maxSaved = _maxSaved + Math.Exp(_tape[(dx * _k) + _c] - _saves);
                    }

                    _result += Math.Log(_maxSaved) + _saves;
                }

                return _result;
            }
        }

        public static class Probe
        {
            private static double[] Values(int length, int seed)
            {
                var random = new Random(seed);
                return Enumerable.Range(0, length).Select(_ => (2.0 * random.NextDouble()) - 1.0).ToArray();
            }

            private static float[] Floats(int length, int seed) => Values(length, seed).Select(v => (float)v).ToArray();

            private static bool Same(double v1, double v2, double[] a, double[] b) => BitConverter.DoubleToInt64Bits(v1) == BitConverter.DoubleToInt64Bits(v2) && a.SequenceEqual(b);

            private static double Run(string name, double[] x, double[] a, int n, int k, int w, Span<double> dx, Span<double> da) => name switch
            {
                "Lse0" => G.Lse0Backward(x, a, n, k, w, dx, da),
                "Lse0Tape" => G.Lse0TapeBackward(x, a, n, k, w, dx, da),
                "Lse1" => G.Lse1Backward(x, a, n, k, w, dx, da),
                "Lse1Tape" => G.Lse1TapeBackward(x, a, n, k, w, dx, da),
                "Lse2" => G.Lse2Backward(x, a, n, k, w, dx, da),
                "Lse2Tape" => G.Lse2TapeBackward(x, a, n, k, w, dx, da),
                "Lse5" => G.Lse5Backward(x, a, n, k, w, dx, da),
                "Lse5Tape" => G.Lse5TapeBackward(x, a, n, k, w, dx, da),
                "LseFrom1" => G.LseFrom1Backward(x, a, n, k, w, dx, da),
                "LseFrom1Tape" => G.LseFrom1TapeBackward(x, a, n, k, w, dx, da),
                "LsePlusOne" => G.LsePlusOneBackward(x, a, n, k, w, dx, da),
                "LsePlusOneTape" => G.LsePlusOneTapeBackward(x, a, n, k, w, dx, da),
                "EarlyReturn4" => G.EarlyReturn4Backward(x, a, n, k, w, dx, da),
                "EarlyReturn4Tape" => G.EarlyReturn4TapeBackward(x, a, n, k, w, dx, da),
                _ => throw new ArgumentException(name),
            };

            /// <summary>A slot method against its tape twin bit for bit at n points of k terms (w the row width); aliased: x and a the same array.</summary>
            public static bool AgainstTape(string name, int n, int k, int w, bool aliased)
            {
                var length = (n * w) + 2;
                var (x1, x2) = (Values(length, 1), Values(length, 1));
                var (a1, a2) = aliased ? (x1, x2) : (Values(length, 2), Values(length, 2));
                var (dx1, dx2, da1, da2) = (new double[length], new double[length], new double[length], new double[length]);
                var v1 = Run(name, x1, a1, n, k, w, dx1, aliased ? dx1 : da1);
                var v2 = Run(name + "Tape", x2, a2, n, k, w, dx2, aliased ? dx2 : da2);
                return Same(v1, v2, dx1.Concat(da1).ToArray(), dx2.Concat(da2).ToArray());
            }

            public static bool FloatAgainstTape(int n, int k, int w)
            {
                var length = (n * w) + 2;
                var (x, a) = (Floats(length, 3), Floats(length, 4));
                var (dx1, dx2, da1, da2) = (new float[length], new float[length], new float[length], new float[length]);
                var v1 = G.FloatLse5Backward(x, a, n, k, w, dx1, da1);
                var v2 = G.FloatLse5TapeBackward(x, a, n, k, w, dx2, da2);
                return BitConverter.SingleToInt32Bits(v1) == BitConverter.SingleToInt32Bits(v2) && dx1.SequenceEqual(dx2) && da1.SequenceEqual(da2);
            }

            /// <summary>x too short: the primal's exception (type and message) from the backward, or "none" and the value.</summary>
            public static string Primal(int length, int k) => Catch(() => G.ThrowsMidLoop(Values(length, 5), Values(8, 6), 3, k, 4));

            public static string Backward(int length, int k) => Catch(() => G.ThrowsMidLoopBackward(Values(length, 5), Values(8, 6), 3, k, 4, new double[length], new double[8]));

            private static string Catch(Func<double> f)
            {
                try
                {
                    return "none " + f().ToString("R", System.Globalization.CultureInfo.InvariantCulture);
                }
                catch (Exception e)
                {
                    return e.GetType().Name + ": " + e.Message;
                }
            }
        }
        """;

    /// <summary>A generic-math log-sum-exp (C# 11; the harness draws no points for T[]) and its check against the plain method.</summary>
    private static readonly string GenericSource = """
        using System;
        using System.Linq;
        using System.Numerics;
        using StaticGrad;

        namespace Session23IterationStackGeneric;

        public static partial class GG
        {
        """ + Lse("Generic<T>", Domain(3, 4, 4), "k", "T", "T.Max", "T", zero: "T.Zero", one: "T.One").Replace("int w)", "int w) where T : IFloatingPointIeee754<T>", StringComparison.Ordinal)
        + Lse("Plain", Domain(3, 4, 4), "k") + """

            /// <summary>0 when Generic's value and adjoints equal Plain's bit for bit.</summary>
            public static double GenericCheck()
            {
                var random = new Random(5);
                var x = Enumerable.Range(0, 14).Select(_ => random.NextDouble() - 0.5).ToArray();
                var a = Enumerable.Range(0, 6).Select(_ => random.NextDouble() - 0.5).ToArray();
                var (a1, b1, a2, b2) = (new double[14], new double[6], new double[14], new double[6]);
                var v1 = GenericBackward<double>(x, a, 3, 4, 4, a1, b1);
                var v2 = PlainBackward(x, a, 3, 4, 4, a2, b2);
                return v1 == v2 && a1.SequenceEqual(a2) && b1.SequenceEqual(b2) ? 0.0 : 1.0;
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
        s_batch.Value.AssertAcceptedAndGradientMatches(key, s_methods, PointsPerFunction);
    }

    /// <summary>Which methods save in iteration slots (the leaf loops of a fixed trip count do; the fallbacks and the twins do not) and which are fused.</summary>
    [Theory]
    [InlineData("G.Lse0", true, true)]
    [InlineData("G.Lse5", true, true)]
    [InlineData("G.LseFrom1", true, true)]
    [InlineData("G.LsePlusOne", true, true)]
    [InlineData("G.FloatLse5", true, true)]
    [InlineData("G.EarlyReturn4", false, false)]
    [InlineData("G.Constant3", true, true)]
    [InlineData("G.TwoSaves", true, true)]
    [InlineData("G.GmmLike", true, true)]
    [InlineData("G.HostileNames", true, true)]
    [InlineData("G.Lse5Tape", false, true)]
    [InlineData("G.FloatLse5Tape", false, true)]
    [InlineData("G.VaryingTrips", false, true)]
    [InlineData("G.WrittenInside", false, false)]
    [InlineData("G.WrittenLocal", false, true)]
    [InlineData("G.BreakInLoop", false, true)]
    [InlineData("G.Nested", false, true)]
    public void Leaf_loops_of_a_fixed_trip_count_save_in_slots(string key, bool slots, bool fused)
    {
        // A fallback is only a test of the guard where the loop is fused: the slots would be open to it otherwise.
        var source = s_batch.Value.GeneratedSource[key];
        Assert.True(source.Contains(Marker, StringComparison.Ordinal) == slots, $"{key}: slots expected {slots}\n{source}");
        Assert.True(source.Contains("// Fused: ", StringComparison.Ordinal) == fused, $"{key}: fused expected {fused}\n{source}");
    }

    private static object Call(string name, params object[] args) =>
        s_batch.Value.Output!.Value.Assembly.GetType("Session23IterationStack.Probe")!.GetMethod(name, BindingFlags.Public | BindingFlags.Static)!.Invoke(null, args)!;

    /// <summary>The slots' gradient equals the tape's bit for bit, over trip counts 0, 1, 2, 5 and more points than the domain's.</summary>
    [Theory]
    [InlineData("Lse0", 3, 0, 2, false)]
    [InlineData("Lse1", 3, 1, 2, false)]
    [InlineData("Lse2", 7, 2, 2, false)]
    [InlineData("Lse5", 9, 5, 5, false)]
    [InlineData("Lse5", 4, 5, 5, true)]
    [InlineData("Lse5", 0, 5, 5, false)]
    [InlineData("LseFrom1", 6, 5, 5, false)]
    [InlineData("LseFrom1", 6, 1, 5, false)]
    [InlineData("LsePlusOne", 5, 3, 4, false)]
    [InlineData("LsePlusOne", 5, 3, 4, true)]
    [InlineData("EarlyReturn4", 5, 4, 4, false)]
    public void Slots_match_the_tape_bit_for_bit(string name, int n, int k, int w, bool aliased)
    {
        Assert.True((bool)Call("AgainstTape", name, n, k, w, aliased), $"{name} n={n} k={k} w={w} aliased={aliased}");
    }

    [Fact]
    public void Float_slots_match_the_tape_bit_for_bit()
    {
        Assert.True((bool)Call("FloatAgainstTape", 6, 5, 5));
    }

    /// <summary>x of 14 holds 3 points of 4 terms; shorter, the second or third point's loop reads past its end mid-loop.</summary>
    [Theory]
    [InlineData(14, 4)]
    [InlineData(10, 4)]
    [InlineData(6, 4)]
    [InlineData(2, 4)]
    [InlineData(14, 5)]
    public void Out_of_range_throws_what_the_primal_throws(int length, int k)
    {
        var primal = (string)Call("Primal", length, k);
        var backward = (string)Call("Backward", length, k);
        Assert.Equal(primal, backward);
    }

    [Fact]
    public void Generic_math_matches_the_plain_method_bit_for_bit()
    {
        var output = GeneratorHarness.Run(GenericSource);
        GeneratorHarness.AssertClean(output);
        var generated = string.Join("\n", output.Sources.Where(g => g.HintName.Contains("Generic", StringComparison.Ordinal)).Select(g => g.Source));
        Assert.True(generated.Contains(Marker, StringComparison.Ordinal), generated);
        var type = GeneratorHarness.Load(output.OutputCompilation).GetType("Session23IterationStackGeneric.GG")!;
        Assert.Equal(0.0, (double)type.GetMethod("GenericCheck")!.Invoke(null, null)!);
    }

    [Fact]
    public void Generated_code_compiles_without_warnings_and_the_generator_does_not_throw()
    {
        var batch = s_batch.Value;
        Assert.Null(batch.GeneratorException);
        Assert.True(batch.Output is not null, string.Join("\n", batch.Failures.Select(f => f.Key + ": " + f.Value)));
    }
}

using System.Reflection;
using StaticGrad.Generator.Tests.Infrastructure;

namespace StaticGrad.Generator.Tests.Robustness;

/// <summary>
/// Adversarial review of session 25's <c>{Name}BackwardPair</c> (<c>Forward/PairBackward.cs</c>, the caller side in
/// <c>ReverseModeTransformer.CalleePartials.cs</c>). One compilation: callees that meet every stated condition of the
/// vector pass but stress it (NaN under <c>==</c>/<c>!=</c>/<c>!</c>, <c>&amp;&amp;</c>/<c>||</c>, Min/Max/CopySign/Atan2/
/// FusedMultiplyAdd/Round/Pow per lane, integer literals and const fields, a local const, 1e-310, nested <c>?:</c>, a
/// reassigned parameter, a unit first statement, an early return, float lanes, overloads at double and float), each
/// pair checked against the two scalar backward calls bit for bit over every two of 24 edge inputs; callers whose
/// statement evaluates something that throws or has an effect between the two calls of a callee that can throw or reads
/// a static field (the Backward must throw what the primal throws, in the primal's order, and compute the primal's
/// value); three and four calls in a statement. Callers' values against the primal bit for bit and gradients against
/// central differences (step 1e-6, |g − fd| ≤ 1e-6·max(1, |fd|)).
/// </summary>
public sealed class Session25PairBackwardReviewTests
{
    private const string Source = """
        using System;
        using System.Collections.Generic;
        using StaticGrad;

        namespace Session25PairReview;

        public static partial class R
        {
            public static readonly List<int> Log = new();

            public static double Factor = 1.0;

            private const int Two = 2;

            private const double Tiny = 1e-310;

            private static double Note(int tag)
            {
                Log.Add(tag);
                return 1.0;
            }

            private static double Bump()
            {
                Factor *= 2.0;
                return 1.0;
            }

            // A guard: no vector pass (an effect statement), so the pair is the two calls, and the second can throw.
            [Differentiable]
            public static double Guard(double v)
            {
                if (v > 0.9)
                {
                    throw new ArgumentOutOfRangeException(nameof(v), "too big");
                }

                var s = v * v;
                return s + Math.Sin(v);
            }

            // The guard as an expression.
            [Differentiable]
            public static double GuardExpr(double v) => v > 0.9 ? throw new ArgumentOutOfRangeException(nameof(v), "too big") : (v * v) + Math.Cos(v);

            // Reads a static field that the caller's statement writes between the two calls.
            [Differentiable]
            public static double Scaled(double v) => v * v * Factor;

            [Differentiable]
            public static double NaNs(double x)
            {
                var y = (x * Two) + Tiny;
                var z = x == x * 1.0 ? y * y : 0.5;
                if (x != 0.5 && (y < 1.0 || !(y >= 3.0)))
                {
                    z = z + (Math.Min(x, 0.25) * Math.Max(y, -0.5));
                }
                else
                {
                    z = z - (Math.CopySign(y, x) * Math.Atan2(x, 0.5));
                }

                z = z + Math.FusedMultiplyAdd(x, y, 1.0) + (Math.Round(x) * x) + Math.Pow(Math.Abs(y) + 1.0, x > 0.0 ? 1.5 : 2);
                return z;
            }

            [Differentiable]
            public static double Nested(double x) => x > 1.0 ? (x > 2.0 ? Math.Log(x) : x * x) : (x < -1.0 ? -x * Math.Exp(x) : Math.Sin(x) * 3);

            [Differentiable]
            public static double Reassign(double x)
            {
                x = (x * x) + 1e-310;
                if (x > 4.0)
                {
                    x = Math.Sqrt(x);
                }

                return x * Math.Exp(-x);
            }

            // The first statement is the unit (z = g(x)): the scale path.
            [Differentiable]
            public static double UnitFirst(double x)
            {
                var z = Math.Exp(x);
                var w = (z * z) - z;
                return w / (1.0 + z);
            }

            [Differentiable]
            public static double Early(double x)
            {
                if (x < 0.0)
                {
                    return x * x;
                }

                var y = Math.Exp(x);
                return y - x;
            }

            [Differentiable]
            public static double LocalConst(double x)
            {
                const double c = 0.75;
                const int k = 3;
                var y = (x * c) + k;
                return y * y;
            }

            [Differentiable]
            public static float Lanes(float x)
            {
                var y = (x * 2) + 1e-40f;
                var z = y > 0f ? MathF.Sqrt(y) : -y;
                if (z > -1f && z < 5f)
                {
                    z = z * MathF.Exp(-x);
                }

                return z + MathF.Max(x, 0.5f) + MathF.Round(x);
            }

            // Overloads at double and float, both called twice.
            [Differentiable]
            public static double Ov(double x) => x > 0.0 ? x * Math.Exp(-x) : x;

            [Differentiable]
            public static float Ov(float x) => x > 0f ? x * MathF.Exp(-x) : x;

            // --- Callers --------------------------------------------------------------------------------------------

            // a[4] is read between the two calls: with a 4-element array the primal throws IndexOutOfRangeException
            // before Guard(x) runs; at x = 0.95 Guard(x) throws ArgumentOutOfRangeException.
            [Differentiable]
            public static double ReadBetween(double[] a, double x) => (Guard(x * 0.5) * a[4]) + Guard(x);

            [Differentiable]
            public static double ReadBetweenExpr(double[] a, double x) => (GuardExpr(x * 0.5) * a[4]) + GuardExpr(x);

            // A logged call between: the primal logs 1 before Guard(x) throws.
            [Differentiable]
            public static double NoteBetween(double[] a, double x) => (Guard(x * 0.5) * Note(1)) + (Guard(x) * a[0]);

            // Factor is doubled between the two calls: x²·1 + x²·2 = 3x² (Factor reset to 1 before each run).
            // Only arithmetic between: paired, and Guard(x) throws where the primal's does.
            [Differentiable]
            public static double PureBetween(double[] a, double x) => (Guard(x * 0.5) * (x + 2.0)) + Guard(x);

            // An integer division between (n / m throws at m = 0): not paired.
            [Differentiable]
            public static double DivisionBetween(double[] a, double x)
            {
                int n = 7, m = (int)a[0];
                return (Guard(x * 0.5) * (n / m)) + Guard(x);
            }

            // A user member of the pair's name: no pair for Taken.
            [Differentiable]
            public static double Taken(double x) => x * Math.Exp(-x);

            private static int TakenBackwardPair() => 0;

            [Differentiable]
            public static double CallTaken(double[] a, double x) => Taken(x) * Taken(x * 0.5) + TakenBackwardPair();

            [Differentiable]
            public static double BumpBetween(double[] a, double x) => (Scaled(x) * Bump()) + Scaled(x * 2.0);

            [Differentiable]
            public static double CallNaNs(double[] a, double x)
            {
                double p = a[0], q = a[1], r = a[2], s = a[3];
                return (NaNs(x) * p) + (NaNs(x - q) * NaNs(r * x)) - NaNs(x + s);
            }

            [Differentiable]
            public static double CallOthers(double[] a, double x)
            {
                double p = a[0], q = a[1], r = a[2], s = a[3], t = a[4];
                return (Nested(x * p) * Nested(x - q)) + (Reassign(x) - Reassign(r)) + (UnitFirst(x) * UnitFirst(s * x))
                    + (Early(x - 0.5) * Early(t)) + LocalConst(x) + LocalConst(p * x) + (Ov(x) * Ov(q));
            }

            [Differentiable]
            public static double CallGuards(double[] a, double x)
            {
                double p = a[0], q = a[1], r = a[2];
                return (Guard(x * p) * Guard(q)) + (GuardExpr(x) * GuardExpr(r));
            }

            [Differentiable]
            public static float CallLanes(float[] a, float x)
            {
                float p = a[0], q = a[1], r = a[2];
                return (Lanes(x) * Lanes(p)) + Lanes(x * q) + (Ov(x) * Ov(r));
            }
        }
        """;

    private static readonly Lazy<(GeneratorOutput Output, Type Type)> s_batch = new(() =>
    {
        var output = GeneratorHarness.Run(Source);
        return (output, GeneratorHarness.Load(output.OutputCompilation).GetType("Session25PairReview.R")!);
    });

    [Fact]
    public void Generated_code_compiles_clean()
    {
        GeneratorHarness.AssertClean(s_batch.Value.Output);
    }

    /// <summary>Where the statements pair (so that the exception tests below test the pair).</summary>
    [Theory]
    [InlineData("BumpBetween", "ScaledBackwardPair(")]
    [InlineData("CallNaNs", "NaNsBackwardPair(")]
    [InlineData("CallOthers", "NestedBackwardPair(")]
    [InlineData("CallLanes", "LanesBackwardPair(")]
    [InlineData("PureBetween", "GuardBackwardPair(")]
    public void Statements_with_two_calls_pair(string caller, string call)
    {
        Assert.Contains(call, Generated(caller), StringComparison.Ordinal);
    }

    /// <summary>
    /// Something that can throw between the two calls (a[4]) keeps them apart: the pair would run the second call
    /// ahead of it (found by this review: ReadBetween's Backward threw Guard's ArgumentOutOfRangeException where the
    /// primal throws IndexOutOfRangeException); so does an integer division. The guard's pair itself exists (CallGuards
    /// pairs). A user member named TakenBackwardPair: no pair for Taken.
    /// </summary>
    [Theory]
    [InlineData("ReadBetween", "GuardBackwardPair(")]
    [InlineData("ReadBetweenExpr", "GuardExprBackwardPair(")]
    [InlineData("DivisionBetween", "GuardBackwardPair(")]
    [InlineData("CallTaken", "TakenBackwardPair(x")]
    public void Calls_with_an_element_read_between_are_not_paired(string caller, string call)
    {
        Assert.DoesNotContain(call, Generated(caller), StringComparison.Ordinal);
        if (call.StartsWith("Guard", StringComparison.Ordinal))
        {
            Assert.Contains(call, Generated("CallGuards"), StringComparison.Ordinal);
        }
    }

    private static string Generated(string method) =>
        s_batch.Value.Output.Sources.Where(s => s.HintName.EndsWith(".R." + method + ".g.cs", StringComparison.Ordinal)).Select(s => s.Source).FirstOrDefault() ?? string.Empty;

    private static readonly double[] s_inputs =
    {
        0.3, -0.3, 0.5, 1.0, 1.5, -1.5, 2.5, -2.5, 0.0, -0.0, 1e-310, -1e-310, 5e-324, 1e-300,
        double.PositiveInfinity, double.NegativeInfinity, double.NaN, 1e308, -1e308, 710.0, -745.0, 4.5, 3.0, -0.5,
    };

    /// <summary>Each pair against the two scalar backward calls (seed 1, adjoints starting at 0.375 and −1.25), bit for bit, over every two inputs.</summary>
    [Theory]
    [InlineData("NaNs", false)]
    [InlineData("Nested", false)]
    [InlineData("Reassign", false)]
    [InlineData("UnitFirst", false)]
    [InlineData("Early", false)]
    [InlineData("LocalConst", false)]
    [InlineData("Ov", false)]
    [InlineData("Guard", false)]
    [InlineData("GuardExpr", false)]
    [InlineData("Lanes", true)]
    [InlineData("Ov", true)]
    public void Pair_is_the_two_calls_bit_for_bit(string callee, bool isFloat)
    {
        var type = s_batch.Value.Type;
        var scalar = isFloat ? typeof(float) : typeof(double);
        var pair = type.GetMethod(callee + "BackwardPair", BindingFlags.NonPublic | BindingFlags.Static, new[] { scalar, scalar, scalar.MakeByRefType(), scalar.MakeByRefType(), scalar.MakeByRefType() });
        Assert.True(pair is not null, callee + "BackwardPair(" + scalar.Name + ") was not generated");
        var backward = type.GetMethod(callee + "Backward", BindingFlags.Public | BindingFlags.Static, new[] { scalar, scalar.MakeByRefType(), scalar })!;
        object Scalar(double v) => isFloat ? (float)v : v;
        static long Bits(object v) => v is float f ? BitConverter.SingleToInt32Bits(f) : BitConverter.DoubleToInt64Bits((double)v);
        var problems = new List<string>();
        foreach (var x in s_inputs)
        {
            foreach (var y in s_inputs)
            {
                var first = new[] { Scalar(x), Scalar(0.375), Scalar(1.0) };
                var second = new[] { Scalar(y), Scalar(-1.25), Scalar(1.0) };
                var expected = Outcome(() => Bits(backward.Invoke(null, first)!) + "," + Bits(backward.Invoke(null, second)!) + "," + Bits(first[1]) + "," + Bits(second[1]));
                var arguments = new[] { Scalar(x), Scalar(y), Scalar(0.375), Scalar(-1.25), Scalar(0.0) };
                var actual = Outcome(() => Bits(pair!.Invoke(null, arguments)!) + "," + Bits(arguments[4]) + "," + Bits(arguments[2]) + "," + Bits(arguments[3]));
                if (expected != actual)
                {
                    problems.Add($"{callee}({x:R}, {y:R}): pair {actual}; calls {expected}");
                }
            }
        }

        Assert.True(problems.Count == 0, problems.Count + " differences:\n" + string.Join("\n", problems.Take(20)));
    }

    /// <summary>
    /// The primal throws IndexOutOfRangeException (a[4] of 4 elements) before the second call's guard could throw; the
    /// Backward must throw the same.
    /// </summary>
    [Theory]
    [InlineData("ReadBetween")]
    [InlineData("ReadBetweenExpr")]
    public void Backward_throws_what_the_primal_throws_when_the_statement_throws_between_the_calls(string name)
    {
        var a = new[] { 0.1, 0.2, 0.3, 0.4 };
        var primal = Outcome(() => Primal(name, a, 0.95));
        Assert.StartsWith("System.IndexOutOfRangeException", primal, StringComparison.Ordinal);
        Assert.Equal(primal, Outcome(() => Backward(name, a, 0.95, out _)));
    }

    /// <summary>DivisionBetween: n / 0 throws DivideByZeroException before Guard(0.95) could; PureBetween: Guard(0.95) throws.</summary>
    [Theory]
    [InlineData("DivisionBetween", "System.DivideByZeroException")]
    [InlineData("PureBetween", "System.ArgumentOutOfRangeException")]
    public void Backward_throws_what_the_primal_throws(string name, string exception)
    {
        var a = new[] { 0.0, 0.2, 0.3, 0.4, 0.5 };
        var primal = Outcome(() => Primal(name, a, 0.95));
        Assert.StartsWith(exception, primal, StringComparison.Ordinal);
        Assert.Equal(primal, Outcome(() => Backward(name, a, 0.95, out _)));
    }

    /// <summary>The primal logs 1, then Guard(0.95) throws: the Backward must log 1 before it throws the same.</summary>
    [Fact]
    public void Effects_between_the_calls_happen_before_the_second_call_throws()
    {
        var log = (List<int>)s_batch.Value.Type.GetField("Log")!.GetValue(null)!;
        var a = new[] { 0.1, 0.2, 0.3, 0.4, 0.5 };
        lock (log)
        {
            log.Clear();
            var primal = Outcome(() => Primal("NoteBetween", a, 0.95));
            var primalLog = string.Join(",", log);
            log.Clear();
            var backward = Outcome(() => Backward("NoteBetween", a, 0.95, out _));
            var backwardLog = string.Join(",", log);
            Assert.StartsWith("System.ArgumentOutOfRangeException", primal, StringComparison.Ordinal);
            Assert.Equal(primal + " log " + primalLog, backward + " log " + backwardLog);
        }
    }

    /// <summary>Scaled reads Factor, which Bump() doubles between the two calls: the value is x²·1 + (2x)²·2.</summary>
    /// <remarks>
    /// Open, not of the pair (the same without it, session 25 review): the Backward's forward sweep evaluates the
    /// non-differentiable call <c>Bump()</c> into <c>_call</c> ahead of the statement, so both Scaled calls read
    /// Factor = 2 and the Backward's value is 3.6 where the primal's is 3.24 (x = 0.6). The Tangent does the same.
    /// </remarks>
    [Fact(Skip = "Open, not of the pair: a non-differentiable call with an effect (Bump) is evaluated ahead of its statement, before the differentiable calls written before it")]
    public void A_static_field_written_between_the_calls_is_read_after_the_write()
    {
        var field = s_batch.Value.Type.GetField("Factor")!;
        var a = new[] { 0.7, 0.2, 0.3, 0.4, 0.5 };
        lock (field)
        {
            field.SetValue(null, 1.0);
            var primal = Primal("BumpBetween", a, 0.6);
            field.SetValue(null, 1.0);
            var value = Backward("BumpBetween", a, 0.6, out var gradient);
            field.SetValue(null, 1.0);
            Assert.True(BitConverter.DoubleToInt64Bits(primal) == BitConverter.DoubleToInt64Bits(value), $"Backward value {value:R}, primal {primal:R}");

            // d/dx (x² + 2(2x)²) = 2x + 16x.
            Assert.Equal(18 * 0.6, gradient[^1], 12);
        }
    }

    [Theory]
    [InlineData("CallNaNs")]
    [InlineData("CallOthers")]
    [InlineData("CallGuards")]
    public void Caller_value_is_the_primals_and_gradient_matches_central_differences(string name)
    {
        var a = new[] { 0.45, -0.35, 0.25, 0.6, 0.8 };
        const double x = 0.3;
        var value = Backward(name, a, x, out var gradient);
        var primal = Primal(name, a, x);
        Assert.True(BitConverter.DoubleToInt64Bits(primal) == BitConverter.DoubleToInt64Bits(value), $"{name}: Backward value {value:R}, primal {primal:R}");
        const double h = 1e-6;
        for (var i = 0; i <= a.Length; i++)
        {
            var (up, down) = ((double[])a.Clone(), (double[])a.Clone());
            var (xu, xd) = (x, x);
            if (i < a.Length)
            {
                up[i] += h;
                down[i] -= h;
            }
            else
            {
                xu += h;
                xd -= h;
            }

            var fd = (Primal(name, up, xu) - Primal(name, down, xd)) / (2 * h);
            Assert.True(Math.Abs(gradient[i] - fd) <= 1e-6 * Math.Max(1, Math.Abs(fd)), $"{name}: d/d[{i}] {gradient[i]:R}, central differences {fd:R}");
        }
    }

    [Fact]
    public void Float_caller_value_is_the_primals_and_gradient_matches_central_differences()
    {
        var type = s_batch.Value.Type;
        var f = type.GetMethod("CallLanes", new[] { typeof(float[]), typeof(float) })!;
        var b = type.GetMethods().Single(m => m.Name == "CallLanesBackward" && m.GetParameters().Length == 5 && m.GetParameters()[0].ParameterType == typeof(float[]))
            .CreateDelegate<FloatBackwardDelegate>();
        var a = new[] { 0.45f, -0.35f, 0.6f };
        const float x = 0.3f;
        var dx = 0f;
        var value = b(a, x, new float[3], ref dx, 1f);
        Assert.Equal((float)f.Invoke(null, new object[] { a, x })!, value);
        const float h = 1e-3f;
        var fx = ((float)f.Invoke(null, new object[] { a, x + h })! - (float)f.Invoke(null, new object[] { a, x - h })!) / (2 * h);
        Assert.True(Math.Abs(dx - fx) <= 2e-3 * Math.Max(1, Math.Abs(fx)), $"d/dx {dx:R}, central differences {fx:R}");
    }

    private static double Primal(string name, double[] a, double x)
    {
        try
        {
            return (double)s_batch.Value.Type.GetMethod(name, new[] { typeof(double[]), typeof(double) })!.Invoke(null, new object[] { a, x })!;
        }
        catch (TargetInvocationException e) when (e.InnerException is not null)
        {
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Capture(e.InnerException).Throw();
            throw;
        }
    }

    /// <summary>The Backward with seed 1; the gradient is a's then x's.</summary>
    private static double Backward(string name, double[] a, double x, out double[] gradient)
    {
        var backward = s_batch.Value.Type.GetMethods().Single(m => m.Name == name + "Backward" && m.GetParameters().Length == 5 && m.GetParameters()[0].ParameterType == typeof(double[]))
            .CreateDelegate<BackwardDelegate>();
        var da = new double[a.Length];
        var dx = 0.0;
        var value = backward(a, x, da, ref dx, 1.0);
        gradient = da.Append(dx).ToArray();
        return value;
    }

    private delegate double BackwardDelegate(double[] a, double x, Span<double> da, ref double dx, double seed);

    private delegate float FloatBackwardDelegate(float[] a, float x, Span<float> da, ref float dx, float seed);

    private static string Outcome(Func<object> run)
    {
        try
        {
            return "value " + run();
        }
        catch (TargetInvocationException e) when (e.InnerException is not null)
        {
            return e.InnerException.GetType().FullName + ": " + e.InnerException.Message;
        }
        catch (Exception e)
        {
            return e.GetType().FullName + ": " + e.Message;
        }
    }
}

using StaticGrad.Generator.Tests.Infrastructure;

namespace StaticGrad.Generator.Tests.Robustness;

/// <summary>
/// Session 25: calls of methods that are not [Differentiable] (a helper drawing from a <c>Random</c>, a counter, a
/// logger, an instance method of a class the method receives) run once each, in the user's order, in the forward
/// sweep; the reverse sweep, the tangent and the Hessian read their values from generated locals (ImpureCalls).
/// Every helper counts its calls in <c>H.Calls</c> and every test resets the helpers' state (calls, ticks, the Random's
/// seed) before each evaluation, so the primal, its central differences and the Backward see the same draws. Each
/// method: the Backward's value equals the primal's bit for bit, the helpers ran as often as in the primal, and the
/// gradient matches central differences (double: step 1e-6, |g − fd| ≤ 1e-6·max(1, |fd|); float: step 1e-3,
/// 2e-3·max(1, |fd|)) at three points. The Tangent equals gradient · direction (1e-9 relative) and runs the helpers
/// as often as the primal; the dense Hessian is n Hessian-vector products, each one run of the method (n times the
/// primal's calls), against central differences of the gradient (HessianProbeCheck).
/// </summary>
public sealed class Session25ImpureCallTests
{
    private const string Source = """
        using System;
        using System.Linq;
        using System.Numerics;
        using StaticGrad;

        namespace Session25ImpureCalls;

        public sealed class Counter
        {
            public int Count;

            public int Increment()
            {
                H.Calls++;
                Count++;
                return Count;
            }

            public double Scale()
            {
                H.Calls++;
                Count++;
                return 1.0 + (0.125 * Count);
            }
        }

        public static class H
        {
            public static int Calls;
            public static int Ticks;
            public static Random Rng = new(1);

            public static void Reset(int seed)
            {
                Calls = 0;
                Ticks = 0;
                Logged = 0;
                Rng = new Random(seed);
            }

            public static double Draw()
            {
                Calls++;
                return Rng.NextDouble();
            }

            public static double Sample(int i)
            {
                Calls++;
                return Rng.NextDouble() + (0.01 * i);
            }

            public static int Next(int n)
            {
                Calls++;
                Ticks++;
                return Ticks % n;
            }

            public static double Weight()
            {
                Calls++;
                Ticks++;
                return 0.5 + (0.1 * Ticks);
            }

            public static float WeightF()
            {
                Calls++;
                Ticks++;
                return 0.5f + (0.1f * Ticks);
            }

            public static bool Keep()
            {
                Calls++;
                Ticks++;
                return Ticks % 5 != 0;
            }

            public static int Logged;

            public static void Log(double value)
            {
                Calls++;
                Logged += value > 0 ? 1 : 2;
            }
        }

        public static partial class L
        {
            [Differentiable]
            public static double RandomInLoop(double[] a, double x)
            {
                var s = 0.0;
                for (var i = 0; i < a.Length; i++)
                {
                    s += H.Draw() * a[i] * x;
                }

                return s * x;
            }

            [Differentiable]
            public static double SampleInLoop(double[] a, double x)
            {
                var s = 0.0;
                for (var i = 0; i < a.Length; i++)
                {
                    s += H.Sample(i) * Math.Sin(a[i] * x);
                }

                return s;
            }

            // An int counter's value is an index: assigned to a local, and read inline as an element's index.
            [Differentiable]
            public static double CounterIndex(double[] a, double x)
            {
                var s = x;
                for (var i = 0; i < 5; i++)
                {
                    var k = H.Next(a.Length);
                    s = (s * a[k]) + Math.Sin(x * a[H.Next(a.Length)]);
                }

                return s;
            }

            // A double counter: once before the loop, once per iteration, its value a factor of active values.
            [Differentiable]
            public static double CounterDouble(double[] a, double x)
            {
                double w = H.Weight();
                var s = w * x * x;
                for (var i = 0; i < a.Length; i++)
                {
                    s = (H.Weight() * a[i] * s) + (w * Math.Cos(s));
                }

                return s;
            }

            // The helper in a loop condition, on both sides of &&.
            [Differentiable]
            public static double InLoopCondition(double[] a, double x)
            {
                var s = x;
                var n = 0;
                while (H.Keep() && n < 12)
                {
                    s = (s * 0.9) + (a[n % a.Length] * x * H.Weight());
                    n++;
                }

                var m = 0;
                while (m < 6 && H.Keep())
                {
                    s = Math.Sin(s) * a[m % a.Length];
                    m++;
                }

                return s + n + (100 * m);
            }

            [Differentiable]
            private static double Two(double u, double v) => (u * v) + (v * v);

            // The helper's value is the argument of a [Differentiable] callee, whose backward runs in the reverse sweep.
            [Differentiable]
            public static double InCalleeArgument(double[] a, double x)
            {
                var s = 0.0;
                for (var i = 0; i < a.Length; i++)
                {
                    s += Two(H.Weight(), a[i] * x) + Two(a[i], H.Draw());
                }

                return s;
            }

            [Differentiable]
            public static double InLocalFunction(double[] a, double x)
            {
                double Term(int i) => H.Weight() * a[i] * x * x;
                var s = 0.0;
                for (var i = 0; i < a.Length; i++)
                {
                    s += Term(i) * Term(i);
                }

                return s;
            }

            // The helper inside a [Differentiable] method that others would call: its own Backward binds the draw. A
            // caller is refused (A_differentiable_callee_that_calls_a_helper_is_refused): the caller would run it twice.
            [Differentiable]
            public static double InCalleeBody(double[] a, double x)
            {
                var s = 0.0;
                foreach (var v in a)
                {
                    s += H.Draw() * v * v * x;
                }

                return s;
            }

            // A void logger in statement position: once per iteration and once after, in the forward sweep only.
            [Differentiable]
            public static double VoidLogger(double[] a, double x)
            {
                var s = 0.0;
                for (var i = 0; i < a.Length; i++)
                {
                    s += a[i] * x;
                    H.Log(s);
                }

                H.Log(x);
                return s * s * H.Weight();
            }

            // Instance methods of a class object the method receives.
            [Differentiable]
            public static double OnReceived(double[] a, double x, Counter c)
            {
                var s = 0.0;
                for (var i = 0; i < a.Length; i++)
                {
                    s += c.Scale() * a[i] * x;
                    s *= a[c.Increment() % a.Length];
                }

                return s;
            }

            public static double OnReceivedObject(double[] a, double x) => OnReceived(a, x, new Counter());

            public static double OnReceivedObjectBackward(double[] a, double x, Span<double> da, ref double dx, double seed) =>
                OnReceivedBackward(a, x, new Counter(), da, ref dx, seed);

            [Differentiable]
            public static double FloatCase(double[] a, double x)
            {
                var f = (float)x;
                var s = 0f;
                for (var i = 0; i < a.Length; i++)
                {
                    s += H.WeightF() * f * (float)a[i];
                }

                return s * f;
            }

            [Differentiable]
            public static T GenericDraw<T>(T[] a, T x) where T : IFloatingPointIeee754<T>
            {
                var s = T.Zero;
                for (var i = 0; i < a.Length; i++)
                {
                    s += T.CreateChecked(H.Draw()) * a[i] * T.Sin(x);
                }

                return s * x;
            }

            public static double GenericAtDouble(double[] a, double x) => GenericDraw(a, x);

            public static double GenericAtDoubleBackward(double[] a, double x, Span<double> da, ref double dx, double seed) => GenericDrawBackward(a, x, da, ref dx, seed);

            // Nested loops, a zero-trip inner loop at i = 0, and an early return.
            [Differentiable]
            public static double NestedEarlyReturn(double[] a, double x)
            {
                var s = x;
                for (var i = 0; i < a.Length; i++)
                {
                    for (var j = 0; j < i; j++)
                    {
                        s = (s * H.Draw()) + (a[j] * Math.Cos(s));
                    }

                    if (s > 40)
                    {
                        return s * H.Weight();
                    }
                }

                return s;
            }

            // User names a generated local might take.
            [Differentiable]
            public static double HostileNames(double[] a, double x)
            {
                var _call = 0.5;
                var _call0 = 0.25;
                var dx = x;
                var seed = 2.0;
                var _result = 0.0;
                var _tape = 1;
                var _t0 = 0.0;
                for (var i = 0; i < a.Length; i++)
                {
                    _t0 += H.Draw() * a[i] * dx * _call;
                    _result += _t0 * H.Weight() * seed * _call0;
                    _tape++;
                }

                return _result + _tape;
            }

            // The primal reads past the end after it called the helper: the Backward throws the same exception after as many calls.
            [Differentiable]
            public static double ThrowsAfterTheCall(double[] a, double x)
            {
                var s = 0.0;
                for (var i = 0; i <= a.Length; i++)
                {
                    s += H.Weight() * a[i] * x;
                }

                return s;
            }

            // Known pure calls (Math, double's and int's statics, Vector2) stay inline: no generated local.
            [Differentiable]
            public static double KnownPure(double[] a, double x)
            {
                var s = 0.0;
                for (var i = 0; i < a.Length; i++)
                {
                    s += Math.Max(a[i], 0.1) * x * int.Max(i, 1) * (double.IsNaN(a[i]) ? 0 : 1) * Vector2.Dot(new Vector2(1, 2), Vector2.One);
                }

                return s;
            }

            [Differentiable(Forward = true, Hessian = true)]
            public static double HessDraw(double[] a, double z)
            {
                var s = 0.0;
                for (var i = 0; i < a.Length; i++)
                {
                    s += H.Draw() * Math.Sin(a[i] * z) * z * H.Weight();
                }

                return s * s;
            }

            public static double[] GradientProbe(double[] a, double z)
            {
                var ga = new double[a.Length];
                double gz = 0.0;
                HessDrawBackward(a, z, ga, ref gz);
                return ga.Append(gz).ToArray();
            }

            public static double[] HessianProbe(double[] a, double z)
            {
                var h = new double[(a.Length + 1) * (a.Length + 1)];
                HessDrawHessian(a, z, h);
                return h;
            }

            public static double[] HessianVectorProbe(double[] a, double z, double[] va, double vz)
            {
                var hva = new double[a.Length];
                double hvz = 0.0;
                HessDrawHessianVector(a, z, va, vz, hva, ref hvz);
                return hva.Append(hvz).ToArray();
            }

            public static double TangentProbe(double[] a, double z, double[] da, double dz) => HessDrawTangent(a, z, da, dz).Tangent;
        }
        """;

    private const int Seed = 2025;

    private static readonly Lazy<(Type Type, Type Helpers, Dictionary<string, string> Sources)> s_compiled = new(() =>
    {
        var output = GeneratorHarness.Run(Source);
        GeneratorHarness.AssertClean(output);
        var assembly = GeneratorHarness.Load(output.OutputCompilation);
        return (assembly.GetType("Session25ImpureCalls.L")!, assembly.GetType("Session25ImpureCalls.H")!, output.Sources.ToDictionary(s => s.HintName, s => s.Source, StringComparer.Ordinal));
    });

    public static TheoryData<string> Methods() => new(
        "RandomInLoop", "SampleInLoop", "CounterIndex", "CounterDouble", "InLoopCondition", "InCalleeArgument", "InLocalFunction", "InCalleeBody",
        "VoidLogger", "OnReceivedObject", "FloatCase", "GenericAtDouble", "NestedEarlyReturn", "HostileNames", "KnownPure", "HessDraw");

    [Theory]
    [MemberData(nameof(Methods))]
    public void Value_count_and_gradient_are_the_primals(string name)
    {
        var type = s_compiled.Value.Type;
        var f = Session23ArgumentOrderTests.Primal(type, name);
        var b = Session23ArgumentOrderTests.Backward(type, name);
        var isFloat = name == "FloatCase";
        var h = isFloat ? 1e-3 : 1e-6;
        var tolerance = isFloat ? 2e-3 : 1e-6;
        var problems = new List<string>();
        double F(double[] a, double x)
        {
            Reset();
            return f(a, x);
        }

        foreach (var (a, x) in new[] { (new[] { 0.3, -0.2, 0.5, 0.1, 0.7 }, 0.6), (new[] { 0.9, 0.4, -0.3, 0.8 }, -0.4), (new[] { -0.1, 0.2, 0.35 }, 1.3) })
        {
            var primal = F(a, x);
            var primalCalls = Calls();
            var da = new double[a.Length];
            var dx = 0.0;
            Reset();
            var value = b(a, x, da, ref dx, 1.0);
            var backwardCalls = Calls();
            if (BitConverter.DoubleToInt64Bits(primal) != BitConverter.DoubleToInt64Bits(value))
            {
                problems.Add($"x = {x}: Backward value {value:R}, primal {primal:R}");
            }

            if (name != "KnownPure" && primalCalls == 0)
            {
                problems.Add($"x = {x}: the primal called no helper (the test would prove nothing)");
            }

            if (backwardCalls != primalCalls)
            {
                problems.Add($"x = {x}: the Backward called the helpers {backwardCalls} times, the primal {primalCalls}");
            }

            var fx = (F(a, x + h) - F(a, x - h)) / (2 * h);
            if (!(Math.Abs(dx - fx) <= tolerance * Math.Max(1, Math.Abs(fx))))
            {
                problems.Add($"x = {x}: d/dx {dx:R}, central differences {fx:R}");
            }

            for (var i = 0; i < a.Length; i++)
            {
                var (up, down) = ((double[])a.Clone(), (double[])a.Clone());
                up[i] += h;
                down[i] -= h;
                var fd = (F(up, x) - F(down, x)) / (2 * h);
                if (!(Math.Abs(da[i] - fd) <= tolerance * Math.Max(1, Math.Abs(fd))))
                {
                    problems.Add($"x = {x}: d/da[{i}] {da[i]:R}, central differences {fd:R}");
                }
            }
        }

        Assert.True(problems.Count == 0, name + ":\n" + string.Join("\n", problems) + "\n" + Generated(name));
    }

    /// <summary>The helper runs before the element read that throws, in the primal and in the Backward: the same exception after as many calls.</summary>
    [Fact]
    public void A_user_exception_after_the_call_is_thrown_after_as_many_calls()
    {
        var type = s_compiled.Value.Type;
        var f = Session23ArgumentOrderTests.Primal(type, "ThrowsAfterTheCall");
        var b = Session23ArgumentOrderTests.Backward(type, "ThrowsAfterTheCall");
        var a = new[] { 0.3, -0.2, 0.5 };
        var da = new double[a.Length];
        var dx = 0.0;
        Reset();
        var primal = Session23ArgumentOrderTests.Outcome(() => f(a, 0.6));
        var primalCalls = Calls();
        Reset();
        var backward = Session23ArgumentOrderTests.Outcome(() => b(a, 0.6, da, ref dx, 1.0));
        Assert.StartsWith("System.IndexOutOfRangeException", primal, StringComparison.Ordinal);
        Assert.Equal((primal, 4), (backward, primalCalls));
        Assert.Equal(primalCalls, Calls());
    }

    /// <summary>
    /// A [Differentiable] callee whose body calls a helper runs twice in its caller's derivative (its primal forward, its
    /// backward in reverse): the call is one located SG1002 saying to pass the helper's value in; its own Backward is fine.
    /// </summary>
    [Theory]
    [InlineData("Scaled(x)", "double Scaled(double v) => H.Draw() * v * v;", "'Scaled' calls 'H.Draw'")]
    [InlineData("Outer(x)", "double Outer(double v) => Inner(v) * v; [Differentiable] public static double Inner(double v) { H.Log(v); return v * v; }", "'Outer' calls 'H.Log'")]
    public void A_differentiable_callee_that_calls_a_helper_is_refused(string call, string callee, string fragment)
    {
        var output = GeneratorHarness.Run($$"""
            using System;
            using StaticGrad;

            public static class H
            {
                private static readonly Random s_rng = new(1);

                public static double Draw() => s_rng.NextDouble();

                public static void Log(double v) => Console.WriteLine(v);
            }

            public static partial class C
            {
                [Differentiable]
                public static {{callee}}

                [Differentiable]
                public static double F(double x) => {{call}} * x;
            }
            """);
        var error = Assert.Single(output.LocatedDiagnostics(), d => d.Severity == "Error" && d.Text == call);
        Assert.Equal(("SG1002", call), (error.Id, error.Text));
        Assert.Contains(fragment + ", and its derivative runs", error.Message, StringComparison.Ordinal);
        Assert.Contains("pass its value to", error.Message, StringComparison.Ordinal);
    }

    /// <summary>Known pure calls are printed where they stand; the impure ones are bound to generated locals.</summary>
    [Fact]
    public void Known_pure_calls_stay_inline_and_impure_ones_are_bound()
    {
        var pure = Generated("KnownPure");
        Assert.DoesNotContain("_call", pure, StringComparison.Ordinal);
        Assert.Contains("global::System.Math.Max(", pure, StringComparison.Ordinal);
        var impure = Generated("RandomInLoop");
        Assert.Equal(1, Occurrences(impure, "global::Session25ImpureCalls.H.Draw()") - Occurrences(Primal(impure, "RandomInLoop"), "global::Session25ImpureCalls.H.Draw()"));
    }

    [Theory]
    [InlineData(0.4)]
    [InlineData(-0.7)]
    public void Tangent_and_hessian_run_the_helpers_as_the_primal_does(double z)
    {
        var type = s_compiled.Value.Type;
        var a = new[] { 0.3, -0.5, 0.8, 0.1 };
        double[] Grad(double[] p, double q)
        {
            Reset();
            return (double[])type.GetMethod("GradientProbe")!.Invoke(null, new object[] { p, q })!;
        }

        Reset();
        Session23ArgumentOrderTests.Primal(type, "HessDraw")(a, z);
        var primalCalls = Calls();
        Reset();
        type.GetMethod("HessianProbe")!.Invoke(null, new object[] { a, z });
        var problems = new List<string>();
        if (Calls() != (a.Length + 1) * primalCalls)
        {
            problems.Add($"the dense Hessian called the helpers {Calls()} times, not {a.Length + 1} Hessian-vector products of {primalCalls}");
        }

        // Each Hessian-vector product is one run of the method: with the Random reseeded before each, the columns are
        // those of the function whose gradient differences HessianProbeCheck takes.
        var n = a.Length + 1;
        var hessian = new double[n * n];
        for (var j = 0; j < n; j++)
        {
            var unit = new double[n];
            unit[j] = 1;
            Reset();
            var column = (double[])type.GetMethod("HessianVectorProbe")!.Invoke(null, new object[] { a, z, unit.Take(a.Length).ToArray(), unit[a.Length] })!;
            if (Calls() != primalCalls)
            {
                problems.Add($"Hessian-vector product {j} called the helpers {Calls()} times, the primal {primalCalls}");
            }

            for (var r = 0; r < n; r++)
            {
                hessian[(r * n) + j] = column[r];
            }
        }

        problems.AddRange(HessianProbeCheck.Problems(p => Grad(p.Take(a.Length).ToArray(), p[a.Length]), a.Append(z).ToArray(), hessian));
        var gradient = Grad(a, z);
        var direction = new[] { 0.2, -0.7, 0.5, 0.9 };
        const double dz = -0.3;
        Reset();
        var tangent = (double)type.GetMethod("TangentProbe")!.Invoke(null, new object[] { a, z, direction, dz })!;
        if (Calls() != primalCalls)
        {
            problems.Add($"the Tangent called the helpers {Calls()} times, the primal {primalCalls}");
        }

        var dot = direction.Select((d, i) => d * gradient[i]).Sum() + (dz * gradient[a.Length]);
        if (!(Math.Abs(tangent - dot) <= 1e-9 * Math.Max(1, Math.Abs(dot))))
        {
            problems.Add($"Tangent {tangent:R}, gradient · direction {dot:R}");
        }

        Assert.True(problems.Count == 0, string.Join("\n", problems) + "\n" + Generated("HessDraw"));
    }

    /// <summary>A helper under '?:' or a short-circuit's right operand may not run at all: one located SG1002 with the rewrite.</summary>
    [Theory]
    [InlineData("return x > 0 ? H.Draw() * x : x;", "H.Draw()")]
    [InlineData("var s = x; if (x > 0 && H.Draw() > 0.5) s *= x; return s;", "H.Draw()")]
    public void A_helper_C_may_skip_is_one_located_error(string body, string located)
    {
        var errors = GeneratorHarness.Run($$"""
            using System;
            using StaticGrad;

            public static class H
            {
                private static readonly Random s_rng = new(1);

                public static double Draw() => s_rng.NextDouble();
            }

            public static partial class C
            {
                [Differentiable]
                public static double F(double x)
                {
                    {{body}}
                }
            }
            """).LocatedDiagnostics().Where(d => d.Severity == "Error").ToList();
        var error = Assert.Single(errors);
        Assert.Equal(("SG1002", located), (error.Id, error.Text));
        Assert.Contains("calls of methods that are not [Differentiable] inside a '?:'", error.Message, StringComparison.Ordinal);
        Assert.Contains("'var v = Draw(…);'", error.Message, StringComparison.Ordinal);
    }

    /// <summary>
    /// Session 25 (lead, after review): a helper marked <c>[System.Diagnostics.Contracts.Pure]</c> is known pure — kept under
    /// <c>?:</c> and in a [Differentiable] callee, where an unmarked one is refused — and the gradient matches central
    /// differences (step 1e-6, 1e-6·max(1, |fd|)).
    /// </summary>
    [Theory]
    [InlineData(0.7)]
    [InlineData(-0.4)]
    public void A_helper_marked_pure_is_kept_under_a_conditional_and_in_a_callee(double x)
    {
        var output = GeneratorHarness.Run("""
            using System;
            using System.Diagnostics.Contracts;
            using StaticGrad;

            public static class Table
            {
                private static readonly double[] s_weights = { 0.5, 1.5, 2.5 };

                [Pure]
                public static double Weight(int i) => s_weights[i];
            }

            public static partial class C
            {
                [Differentiable]
                public static double Inner(double v) => Table.Weight(1) * v * v;

                [Differentiable]
                public static double F(double x) => (x > 0 ? Table.Weight(2) * x : Table.Weight(0) * x * x) + Inner(x);
            }
            """);
        Assert.DoesNotContain(output.LocatedDiagnostics(), d => d.Severity == "Error");
        var type = GeneratorHarness.Load(output.OutputCompilation).GetType("C")!;
        double F(double v) => (double)type.GetMethod("F", new[] { typeof(double) })!.Invoke(null, new object[] { v })!;
        var args = new object[] { x, 0.0, 1.0 };
        var value = (double)type.GetMethod("FBackward", new[] { typeof(double), typeof(double).MakeByRefType(), typeof(double) })!.Invoke(null, args)!;
        var fd = (F(x + 1e-6) - F(x - 1e-6)) / 2e-6;
        Assert.Equal(F(x), value);
        Assert.True(Math.Abs((double)args[1] - fd) <= 1e-6 * Math.Max(1, Math.Abs(fd)), $"gradient {args[1]} against {fd}");
    }

    private static void Reset() => s_compiled.Value.Helpers.GetMethod("Reset")!.Invoke(null, new object[] { Seed });

    private static int Calls() => (int)s_compiled.Value.Helpers.GetField("Calls")!.GetValue(null)!;

    private static int Occurrences(string text, string fragment) => (text.Length - text.Replace(fragment, string.Empty, StringComparison.Ordinal).Length) / fragment.Length;

    /// <summary>The generated file's text up to its Backward (the primal copy and helper members come first).</summary>
    private static string Primal(string generated, string name)
    {
        var at = generated.IndexOf(name + "Backward(", StringComparison.Ordinal);
        return at < 0 ? string.Empty : generated.Substring(0, at);
    }

    private static string Generated(string name) =>
        s_compiled.Value.Sources.TryGetValue("Session25ImpureCalls.L." + name + ".g.cs", out var text) ? text : "(no source " + name + ")";
}

using StaticGrad.Generator.Tests.Infrastructure;

namespace StaticGrad.Generator.Tests.Robustness;

/// <summary>
/// Session 24: loop conditions with side effects (StatementLowering.LoopConditions): <c>while (++n &lt; 200)</c>,
/// <c>while (y &gt;= 0 &amp;&amp; steps++ &lt; 50)</c>, <c>do … while (++k &lt; n)</c>, <c>for (var i = 0; i++ &lt; n;)</c>,
/// <c>while (i-- &gt; 0)</c>, <c>while ((k += 2) &lt; n)</c>, <c>while ((e *= 0.5) &gt; eps)</c> on a double, a simple
/// assignment, <c>||</c>, break, continue, early return, zero-trip and one-trip loops, nested loops, float, generic
/// math, hostile user names and a user exception thrown from inside the condition. Every method returns its loop
/// variables' exit values with the result, so the Backward's value, which must equal the plain C# primal's bit for bit,
/// checks C#'s semantics (the increment on the failing test, short-circuit). Gradients against central differences:
/// step 1e-6, |g − fd| ≤ 1e-6·max(1, |fd|) (the float method: step 1e-3, 2e-3·max(1, |fd|)), at three points each.
/// Hessian (forward over reverse) against central differences of the gradient (HessianProbeCheck) and the Tangent
/// against gradient · direction (1e-9 relative).
/// </summary>
public sealed class Session24LoopConditionTests
{
    private const string Source = """
        using System;
        using System.Linq;
        using System.Numerics;
        using StaticGrad;

        namespace Session24LoopConditions;

        public static partial class L
        {
            // After the loop n is 200 (the increment runs on the failing test too).
            [Differentiable]
            public static double PrefixWhile(double[] a, double x)
            {
                var n = 0;
                var s = x;
                while (++n < 200)
                {
                    s = (0.5 * s) + (0.1 * Math.Sin(s * a[n % a.Length]));
                }

                return s + n;
            }

            // steps++ runs only when y >= 0 (at x < 0, never: steps stays 0).
            [Differentiable]
            public static double ShortCircuitSteps(double[] a, double x)
            {
                var y = x;
                var v = 0.4 + (a[0] * a[0]);
                var steps = 0;
                var path = 0.0;
                while (y >= 0 && steps++ < 50)
                {
                    y += v * 0.1;
                    v -= 0.25 + (0.01 * a[steps % a.Length]);
                    path += Math.Abs(v) * y;
                }

                return path + y + (1000 * steps);
            }

            [Differentiable]
            public static double DoPrefix(double[] a, double x)
            {
                var k = 0;
                var s = x;
                do
                {
                    s = (Math.Cos(s) * 0.5) + a[k];
                }
                while (++k < a.Length);
                return s * k;
            }

            [Differentiable]
            public static double ForPostfixCondition(double[] a, double x)
            {
                var s = 0.0;
                for (var i = 0; i++ < a.Length;)
                {
                    s += a[i - 1] * x * i;
                }

                return s;
            }

            // i ends at -1.
            [Differentiable]
            public static double PostfixDecrement(double[] a, double x)
            {
                var i = a.Length;
                var s = x;
                while (i-- > 0)
                {
                    s = (s * a[i]) + 1;
                }

                return s + i;
            }

            [Differentiable]
            public static double CompoundInt(double[] a, double x)
            {
                var k = 0;
                var s = 0.0;
                while ((k += 2) < 2 * a.Length)
                {
                    s += a[k / 2] * Math.Exp(x * k * 0.1);
                }

                return s + k;
            }

            // The differentiable value halves in the condition, and the loop's trip count depends on it.
            [Differentiable]
            public static double DoubleCompound(double[] a, double x)
            {
                var e = (x * x) + 0.5;
                var t = 0.0;
                var n = 0;
                while ((e *= 0.5) > 1e-3)
                {
                    t += e * a[n % a.Length];
                    n++;
                }

                return t + e + n;
            }

            // A simple assignment in the condition: r is the sine the test compared.
            [Differentiable]
            public static double SimpleAssignment(double[] a, double x)
            {
                double r;
                var s = 0.0;
                var v = x;
                var n = 0;
                while ((r = Math.Sin(v)) > -0.5 && n < 40)
                {
                    s += r * a[n % a.Length];
                    v += 0.3 + (0.1 * a[0]);
                    n++;
                }

                return s + r;
            }

            // A by-value double parameter halved in the condition, and a long counter under &&.
            [Differentiable]
            public static double ParameterInCondition(double[] a, double x)
            {
                long m = 0;
                var s = 0.0;
                while ((x *= 0.5) > 0.01 && m++ < 20L)
                {
                    s += x * a[(int)(m % a.Length)];
                }

                return s + x + m;
            }

            // A local function with an effectful loop condition, inlined at two calls: each call hoists its own effects.
            [Differentiable]
            public static double LocalFunctionTwice(double[] a, double x)
            {
                double Halve(double v)
                {
                    var n = 0;
                    while ((v *= 0.5) > 0.05 && n++ < 10)
                    {
                        v += 0.01 * n;
                    }

                    return v + n;
                }

                return Halve(x + 1.5) * Halve((a[0] * a[1]) + 2);
            }

            // for with two locals in its initializer (no effect in the condition) and its own iterator.
            [Differentiable]
            public static double ForTwoLocals(double[] a, double x)
            {
                var s = 0.0;
                for (int lo = 0, hi = a.Length; lo < hi; lo++, hi--)
                {
                    s += a[lo] * a[hi - 1] * x;
                }

                return s;
            }

            // for with two locals, an effect in the condition and an iterator: the iterator runs before the condition's effect.
            [Differentiable]
            public static double ForEffectAndIterator(double[] a, double x)
            {
                var s = 0.0;
                var tests = 0;
                for (int lo = 0, hi = a.Length; lo < hi && tests++ < 10; lo++)
                {
                    s += a[lo] * x * (tests + (10 * hi));
                    hi--;
                }

                return s + (100 * tests);
            }

            // continue goes to the condition, whose increment runs again.
            [Differentiable]
            public static double ContinueReachesCondition(double[] a, double x)
            {
                var n = 0;
                var s = 0.0;
                while (++n < 10)
                {
                    if (n % 3 == 0)
                    {
                        continue;
                    }

                    s += Math.Sin(x * n) * a[n % a.Length];
                }

                return s + n;
            }

            // continue in a do loop: the condition (and its increment) runs after it.
            [Differentiable]
            public static double DoContinue(double[] a, double x)
            {
                var k = 0;
                var s = x;
                do
                {
                    if (k == 2)
                    {
                        continue;
                    }

                    s = (s * a[k]) + Math.Cos(s);
                }
                while (++k < a.Length);
                return s + k;
            }

            // break skips the condition: n is where it broke.
            [Differentiable]
            public static double BreakInside(double[] a, double x)
            {
                var n = 0;
                var s = x;
                while (n++ < 100)
                {
                    s = (s * 0.9) + a[n % a.Length];
                    if (s > 1.6)
                    {
                        break;
                    }
                }

                return s * n;
            }

            [Differentiable]
            public static double EarlyReturn(double[] a, double x)
            {
                var n = 0;
                var s = x;
                while (++n < 50)
                {
                    s = Math.Sin(s) + (a[n % a.Length] * 0.3);
                    if (s < -0.2)
                    {
                        return s * n;
                    }
                }

                return s + n;
            }

            // No trip: n is 11 after the loop.
            [Differentiable]
            public static double ZeroTrip(double[] a, double x)
            {
                var n = 10;
                var s = x;
                while (++n < 5)
                {
                    s *= a[0];
                }

                return (s * a[1]) + n;
            }

            // One trip: n is 5.
            [Differentiable]
            public static double OneTrip(double[] a, double x)
            {
                var n = 3;
                var s = x;
                while (n++ < 4)
                {
                    s = (s * x) + a[0];
                }

                return s + n;
            }

            [Differentiable]
            public static double Nested(double[] a, double x)
            {
                var i = 0;
                var s = 0.0;
                var j = 0;
                while (i++ < a.Length)
                {
                    j = 0;
                    while (++j <= i)
                    {
                        s += a[i - 1] * a[j - 1] * Math.Sin(x * j);
                    }
                }

                return s + i + (10 * j);
            }

            // ||: n++ runs only when s >= 0.1.
            [Differentiable]
            public static double OrShortCircuit(double[] a, double x)
            {
                var n = 0;
                var s = x;
                while (s < 0.1 || n++ < 5)
                {
                    s += 0.3 * Math.Exp(a[n % a.Length]);
                }

                return s + (100 * n);
            }

            // float locals updated in the condition.
            [Differentiable]
            public static double FloatCase(double[] a, double x)
            {
                var f = (float)x + 1f;
                var acc = 0f;
                var c = 0;
                while ((f *= 0.75f) > 0.05f && c++ < 100)
                {
                    acc += f * (float)a[c % a.Length];
                }

                return acc + f + c;
            }

            [Differentiable]
            private static T GenericLoop<T>(T[] a, T x) where T : IFloatingPointIeee754<T>
            {
                var n = 0;
                var s = x;
                while (++n < a.Length)
                {
                    s = (s * a[n]) + T.Sin(s);
                }

                return s + T.CreateChecked(n);
            }

            [Differentiable]
            public static double GenericAtDouble(double[] a, double x) => GenericLoop(a, x);

            // a[i++] reads past the end on the last test: the primal throws IndexOutOfRangeException there.
            [Differentiable]
            public static double ElementIndexThrows(double[] a, double x)
            {
                var i = 0;
                var s = x;
                while (a[i++] > -10)
                {
                    s = (s * 0.5) + a[i - 1];
                }

                return s;
            }

            // The same read guarded by i < a.Length: the right operand's increment runs only when it is evaluated.
            [Differentiable]
            public static double ElementIndexGuarded(double[] a, double x)
            {
                var i = 0;
                var s = x;
                while (i < a.Length && a[i++] > -0.15)
                {
                    s = (s * a[i - 1]) + x;
                }

                return s + i;
            }

            // User names that generated code also likes.
            [Differentiable]
            public static double HostileNames(double[] a, double x)
            {
                var _n = 0;
                var _cond = x;
                var _t0 = 0.0;
                var dx = 1.0;
                var seed = 0.5;
                var _result = 0.0;
                var _tape = 0;
                var _nBefore = 2.0;
                var _tapeBefore = 3;
                while (++_n < 9 && _tape++ < 7)
                {
                    _cond = (_cond * 0.8) + (a[_n % a.Length] * seed);
                    _t0 += _cond * dx;
                    _result += _t0 * _nBefore;
                }

                return _result + _t0 + _n + _tape + _tapeBefore;
            }

            // Session 21's side-effect condition (refused until session 24): a break on a path makes the trip that
            // breaks a last trip, whose p = exp(900·p) is dead (its partial is infinite: the gradient must stay finite).
            [Differentiable]
            public static double SideEffectConditionWithBreak(double[] a, double x)
            {
                var p = a[0];
                var s = 0.0;
                var k = 0;
                while (k++ < 5)
                {
                    s += p * x;
                    p = Math.Exp(p * (x < 0 && k == 3 ? 900.0 : 0.2));
                    if (x < 0 && k == 3)
                    {
                        break;
                    }

                    s += Math.Tanh(p);
                }

                return s;
            }

            // Hessian (forward over reverse) and Tangent of a loop whose condition increments and scales.
            [Differentiable(Forward = true, Hessian = true)]
            public static double HessLoop(double[] a, double z)
            {
                var n = 0;
                var s = z;
                while (++n < a.Length && (s *= 0.9) > -5)
                {
                    s += Math.Sin(a[n] * z);
                }

                return (s * z) + n;
            }

            public static double[] GradientProbe(double[] a, double z)
            {
                var ga = new double[a.Length];
                double gz = 0.0;
                HessLoopBackward(a, z, ga, ref gz);
                return ga.Append(gz).ToArray();
            }

            public static double[] HessianProbe(double[] a, double z)
            {
                var h = new double[(a.Length + 1) * (a.Length + 1)];
                HessLoopHessian(a, z, h);
                return h;
            }

            public static double TangentProbe(double[] a, double z, double[] da, double dz) => HessLoopTangent(a, z, da, dz).Tangent;
        }
        """;

    private static readonly Lazy<(Type Type, Dictionary<string, string> Sources)> s_compiled = new(() =>
    {
        var output = GeneratorHarness.Run(Source);
        GeneratorHarness.AssertClean(output);
        return (GeneratorHarness.Load(output.OutputCompilation).GetType("Session24LoopConditions.L")!, output.Sources.ToDictionary(s => s.HintName, s => s.Source, StringComparer.Ordinal));
    });

    public static TheoryData<string> Methods() => new(
        "PrefixWhile", "ShortCircuitSteps", "DoPrefix", "ForPostfixCondition", "PostfixDecrement", "CompoundInt", "DoubleCompound",
        "SimpleAssignment", "ParameterInCondition", "LocalFunctionTwice", "ForTwoLocals", "ForEffectAndIterator", "ContinueReachesCondition", "DoContinue", "BreakInside", "EarlyReturn",
        "ZeroTrip", "OneTrip", "Nested", "OrShortCircuit", "FloatCase", "GenericAtDouble", "ElementIndexGuarded", "HostileNames",
        "SideEffectConditionWithBreak", "HessLoop");

    [Theory]
    [MemberData(nameof(Methods))]
    public void Value_is_the_primals_and_gradient_matches_central_differences(string name)
    {
        var type = s_compiled.Value.Type;
        var f = Session23ArgumentOrderTests.Primal(type, name);
        var b = Session23ArgumentOrderTests.Backward(type, name);
        var isFloat = name == "FloatCase";
        var h = isFloat ? 1e-3 : 1e-6;
        var tolerance = isFloat ? 2e-3 : 1e-6;
        var problems = new List<string>();
        foreach (var (a, x) in new[] { (new[] { 0.3, -0.2, 0.5, 0.1, 0.7 }, 0.6), (new[] { 0.9, 0.4, -0.3, 0.8 }, -0.4), (new[] { -0.1, 0.2, 0.35 }, 1.3) })
        {
            var da = new double[a.Length];
            var dx = 0.0;
            var value = b(a, x, da, ref dx, 1.0);
            var primal = f(a, x);
            if (BitConverter.DoubleToInt64Bits(primal) != BitConverter.DoubleToInt64Bits(value))
            {
                problems.Add($"x = {x}: Backward value {value:R}, primal {primal:R}");
            }

            var fx = (f(a, x + h) - f(a, x - h)) / (2 * h);
            if (!(Math.Abs(dx - fx) <= tolerance * Math.Max(1, Math.Abs(fx))))
            {
                problems.Add($"x = {x}: d/dx {dx:R}, central differences {fx:R}");
            }

            for (var i = 0; i < a.Length; i++)
            {
                var (up, down) = ((double[])a.Clone(), (double[])a.Clone());
                up[i] += h;
                down[i] -= h;
                var fd = (f(up, x) - f(down, x)) / (2 * h);
                if (!(Math.Abs(da[i] - fd) <= tolerance * Math.Max(1, Math.Abs(fd))))
                {
                    problems.Add($"x = {x}: d/da[{i}] {da[i]:R}, central differences {fd:R}");
                }
            }
        }

        Assert.True(problems.Count == 0, name + ":\n" + string.Join("\n", problems) + "\n" + Generated(name));
    }

    /// <summary>The exit values C# gives, computed by hand: the lowering must not just agree with itself.</summary>
    [Fact]
    public void Exit_values_are_csharps()
    {
        var type = s_compiled.Value.Type;
        double Run(string name, double[] a, double x) => Session23ArgumentOrderTests.Primal(type, name)(a, x);

        // ZeroTrip: n = 11, s = x; OneTrip: n = 5, s = x·x + a[0].
        Assert.Equal((0.6 * 0.5) + 11, Run("ZeroTrip", new[] { 2.0, 0.5 }, 0.6));
        Assert.Equal((0.6 * 0.6) + 0.25 + 5, Run("OneTrip", new[] { 0.25 }, 0.6));

        // ShortCircuitSteps at y < 0: steps++ never runs, so the result is y alone.
        Assert.Equal(-0.4, Run("ShortCircuitSteps", new[] { 0.3, 0.1 }, -0.4));

        // PostfixDecrement over an empty array: i ends at -1 after one failing test.
        Assert.Equal(0.6 - 1, Run("PostfixDecrement", Array.Empty<double>(), 0.6));

        // ForPostfixCondition: Σ a[i-1]·x·i for i = 1..n.
        Assert.Equal((1.0 * 0.5 * 1) + (2.0 * 0.5 * 2), Run("ForPostfixCondition", new[] { 1.0, 2.0 }, 0.5), 12);
    }

    /// <summary>The Backward of the condition <c>a[i++]</c> throws what the primal throws, where it throws it.</summary>
    [Fact]
    public void A_user_exception_from_inside_the_condition_is_thrown_by_the_backward()
    {
        var type = s_compiled.Value.Type;
        var f = Session23ArgumentOrderTests.Primal(type, "ElementIndexThrows");
        var b = Session23ArgumentOrderTests.Backward(type, "ElementIndexThrows");
        var a = new[] { 0.3, -0.2, 0.5 };
        var da = new double[a.Length];
        var dx = 0.0;
        var primal = Session23ArgumentOrderTests.Outcome(() => f(a, 0.6));
        Assert.StartsWith("System.IndexOutOfRangeException", primal, StringComparison.Ordinal);
        Assert.Equal(primal, Session23ArgumentOrderTests.Outcome(() => b(a, 0.6, da, ref dx, 1.0)));
    }

    [Theory]
    [InlineData(0.4)]
    [InlineData(-0.7)]
    public void Hessian_and_tangent_match(double z)
    {
        var type = s_compiled.Value.Type;
        var a = new[] { 0.3, -0.5, 0.8, 0.1 };
        double[] Grad(double[] p, double q) => (double[])type.GetMethod("GradientProbe")!.Invoke(null, new object[] { p, q })!;
        var hessian = (double[])type.GetMethod("HessianProbe")!.Invoke(null, new object[] { a, z })!;
        var problems = HessianProbeCheck.Problems(p => Grad(p.Take(a.Length).ToArray(), p[a.Length]), a.Append(z).ToArray(), hessian);
        var gradient = Grad(a, z);
        var direction = new[] { 0.2, -0.7, 0.5, 0.9 };
        const double dz = -0.3;
        var tangent = (double)type.GetMethod("TangentProbe")!.Invoke(null, new object[] { a, z, direction, dz })!;
        var dot = direction.Select((d, i) => d * gradient[i]).Sum() + (dz * gradient[a.Length]);
        if (!(Math.Abs(tangent - dot) <= 1e-9 * Math.Max(1, Math.Abs(dot))))
        {
            problems.Add($"Tangent {tangent:R}, gradient · direction {dot:R}");
        }

        Assert.True(problems.Count == 0, string.Join("\n", problems) + "\n" + Generated("HessLoop"));
    }

    /// <summary>What stays refused, one located SG1002 each, saying what to write instead.</summary>
    [Theory]
    [InlineData("var c = new int[1]; var s = x; while (c[0]++ < 3) s *= x; return s;", "c[0]++", "increments and assignments of array elements, fields or properties inside loop conditions (update a local in the condition")]
    [InlineData("var n = 0; var s = x; while (n < (n += 1) && n < 5) s *= x; return s;", "n", "loop conditions that read 'n' before they update it")]
    [InlineData("var n = 0; var s = x; while (n++ + n++ < 10) s *= x; return s;", "n++", "loop conditions that update 'n' twice")]
    [InlineData("var n = 0; var s = x; while ((x > 0 ? n++ : n--) < 10 && n > -10) s *= x; return s;", "x > 0 ? n++ : n--", "inside a '?:', '??', switch expression or lambda of a loop condition")]
    public void What_stays_refused_is_one_located_error(string body, string located, string fragment)
    {
        var errors = GeneratorHarness.Run($$"""
            using System;
            using StaticGrad;

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
        Assert.Contains(fragment, error.Message, StringComparison.Ordinal);
    }

    private static string Generated(string name) =>
        s_compiled.Value.Sources.TryGetValue("Session24LoopConditions.L." + name + ".g.cs", out var text) ? text : "(no source " + name + ")";
}
